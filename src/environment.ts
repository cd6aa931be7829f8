import { CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as signer from 'aws-cdk-lib/aws-signer';
import { Construct } from 'constructs';
import type { ImagePlan } from './image';
import { PULL_ACTIONS, PUSH_PULL_ACTIONS } from './private/constants';
import { trustPolicyQuotaProblem } from './private/limits';
import * as names from './private/names';
import { defaultLifecycleRules } from './private/supply-chain';
import { TrustContext, TrustedRun, runClaims, trustConditions } from './private/trust';
import { checkArray, checkInstance, checkType } from './private/types';
import * as v from './private/validation';
import { signingStatement } from './signing-configuration';
import { GithubSubject, GithubSubjectKind } from './subject';
import type { LifecycleRule, WorkflowEnvironment, WorkflowRepository } from './workflow';

/**
 * One environment of a pipeline: the GitHub runs it trusts and the ECR repository they push to.
 */
export interface PipelineEnvironmentProps {
  /**
   * Name of the environment. It names the construct, the default repository, the workflow job
   * and the GitHub variables, so it is 1 to 32 lower-case letters, digits, `-` or `_`.
   *
   * @example 'prod'
   */
  readonly name: string;

  /**
   * Branches whose workflow runs may push to this environment's repository.
   * Shorthand for `subjects` with `GithubSubject.branch(...)`; the two are combined.
   *
   * @default - none; give `branches` or `subjects`
   */
  readonly branches?: string[];

  /**
   * Workflow runs that may push to this environment's repository: branches, tags, deployment
   * environments, pull requests or explicit patterns.
   *
   * @default - none; give `branches` or `subjects`
   */
  readonly subjects?: GithubSubject[];

  /**
   * Name of the ECR repository to create. With the pipeline's `images`, give
   * `imageRepositoryNames` instead.
   *
   * @default - `${repositoryPrefix}-${name}`
   */
  readonly repositoryName?: string;

  /**
   * Names of the ECR repositories to create, by image name, when the pipeline has `images`. An
   * image not listed gets the default name.
   *
   * @default - `${repositoryPrefix}-${image}-${name}` for each image
   */
  readonly imageRepositoryNames?: { [image: string]: string };

  /**
   * An existing ECR repository to push to, instead of creating one. The repository settings of
   * this struct (tag mutability, scanning, lifecycle, encryption, removal, `pullAccounts`) then
   * cannot be given.
   *
   * @default - a new repository is created
   */
  readonly repository?: ecr.IRepository;

  /**
   * Whether a pushed tag may later point to another image. The workflow tags by commit SHA, and a
   * push must never overwrite a released image.
   *
   * @default ecr.TagMutability.IMMUTABLE
   */
  readonly imageTagMutability?: ecr.TagMutability;

  /**
   * Tags that may move to another image, as ECR wildcard filters (`*` matches any characters),
   * e.g. `['latest']` or `['stable-*']`. Every other tag, such as the commit SHA the workflow
   * pushes, stays immutable: the repository gets `IMMUTABLE_WITH_EXCLUSION` with these as its
   * exclusion filters. At most 5 patterns of 1 to 128 letters, digits, `.`, `_`, `-` or `*`; a
   * pattern may not match a 40-character commit SHA. The workflow's `extraImageTag` may be a tag
   * these patterns cover.
   *
   * @default - every tag is immutable (or as `imageTagMutability` says)
   */
  readonly mutableTags?: string[];

  /**
   * Whether ECR scans each image for vulnerabilities when it is pushed.
   *
   * @default true
   */
  readonly imageScanOnPush?: boolean;

  /**
   * Lifecycle rules of the repository.
   *
   * Attestations and signatures are untagged manifests that refer to an image, and ECR deletes
   * them within a day of deleting the image. A rule on untagged images could expire them while
   * the image is kept, so the workflow's attestations and the pipeline's `signingProfile` refuse
   * such a rule, and a rule on any images after one on tagged images.
   *
   * @default - with no `maxImageCount` either, one rule that expires images tagged `expire-*`
   * a day after they were pushed, which no image the workflow pushes is. Every image the workflow
   * pushes is tagged, so the only untagged manifests are the images' attestations and signatures
   */
  readonly lifecycleRules?: ecr.LifecycleRule[];

  /**
   * Keep at most this many images, tagged or not, and expire the oldest beyond it, after
   * `lifecycleRules`. ECR counts attestations and signatures as images. Expiring tagged images
   * is opt-in.
   *
   * @default - no image is expired
   */
  readonly maxImageCount?: number;

  /**
   * KMS key to encrypt the repository with.
   *
   * @default - AES-256 encryption managed by ECR
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the repository and its images when it leaves the stack. `DESTROY` also
   * empties the repository, so that CloudFormation can delete it.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Name of the IAM role. A fixed name makes the role ARN known at synth time, but must be unique
   * in the account across every region.
   *
   * @default - a unique name generated by CloudFormation
   */
  readonly roleName?: string;

  /**
   * Longest session the workflow can ask for, from 1 to 12 hours.
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * Permissions boundary of the role.
   *
   * @default - no permissions boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * AWS accounts whose principals may pull images from the repository, through its repository policy.
   *
   * @default - no other account may pull
   */
  readonly pullAccounts?: string[];
}

/**
 * One environment of a `GithubOidcEcrPipeline`: an IAM role that only the environment's subjects
 * can assume, with an inline policy that pushes to the environment's ECR repository and nowhere else.
 *
 * Created by `GithubOidcEcrPipeline`; read it with `pipeline.environment(name)`.
 */
export class PipelineEnvironment extends Construct {
  /**
   * Check one environment's props, as the pipeline passes them, and work out what follows from
   * them: its subjects (branches become `GithubSubject.branch`), the runs its role trusts and the
   * name of the repository to create. Nothing is created; `path` names the environment in errors.
   *
   * @internal
   */
  public static _plan(props: PipelineEnvironmentProps, path: string, context: PlanContext): EnvironmentPlan {
    v.validateEnvironmentName(`${path}.name`, props.name);
    (props.branches ?? []).forEach((branch, j) => v.validateRefName(`${path}.branches[${j}]`, branch, 'branch', false));
    props.subjects?.forEach((subject, j) => validateSubject(`${path}.subjects[${j}]`, subject));
    const subjects = [...(props.branches ?? []).map(b => GithubSubject.branch(b)), ...(props.subjects ?? [])];
    if (subjects.length === 0) {
      v.fail(`${path}.branches`, props.branches ?? [], `must name at least one branch, or ${path}.subjects at least one subject`);
    }
    let repositoryName: string | undefined;
    let imageRepositories: ImageRepositoryPlan[] | undefined;
    if (context.images !== undefined) {
      imageRepositories = planImageRepositories(props, path, context.prefix, context.images);
      repositoryName = imageRepositories[0].name;
    } else if (props.imageRepositoryNames !== undefined) {
      v.fail(`${path}.imageRepositoryNames`, Object.keys(props.imageRepositoryNames), 'can only be given when the pipeline has images; without them, give repositoryName');
    } else if (props.repository === undefined) {
      if (props.repositoryName !== undefined) {
        repositoryName = props.repositoryName;
        v.validateEcrRepositoryName(`${path}.repositoryName`, repositoryName);
      } else {
        repositoryName = names.defaultRepositoryName(context.prefix, props.name);
        v.validateEcrRepositoryName(`${path}.repositoryName (default, from repositoryPrefix or the GitHub repository name)`, repositoryName);
      }
    }
    const runs = trustedRuns(context.trust, subjects, path);
    runs.forEach(run => runClaims(context.trust, run, path));
    if (context.trust.workflowFile !== undefined) checkPinnable(props, path, subjects);

    v.validateRoleName(`${path}.roleName`, props.roleName);
    v.validateSessionDuration(`${path}.maxSessionDuration`, props.maxSessionDuration);
    v.validatePositiveInteger(`${path}.maxImageCount`, props.maxImageCount);
    (props.pullAccounts ?? []).forEach((account, i) => v.validateAccountId(`${path}.pullAccounts[${i}]`, account));
    if (props.repository !== undefined) checkExistingRepository(props, path);
    // With an existing repository, checkExistingRepository has refused mutableTags: this gives undefined.
    const mutableTags = validateMutableTags(props, path);

    const plan = { props, path, subjects, runs, repositoryName, imageRepositories, mutableTags };
    return { ...plan, warnings: planWarnings(plan, context) };
  }

  /**
   * Create the environment that `_plan` worked out, under the construct id its name gives.
   *
   * @internal
   */
  public static _create(scope: Construct, plan: EnvironmentPlan, context: CreateContext): PipelineEnvironment {
    return new PipelineEnvironment(scope, names.environmentConstructId(plan.props.name), plan, context);
  }

  /**
   * The shape of one environment's props, before any value is read: for callers that bypass
   * TypeScript (plain JavaScript, JSON-loaded props, jsii languages that pass null).
   *
   * @internal
   */
  public static _checkPropTypes(path: string, props: PipelineEnvironmentProps): void {
    checkType(path, props, 'object', false);
    checkType(`${path}.name`, props.name, 'string', false);
    checkArray(`${path}.branches`, props.branches, 'string', true);
    checkArray(`${path}.subjects`, props.subjects, undefined, true);
    (props.subjects ?? []).forEach((subject, j) => checkInstance(`${path}.subjects[${j}]`, subject, x => x instanceof GithubSubject, 'GithubSubject (from GithubSubject.branch(), .tag(), ...)', false));
    checkArray(`${path}.mutableTags`, props.mutableTags, 'string', true);
    checkArray(`${path}.pullAccounts`, props.pullAccounts, 'string', true);
    checkArray(`${path}.lifecycleRules`, props.lifecycleRules, 'object', true);
    for (const key of ['repositoryName', 'roleName', 'imageTagMutability'] as const) checkType(`${path}.${key}`, props[key], 'string', true);
    checkType(`${path}.imageScanOnPush`, props.imageScanOnPush, 'boolean', true);
    checkType(`${path}.maxImageCount`, props.maxImageCount, 'number', true);
    for (const key of ['repository', 'encryptionKey', 'permissionsBoundary', 'imageRepositoryNames'] as const) checkType(`${path}.${key}`, props[key], 'object', true);
    checkInstance(`${path}.maxSessionDuration`, props.maxSessionDuration, x => x instanceof Duration, 'Duration', true);
    if (props.removalPolicy !== undefined && !Object.values(RemovalPolicy).includes(props.removalPolicy)) {
      v.fail(`${path}.removalPolicy`, props.removalPolicy, `must be one of RemovalPolicy ${Object.values(RemovalPolicy).join(', ')}`);
    }
  }

  /** The environment's name. */
  public readonly name: string;

  /** The role a workflow run assumes to push. */
  public readonly role: iam.IRole;

  /**
   * The repository the role pushes to: a new one, or the one given in `repository`. With the
   * pipeline's `images`, the first image's repository.
   */
  public readonly repository: ecr.IRepository;

  /**
   * Every repository the role pushes to: one per image of the pipeline, in the order of its
   * `images`, or the one `repository` is.
   */
  public readonly repositories: ecr.IRepository[];

  /** The workflow runs the role trusts. */
  public readonly subjects: GithubSubject[];

  /** The GitHub Actions variable the workflow reads the role ARN from, when it is not known at synth time. */
  public readonly roleArnVariable: string;

  /**
   * The GitHub Actions variable the workflow reads the repository name from, when it is not known
   * at synth time. With the pipeline's `images`, each image's job reads
   * `ECR_REPOSITORY_${ENVIRONMENT}_${IMAGE}` instead, which its output's description names.
   */
  public readonly repositoryVariable: string;

  /** The role's trust policy. */
  private readonly trustPolicy: iam.PolicyDocument;

  /** The pipeline's image names, in order; none without images. */
  private readonly imageNames: string[];

  private constructor(scope: Construct, id: string, plan: EnvironmentPlan, context: CreateContext) {
    super(scope, id);
    const { props, path } = plan;
    this.name = props.name;
    this.subjects = plan.subjects;
    this.roleArnVariable = names.roleArnVariable(props.name);
    this.repositoryVariable = names.repositoryVariable(props.name);

    this.imageNames = (plan.imageRepositories ?? []).map(r => r.image);
    this.repositories = plan.imageRepositories !== undefined
      ? plan.imageRepositories.map(r => this.createRepository(plan, names.imageRepositoryId(r.image), r.name))
      : [props.repository ?? this.createRepository(plan, 'Repository', plan.repositoryName)];
    this.repository = this.repositories[0];

    const [first, ...rest] = trustConditions(context.trust, plan.runs, this.subjects.flatMap(s => s.gitRef ?? []), path);
    const providerArn = context.provider.oidcProviderArn;
    const role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: roleDescription(`${context.trust.owner}/${context.trust.repo}`, this.subjects),
      assumedBy: new iam.WebIdentityPrincipal(providerArn, first),
      maxSessionDuration: props.maxSessionDuration,
      permissionsBoundary: props.permissionsBoundary,
      inlinePolicies: { EcrPush: this.pushPolicy(context) },
    });
    for (const conditions of rest) {
      role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [new iam.WebIdentityPrincipal(providerArn, conditions)],
      }));
    }
    this.role = role;
    this.trustPolicy = role.assumeRolePolicy!;
    // Recorded as construct metadata that cdk-nag 3 reads; the library does not depend on cdk-nag.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken takes no resource, so it can only be granted on *; push and pull are scoped to this environment\'s repositories',
    });

    const tooLong = trustPolicyQuotaProblem(Stack.of(this), role.assumeRolePolicy!, context.trust.issuer, path, props.name, this.subjects.length);
    if (tooLong !== undefined) throw new Error(tooLong);

    if (context.outputs) {
      new CfnOutput(this, 'RoleArn', {
        value: role.roleArn,
        description: names.roleOutputDescription(props.name),
      });
      if (plan.imageRepositories === undefined) {
        new CfnOutput(this, 'RepositoryUri', {
          value: this.repository.repositoryUri,
          description: names.repositoryOutputDescription(props.name),
        });
      }
      this.imageNames.forEach((image, i) => new CfnOutput(this, names.imageOutputId(image), {
        value: this.repositories[i].repositoryUri,
        description: `Repository of image ${image} for ${props.name}; set its name as the GitHub Actions variable ${names.imageRepositoryVariable(props.name, image)}`,
      }));
    }
  }

  /**
   * The repository of one of the pipeline's `images` in this environment.
   *
   * @param name the image's name, as given in the pipeline's `images`
   */
  public imageRepository(name: string): ecr.IRepository {
    checkType('imageRepository(name)', name, 'string', false);
    const index = this.imageNames.indexOf(name);
    if (index < 0) {
      throw new Error(this.imageNames.length === 0
        ? `imageRepository(name) found no image named '${name}': the pipeline has no images; read repository instead`
        : `imageRepository(name) found no image named '${name}'; the images are ${this.imageNames.map(n => `'${n}'`).join(', ')}`);
    }
    return this.repositories[index];
  }

  /**
   * Let a principal pull images from this environment's repositories (each image's, with the
   * pipeline's `images`).
   *
   * @param grantee the principal, e.g. an ECS task execution role
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    const [first, ...rest] = this.repositories.map(repository => repository.grantPull(grantee));
    return rest.reduce((all, grant) => all.combine(grant), first);
  }

  /**
   * The role's trust policy, resolved, as the template will hold it.
   *
   * @internal
   */
  public _trustPolicy(): unknown {
    return Stack.of(this).resolve(this.trustPolicy.toJSON());
  }

  /**
   * What the workflow renderer needs for this environment's job, read from its role and
   * repository as they are now: the literal role and repository names, the tag mutability and
   * the lifecycle rules.
   *
   * @internal
   */
  public _workflow(): WorkflowEnvironment {
    const stack = Stack.of(this);
    const role = this.role.node.defaultChild;
    const own = repositoryOf(this.repository);
    return {
      name: this.name,
      refs: this.subjects.filter(s => s.kind === GithubSubjectKind.BRANCH || s.kind === GithubSubjectKind.TAG),
      deploymentEnvironments: this.subjects.filter(s => s.kind === GithubSubjectKind.ENVIRONMENT).map(s => s.value!),
      roleArnVariable: this.roleArnVariable,
      repositoryVariable: this.repositoryVariable,
      // Stryker disable next-line StringLiteral: equivalent: any literal default path is literal, so isLiteral(role.path ?? '') decides the same
      role: role instanceof iam.CfnRole && isLiteral(role.roleName) && isLiteral(stack.account) && isLiteral(role.path ?? '/')
        ? { account: stack.account, path: role.path ?? '/', name: role.roleName, partition: isLiteral(stack.partition) ? stack.partition : undefined }
        : undefined,
      ...own,
      images: this.imageNames.length === 0 ? undefined : this.imageNames.map((image, i) => ({
        image,
        repositoryVariable: names.imageRepositoryVariable(this.name, image),
        ...repositoryOf(this.repositories[i]),
      })),
    };
  }

  private pushPolicy(context: CreateContext): iam.PolicyDocument {
    const document = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'GetAuthorizationToken',
          // The API takes no resource: the token opens the registry, the next statement the repository.
          actions: ['ecr:GetAuthorizationToken'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'PushPullOwnRepository',
          actions: PUSH_PULL_ACTIONS,
          resources: this.repositories.map(repository => repository.repositoryArn),
        }),
      ],
    });
    // Supply chain: ECR managed signing signs as the pusher, with the pipeline's profile only.
    if (context.signingProfile !== undefined) document.addStatements(signingStatement(context.signingProfile));
    return document;
  }

  private createRepository(plan: EnvironmentPlan, id: string, repositoryName: string | undefined): ecr.IRepository {
    const { props, mutableTags } = plan;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Supply chain: the workflow's images are all tagged, so a rule on untagged images would only
    // ever select attestations and signatures (untagged referrers) of kept images; see defaultLifecycleRules.
    const lifecycleRules = [...(props.lifecycleRules ?? (props.maxImageCount === undefined ? defaultLifecycleRules() : []))];
    if (props.maxImageCount !== undefined) {
      lifecycleRules.push({
        description: `Keep at most ${props.maxImageCount} images`,
        tagStatus: ecr.TagStatus.ANY,
        maxImageCount: props.maxImageCount,
      });
    }
    const repository = new ecr.Repository(this, id, {
      repositoryName,
      imageTagMutability: mutableTags
        ? ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION
        : props.imageTagMutability ?? ecr.TagMutability.IMMUTABLE,
      imageTagMutabilityExclusionFilters: mutableTags?.map(tag => ecr.ImageTagMutabilityExclusionFilter.wildcard(tag)),
      imageScanOnPush: props.imageScanOnPush ?? true,
      lifecycleRules,
      encryption: props.encryptionKey ? ecr.RepositoryEncryption.KMS : undefined,
      encryptionKey: props.encryptionKey,
      removalPolicy,
      emptyOnDelete: removalPolicy === RemovalPolicy.DESTROY ? true : undefined,
    });
    if (props.pullAccounts?.length) {
      repository.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'PullFromOtherAccounts',
        actions: PULL_ACTIONS,
        principals: props.pullAccounts.map(account => new iam.AccountPrincipal(account)),
      }));
    }
    return repository;
  }
}

