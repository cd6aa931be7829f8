import { App, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
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

  test('fails if the stack holds a provider for another issuer under the github.com provider id', () => {
    // GIVEN a GitHub Enterprise Server provider where the pipelines look for github.com's
    const stack = newStack();
    new GithubActionsOidcProvider(stack, 'GithubActionsOidcProvider', { issuer: GithubIssuer.enterpriseServer('github.example.com') });
    // WHEN / THEN a github.com pipeline does not trust it
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps()))
      .toThrow(/^provider was not given, and the stack already has a construct 'GithubActionsOidcProvider' that is not a GithubActionsOidcProvider for https:\/\/token\.actions\.githubusercontent\.com/);
  });

  test('fails if fromAccount is given an issuer that is not a GithubIssuer', () => {
    const stack = newStack();
    expect(() => GithubActionsOidcProvider.fromAccount(stack, 'P', 'github.example.com' as any))
      .toThrow(/^fromAccount\(issuer\) must be a GithubIssuer or left out, got 'github\.example\.com'/);
  });

  test('fails if the provider\'s props are null or its issuer is not a GithubIssuer', () => {
    const stack = newStack();
    expect(() => new GithubActionsOidcProvider(stack, 'A', null as any)).toThrow(/^props must be an object, not null/);
    expect(() => new GithubActionsOidcProvider(stack, 'B', { issuer: 'github.example.com' as any }))
      .toThrow(/^issuer must be a GithubIssuer or left out, got 'github\.example\.com'/);
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
      .toThrow(/provider was not given in stack 'Second', but stack 'First' already creates the GitHub Actions provider in account 111122223333.*pass provider: GithubActionsOidcProvider\.fromAccount\(this, 'GithubProvider'\), and deploy 'First' first/);
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

  test('fails if the stack already has the user\'s own provider for the URL with trailing slashes', () => {
    // GIVEN the URL as IAM compares it, with two trailing slashes
    const stack = newStack();
    new iam.OidcProviderNative(stack, 'Mine', { url: `${URL}//`, clientIds: ['sts.amazonaws.com'] });
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps()))
      .toThrow(/^provider was not given, so the pipeline would create a GitHub Actions provider for https:\/\/token\.actions\.githubusercontent\.com in stack 'TestStack', but the stack already has one for that URL at 'TestStack\/Mine\/Resource'/);
  });

  test('a provider for the URL in a stack defined inside the pipeline\'s stack, for another account, is not the stack\'s own', () => {
    // GIVEN a child stack of another account, in the construct tree under the pipeline's stack
    const app = new App({ context: VALIDATION_CONTEXT });
    const parent = new Stack(app, 'Parent', { env: { account: '111122223333', region: 'us-east-1' } });
    const child = new Stack(parent, 'Child', { env: { account: '444455556666', region: 'us-east-1' } });
    new iam.OidcProviderNative(child, 'Theirs', { url: URL, clientIds: ['sts.amazonaws.com'] });
    // WHEN
    new GithubOidcEcrPipeline(parent, 'Pipeline', pipelineProps());
    // THEN the parent creates its own, and its synth does not count the child's
    const template = Template.fromStack(parent);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
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

  test('fails if a literal ARN is not an IAM OIDC provider ARN, even one stray character off', () => {
    // GIVEN providers from plain JavaScript, since fromOidcProviderArn refuses some of these itself
    const raw = (value: string) => (stack: Stack) => Object.assign(new Construct(stack, 'P'), { oidcProviderArn: value }) as unknown as iam.IOidcProvider;
    const GOOD = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
    expect(build(ACCOUNT_STACK, raw(GOOD))).not.toThrow();
    expect(build(ACCOUNT_STACK, raw('arn:aws:iam::111122223333:role/token.actions.githubusercontent.com')))
      .toThrow(/^provider must have an IAM OIDC provider ARN, arn:PARTITION:iam::ACCOUNT:oidc-provider\/URL, got 'arn:aws:iam::111122223333:role\//);
    // Pasted with a leading space or a trailing newline: IAM knows no such ARN.
    expect(build(ACCOUNT_STACK, raw(` ${GOOD}`))).toThrow(/^provider must have an IAM OIDC provider ARN/);
    expect(build(ACCOUNT_STACK, raw(`${GOOD}\n`))).toThrow(/^provider must have an IAM OIDC provider ARN/);
  });

  test('a token ARN is read from its literal \'arn:\' on: a token before it leaves the ARN unread, a literal URL after a token account is compared', () => {
    // GIVEN ARNs built from tokens, as an imported or cross-stack ARN is
    const raw = (value: string) => (stack: Stack) => Object.assign(new Construct(stack, 'P'), { oidcProviderArn: value }) as unknown as iam.IOidcProvider;
    const tokenPrefixed = (stack: Stack) => raw(`${Fn.importValue('ArnPrefix')}arn:aws:iam::444455556666:oidc-provider/example.com`)(stack);
    const tokenAccount = (url: string) => (stack: Stack) => raw(`arn:aws:iam::${Fn.importValue('Account')}:oidc-provider/${url}`)(stack);
    // WHEN / THEN whatever precedes the token is unknown, so what follows it is not read as the ARN
    expect(build(ACCOUNT_STACK, tokenPrefixed)).not.toThrow();
    // the URL after a token account is literal, and compared to its end, a newline included
    expect(build(ACCOUNT_STACK, tokenAccount('token.actions.githubusercontent.com'))).not.toThrow();
    expect(build(ACCOUNT_STACK, tokenAccount('example.com'))).toThrow(/^provider must be the provider for the pipeline's issuer .*STS would set only example\.com's condition keys/);
    expect(build(ACCOUNT_STACK, tokenAccount('token.actions.githubusercontent.com\nx'))).toThrow(/^provider must be the provider for the pipeline's issuer .*STS would set only token\.actions\.githubusercontent\.com\nx's condition keys/);
  });

  test('fails if a provider passed in has an ARN that is not a string', () => {
    // GIVEN a provider from plain JavaScript whose ARN is a number
    const make = (stack: Stack) => Object.assign(new Construct(stack, 'P'), { oidcProviderArn: 42 }) as unknown as iam.IOidcProvider;
    // WHEN / THEN
    expect(build(ACCOUNT_STACK, make)).toThrow(/^provider\.oidcProviderArn must be a string, got 42/);
  });

  test('a provider passed in whose resource has no URL is compared by its ARN only', () => {
    // GIVEN the user's own wrapper of an AWS::IAM::OIDCProvider whose Url is left out
    const make = (stack: Stack) => {
      const wrapper = new Construct(stack, 'Wrapper');
      const cfn = new iam.CfnOIDCProvider(wrapper, 'Resource', { clientIdList: ['sts.amazonaws.com'] });
      return Object.assign(wrapper, { oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com', cfn }) as unknown as iam.IOidcProvider;
    };
    // WHEN
    const pipeline = build(ACCOUNT_STACK, make)();
    // THEN it is accepted, and the stack's provider check at synth skips it too
    expect(() => Template.fromStack(Stack.of(pipeline))).not.toThrow();
  });

  test('fails if the user\'s own provider passed in has a lookalike URL that matches the issuer\'s only when upper-cased', () => {
    // GIVEN a long s (U+017F), which upper-cases to S but lower-cases to itself: another URL for IAM
    const lookalike = 'https://token.actions.githubu\u017Fercontent.com';
    // WHEN / THEN
    expect(build({}, stack => new iam.OidcProviderNative(stack, 'Mine', { url: lookalike, clientIds: ['sts.amazonaws.com'] })))
      .toThrow(/^provider must be a provider for the pipeline's issuer 'https:\/\/token\.actions\.githubusercontent\.com'/);
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
