import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GithubActionsOidcProvider, GithubIssuer, GithubOidcEcrPipeline, GithubSubject } from '../src';
import { VALIDATION_CONTEXT, newStack, pipelineProps, synthPipeline } from './support/stack';

describe('structure', () => {
  test.each([1, 2, 5])('has 1 + 2 x N resources for N = %i environments', (n) => {
    // GIVEN
    const environments = Array.from({ length: n }, (_, i) => ({ name: `env${i}`, branches: [`branch-${i}`] }));
    // WHEN
    const { template } = synthPipeline({ environments });
    // THEN
    const resources = Object.values(template.toJSON().Resources);
    expect(resources).toHaveLength(1 + 2 * n);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.resourceCountIs('AWS::IAM::Role', n);
    template.resourceCountIs('AWS::ECR::Repository', n);
  });

  test('has no Lambda, custom resource, managed policy or separate policy', () => {
    // WHEN
    const { template } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }] });
    // THEN
    const types = Object.values<any>(template.toJSON().Resources).map(r => r.Type);
    expect(types.filter(t => /Lambda|Custom|CustomResource|IAM::Policy|ManagedPolicy/.test(t))).toEqual([]);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  test('roles and repositories are named after the environment, under stable construct ids', () => {
    // WHEN
    const { stack, pipeline } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'my-prod', branches: ['main'] }] });
    // THEN
    const ids = (c: any) => stack.getLogicalId(c.node.defaultChild);
    expect(pipeline.environment('dev').node.path).toBe('TestStack/Pipeline/Dev');
    expect(pipeline.environment('my-prod').node.path).toBe('TestStack/Pipeline/MyProd');
    expect(ids(pipeline.environment('dev').role)).toMatch(/^PipelineDevRole[0-9A-F]{8}$/);
    expect(ids(pipeline.environment('my-prod').repository)).toMatch(/^PipelineMyProdRepository[0-9A-F]{8}$/);
  });

  test('the role depends on its repository and nothing depends back (no cycle)', () => {
    // WHEN
    const { template } = synthPipeline();
    // THEN
    const resources = template.toJSON().Resources;
    const [repoId] = Object.keys(template.findResources('AWS::ECR::Repository'));
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role'));
    expect(JSON.stringify(resources[roleId])).toContain(repoId);
    expect(JSON.stringify(resources[repoId])).not.toContain(roleId);
  });
});