/**
 * IAM limits a role description to 1,000 characters of tab, newlines and Latin-1; a long subject
 * list is summarized, and other characters (git allows them in branch names) become '?'.
 */
function roleDescription(repository: string, subjects: GithubSubject[]): string {
  const listed = `GitHub Actions in ${repository} (${subjects.join(', ')}) pushes images to ECR`;
  const text = listed.length <= 1000 ? listed : `GitHub Actions in ${repository} (${subjects.length} subjects) pushes images to ECR`;
  return text.replace(/[^\t\n\r\x20-\x7e\xa1-\xff]/g, '?');
}

/** An existing repository is used as it is: no repository setting, and one repository, not a wildcard. */
function checkExistingRepository(props: PipelineEnvironmentProps, path: string): void {
  const repositoryOnly: Array<keyof PipelineEnvironmentProps> = [
    'repositoryName', 'imageTagMutability', 'mutableTags', 'imageScanOnPush', 'lifecycleRules', 'maxImageCount',
    'encryptionKey', 'removalPolicy', 'pullAccounts',
  ];
  for (const key of repositoryOnly) {
    if (props[key] !== undefined) {
      v.fail(`${path}.${key}`, props[key],
        `cannot be set together with ${path}.repository (an existing repository is used as it is; configure it where it is defined)`);
    }
  }
  const repository = props.repository!;
  // A wildcard in a literal name or ARN would widen the push statement to every matching repository.
  // A token's text (${Token[NAME.123]}) never holds '*' or '?', so the literal parts are what is read.
  for (const [what, value] of [['repositoryName', repository.repositoryName], ['repositoryArn', repository.repositoryArn]] as const) {
    if (/[*?]/.test(String(value))) {
      v.fail(`${path}.repository`, value, `must name one repository: its ${what} has a wildcard ('*' or '?'), which would grant push on every repository it matches`);
    }
  }
}

