import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newStack, pipelineProps, TEST_CONTEXT } from './util';
import { GithubActionsOidcProvider, GithubIssuer, GithubOidcEcrPipeline, GithubSubject } from '../src';

const ACCOUNT = '111122223333';

/** Each issuer kind: the issuer, its URL and the prefix of its condition keys. */
const ISSUERS: Array<[string, () => GithubIssuer, string]> = [
  ['github.com', () => GithubIssuer.githubCom(), 'token.actions.githubusercontent.com'],
  ['GitHub Enterprise Server', () => GithubIssuer.enterpriseServer('github.example.com'), 'github.example.com/_services/token'],
  ['GitHub Enterprise Cloud', () => GithubIssuer.enterpriseCloud('octo-enterprise'), 'token.actions.githubusercontent.com/octo-enterprise'],
];

describe('issuers', () => {
  test.each(ISSUERS)('%s: the provider URL and every condition key follow the issuer; repository_id only where AWS documents it', (kind, issuer, prefix) => {
    // GIVEN a stack in the aws partition
    const stack = newStack({ env: { region: 'us-east-1' } });
    // AWS documents the repository_id condition key for github.com tokens only.
    const pin = kind === 'github.com' ? { [`${prefix}:repository_id`]: '2' } : {};
    // WHEN
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      issuer: issuer(),
      githubOwnerId: '1',
      githubRepositoryId: '2',
      environments: [{ name: 'dev', branches: ['dev'], subjects: [GithubSubject.branchPattern('feature/*')] }],
    }));
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: `https://${prefix}`, ClientIdList: ['sts.amazonaws.com'] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: {
              StringEquals: {
                [`${prefix}:aud`]: 'sts.amazonaws.com',
                ...pin,
                [`${prefix}:sub`]: ['repo:octo-org/octo-repo:ref:refs/heads/dev', 'repo:octo-org@1/octo-repo@2:ref:refs/heads/dev'],
              },
            },
          }),
          Match.objectLike({
            Condition: {
              StringEquals: { [`${prefix}:aud`]: 'sts.amazonaws.com', ...pin },
              StringLike: { [`${prefix}:sub`]: ['repo:octo-org/octo-repo:ref:refs/heads/feature/*', 'repo:octo-org@1/octo-repo@2:ref:refs/heads/feature/*'] },
            },
          }),
        ],
      },
    });
  });

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
    const app = new App({ context: TEST_CONTEXT });
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

  test('the issuer names its URL and host path', () => {
    const issuer = GithubIssuer.enterpriseServer('ghe.corp.example');
    expect(issuer.url).toBe('https://ghe.corp.example/_services/token');
    expect(issuer.hostPath).toBe('ghe.corp.example/_services/token');
    expect(GithubIssuer.githubCom().toString()).toBe('https://token.actions.githubusercontent.com');
  });
});