describe('props', () => {
  test('repository sets the owner and repository in every subject', () => {
    // WHEN
    const { template } = synthPipeline({ githubRepository: 'shamimice03/push-image-to-ecr' });
    // THEN
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: { StringEquals: Match.objectLike({ 'token.actions.githubusercontent.com:sub': 'repo:shamimice03/push-image-to-ecr:ref:refs/heads/dev' }) },
        })],
      },
    });
  });

  test('environments make one role and one repository each, in order', () => {
    // WHEN
    const { pipeline } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }] });
    // THEN
    expect(pipeline.environments.map(e => e.name)).toEqual(['dev', 'prod']);
    expect(pipeline.environment('prod').subjects.map(s => s.toString())).toEqual(['branch main']);
  });

  test('repositoryPrefix names the repositories', () => {
    // WHEN
    const { template } = synthPipeline({
      repositoryPrefix: 'cloudterms',
      environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }],
    });
    // THEN
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'cloudterms-dev' });
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'cloudterms-prod' });
  });

  test('without repositoryPrefix, repositories are named after the GitHub repository in lower case', () => {
    // WHEN
    const { template } = synthPipeline({ githubRepository: 'Octo-Org/My.Service' });
    // THEN
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'my.service-dev' });
  });

  test('outputs are on by default: role ARN and repository URI for each environment, naming the GitHub variables', () => {
    // WHEN
    const { template } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }] });
    // THEN
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs)).toHaveLength(4);
    template.hasOutput('*', { Description: Match.stringLikeRegexp('AWS_ROLE_ARN_PROD'), Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineProdRole'), 'Arn'] } });
    template.hasOutput('*', { Description: Match.stringLikeRegexp('ECR_REPOSITORY_DEV') });
  });

  test('hyphenated environment names make GitHub variable names with underscores, in the outputs and the workflow', () => {
    // WHEN
    const { pipeline, template } = synthPipeline({ environments: [{ name: 'pre-prod', branches: ['main'] }, { name: 'eu-west_dev', branches: ['dev'] }] }, { env: { region: 'eu-west-1' } });
    // THEN
    expect(pipeline.environment('pre-prod').roleArnVariable).toBe('AWS_ROLE_ARN_PRE_PROD');
    expect(pipeline.environment('pre-prod').repositoryVariable).toBe('ECR_REPOSITORY_PRE_PROD');
    expect(pipeline.environment('eu-west_dev').roleArnVariable).toBe('AWS_ROLE_ARN_EU_WEST_DEV');
    template.hasOutput('*', { Description: Match.stringLikeRegexp('variable AWS_ROLE_ARN_PRE_PROD$') });
    template.hasOutput('*', { Description: Match.stringLikeRegexp('variable ECR_REPOSITORY_EU_WEST_DEV$') });
    expect(pipeline.renderWorkflow()).toContain('${{ vars.AWS_ROLE_ARN_PRE_PROD }}');
  });

  test('outputs: false adds no outputs', () => {
    // WHEN
    const { template } = synthPipeline({ outputs: false });
    // THEN
    expect(template.toJSON().Outputs).toBeUndefined();
  });
});

describe('provider', () => {
  test('by default the stack gets one retained GitHub Actions provider with the sts audience', () => {
    // WHEN
    const { template } = synthPipeline();
    // THEN
    template.hasResource('AWS::IAM::OIDCProvider', {
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: { Ref: Match.stringLikeRegexp('^GithubActionsOidcProvider') } } })] },
    });
  });

  test('two pipelines in one stack share one provider', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const a = new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ githubRepository: 'octo-org/a' }));
    const b = new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ githubRepository: 'octo-org/b', repositoryPrefix: 'b' }));
    // THEN
    expect(a.provider).toBe(b.provider);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });

  test('an imported provider creates no provider resource and is trusted by ARN', () => {
    // GIVEN
    const stack = newStack({ env: { account: '111122223333', region: 'eu-west-1' } });
    // WHEN
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ provider: GithubActionsOidcProvider.fromAccount(stack, 'Provider') }));
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          // The region is a literal, so the partition is too.
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
        })],
      },
    });
  });

  test('a provider passed in is used as it is', () => {
    // GIVEN
    const stack = newStack();
    const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'P', 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com');
    // WHEN
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ provider }));
    // THEN
    expect(pipeline.provider).toBe(provider);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' } })] },
    });
  });

  test('fails if the stack holds another construct under the provider id', () => {
    // GIVEN
    const stack = newStack();
    new iam.Role(stack, 'GithubActionsOidcProvider', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps())).toThrow(/provider was not given.*'GithubActionsOidcProvider'.*pass provider explicitly/);
  });
});

describe('environment lookup', () => {
  test('environment(name) returns the environment', () => {
    const { pipeline } = synthPipeline();
    expect(pipeline.environment('dev').name).toBe('dev');
  });

  test('fails if environment(name) names no environment, and lists the names', () => {
    const { pipeline } = synthPipeline();
    expect(() => pipeline.environment('prod')).toThrow(/no environment named 'prod'; the environments are 'dev'/);
  });
});