/**
 * One repository per image: named by `imageRepositoryNames` or by default; an existing repository
 * or a single `repositoryName` cannot serve several images.
 */
function planImageRepositories(
  props: PipelineEnvironmentProps, path: string, prefix: string, images: ImagePlan[],
): ImageRepositoryPlan[] {
  if (props.repository !== undefined) {
    v.fail(`${path}.repository`, props.repository, 'cannot be given when the pipeline has images: each image needs its own repository in each environment, which the pipeline creates (name them with imageRepositoryNames); to push to an existing repository, use a pipeline without images for it');
  }
  if (props.repositoryName !== undefined) {
    v.fail(`${path}.repositoryName`, props.repositoryName, `cannot be given when the pipeline has images, each of which gets its own repository; name them with ${path}.imageRepositoryNames, e.g. { ${images[0].name}: '${props.repositoryName}' }`);
  }
  const given = props.imageRepositoryNames ?? {};
  const imageNames = images.map(image => image.name);
  for (const key of Object.keys(given)) {
    if (!imageNames.includes(key)) {
      v.fail(`${path}.imageRepositoryNames`, key, `must name images of the pipeline (${imageNames.map(n => `'${n}'`).join(', ')})`);
    }
  }
  return images.map(image => {
    const name = given[image.name] ?? names.defaultImageRepositoryName(prefix, image.name, props.name);
    const property = given[image.name] !== undefined
      ? `${path}.imageRepositoryNames.${image.name}`
      : `${path}.imageRepositoryNames.${image.name} (default, from repositoryPrefix or the GitHub repository name, the image and the environment)`;
    // Stryker disable next-line BooleanLiteral: equivalent: name is never undefined (?? gives the default), so optional or not, only a non-string fails
    checkType(property, name, 'string', false);
    v.validateEcrRepositoryName(property, name);
    return { image: image.name, name, derived: given[image.name] === undefined };
  });
}

