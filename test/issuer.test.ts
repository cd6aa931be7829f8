import { Match, Template } from 'aws-cdk-lib/assertions';
import { GithubActionsOidcProvider, GithubIssuer, GithubOidcEcrPipeline, GithubSubject } from '../src';
import { newStack, pipelineProps } from './support/stack';

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

});