describe('built-in CloudFormation validation', () => {
  test('the app synthesizes with findings as errors and reports none', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const stack = new Stack(app, 'Validated', { env: { account: '111122223333', region: 'us-east-1' } });
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      environments: [
        { name: 'dev', branches: ['dev'], pullAccounts: ['444455556666'] },
        { name: 'prod', subjects: [GithubSubject.branch('main'), GithubSubject.tagPattern('v*')] },
      ],
    }));
    // WHEN
    const assembly = app.synth();
    // THEN
    const report = fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8');
    const violations = JSON.parse(report).pluginReports.flatMap((p: any) => p.violations ?? []);
    expect(violations).toEqual([]);
  });
});

describe('provider across stacks', () => {
  test('fails if two stacks of one app create a provider in the same concrete account, and names both', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const first = new Stack(app, 'First', { env: { account: '111122223333', region: 'us-east-1' } });
    const second = new Stack(app, 'Second', { env: { account: '111122223333', region: 'eu-west-1' } });
    new GithubOidcEcrPipeline(first, 'Pipeline', pipelineProps());
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(second, 'Pipeline', pipelineProps({ repositoryPrefix: 'second' })))
      .toThrow(/provider was not given in stack 'Second', but stack 'First' already creates the GitHub Actions provider in account 111122223333.*GithubActionsOidcProvider\.fromAccount/);
  });

  test('stacks in different accounts, or importing the provider, each work', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const a = new Stack(app, 'A', { env: { account: '111122223333', region: 'us-east-1' } });
    const b = new Stack(app, 'B', { env: { account: '444455556666', region: 'us-east-1' } });
    const c = new Stack(app, 'C', { env: { account: '111122223333', region: 'eu-west-1' } });
    // WHEN
    new GithubOidcEcrPipeline(a, 'Pipeline', pipelineProps());
    new GithubOidcEcrPipeline(b, 'Pipeline', pipelineProps());
    new GithubOidcEcrPipeline(c, 'Pipeline', pipelineProps({ provider: GithubActionsOidcProvider.fromAccount(c, 'Provider') }));
    // THEN
    expect(Template.fromStack(a).findResources('AWS::IAM::OIDCProvider')).not.toEqual({});
    expect(Template.fromStack(b).findResources('AWS::IAM::OIDCProvider')).not.toEqual({});
    Template.fromStack(c).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  test('environment-agnostic stacks are not compared, since their account is unknown', () => {
    const app = new App({ context: VALIDATION_CONTEXT });
    new GithubOidcEcrPipeline(new Stack(app, 'X'), 'Pipeline', pipelineProps());
    expect(() => new GithubOidcEcrPipeline(new Stack(app, 'Y'), 'Pipeline', pipelineProps())).not.toThrow();
  });
});