/** ECR allows 1 to 5 exclusion filters, each 1 to 128 of `[0-9A-Za-z._*-]`. */
function validateMutableTags(props: PipelineEnvironmentProps, path: string): string[] | undefined {
  const tags = props.mutableTags;
  if (tags === undefined) return undefined;
  if (props.imageTagMutability !== undefined && props.imageTagMutability !== ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION) {
    v.fail(`${path}.imageTagMutability`, props.imageTagMutability,
      `cannot be set together with ${path}.mutableTags, which makes the repository IMMUTABLE_WITH_EXCLUSION`);
  }
  if (tags.length < 1 || tags.length > 5) {
    v.fail(`${path}.mutableTags`, tags, 'must list 1 to 5 tag patterns (ECR\'s limit of exclusion filters)');
  }
  tags.forEach((tag, i) => {
    const property = `${path}.mutableTags[${i}]`;
    // A string: _checkPropTypes has checked mutableTags' shape before any environment is planned.
    if (Token.isUnresolved(tag)) v.fail(property, tag, 'must be a literal tag pattern');
    if (!/^[0-9A-Za-z._*-]{1,128}$/.test(tag)) {
      v.fail(property, tag, 'must be an ECR tag filter of 1 to 128 letters, digits, \'.\', \'_\', \'-\' or \'*\'');
    }
    if (mayMatchCommitSha(tag)) {
      v.fail(property, tag, 'must not match a 40-character commit SHA: the workflow tags every image with one, and those tags must stay immutable');
    }
    if (tags.indexOf(tag) !== i) v.fail(property, tag, `must be unique; ${path}.mutableTags[${tags.indexOf(tag)}] is the same`);
  });
  return [...tags];
}

