import { App, CfnParameter, Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as signer from 'aws-cdk-lib/aws-signer';
import { EcrSigningConfiguration, EcrSigningRule, GithubActionsOidcProvider, GithubOidcEcrPipeline, GithubOidcEcrPipelineProps, PipelineEnvironmentProps } from '../src';
import { ACCOUNT, REGION, pipelineProps, testApp } from './support/stack';

/*
 * src/signing-configuration.ts: the EcrSigningConfiguration's props and its one-per-registry rule,
 * and the pipeline's side of signing (its profile's type, and whether the app's configuration
 * signs its repositories). test/supply-chain.test.ts has the rendering and the common cases.
 */

const OTHER_ACCOUNT = '444455556666';
const ENV = { account: ACCOUNT, region: REGION };
const VALID_ARN = `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/octo_images`;
const NOT_A_PROFILE = /^rules\[0\]\.signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got /;

/** A stack in `app` (the built-in validator's findings are errors) for the test account and region. */
function stackIn(app: App = testApp(), id = 'Stack'): Stack {
  return stackWith(app, id, ENV);
}

/** A stack in `app` with this environment, or none (an environment-agnostic stack). */
function stackWith(app: App, id: string, env: StackProps['env']): Stack {
  return new Stack(app, id, { env });
}

/** An imported profile, whose ARN has the partition as a token and the name as given. */
function importedProfile(stack: Stack, name: string, id = 'Imported'): signer.ISigningProfile {
  return signer.SigningProfile.fromSigningProfileAttributes(stack, id, { signingProfileName: name, signingProfileVersion: 'v1' });
}

/** A profile defined in the stack, whose ARN is a reference to it (Fn::GetAtt). */
function definedProfile(stack: Stack, id = 'Profile'): signer.SigningProfile {
  return new signer.SigningProfile(stack, id, { platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA });
}

/** A profile known only by its ARN: an object with no construct node, as the type check admits. */
function arnOnly(signingProfileArn: string): signer.ISigningProfile {
  return { signingProfileArn } as unknown as signer.ISigningProfile;
}

function configure(stack: Stack, rules: EcrSigningRule[], id = 'Signing'): EcrSigningConfiguration {
  return new EcrSigningConfiguration(stack, id, { rules });
}

/** A configuration in a stack of its own, with one rule for `signingProfile` (given the stack). */
function withProfile(profile: (stack: Stack) => unknown, repositoryFilters?: unknown[]): () => EcrSigningConfiguration {
  return () => {
    const stack = stackIn();
    return configure(stack, [{ signingProfile: profile(stack), repositoryFilters } as EcrSigningRule]);
  };
}

function withFilters(...repositoryFilters: unknown[]): () => EcrSigningConfiguration {
  return withProfile(stack => importedProfile(stack, 'octo_images'), repositoryFilters);
}

/** A pipeline with environments dev (repository octo-repo-dev) and, by default, prod. */
function pipelineIn(stack: Stack, signingProfile: unknown, environments: PipelineEnvironmentProps[] = [
  { name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] },
], overrides: Partial<GithubOidcEcrPipelineProps> = {}): GithubOidcEcrPipeline {
  return new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ signingProfile: signingProfile as signer.ISigningProfile, environments, ...overrides }));
}

/** What the pipeline's checks report at synth. */
function problems(pipeline: GithubOidcEcrPipeline): string[] {
  return pipeline.node.validate();
}

function unsigned(configuration: string, repository: string, environment: string): string {
  return `signingProfile: no rule of the EcrSigningConfiguration '${configuration}' signs the repository '${repository}' of environment '${environment}' `
    + 'with this profile, so its images would be pushed unsigned; add a rule with this signing profile whose repositoryFilters match it';
}

// ---------------------------------------------------------------------------------------------