describe('rules across the pipelines of a stack and of a multi-stack workflow', () => {
  test('fails if two pipelines of one stack get the same ECR repository name, naming both; distinct names are accepted', () => {
    // GIVEN
    const stack = newStack();
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'] }] }));
    // WHEN / THEN: the same GitHub repository gives the same default name
    expect(() => new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ environments: [{ name: 'dev', branches: ['other'] }] })))
      .toThrow(/^environments\[0\]\.repository must differ from the repository of every pipeline in the stack; environments\[0\]\.repository of pipeline 'TestStack\/A' uses the same one, got 'octo-repo-dev'/);
    expect(() => new GithubOidcEcrPipeline(stack, 'C', pipelineProps({ repositoryPrefix: 'c', environments: [{ name: 'dev', branches: ['other'] }] }))).not.toThrow();
  });

  test('fails if two pipelines of one stack share an existing repository', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Existing', 'shared-images');
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], repository }] }));
    expect(() => new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ environments: [{ name: 'prod', branches: ['main'], repository }] })))
      .toThrow(/^environments\[0\]\.repository must differ from the repository of every pipeline in the stack; environments\[0\]\.repository of pipeline 'TestStack\/A'/);
  });

  test('fails if two pipelines of one stack trust the same run, exactly or by overlapping patterns', () => {
    // GIVEN
    const stack = newStack();
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ environments: [{ name: 'dev', subjects: [GithubSubject.branch('main'), GithubSubject.branchPattern('release/*')] }] }));
    const second = (subject: GithubSubject, id: string) => () => new GithubOidcEcrPipeline(stack, id, pipelineProps({ repositoryPrefix: id.toLowerCase(), environments: [{ name: 'prod', subjects: [subject] }] }));
    // WHEN / THEN
    expect(second(GithubSubject.branch('main'), 'B')).toThrow(/^environments\[0\] subject 0 overlaps branch main of environments\[0\] subject 0 of pipeline 'TestStack\/A' in the same stack: both roles would admit 'repo:octo-org\/octo-repo:ref:refs\/heads\/main'/);
    expect(second(GithubSubject.branchPattern('release/prod*'), 'C')).toThrow(/^environments\[0\] subject 0 overlaps branch pattern release\/\* of environments\[0\] subject 1 .*a sub matching both/);
    expect(second(GithubSubject.branch('release/1'), 'D')).toThrow(/overlaps branch pattern release\/\*/);
    // Just outside: another branch, or the same branch of another GitHub repository.
    expect(second(GithubSubject.branch('mainline'), 'E')).not.toThrow();
    expect(() => new GithubOidcEcrPipeline(stack, 'F', pipelineProps({ githubRepository: 'octo-org/other', environments: [{ name: 'dev', branches: ['main'] }] }))).not.toThrow();
  });

  test('fails if renderMultiStackWorkflow combines pipelines of two stacks that trust the same run', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const dev = new GithubOidcEcrPipeline(new Stack(app, 'Dev', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Pipeline',
      pipelineProps({ environments: [{ name: 'dev', subjects: [GithubSubject.branchPattern('release/*')] }] }));
    const prod = new GithubOidcEcrPipeline(new Stack(app, 'Prod', { env: { account: '222222222222', region: 'eu-west-1' } }), 'Pipeline',
      pipelineProps({ environments: [{ name: 'prod', branches: ['release/1'] }] }));
    const staging = new GithubOidcEcrPipeline(new Stack(app, 'Staging', { env: { account: '333333333333', region: 'eu-west-1' } }), 'Pipeline',
      pipelineProps({ environments: [{ name: 'staging', branches: ['staging'] }] }));
    // WHEN / THEN
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod]))
      .toThrow(/^pipelines\[1\]\.environments\[0\] subject 0 overlaps branch pattern release\/\* of pipelines\[0\]\.environments\[0\] subject 0 \(Dev\/Pipeline\): both roles would admit 'repo:octo-org\/octo-repo:ref:refs\/heads\/release\/1'/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, staging])).not.toThrow();
  });
});

describe('a second provider for the same URL', () => {
  const URL = 'https://token.actions.githubusercontent.com';

  test('fails if the stack already has the user\'s own provider for the URL, naming it', () => {
    // GIVEN
    const stack = newStack();
    new iam.OidcProviderNative(stack, 'Mine', { url: URL, clientIds: ['sts.amazonaws.com'] });
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps()))
      .toThrow(/^provider was not given, so the pipeline would create a GitHub Actions provider for https:\/\/token\.actions\.githubusercontent\.com in stack 'TestStack', but the stack already has one for that URL at 'TestStack\/Mine\/Resource'.*pass that one as provider/);
  });

  test('fails at synth if the user adds a provider for the URL after the pipeline, naming both', () => {
    // GIVEN
    const stack = newStack();
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps());
    new iam.OidcProviderNative(stack, 'Mine', { url: `${URL}/`, clientIds: ['sts.amazonaws.com'] });
    // WHEN / THEN
    expect(() => Template.fromStack(stack))
      .toThrow(/provider: stack 'TestStack' has 2 IAM OIDC providers for https:\/\/token\.actions\.githubusercontent\.com \('TestStack\/GithubActionsOidcProvider\/Resource' and 'TestStack\/Mine\/Resource'\)/);
  });

  test('a provider for another URL beside the pipeline\'s, or the user\'s own passed as provider, is accepted', () => {
    const stack = newStack();
    new iam.OidcProviderNative(stack, 'Other', { url: 'https://example.com/oidc', clientIds: ['sts.amazonaws.com'] });
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps());
    expect(() => Template.fromStack(stack)).not.toThrow();

    const own = newStack();
    const provider = new iam.OidcProviderNative(own, 'Mine', { url: URL, clientIds: ['sts.amazonaws.com'] });
    new GithubOidcEcrPipeline(own, 'Pipeline', pipelineProps({ provider }));
    Template.fromStack(own).resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });
});