/** Whether a wildcard pattern matches some string of 40 lower-case hex digits. */
function mayMatchCommitSha(pattern: string): boolean {
  const literal = pattern.replace(/\*/g, '');
  if (!/^[0-9a-f]*$/.test(literal)) return false;
  return pattern.includes('*') ? literal.length <= 40 : literal.length === 40;
}

/** What `PipelineEnvironment._plan` needs from the pipeline. */
export interface PlanContext {
  /** The prefix of default repository names. */
  readonly prefix: string;
  /** Whether `prefix` is the GitHub repository's name, because `repositoryPrefix` was not given. */
  readonly prefixFromGithub: boolean;
  readonly trust: TrustContext;
  /** The pipeline's images, checked; none when it builds the one image of the repository root. */
  readonly images?: ImagePlan[];
}

/** The repository of one image in one environment. */
export interface ImageRepositoryPlan {
  readonly image: string;
  readonly name: string;
  /** Whether the name is the default one, derived from the prefix, the image and the environment. */
  readonly derived: boolean;
}

/** What `PipelineEnvironment._create` needs from the pipeline. */
export interface CreateContext {
  readonly trust: TrustContext;
  readonly provider: iam.IOidcProvider;
  readonly outputs: boolean;
  /** Supply chain: the profile ECR managed signing signs this environment's pushes with. */
  readonly signingProfile?: signer.ISigningProfile;
}