describe('rules', () => {
  test('fails if props or rules are missing or rules is not a list', () => {
    const build = (props: unknown) => () => new EcrSigningConfiguration(stackIn(), 'Signing', props as any);
    expect(build(undefined)).toThrow(/^rules must list 1 to 10 signing rules \(ECR's limit per registry\), got undefined$/);
    expect(build({})).toThrow(/^rules must list 1 to 10 signing rules \(ECR's limit per registry\), got undefined$/);
    expect(build({ rules: 'octo_images' })).toThrow(/^rules must list 1 to 10 signing rules \(ECR's limit per registry\), got 'octo_images'$/);
    expect(build({ rules: [{ signingProfile: arnOnly(VALID_ARN) }] })).not.toThrow();
  });

  test('fails if a rule is not an object', () => {
    const build = (...rules: unknown[]) => () => configure(stackIn(), rules as EcrSigningRule[]);
    expect(build(42)).toThrow(/^rules\[0\] must be a signing rule, got 42$/);
    expect(build(null)).toThrow(/^rules\[0\] must be a signing rule, got null$/);
    expect(build({ signingProfile: arnOnly(VALID_ARN) }, 'octo_images')).toThrow(/^rules\[1\] must be a signing rule, got 'octo_images'$/);
    expect(build({ signingProfile: arnOnly(VALID_ARN) }, { signingProfile: arnOnly(VALID_ARN) })).not.toThrow();
  });

  test('fails if a rule\'s signingProfile is not an object with a string signingProfileArn', () => {
    expect(withProfile(() => undefined)).toThrow(/^rules\[0\]\.signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got undefined$/);
    expect(withProfile(() => null)).toThrow(/^rules\[0\]\.signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got null$/);
    expect(withProfile(() => ({}))).toThrow(/^rules\[0\]\.signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got an object$/);
    expect(withProfile(() => ({ signingProfileArn: 42 }))).toThrow(/^rules\[0\]\.signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got an object$/);
    expect(withProfile(() => VALID_ARN)).toThrow(/^rules\[0\]\.signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got 'arn:aws:signer:/);
    // A function is not an object, even with a string signingProfileArn.
    expect(withProfile(() => Object.assign(() => VALID_ARN, { signingProfileArn: VALID_ARN }))).toThrow(NOT_A_PROFILE);
    expect(withProfile(() => arnOnly(VALID_ARN))).not.toThrow();
  });

  test('a profile known only by its ARN, with no construct node, is accepted and its ARN rendered', () => {
    // GIVEN
    const stack = stackIn();

    // WHEN
    configure(stack, [{ signingProfile: arnOnly(VALID_ARN), repositoryFilters: ['octo-repo-*'] }]);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::SigningConfiguration', {
      Rules: [{ SigningProfileArn: VALID_ARN, RepositoryFilters: [{ Filter: 'octo-repo-*', FilterType: 'WILDCARD_MATCH' }] }],
    });
  });

  test('fails if a literal profile ARN is outside CloudFormation\'s pattern', () => {
    const arn = (value: string) => withProfile(() => arnOnly(value));
    const refused = (value: string) => new RegExp(`^rules\\[0\\]\\.signingProfile must have an unversioned signing profile ARN, arn:PARTITION:signer:REGION:ACCOUNT:/signing-profiles/NAME \\(2 or more letters, digits or '_'\\), got '${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'$`);
    const prefix = `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/`;
    // the partitions
    expect(arn(prefix.replace(':aws:', ':aws-cn:') + 'octo_images')).not.toThrow();
    expect(arn(prefix.replace(':aws:', ':aws-us-gov:') + 'octo_images')).not.toThrow();
    expect(arn(prefix.replace(':aws:', ':aws-:'))).toThrow(refused(prefix.replace(':aws:', ':aws-:')));
    expect(arn(prefix.replace(':aws:', ':aws-9:') + 'ab')).toThrow(refused(prefix.replace(':aws:', ':aws-9:') + 'ab'));
    // the whole ARN, from its start to its end: a version is not a profile ARN of a signing rule
    expect(arn(`x${VALID_ARN}`)).toThrow(refused(`x${VALID_ARN}`));
    expect(arn(`${VALID_ARN}/AbCdEf1234`)).toThrow(refused(`${VALID_ARN}/AbCdEf1234`));
    expect(arn(`${VALID_ARN}\nx`)).toThrow(/^rules\[0\]\.signingProfile must have an unversioned signing profile ARN, .*, got 'arn:aws:signer:ap-northeast-1:111122223333:\/signing-profiles\/octo_images\nx'$/);
    // the region: 1 or more of lower-case letters, digits and '-'
    expect(arn(`arn:aws:signer::${ACCOUNT}:/signing-profiles/ab`)).toThrow(refused(`arn:aws:signer::${ACCOUNT}:/signing-profiles/ab`));
    expect(arn(`arn:aws:signer:x:${ACCOUNT}:/signing-profiles/ab`)).not.toThrow();
    expect(arn(`arn:aws:signer:AP-1:${ACCOUNT}:/signing-profiles/ab`)).toThrow(refused(`arn:aws:signer:AP-1:${ACCOUNT}:/signing-profiles/ab`));
    // the account: 12 digits
    expect(arn(`arn:aws:signer:${REGION}:11112222333:/signing-profiles/ab`)).toThrow(refused(`arn:aws:signer:${REGION}:11112222333:/signing-profiles/ab`));
    expect(arn(`arn:aws:signer:${REGION}:1111222233334:/signing-profiles/ab`)).toThrow(refused(`arn:aws:signer:${REGION}:1111222233334:/signing-profiles/ab`));
    expect(arn(`arn:aws:signer:${REGION}:11112222333a:/signing-profiles/ab`)).toThrow(refused(`arn:aws:signer:${REGION}:11112222333a:/signing-profiles/ab`));
    // the name: 2 or more letters, digits or '_'
    expect(arn(`${prefix}a`)).toThrow(refused(`${prefix}a`));
    expect(arn(`${prefix}ab`)).not.toThrow();
    expect(arn(`${prefix}Octo_Images_2`)).not.toThrow();
    expect(arn(`${prefix}octo-images`)).toThrow(refused(`${prefix}octo-images`));
    expect(arn(`${prefix}--`)).toThrow(refused(`${prefix}--`));
  });

  test('fails if a profile\'s literal name is outside the pattern when the rest of its ARN is a token', () => {
    const named = (name: string) => withProfile(stack => importedProfile(stack, name));
    expect(named('a')).toThrow(/^rules\[0\]\.signingProfile must have an unversioned signing profile ARN, arn:PARTITION:signer:REGION:ACCOUNT:\/signing-profiles\/NAME \(2 or more letters, digits or '_'\), got 'arn:\$\{Token\[AWS\.Partition\.\d+\]\}:signer:ap-northeast-1:111122223333:\/signing-profiles\/a'$/);
    expect(named('ab')).not.toThrow();
    expect(named('octo-images')).toThrow(/^rules\[0\]\.signingProfile must have an unversioned signing profile ARN, .*\/signing-profiles\/octo-images'$/);
    // A line break is refused wherever it is in the name, not only read up to.
    expect(named('a\nbc')).toThrow(/^rules\[0\]\.signingProfile must have an unversioned signing profile ARN, .*\/signing-profiles\/a\nbc'$/);
    expect(named('ab\n')).toThrow(/^rules\[0\]\.signingProfile must have an unversioned signing profile ARN, .*\/signing-profiles\/ab\n'$/);
    // A name that is a token is known at deploy time only; so is an ARN with no literal name.
    expect(withProfile(stack => importedProfile(stack, new CfnParameter(stack, 'ProfileName').valueAsString))).not.toThrow();
    expect(withProfile(() => arnOnly(Fn.importValue('ProfileArn')))).not.toThrow();
    expect(withProfile(stack => definedProfile(stack))).not.toThrow();
  });

  test('fails if a rule\'s profile is defined for another platform than Notation', () => {
    const platform = (p: signer.Platform) => withProfile(stack => new signer.SigningProfile(stack, 'Profile', { platform: p }));
    expect(platform(signer.Platform.AWS_LAMBDA_SHA384_ECDSA)).toThrow(/^rules\[0\]\.signingProfile must be a profile for the platform 'Notation-OCI-SHA384-ECDSA' \(signer\.Platform\.NOTATION_OCI_SHA384_ECDSA\), the one ECR signs container images with, got 'AWSLambda-SHA384-ECDSA'$/);
    expect(platform(signer.Platform.NOTATION_OCI_SHA384_ECDSA)).not.toThrow();
  });
});

describe('repository filters', () => {
  test('fails if a filter is not a string', () => {
    expect(withFilters(42)).toThrow(/^rules\[0\]\.repositoryFilters\[0\] must be a string, got 42$/);
    expect(withFilters('octo-repo-*', null)).toThrow(/^rules\[0\]\.repositoryFilters\[1\] must be a string, got null$/);
    expect(withFilters('octo-repo-*', '42')).not.toThrow();
  });

  test('fails if repositoryFilters is not a list', () => {
    expect(withFilters(...([] as unknown[]))).toThrow(/^rules\[0\]\.repositoryFilters must list 1 to 100 repository filters, or be left out to sign every repository, got \[\]$/);
    expect(withProfile(stack => importedProfile(stack, 'octo_images'), 'octo-repo-*' as unknown as unknown[]))
      .toThrow(/^rules\[0\]\.repositoryFilters must list 1 to 100 repository filters, or be left out to sign every repository, got 'octo-repo-\*'$/);
  });

  test('a filter that is a token is not checked, and is rendered as given', () => {
    // GIVEN
    const stack = stackIn();
    const filter = new CfnParameter(stack, 'Filter').valueAsString;

    // WHEN
    configure(stack, [{ signingProfile: importedProfile(stack, 'octo_images'), repositoryFilters: [filter, 'octo-repo-*'] }]);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::SigningConfiguration', {
      Rules: [{ SigningProfileArn: {}, RepositoryFilters: [{ Filter: { Ref: 'Filter' }, FilterType: 'WILDCARD_MATCH' }, { Filter: 'octo-repo-*', FilterType: 'WILDCARD_MATCH' }] }],
    });
  });

  test('fails if a filter is empty; one character is enough', () => {
    const refused = /^rules\[0\]\.repositoryFilters\[0\] must be an ECR repository filter of 1 to 256 characters: lower-case letters, digits and '\*', separated by single '\.', '_', '-' or '\/', got ''$/;
    expect(withFilters('')).toThrow(refused);
    expect(withFilters('a')).not.toThrow();
    expect(withFilters('*')).not.toThrow();
  });

  test('fails if a filter is outside ECR\'s pattern: single separators between runs of letters, digits and \'*\', in every path segment', () => {
    const refused = (value: string) => new RegExp(`^rules\\[0\\]\\.repositoryFilters\\[0\\] must be an ECR repository filter of 1 to 256 characters: .*, got '${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'$`);
    for (const accepted of ['octo-org/octo-repo', 'team.one/sub_group/octo-repo-*', '*-org/*', 'a/b/c']) {
      expect(withFilters(accepted)).not.toThrow();
    }
    for (const value of ['octo-org//repo', '/octo-repo', 'octo-repo/', 'octo-/repo', 'octo/-repo', 'octo-.org/repo', 'octo org/repo', 'Octo/repo', 'octo/Repo']) {
      expect(withFilters(value)).toThrow(refused(value));
    }
  });
});

describe('one configuration per registry', () => {
  test('fails if a second configuration is created in the same stack, saying where to add the rules', () => {
    // GIVEN
    const stack = stackIn();
    configure(stack, [{ signingProfile: importedProfile(stack, 'octo_images') }]);

    // WHEN / THEN
    expect(() => configure(stack, [{ signingProfile: importedProfile(stack, 'team_b', 'Other') }], 'Again')).toThrow(new RegExp(
      '^EcrSigningConfiguration \'Stack/Again\' would be a second signing configuration for the registry of account 111122223333 in ap-northeast-1, which already has \'Stack/Signing\': '
      + 'a registry has exactly one \\(AWS::ECR::SigningConfiguration\\), and CloudFormation would replace one with the other; add the rules to \'Stack/Signing\'$'));
  });

  test('fails if a second configuration is created in a stack without a literal account and region, naming the stack as the registry', () => {
    const second = (env: StackProps['env']) => () => {
      const stack = stackWith(testApp(), 'Agnostic', env);
      configure(stack, [{ signingProfile: arnOnly(VALID_ARN) }]);
      return configure(stack, [{ signingProfile: arnOnly(VALID_ARN) }], 'Again');
    };
    const refused = /^EcrSigningConfiguration 'Agnostic\/Again' would be a second signing configuration for the registry of stack 'Agnostic', which already has 'Agnostic\/Signing': a registry has exactly one/;
    expect(second(undefined)).toThrow(refused);
    expect(second({ account: ACCOUNT })).toThrow(refused);
    expect(second({ region: REGION })).toThrow(refused);
  });

  test('configurations in stacks without a literal account and region are not compared: each may be another registry', () => {
    for (const env of [undefined, { account: ACCOUNT }, { region: REGION }]) {
      const app = testApp();
      configure(stackWith(app, 'First', env), [{ signingProfile: arnOnly(VALID_ARN) }]);
      expect(() => configure(stackWith(app, 'Second', env), [{ signingProfile: arnOnly(VALID_ARN) }])).not.toThrow();
    }
  });

  test('a configuration for another account in the same region is for another registry', () => {
    const app = testApp();
    configure(stackIn(app, 'First'), [{ signingProfile: arnOnly(VALID_ARN) }]);
    expect(() => configure(stackWith(app, 'Second', { account: OTHER_ACCOUNT, region: REGION }), [{ signingProfile: arnOnly(VALID_ARN) }])).not.toThrow();
    expect(() => configure(stackIn(app, 'Third'), [{ signingProfile: arnOnly(VALID_ARN) }]))
      .toThrow(/^EcrSigningConfiguration 'Third\/Signing' would be a second signing configuration for the registry of account 111122223333 in ap-northeast-1, which already has 'First\/Signing': /);
  });

  test('at synth, names every AWS::ECR::SigningConfiguration of its stack when there are several', () => {
    // GIVEN
    const stack = stackIn();
    const configuration = configure(stack, [{ signingProfile: arnOnly(VALID_ARN) }]);

    // WHEN
    new ecr.CfnSigningConfiguration(stack, 'Raw', { rules: [] });
    new ecr.CfnSigningConfiguration(stack, 'Raw2', { rules: [] });

    // THEN
    expect(configuration.node.validate()).toEqual([
      'EcrSigningConfiguration: stack \'Stack\' has 3 AWS::ECR::SigningConfiguration resources (\'Stack/Signing/Resource\' and \'Stack/Raw\' and \'Stack/Raw2\'), '
      + 'and a registry has exactly one; keep \'Stack/Signing\' and add the rules to it',
    ]);
  });

  test('at synth, a raw AWS::ECR::SigningConfiguration in a stack inside its stack, for another region, is not counted', () => {
    // GIVEN
    const stack = stackIn();
    const configuration = configure(stack, [{ signingProfile: arnOnly(VALID_ARN) }]);

    // WHEN
    const inner = new Stack(stack, 'Inner', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new ecr.CfnSigningConfiguration(inner, 'Raw', { rules: [] });

    // THEN
    expect(configuration.node.validate()).toEqual([]);
  });
});

describe('the pipeline\'s profile', () => {
  test('fails if the pipeline\'s signingProfile is not an object with a string signingProfileArn', () => {
    const refused = /^signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got /;
    expect(() => pipelineIn(stackIn(), null)).toThrow(/^signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got null$/);
    expect(() => pipelineIn(stackIn(), {})).toThrow(/^signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got an object$/);
    expect(() => pipelineIn(stackIn(), { signingProfileArn: 42 })).toThrow(/^signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\), got an object$/);
    expect(() => pipelineIn(stackIn(), Object.assign(() => VALID_ARN, { signingProfileArn: VALID_ARN }))).toThrow(refused);
    expect(() => pipelineIn(stackIn(), arnOnly(VALID_ARN))).not.toThrow();
  });
});

describe('whether the app\'s configuration signs the pipeline\'s repositories', () => {
  test('a rule with the pipeline\'s profile object is its rule, though its ARN is a reference that is not compared', () => {
    const stack = stackIn();
    const profile = definedProfile(stack);
    configure(stack, [{ signingProfile: profile, repositoryFilters: ['octo-repo-dev'] }]);
    expect(problems(pipelineIn(stack, profile))).toEqual([unsigned('Stack/Signing', 'octo-repo-prod', 'prod')]);
  });

  test('a rule with another profile object of the same literal ARN is the pipeline\'s rule', () => {
    const build = (filter: string) => {
      const stack = stackIn();
      configure(stack, [{ signingProfile: importedProfile(stack, 'octo_images', 'RuleProfile'), repositoryFilters: [filter] }]);
      return problems(pipelineIn(stack, importedProfile(stack, 'octo_images', 'PipelineProfile')));
    };
    expect(build('octo-repo-*')).toEqual([]);
    expect(build('octo-repo-prod')).toEqual([unsigned('Stack/Signing', 'octo-repo-dev', 'dev')]);
  });

  test('a rule with another literal ARN is not the pipeline\'s rule', () => {
    const stack = stackIn();
    configure(stack, [{ signingProfile: importedProfile(stack, 'team_b', 'RuleProfile') }]);
    expect(problems(pipelineIn(stack, importedProfile(stack, 'octo_images', 'PipelineProfile'), [{ name: 'dev', branches: ['dev'] }])))
      .toEqual([unsigned('Stack/Signing', 'octo-repo-dev', 'dev')]);
  });

  test('a repository is signed when any one filter of the rule matches it', () => {
    const stack = stackIn();
    const profile = importedProfile(stack, 'octo_images');
    configure(stack, [{ signingProfile: profile, repositoryFilters: ['octo-repo-dev', 'octo-repo-prod'] }]);
    expect(problems(pipelineIn(stack, profile))).toEqual([]);
  });

  test('a profile whose ARN references a resource is not compared with another profile: no error, since it could be the same profile', () => {
    const build = (ruleProfile: (stack: Stack) => signer.ISigningProfile, pipelineProfile: (stack: Stack) => signer.ISigningProfile) => {
      const stack = stackIn();
      configure(stack, [{ signingProfile: ruleProfile(stack), repositoryFilters: ['nothing-*'] }]);
      return problems(pipelineIn(stack, pipelineProfile(stack)));
    };
    const defined = (id: string) => (stack: Stack) => definedProfile(stack, id);
    const imported = (id: string) => (stack: Stack) => importedProfile(stack, 'octo_images', id);
    expect(build(defined('RuleProfile'), defined('PipelineProfile'))).toEqual([]);
    expect(build(defined('RuleProfile'), imported('PipelineProfile'))).toEqual([]);
    expect(build(imported('RuleProfile'), defined('PipelineProfile'))).toEqual([]);
    // the control: with both ARNs literal but for the partition, the rule is compared and does not match
    expect(build(imported('RuleProfile'), imported('PipelineProfile'))).toEqual([unsigned('Stack/Signing', 'octo-repo-dev', 'dev'), unsigned('Stack/Signing', 'octo-repo-prod', 'prod')]);
  });

  test('a profile whose ARN references a parameter or an import is not compared either', () => {
    const build = (ruleProfile: (stack: Stack) => signer.ISigningProfile, pipelineProfile: (stack: Stack) => signer.ISigningProfile) => {
      const stack = stackIn();
      configure(stack, [{ signingProfile: ruleProfile(stack) }]);
      return problems(pipelineIn(stack, pipelineProfile(stack), [{ name: 'dev', branches: ['dev'] }]));
    };
    const fromParameter = (id: string) => (stack: Stack) => importedProfile(stack, new CfnParameter(stack, id).valueAsString, `Profile${id}`);
    const fromImport = (name: string) => () => arnOnly(Fn.importValue(name));
    expect(build(fromParameter('RuleName'), fromParameter('PipelineName'))).toEqual([]);
    expect(build(fromImport('RuleArn'), fromImport('PipelineArn'))).toEqual([]);
    // an export whose name starts like a pseudo parameter's is still an import
    expect(build(fromImport('AWS::RuleArn'), fromImport('AWS::PipelineArn'))).toEqual([]);
    expect(build(stack => importedProfile(stack, 'team_b'), fromParameter('PipelineName'))).toEqual([]);
  });

  test('a rule whose filters include a token, or a repository whose name is a token, cannot be decided: no error', () => {
    const build = (filters: (stack: Stack) => string[], repository?: (stack: Stack) => ecr.IRepository) => {
      const stack = stackIn();
      const profile = importedProfile(stack, 'octo_images');
      configure(stack, [{ signingProfile: profile, repositoryFilters: filters(stack) }]);
      return problems(pipelineIn(stack, profile, [{ name: 'dev', branches: ['dev'], repository: repository?.(stack) }]));
    };
    const parameter = (stack: Stack) => new CfnParameter(stack, 'Filter').valueAsString;
    const tokenNamed = (stack: Stack) => ecr.Repository.fromRepositoryName(stack, 'Existing', Fn.importValue('RepositoryName'));
    expect(build(stack => [parameter(stack)])).toEqual([]);
    expect(build(stack => ['nothing-*', parameter(stack)])).toEqual([]);
    expect(build(() => ['nothing-*'], tokenNamed)).toEqual([]);
    // the control: literal filters that do not match a literal name
    expect(build(() => ['nothing-*'])).toEqual([unsigned('Stack/Signing', 'octo-repo-dev', 'dev')]);
  });

  test('a configuration in another stack of the same account and region checks the pipeline; one for another region or account does not', () => {
    const build = (env: StackProps['env']) => {
      const app = testApp();
      const other = stackWith(app, 'Registry', env);
      configure(other, [{ signingProfile: arnOnly(VALID_ARN), repositoryFilters: ['nothing-*'] }]);
      return problems(pipelineIn(stackIn(app, 'Pipeline'), arnOnly(VALID_ARN), [{ name: 'dev', branches: ['dev'] }]));
    };
    expect(build(ENV)).toEqual([unsigned('Registry/Signing', 'octo-repo-dev', 'dev')]);
    expect(build({ account: ACCOUNT, region: 'eu-west-1' })).toEqual([]);
    expect(build({ account: OTHER_ACCOUNT, region: REGION })).toEqual([]);
  });

  test('a configuration in a stack without a literal account and region checks only a pipeline in that same stack', () => {
    for (const env of [undefined, { account: ACCOUNT }, { region: REGION }]) {
      const app = testApp();
      const stack = stackWith(app, 'Registry', env);
      configure(stack, [{ signingProfile: arnOnly(VALID_ARN), repositoryFilters: ['nothing-*'] }]);
      expect(problems(pipelineIn(stack, arnOnly(VALID_ARN), [{ name: 'dev', branches: ['dev'] }]))).toEqual([unsigned('Registry/Signing', 'octo-repo-dev', 'dev')]);
      const other = stackWith(app, 'Other', env);
      const provider = GithubActionsOidcProvider.fromAccount(other, 'GithubProvider');
      expect(problems(pipelineIn(other, arnOnly(VALID_ARN), [{ name: 'dev', branches: ['dev'] }], { provider }))).toEqual([]);
    }
  });

  test('a pipeline without signingProfile is not checked against the configuration', () => {
    const stack = stackIn();
    configure(stack, [{ signingProfile: arnOnly(VALID_ARN), repositoryFilters: ['nothing-*'] }]);
    expect(problems(pipelineIn(stack, undefined))).toEqual([]);
  });
});