describe('a provider passed in must match the issuer, account and partition', () => {
  const ACCOUNT_STACK = { env: { account: '111122223333', region: 'eu-west-1' } };
  const build = (stackProps: any, make: (stack: Stack) => iam.IOidcProvider, issuer?: GithubIssuer) => () => {
    const stack = newStack(stackProps);
    return new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ provider: make(stack), issuer }));
  };
  const arn = (value: string) => (stack: Stack) => iam.OidcProviderNative.fromOidcProviderArn(stack, 'P', value);
  const GHES = GithubIssuer.enterpriseServer('github.example.com');

  test('fails if fromAccount imports github.com\'s provider for an Enterprise Server issuer; the issuer\'s own import is accepted', () => {
    expect(build({}, stack => GithubActionsOidcProvider.fromAccount(stack, 'P'), GHES))
      .toThrow(/^provider must be the provider for the pipeline's issuer 'https:\/\/github\.example\.com\/_services\/token': STS would set only token\.actions\.githubusercontent\.com's condition keys/);
    expect(build({}, stack => GithubActionsOidcProvider.fromAccount(stack, 'P', GHES), GHES)).not.toThrow();
  });

  test('fails if a literal ARN names another URL, another account or another partition', () => {
    expect(build(ACCOUNT_STACK, arn('arn:aws:iam::111122223333:oidc-provider/example.com/oidc'))).toThrow(/^provider must be the provider for the pipeline's issuer 'https:\/\/token\.actions\.githubusercontent\.com'.*got 'arn:aws:iam::111122223333:oidc-provider\/example\.com\/oidc'/);
    expect(build(ACCOUNT_STACK, arn('arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com'))).toThrow(/^provider must be in the stack's account 111122223333: a role can trust only an OIDC provider of its own account/);
    expect(build({ env: { account: '111122223333', region: 'cn-north-1' } }, arn('arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com'))).toThrow(/^provider must be in the stack's partition aws-cn/);
    // Just inside: the same URL, account and partition; an environment-agnostic stack compares only the URL.
    expect(build(ACCOUNT_STACK, arn('arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com'))).not.toThrow();
    expect(build({}, arn('arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com'))).not.toThrow();
  });

  test('fails if the user\'s own provider passed in has another URL', () => {
    expect(build({}, stack => new iam.OidcProviderNative(stack, 'Mine', { url: 'https://example.com/oidc', clientIds: ['sts.amazonaws.com'] })))
      .toThrow(/^provider must be a provider for the pipeline's issuer 'https:\/\/token\.actions\.githubusercontent\.com'.*got 'https:\/\/example\.com\/oidc'/);
  });
});

describe('test hygiene', () => {
  test('an App without outdir synthesizes into this test file\'s temporary directory, which is removed after it', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    new GithubOidcEcrPipeline(new Stack(app, 'Hygiene'), 'Pipeline', pipelineProps());
    // WHEN
    const assembly = app.synth();
    // THEN
    expect(path.basename(path.dirname(assembly.directory))).toMatch(/^cdk-github-oidc-ecr-test-/);
    expect(path.basename(assembly.directory)).toMatch(/^cdk\.out/);
  });
});