/** A warning for the pipeline to add, with the id that acknowledges it. */
export interface PlanWarning {
  readonly id: string;
  readonly message: string;
}

/** One environment's props, checked, and what follows from them. */
export interface EnvironmentPlan {
  readonly props: PipelineEnvironmentProps;
  /** The property path for error messages, e.g. `environments[1]`. */
  readonly path: string;
  /** `branches` as branch subjects, then `subjects`. */
  readonly subjects: GithubSubject[];
  /** The runs the role trusts, which follow the subjects and the subject template. */
  readonly runs: TrustedRun[];
  /** The name of the repository to create (the first image's, with images); none with an existing repository. */
  readonly repositoryName?: string;
  /** One repository per image, in the order of the pipeline's images; none without images. */
  readonly imageRepositories?: ImageRepositoryPlan[];
  /** The checked `mutableTags`, when given. */
  readonly mutableTags?: string[];
  /** In the order the pipeline adds them, by kind: see `WARNING_ORDER`. */
  readonly warnings: PlanWarning[];
}

/** The warnings of `_plan`, in the order the pipeline adds them (the repository form's comes after the first). */
export const WARNING_ORDER = [
  ['cdk-github-oidc-ecr:nonAsciiRefName'],
  ['cdk-github-oidc-ecr:unboundDeploymentEnvironment'],
  ['cdk-github-oidc-ecr:destroyDerivedRepositoryName', 'cdk-github-oidc-ecr:existingRepositoryWasDefault'],
];

/**
 * The runs an environment's subjects make the role trust, each with the context its subject
 * renders. An environment that trusts a deployment environment trusts only that environment's
 * runs; with `ref` in the template, each is bound to one of the environment's branches or tags.
 */
function trustedRuns(ctx: TrustContext, subjects: GithubSubject[], path: string): TrustedRun[] {
  const refs = subjects.filter(s => s.kind === GithubSubjectKind.BRANCH || s.kind === GithubSubjectKind.TAG);
  const deployments = subjects.filter(s => s.kind === GithubSubjectKind.ENVIRONMENT);
  const pullRequests = subjects.filter(s => s.kind === GithubSubjectKind.PULL_REQUEST);
  if (deployments.length === 0) {
    return [...refs.map(refRun), ...pullRequests.map(s => ({ context: s._render(), pattern: false, from: s.toString() }))];
  }
  if (pullRequests.length > 0) {
    v.fail(`${path}.subjects`, subjects.map(String),
      'cannot combine GithubSubject.pullRequest() with a deployment environment: the role admits only the deployment environment\'s tokens; give pull requests an environment of their own');
  }
  const bindsRef = ctx.claimKeys.includes('ref') || ctx.claimKeys.includes('ref_type');
  if (!bindsRef) {
    return deployments.map(d => ({ context: d._render(), environment: d.value, pattern: false, from: d.toString() }));
  }
  if (refs.length === 0) {
    v.fail(`${path}.branches`, [], `must name the branches (or subjects the tags) that ${deployments.map(d => `'${d.value}'`).join(' and ')} is bound to, because subjectClaimKeys carries 'ref', so the token's sub names the ref of every run`);
  }
  return deployments.flatMap(d => refs.map(r => ({ ...refRun(r), context: d._render(), environment: d.value, from: `${d} on ${r}` })));
}

