import { Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as signer from 'aws-cdk-lib/aws-signer';
import { Construct, IConstruct } from 'constructs';
import { wildcardMatches } from './private/glob';
import { LifecycleRuleJson, checkReferrerLifecycle } from './private/supply-chain';
import { fail } from './private/validation';

/**
 * One rule of a registry's signing configuration: images pushed to the repositories it matches
 * are signed with its AWS Signer profile.
 */
export interface EcrSigningRule {
  /**
   * The AWS Signer profile that signs the images. Its platform must be
   * `Notation-OCI-SHA384-ECDSA` (`signer.Platform.NOTATION_OCI_SHA384_ECDSA`).
   */
  readonly signingProfile: signer.ISigningProfile;

  /**
   * The repositories whose images the rule signs, as ECR filters of their names, in which `*`
   * matches any characters (ECR's `WILDCARD_MATCH`), e.g. `['octo-repo-*']`. At most 100, each 1
   * to 256 characters of lower-case letters, digits, `.`, `_`, `-`, `/` and `*`.
   *
   * @default - every repository of the registry
   */
  readonly repositoryFilters?: string[];
}

/**
 * Properties of an `EcrSigningConfiguration`.
 */
export interface EcrSigningConfigurationProps {
  /**
   * The signing rules, 1 to 10 (ECR's limit of signing rules per registry).
   */
  readonly rules: EcrSigningRule[];
}

/** ECR's limit of signing rules per registry (Amazon ECR User Guide, Managed signing). */
const MAX_RULES = 10;
const MAX_FILTERS = 100;
const FILTER = /^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*\/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$/;
/** A literal profile ARN up to its name; the name, to the end, is checked on its own. */
const PROFILE_ARN_PREFIX = /^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\//;
const NOTATION_PLATFORM = 'Notation-OCI-SHA384-ECDSA';

/** The signing configurations of an app, so that a second one for the same registry is refused. */
const configurations = new WeakMap<IConstruct, EcrSigningConfiguration[]>();

/**
 * The registry's signing configuration (`AWS::ECR::SigningConfiguration`): ECR managed signing
 * signs each image pushed to a matching repository with AWS Signer, as the principal that
 * pushes it.
 *
 * A registry (one account and region) has exactly one signing configuration, so it is its own
 * construct rather than part of a pipeline: create it once, in the stack that owns the
 * registry's settings, with a rule for each pipeline's profile and repositories, and give each
 * pipeline its `signingProfile`, which lets its roles sign. A second configuration for the same
 * account and region in the app, or a second `AWS::ECR::SigningConfiguration` in the stack, is
 * refused at synth, since CloudFormation would replace one with the other.
 *
 * @example
 * const profile = new signer.SigningProfile(this, 'ImageSigning', {
 *   platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA,
 * });
 * new EcrSigningConfiguration(this, 'Signing', {
 *   rules: [{ signingProfile: profile, repositoryFilters: ['octo-repo-*'] }],
 * });
 * new GithubOidcEcrPipeline(this, 'Pipeline', {
 *   githubRepository: 'octo-org/octo-repo',
 *   environments: [{ name: 'prod', branches: ['main'] }],
 *   signingProfile: profile,
 * });
 */
export class EcrSigningConfiguration extends Construct {
  /**
   * The signing configurations in the app of `scope`.
   * @internal
   */
  public static _inApp(scope: IConstruct): EcrSigningConfiguration[] {
    return configurations.get(scope.node.root) ?? [];
  }

  /** The rules, in the order given. */
  public readonly rules: EcrSigningRule[];

  constructor(scope: Construct, id: string, props: EcrSigningConfigurationProps) {
    super(scope, id);
    const rules = props?.rules;
    if (!Array.isArray(rules) || rules.length < 1 || rules.length > MAX_RULES) {
      fail('rules', Array.isArray(rules) ? `${rules.length} rules` : rules, `must list 1 to ${MAX_RULES} signing rules (ECR's limit per registry)`);
    }
    rules.forEach((rule, i) => validateRule(rule, `rules[${i}]`));
    // Copies: the caller's props are never changed, and a later change to them is not picked up.
    this.rules = rules.map(rule => ({
      signingProfile: rule.signingProfile,
      repositoryFilters: rule.repositoryFilters && [...rule.repositoryFilters],
    }));

    const stack = Stack.of(this);
    const others = EcrSigningConfiguration._inApp(this);
    const same = others.find(other => sameRegistry(Stack.of(other), stack));
    if (same !== undefined) {
      throw new Error(`EcrSigningConfiguration '${this.node.path}' would be a second signing configuration for ${registryName(stack)}, which already has '${same.node.path}': `
        + `a registry has exactly one (AWS::ECR::SigningConfiguration), and CloudFormation would replace one with the other; add the rules to '${same.node.path}'`);
    }
    configurations.set(this.node.root, [...others, this]);

    new ecr.CfnSigningConfiguration(this, 'Resource', {
      rules: this.rules.map(rule => ({
        signingProfileArn: signingProfileArn(rule.signingProfile),
        repositoryFilters: rule.repositoryFilters?.map(filter => ({ filter, filterType: 'WILDCARD_MATCH' })),
      })),
    });
    // A raw AWS::ECR::SigningConfiguration added to the stack later is a second owner too.
    this.node.addValidation({
      validate: () => {
        const all = stack.node.findAll()
          .filter((c): c is ecr.CfnSigningConfiguration => c instanceof ecr.CfnSigningConfiguration && Stack.of(c) === stack);
        return all.length > 1
          ? [`EcrSigningConfiguration: stack '${stack.node.path}' has ${all.length} AWS::ECR::SigningConfiguration resources (${all.map(c => `'${c.node.path}'`).join(' and ')}), and a registry has exactly one; keep '${this.node.path}' and add the rules to it`]
          : [];
      },
    });
  }

  /**
   * Whether some rule signs the images of this repository with this profile: the profile is the
   * rule's (the same object, or the same literal ARN) and a filter matches the name, or the rule
   * has no filter. `undefined` when a name or ARN is a token, which synth cannot compare.
   * @internal
   */
  public _signs(profile: signer.ISigningProfile, repositoryName: string): boolean | undefined {
    let unknown = false;
    for (const rule of this.rules) {
      const [ruleArn, arn] = [comparable(this, signingProfileArn(rule.signingProfile)), comparable(this, signingProfileArn(profile))];
      const same = rule.signingProfile === profile || (ruleArn !== undefined && ruleArn === arn);
      if (!same) {
        if (ruleArn === undefined || arn === undefined) unknown = true;
        continue;
      }
      if (rule.repositoryFilters === undefined) return true;
      if (!literal(repositoryName) || rule.repositoryFilters.some(f => !literal(f))) {
        unknown = true;
        continue;
      }
      if (rule.repositoryFilters.some(filter => wildcardMatches(filter, repositoryName))) return true;
    }
    return unknown ? undefined : false;
  }
}

function validateRule(rule: EcrSigningRule, at: string): void {
  if (typeof rule !== 'object' || rule === null) fail(at, rule, 'must be a signing rule');
  const profile = rule.signingProfile;
  if (typeof profile !== 'object' || profile === null || typeof profile.signingProfileArn !== 'string') {
    fail(`${at}.signingProfile`, profile, 'must be an AWS Signer signing profile (signer.ISigningProfile)');
  }
  validateSigningProfile(`${at}.signingProfile`, profile);
  const filters = rule.repositoryFilters;
  if (filters === undefined) return;
  if (!Array.isArray(filters) || filters.length < 1 || filters.length > MAX_FILTERS) {
    fail(`${at}.repositoryFilters`, filters, `must list 1 to ${MAX_FILTERS} repository filters, or be left out to sign every repository`);
  }
  filters.forEach((filter, j) => {
    const property = `${at}.repositoryFilters[${j}]`;
    if (typeof filter !== 'string') fail(property, filter, 'must be a string');
    if (Token.isUnresolved(filter)) return;
    // FILTER needs at least one character, so only the upper bound is checked apart.
    if (filter.length > 256 || !FILTER.test(filter)) {
      fail(property, filter, 'must be an ECR repository filter of 1 to 256 characters: lower-case letters, digits and \'*\', separated by single \'.\', \'_\', \'-\' or \'/\'');
    }
  });
}

/**
 * The profile's ARN. `signer.SigningProfile.fromSigningProfileAttributes` (aws-cdk-lib 2.262)
 * formats it as `...:ACCOUNT://signing-profiles/NAME`, with one '/' too many, which is neither
 * the profile's ARN (so an IAM statement on it would never match) nor valid in a signing rule;
 * the ARN is given with one '/'.
 */
export function signingProfileArn(profile: signer.ISigningProfile): string {
  return profile.signingProfileArn.replace(/:\/\/signing-profiles\//, ':/signing-profiles/');
}

/**
 * A signing profile for ECR: an ARN in CloudFormation's pattern (as far as it is literal), and,
 * for a profile defined in the app, the Notation platform, the only one that signs container images.
 */
export function validateSigningProfile(property: string, profile: signer.ISigningProfile): void {
  const arn = signingProfileArn(profile);
  const rule = 'must have an unversioned signing profile ARN, arn:PARTITION:signer:REGION:ACCOUNT:/signing-profiles/NAME (2 or more letters, digits or \'_\')';
  if (literal(arn) && !PROFILE_ARN_PREFIX.test(arn)) fail(property, arn, rule);
  // The name, of a literal ARN or of one whose partition, region or account is a token: all that
  // follows the prefix ('s': a line break in it is part of the name, and refused with it).
  const name = /:\/signing-profiles\/(.*)/s.exec(arn)?.[1];
  if (literal(name) && !/^[a-zA-Z0-9_]{2,}$/.test(name)) fail(property, arn, rule);
  const cfn = profile.node?.defaultChild;
  if (cfn instanceof signer.CfnSigningProfile && literal(cfn.platformId) && cfn.platformId !== NOTATION_PLATFORM) {
    fail(property, cfn.platformId, `must be a profile for the platform '${NOTATION_PLATFORM}' (signer.Platform.NOTATION_OCI_SHA384_ECDSA), the one ECR signs container images with`);
  }
}

/**
 * An ARN as its resolved JSON, when that names the profile by itself: a literal, or one whose only
 * references are pseudo parameters (`AWS::Partition`). A reference to a resource could be the
 * same profile by another path, so it is not compared.
 */
function comparable(scope: IConstruct, arn: string): string | undefined {
  const resolved = JSON.stringify(Stack.of(scope).resolve(arn));
  const references = [...resolved.matchAll(/"(Ref|Fn::GetAtt|Fn::ImportValue)":("[^"]*"|\[)/g)];
  return references.every(([, kind, target]) => kind === 'Ref' && target.startsWith('"AWS::')) ? resolved : undefined;
}

function literal(value: string | undefined): value is string {
  // Stryker disable next-line ConditionalExpression: equivalent for 'true && ...': every caller but one passes a string (typed, and checked first); the name in validateSigningProfile may be undefined, and then the name pattern's test reads the text 'undefined', which it accepts, so nothing fails either way. The line's two other ConditionalExpression mutants, disabled with it, were killed in the first run (reports/mutation/signing-configuration.json)
  return typeof value === 'string' && !Token.isUnresolved(value);
}

/** Two stacks whose account and region are both literal and equal, or the same stack. */
function sameRegistry(a: Stack, b: Stack): boolean {
  if (a === b) return true;
  return literal(a.account) && literal(a.region) && a.account === b.account && a.region === b.region;
}

function registryName(stack: Stack): string {
  return literal(stack.account) && literal(stack.region) ? `the registry of account ${stack.account} in ${stack.region}` : `the registry of stack '${stack.node.path}'`;
}

// ---------------------------------------------------------------------------------------------
// The pipeline's side of signing

/** The one statement signing on push needs: SignPayload on the pipeline's profile, nothing else. */
export function signingStatement(profile: signer.ISigningProfile): iam.PolicyStatement {
  checkProfileType(profile);
  return new iam.PolicyStatement({
    sid: 'SignOnPushWithProfile',
    // ECR managed signing signs as the principal that pushes (Amazon ECR User Guide, Managed signing).
    actions: ['signer:SignPayload'],
    resources: [signingProfileArn(profile)],
  });
}

/** What the signing checks need from one environment of the pipeline. */
export interface SignedRepository {
  /** The environment's name. */
  readonly name: string;
  /** The repository's name, literal when it is known at synth time. */
  readonly repositoryName: string;
  /** Its lifecycle rules, as ECR reads them; `undefined` for a repository not defined in the app. */
  readonly lifecycleRules?: LifecycleRuleJson[];
}

/**
 * The pipeline's signing profile, checked: a Notation profile, with repositories whose
 * lifecycle rules keep signatures, and, when the app holds the registry's EcrSigningConfiguration,
 * a rule of it that signs each repository with this profile.
 */
export function checkSigning(pipeline: Construct, profile: signer.ISigningProfile | undefined, repositories: SignedRepository[]): void {
  if (profile === undefined) return;
  checkProfileType(profile);
  validateSigningProfile('signingProfile', profile);
  for (const repository of repositories) {
    checkReferrerLifecycle(repository.name, repository.lifecycleRules, 'signingProfile', signingProfileArn(profile), 'the signatures ECR managed signing pushes');
  }
  const stack = Stack.of(pipeline);
  pipeline.node.addValidation({
    validate: () => {
      const configuration = EcrSigningConfiguration._inApp(pipeline).find(c => sameRegistry(Stack.of(c), stack));
      if (configuration === undefined) return [];
      return repositories
        .filter(({ repositoryName }) => configuration._signs(profile, repositoryName) === false)
        .map(({ name, repositoryName }) => `signingProfile: no rule of the EcrSigningConfiguration '${configuration.node.path}' signs the repository '${repositoryName}' of environment '${name}' with this profile, so its images would be pushed unsigned; add a rule with this signing profile whose repositoryFilters match it`);
    },
  });
}

function checkProfileType(profile: unknown): asserts profile is signer.ISigningProfile {
  if (typeof profile !== 'object' || profile === null || typeof (profile as signer.ISigningProfile).signingProfileArn !== 'string') {
    fail('signingProfile', profile, 'must be an AWS Signer signing profile (signer.ISigningProfile)');
  }
}