describe('issuer validation', () => {
  const server = (host: string) => () => GithubIssuer.enterpriseServer(host);
  const cloud = (slug: string) => () => GithubIssuer.enterpriseCloud(slug);

  test('fails if the host has a scheme, port or path', () => {
    expect(server('https://github.example.com')).toThrow(/^GithubIssuer.enterpriseServer\(host\) must be a DNS name without scheme, port or path.*got 'https:\/\/github.example.com'/);
    expect(server('github.example.com:8443')).toThrow(/without scheme, port or path.*got 'github.example.com:8443'/);
    expect(server('github.example.com/api')).toThrow(/without scheme, port or path/);
    expect(server('github.example.com')).not.toThrow();
  });

  test('fails if the host is not a fully qualified DNS name', () => {
    expect(server('github')).toThrow(/must be a fully qualified DNS name.*got 'github'/);
    expect(server('GitHub.example.com')).toThrow(/must be a fully qualified DNS name/);
    expect(server('-gh.example.com')).toThrow(/must be a fully qualified DNS name/);
    expect(server('gh..example.com')).toThrow(/must be a fully qualified DNS name/);
    expect(server('10.0.0.1')).toThrow(/must be a fully qualified DNS name/);
    expect(server(`${'a'.repeat(64)}.example.com`)).toThrow(/must be a fully qualified DNS name/);
    expect(server(`${'a'.repeat(63)}.example.com`)).not.toThrow();
    expect(server(`${'a.'.repeat(125)}comm`)).toThrow(/must be a fully qualified DNS name/); // 254 characters
    expect(server(`${'a.'.repeat(125)}com`)).not.toThrow(); // 253 characters
    expect(server('gh-1.example.com')).not.toThrow();
  });

  test('only an all-digit last label is refused: digits beside letters in it are fine', () => {
    expect(server('ghe.corp1')).not.toThrow();
    expect(server('ghe.1corp')).not.toThrow();
    expect(server('ghe.example.12')).toThrow(/must be a fully qualified DNS name.*got 'ghe\.example\.12'/);
  });

  test('fails if the host or slug is not a string, with the property named rather than a TypeError', () => {
    expect(() => GithubIssuer.enterpriseServer(443 as any)).toThrow(/^GithubIssuer\.enterpriseServer\(host\) must be a literal DNS name, not a token resolved at deploy time, got 443$/);
    expect(() => GithubIssuer.enterpriseCloud(null as any)).toThrow(/^GithubIssuer\.enterpriseCloud\(slug\) must be a literal enterprise slug, not a token resolved at deploy time, got null$/);
  });

  test('the providers of Enterprise issuers get construct ids named after the host or slug', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const server1 = new GithubOidcEcrPipeline(stack, 'Server', pipelineProps({ issuer: GithubIssuer.enterpriseServer('ghe.example.com') }));
    const cloud1 = new GithubOidcEcrPipeline(stack, 'Cloud', pipelineProps({ githubRepository: 'octo-org/other', issuer: GithubIssuer.enterpriseCloud('octo-enterprise') }));
    // THEN
    expect((server1.provider as GithubActionsOidcProvider).node.path).toBe('TestStack/GithubEnterpriseServerOidcProviderGheExampleCom');
    expect((cloud1.provider as GithubActionsOidcProvider).node.path).toBe('TestStack/GithubEnterpriseCloudOidcProviderOctoEnterprise');
  });

  test('fails if the host is github.com', () => {
    expect(server('github.com')).toThrow(/for github.com use GithubIssuer.githubCom\(\)/);
    expect(server('token.actions.githubusercontent.com')).toThrow(/for github.com use GithubIssuer.githubCom\(\)/);
  });

  test('fails if the enterprise slug is not a slug', () => {
    expect(cloud('')).toThrow(/^GithubIssuer.enterpriseCloud\(slug\) must be an enterprise slug.*got ''/);
    expect(cloud('Octo')).toThrow(/must be an enterprise slug/);
    expect(cloud('octo/x')).toThrow(/must be an enterprise slug/);
    expect(cloud('-octo')).toThrow(/must be an enterprise slug/);
    expect(cloud('octo--x')).toThrow(/must be an enterprise slug/);
    expect(cloud('a'.repeat(101))).toThrow(/must be an enterprise slug/);
    expect(cloud('a'.repeat(100))).not.toThrow();
    expect(cloud('octo-enterprise-2')).not.toThrow();
  });

  test('fails if the host or slug is a token', () => {
    const stack = newStack();
    expect(server(stack.region)).toThrow(/must be a literal DNS name/);
    expect(cloud(stack.account)).toThrow(/must be a literal enterprise slug/);
  });

  test('the trust-size estimate uses the issuer: a long issuer refuses sooner', () => {
    // GIVEN: subjects that fit under github.com
    const branches = Array.from({ length: 25 }, (_, i) => `release-branch-${i}`);
    const props = pipelineProps({ environments: [{ name: 'dev', branches }] });
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(newStack(), 'Pipeline', props)).not.toThrow();
    const longHost = `${'h'.repeat(60)}.${'e'.repeat(60)}.example.com`;
    expect(() => new GithubOidcEcrPipeline(newStack(), 'Pipeline', { ...props, issuer: GithubIssuer.enterpriseServer(longHost) }))
      .toThrow(/has a trust policy of about \d+ characters, over IAM's default quota of 2048/);
  });
});