function refRun(subject: GithubSubject): TrustedRun {
  return {
    context: subject._render(),
    ref: subject.gitRef!,
    refType: subject.kind === GithubSubjectKind.BRANCH ? 'branch' : 'tag',
    pattern: subject.isPattern,
    from: subject.toString(),
  };
}

function validateSubject(path: string, subject: GithubSubject): void {
  switch (subject.kind) {
    case GithubSubjectKind.BRANCH:
      return v.validateRefName(path, subject.value!, 'branch', subject.isPattern);
    case GithubSubjectKind.TAG:
      return v.validateRefName(path, subject.value!, 'tag', subject.isPattern);
    case GithubSubjectKind.ENVIRONMENT:
      return v.validateDeploymentEnvironment(path, subject.value!);
    // A pull request subject names nothing to check.
  }
}

/** A pinned environment needs a branch or tag to pin to, and no subject a wildcard would have to cover. */
function checkPinnable(props: PipelineEnvironmentProps, path: string, subjects: GithubSubject[]): void {
  const unpinnable = subjects.find(s => s.isPattern || s.kind === GithubSubjectKind.PULL_REQUEST);
  if (unpinnable) {
    v.fail(`${path} subject`, unpinnable.toString(), 'cannot be combined with pinWorkflowFile: its job_workflow_ref would need a wildcard (patterns) or names a pull request merge ref');
  }
  if (!subjects.some(s => s.kind === GithubSubjectKind.BRANCH || s.kind === GithubSubjectKind.TAG)) {
    v.fail(`${path}.branches`, props.branches ?? [], 'must name at least one branch (or subjects a tag) with pinWorkflowFile: job_workflow_ref is pinned to the workflow file at those refs');
  }
}

function planWarnings(plan: Omit<EnvironmentPlan, 'warnings'>, context: PlanContext): PlanWarning[] {
  return [...nonAsciiWarnings(plan), ...unboundWarnings(plan), ...losingImagesWarnings(plan, context)];
}

/**
 * Git and GitHub show a branch such as 'mаin' (Cyrillic 'а') as plainly as 'main', so a role may
 * trust a branch other than the one its reader sees. Names in other scripts are legitimate, so
 * this is a warning the user can acknowledge, not an error.
 */
function nonAsciiWarnings({ props, path }: Omit<EnvironmentPlan, 'warnings'>): PlanWarning[] {
  const named: Array<{ property: string; value: string }> = [];
  props.branches?.forEach((branch, j) => named.push({ property: `${path}.branches[${j}]`, value: branch }));
  props.subjects?.forEach((subject, j) => {
    if (subject.kind === GithubSubjectKind.BRANCH || subject.kind === GithubSubjectKind.TAG) named.push({ property: `${path}.subjects[${j}]`, value: subject.value! });
  });
  // Stryker disable next-line ArrayDeclaration: equivalent: the pipeline adds a plan's warnings by their ids (WARNING_ORDER, addWarnings), so an entry without one is never added
  const warnings: PlanWarning[] = [];
  // A token's text (${Token[NAME.123]}) is ASCII, so a token branch gets no warning.
  for (const { property, value } of named) {
    const characters = v.nonAsciiCharacters(value);
    if (characters.length === 0) continue;
    warnings.push({
      id: 'cdk-github-oidc-ecr:nonAsciiRefName',
      message: `${property} '${value}' has characters outside ASCII (${characters.join(', ')}), which may look like ASCII letters: check that the role trusts the branch or tag you mean. Acknowledge this warning if it does.`,
    });
  }
  return warnings;
}

/** A deployment environment that the template cannot bind to branches admits any branch and workflow file. */
function unboundWarnings({ props, path, runs, subjects }: Omit<EnvironmentPlan, 'warnings'>): PlanWarning[] {
  // Stryker disable next-line MethodExpression: equivalent: the runs are all alike (all a deployment environment's, bound or not by the template alike, or none), so every and some agree
  const bound = runs.every(run => run.environment === undefined || run.ref !== undefined);
  const gated = subjects.some(s => s.kind === GithubSubjectKind.BRANCH || s.kind === GithubSubjectKind.TAG);
  // Stryker disable next-line ArrayDeclaration: equivalent: the pipeline adds a plan's warnings by their ids (WARNING_ORDER, addWarnings), so an entry without one is never added
  if (bound || !gated) return [];
  // Unbound runs are a deployment environment's, each with its environment.
  const environments = runs.map(r => `'${r.environment}'`).join(', ');
  return [{
    id: 'cdk-github-oidc-ecr:unboundDeploymentEnvironment',
    message: `${path} ('${props.name}'): its role admits every job that targets the deployment environment ${environments}, from any branch and any workflow file; its branches only gate the generated job. To bind the environment to those branches in the role itself, set subjectClaimKeys: ['repo', 'context', 'ref'] and apply subjectCustomizationBody() to the repository.`,
  }];
}

