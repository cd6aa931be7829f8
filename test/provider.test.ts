import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GithubActionsOidcProvider, GithubIssuer, GithubOidcEcrPipeline } from '../src';
import { ACCOUNT, VALIDATION_CONTEXT, newStack, pipelineProps, synthPipeline } from './support/stack';

/*
 * The GitHub Actions OIDC provider: the one a stack's pipelines share for each issuer, one per
 * account, imported with fromAccount, and a provider passed in, which must match.
 */

const ISSUERS: Array<[string, () => GithubIssuer, string]> = [
  ['github.com', () => GithubIssuer.githubCom(), 'token.actions.githubusercontent.com'],
  ['GitHub Enterprise Server', () => GithubIssuer.enterpriseServer('github.example.com'), 'github.example.com/_services/token'],
  ['GitHub Enterprise Cloud', () => GithubIssuer.enterpriseCloud('octo-enterprise'), 'token.actions.githubusercontent.com/octo-enterprise'],
];

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

  test('fails if another stack of the account holds the user\'s own GithubActionsOidcProvider for the issuer', () => {
    // GIVEN the user's provider in one stack, not made by a pipeline
    const app = new App({ context: VALIDATION_CONTEXT });
    const shared = new Stack(app, 'Shared', { env: { account: '111122223333', region: 'us-east-1' } });
    const service = new Stack(app, 'Service', { env: { account: '111122223333', region: 'us-east-1' } });
    new GithubActionsOidcProvider(shared, 'Mine');
    // WHEN / THEN a pipeline of the same account that would create its own is refused
    expect(() => new GithubOidcEcrPipeline(service, 'Pipeline', pipelineProps()))
      .toThrow(/^provider was not given in stack 'Service', but stack 'Shared' already creates the GitHub Actions provider in account 111122223333 for https:\/\/token\.actions\.githubusercontent\.com/);
    // and one of another account is not
    const other = new Stack(app, 'Other', { env: { account: '444455556666', region: 'us-east-1' } });
    expect(() => new GithubOidcEcrPipeline(other, 'Pipeline', pipelineProps())).not.toThrow();
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
  const ghes = () => GithubIssuer.enterpriseServer('github.example.com');

  test('fails if fromAccount imports github.com\'s provider for an Enterprise Server issuer; the issuer\'s own import is accepted', () => {
    expect(build({}, stack => GithubActionsOidcProvider.fromAccount(stack, 'P'), ghes()))
      .toThrow(/^provider must be the provider for the pipeline's issuer 'https:\/\/github\.example\.com\/_services\/token': STS would set only token\.actions\.githubusercontent\.com's condition keys/);
    expect(build({}, stack => GithubActionsOidcProvider.fromAccount(stack, 'P', ghes()), ghes())).not.toThrow();
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

describe('the singleton lives in the construct tree', () => {
  test('a second app of the same account creates its own provider; a second stack of the same app does not', () => {
    // GIVEN two apps, each with a stack in one account
    const env = { account: ACCOUNT, region: 'eu-west-1' };
    const first = new App({ context: VALIDATION_CONTEXT });
    const second = new App({ context: VALIDATION_CONTEXT });
    new GithubOidcEcrPipeline(new Stack(first, 'A', { env }), 'Pipeline', pipelineProps());
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(new Stack(second, 'A', { env }), 'Pipeline', pipelineProps())).not.toThrow();
    expect(() => new GithubOidcEcrPipeline(new Stack(first, 'B', { env }), 'Pipeline', pipelineProps({ repositoryPrefix: 'b' })))
      .toThrow(/stack 'A' already creates the GitHub Actions provider in account 111122223333/);
  });
});

describe('issuers', () => {
  test.each(ISSUERS)('%s: fromAccount imports the provider at the issuer\'s ARN', (_kind, issuer, prefix) => {
    // GIVEN
    const stack = newStack({ env: { account: ACCOUNT, region: 'eu-west-1' } });
    // WHEN
    const provider = GithubActionsOidcProvider.fromAccount(stack, 'Provider', issuer());
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ issuer: issuer(), provider }));
    // THEN
    expect(stack.resolve(provider.oidcProviderArn)).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/${prefix}`);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${prefix}` } })] },
    });
  });

  test('the github.com provider keeps its construct id, so its logical id is stable', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ issuer: GithubIssuer.githubCom() }));
    // THEN
    expect((pipeline.provider as GithubActionsOidcProvider).node.path).toBe('TestStack/GithubActionsOidcProvider');
  });

  test('pipelines of one stack share one provider per issuer', () => {
    // GIVEN
    const stack = newStack();
    const ghes = GithubIssuer.enterpriseServer('github.example.com');
    // WHEN
    const a = new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ githubRepository: 'o/a' }));
    const b = new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ githubRepository: 'o/b', issuer: ghes }));
    const c = new GithubOidcEcrPipeline(stack, 'C', pipelineProps({ githubRepository: 'o/c', issuer: GithubIssuer.enterpriseServer('github.example.com') }));
    const d = new GithubOidcEcrPipeline(stack, 'D', pipelineProps({ githubRepository: 'o/d', issuer: GithubIssuer.enterpriseCloud('octo') }));
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 3);
    expect(b.provider).toBe(c.provider);
    expect(new Set([a.provider, b.provider, d.provider]).size).toBe(3);
    expect((b.provider as GithubActionsOidcProvider).node.id).toBe('GithubEnterpriseServerOidcProviderGithubExampleCom');
    expect((d.provider as GithubActionsOidcProvider).node.id).toBe('GithubEnterpriseCloudOidcProviderOcto');
  });

  test('two stacks in one account may each create the provider of a different issuer', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const env = { account: ACCOUNT, region: 'eu-west-1' };
    new GithubOidcEcrPipeline(new Stack(app, 'First', { env }), 'Pipeline', pipelineProps());
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(new Stack(app, 'Second', { env }), 'Pipeline', pipelineProps({ issuer: GithubIssuer.enterpriseCloud('octo') })))
      .not.toThrow();
    expect(() => new GithubOidcEcrPipeline(new Stack(app, 'Third', { env }), 'Pipeline', pipelineProps({ issuer: GithubIssuer.enterpriseCloud('octo') })))
      .toThrow(/stack 'Second' already creates the GitHub Actions provider in account 111122223333 for https:\/\/token.actions.githubusercontent.com\/octo.*fromAccount\(this, 'GithubProvider', issuer\)/);
  });

  test('fails if the provider given is for another issuer', () => {
    // GIVEN
    const stack = newStack();
    const provider = new GithubActionsOidcProvider(stack, 'Ghes', { issuer: GithubIssuer.enterpriseServer('github.example.com') });
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ provider })))
      .toThrow(/^provider must be a provider for the pipeline's issuer 'https:\/\/token.actions.githubusercontent.com'.*got 'https:\/\/github.example.com\/_services\/token'/);
    expect(() => new GithubOidcEcrPipeline(stack, 'Ok', pipelineProps({ provider, issuer: GithubIssuer.enterpriseServer('github.example.com') }))).not.toThrow();
  });

  test('a standalone provider follows its issuer', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new GithubActionsOidcProvider(stack, 'Provider', { issuer: GithubIssuer.enterpriseCloud('octo') });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com/octo' });
  });
});