/**
 * Ordinary changes that delete a repository with its images: with DESTROY, a derived name (from
 * the environment, the prefix or the GitHub repository) changes with them and replaces it; and a
 * repository the stack created, passed back in as an existing one, leaves the stack and is deleted.
 */
function losingImagesWarnings({ props, path, repositoryName, imageRepositories }: Omit<EnvironmentPlan, 'warnings'>, context: PlanContext): PlanWarning[] {
  // Stryker disable next-line ArrayDeclaration: equivalent: the pipeline adds a plan's warnings by their ids (WARNING_ORDER, addWarnings), so an entry without one is never added
  const warnings: PlanWarning[] = [];
  const derived = imageRepositories?.filter(r => r.derived) ?? [];
  if (derived.length > 0 && props.removalPolicy === RemovalPolicy.DESTROY) {
    const from = context.prefixFromGithub ? 'the GitHub repository name' : 'repositoryPrefix';
    warnings.push({
      id: 'cdk-github-oidc-ecr:destroyDerivedRepositoryName',
      message: `${path} ('${props.name}'): removalPolicy DESTROY with the repository names ${derived.map(r => `'${r.name}'`).join(', ')}, derived from the image and environment names and ${from}. Renaming the environment or an image, or ${context.prefixFromGithub ? 'renaming the GitHub repository' : 'changing or dropping repositoryPrefix'}, deletes the repository and every image in it. Set imageRepositoryNames explicitly, or keep RemovalPolicy.RETAIN.`,
    });
  }
  const single = imageRepositories === undefined;
  // With an existing repository, removalPolicy was refused (checkExistingRepository).
  if (single && props.repositoryName === undefined && props.removalPolicy === RemovalPolicy.DESTROY) {
    const from = context.prefixFromGithub ? 'the GitHub repository name' : 'repositoryPrefix';
    warnings.push({
      id: 'cdk-github-oidc-ecr:destroyDerivedRepositoryName',
      message: `${path} ('${props.name}'): removalPolicy DESTROY with the repository name '${repositoryName}', derived from the environment name and ${from}. Renaming the environment, ${context.prefixFromGithub ? 'renaming the GitHub repository' : 'changing or dropping repositoryPrefix'}, or passing this repository back as an existing one deletes the repository and every image in it. Set repositoryName explicitly, or keep RemovalPolicy.RETAIN.`,
    });
  }
  const existingName = props.repository?.repositoryName;
  if (isLiteral(existingName) && existingName === names.defaultRepositoryName(context.prefix, props.name)) {
    warnings.push({
      id: 'cdk-github-oidc-ecr:existingRepositoryWasDefault',
      message: `${path} ('${props.name}'): the existing repository '${existingName}' has the name this environment would create. If this stack created it, it now leaves the stack: with RETAIN it is kept (and no longer managed), with DESTROY CloudFormation deletes it and its images. Deploy once with removalPolicy: RemovalPolicy.RETAIN before passing it in.`,
    });
  }
  return warnings;
}

/** A repository as the workflow renderer reads it: its literal name, tag mutability and lifecycle rules. */
function repositoryOf(repository: ecr.IRepository): WorkflowRepository {
  const child = repository.node.defaultChild;
  const cfnRepository = child instanceof ecr.CfnRepository ? child : undefined;
  return {
    repositoryName: isLiteral(cfnRepository?.repositoryName) ? cfnRepository!.repositoryName
      : isLiteral(repository.repositoryName) ? repository.repositoryName : undefined,
    tags: cfnRepository && { mutability: cfnRepository.imageTagMutability, exclusions: exclusionPatterns(cfnRepository) },
    lifecycleRules: cfnRepository && lifecycleRulesOf(cfnRepository),
  };
}

function isLiteral(value: string | undefined): value is string {
  return typeof value === 'string' && !Token.isUnresolved(value);
}

/** The wildcard values of a repository's tag-mutability exclusion filters. */
function exclusionPatterns(cfn: ecr.CfnRepository): string[] {
  const filters = cfn.imageTagMutabilityExclusionFilters;
  if (!Array.isArray(filters)) return [];
  return filters.flatMap(filter => {
    const value = (filter as ecr.CfnRepository.ImageTagMutabilityExclusionFilterProperty).imageTagMutabilityExclusionFilterValue;
    return typeof value === 'string' && !Token.isUnresolved(value) ? [value] : [];
  });
}

/** The rules of a repository's lifecycle policy, as ECR reads them; none when its text is not known at synth time. */
function lifecycleRulesOf(cfn: ecr.CfnRepository): LifecycleRule[] | undefined {
  const policy = Stack.of(cfn).resolve(cfn.lifecyclePolicy);
  const text = policy?.lifecyclePolicyText;
  if (typeof text !== 'string') return undefined;
  return JSON.parse(text).rules ?? [];
}
