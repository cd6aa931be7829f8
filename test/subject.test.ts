import { Match } from 'aws-cdk-lib/assertions';
import { synthPipeline, trustStatements } from './util';
import { GithubSubject, GithubSubjectKind } from '../src';

const AUD = 'token.actions.githubusercontent.com:aud';
const SUB = 'token.actions.githubusercontent.com:sub';
const REPO_ID = 'token.actions.githubusercontent.com:repository_id';

describe('GithubSubject', () => {
  // Titles are literals, not the subject's toString(), so that a toString mutant cannot hide in the title.
  test.each([
    ['branch(\'main\')', () => GithubSubject.branch('main'), GithubSubjectKind.BRANCH, 'main', false, 'ref:refs/heads/main', 'branch main'],
    ['tag(\'v1.0.0\')', () => GithubSubject.tag('v1.0.0'), GithubSubjectKind.TAG, 'v1.0.0', false, 'ref:refs/tags/v1.0.0', 'tag v1.0.0'],
    ['environment(\'production\')', () => GithubSubject.environment('production'), GithubSubjectKind.ENVIRONMENT, 'production', false, 'environment:production', 'environment production'],
    ['pullRequest()', () => GithubSubject.pullRequest(), GithubSubjectKind.PULL_REQUEST, undefined, false, 'pull_request', 'pull request'],
    ['branchPattern(\'release/*\')', () => GithubSubject.branchPattern('release/*'), GithubSubjectKind.BRANCH, 'release/*', true, 'ref:refs/heads/release/*', 'branch pattern release/*'],
    ['tagPattern(\'v*\')', () => GithubSubject.tagPattern('v*'), GithubSubjectKind.TAG, 'v*', true, 'ref:refs/tags/v*', 'tag pattern v*'],
  ])('GithubSubject.%s renders its sub claim suffix', (_title, make, kind, value, isPattern, rendered, text) => {
    const subject = make();
    expect(subject.kind).toBe(kind);
    expect(subject.value).toBe(value);
    expect(subject.isPattern).toBe(isPattern);
    expect(subject._render()).toBe(rendered);
    expect(subject.toString()).toBe(text);
  });
});

describe('GithubSubject.gitRef', () => {
  test('refs/heads/ for branches, refs/tags/ for tags, none for deployment environments and pull requests', () => {
    expect(GithubSubject.branch('main').gitRef).toBe('refs/heads/main');
    expect(GithubSubject.branchPattern('release/*').gitRef).toBe('refs/heads/release/*');
    expect(GithubSubject.tag('v1.0.0').gitRef).toBe('refs/tags/v1.0.0');
    expect(GithubSubject.tagPattern('v*').gitRef).toBe('refs/tags/v*');
    expect(GithubSubject.environment('production').gitRef).toBeUndefined();
    expect(GithubSubject.pullRequest().gitRef).toBeUndefined();
  });
});

describe('GithubSubject factories called from JavaScript', () => {
  // Titles are literals; each names the factory and the argument.
  test.each([
    ['branch(undefined)', () => GithubSubject.branch(undefined as any), 'GithubSubject.branch(name) must be a string, got undefined undefined'],
    ['tag(null)', () => GithubSubject.tag(null as any), 'GithubSubject.tag(name) must be a string, got null null'],
    ['environment(7)', () => GithubSubject.environment(7 as any), 'GithubSubject.environment(name) must be a string, got number 7'],
    ['branchPattern([\'a*\'])', () => GithubSubject.branchPattern(['a*'] as any), 'GithubSubject.branchPattern(pattern) must be a string, got object ["a*"]'],
    ['tagPattern(true)', () => GithubSubject.tagPattern(true as any), 'GithubSubject.tagPattern(pattern) must be a string, got boolean true'],
  ])('fails if GithubSubject.%s is given something other than a string', (_title, make, message) => {
    expect(make).toThrow(new Error(message));
  });
});

describe('trust policy', () => {
  test('only the provider, only AssumeRoleWithWebIdentity, aud pinned, exact branch with StringEquals', () => {
    // WHEN
    const { template } = synthPipeline();
    // THEN
    expect(trustStatements(template)).toEqual([{
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: { Ref: expect.stringMatching(/^GithubActionsOidcProvider/) } },
      Condition: {
        StringEquals: {
          [AUD]: 'sts.amazonaws.com',
          [SUB]: 'repo:octo-org/octo-repo:ref:refs/heads/dev',
        },
      },
    }]);
  });

  test('several exact subjects share one StringEquals list; no StringLike, no ForAllValues', () => {
    // WHEN
    const { template } = synthPipeline({
      environments: [{
        name: 'prod',
        branches: ['main'],
        subjects: [GithubSubject.tag('v1'), GithubSubject.pullRequest()],
      }],
    });
    // THEN
    const statements = trustStatements(template);
    expect(statements).toHaveLength(1);
    expect(statements[0].Condition).toEqual({
      StringEquals: {
        [AUD]: 'sts.amazonaws.com',
        [SUB]: [
          'repo:octo-org/octo-repo:ref:refs/heads/main',
          'repo:octo-org/octo-repo:ref:refs/tags/v1',
          'repo:octo-org/octo-repo:pull_request',
        ],
      },
    });
    expect(JSON.stringify(statements)).not.toMatch(/StringLike|ForAllValues|ForAnyValue/);
  });

  test('only pattern factories produce StringLike, in a statement of their own that still pins aud', () => {
    // WHEN
    const { template } = synthPipeline({
      environments: [{
        name: 'release',
        branches: ['main'],
        subjects: [GithubSubject.branchPattern('release/*'), GithubSubject.tagPattern('v*')],
      }],
    });
    // THEN
    const statements = trustStatements(template);
    expect(statements).toHaveLength(2);
    expect(statements[0].Condition).toEqual({ StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: 'repo:octo-org/octo-repo:ref:refs/heads/main' } });
    expect(statements[1]).toEqual(expect.objectContaining({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { [AUD]: 'sts.amazonaws.com' },
        StringLike: { [SUB]: ['repo:octo-org/octo-repo:ref:refs/heads/release/*', 'repo:octo-org/octo-repo:ref:refs/tags/v*'] },
      },
    }));
  });

  test('a pattern-only environment has one StringLike statement', () => {
    const { template } = synthPipeline({ environments: [{ name: 'release', subjects: [GithubSubject.branchPattern('release/*')] }] });
    expect(trustStatements(template)).toEqual([expect.objectContaining({
      Condition: { StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: 'repo:octo-org/octo-repo:ref:refs/heads/release/*' } },
    })]);
  });

  test('in aws, githubOwnerId and githubRepositoryId add the immutable sub form and pin repository_id, but not repository_owner_id', () => {
    // WHEN
    const { template } = synthPipeline({ githubOwnerId: '1111', githubRepositoryId: '2222' }, { env: { region: 'us-east-1' } });
    // THEN
    expect(trustStatements(template)[0].Condition).toEqual({
      StringEquals: {
        [AUD]: 'sts.amazonaws.com',
        [REPO_ID]: '2222',
        [SUB]: ['repo:octo-org/octo-repo:ref:refs/heads/dev', 'repo:octo-org@1111/octo-repo@2222:ref:refs/heads/dev'],
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('repository_owner_id');
  });

  test('in aws, with IDs, the pattern statement pins repository_id too', () => {
    const { template } = synthPipeline({ githubOwnerId: '1111', githubRepositoryId: '2222', environments: [{ name: 'r', subjects: [GithubSubject.tagPattern('v*')] }] }, { env: { region: 'us-east-1' } });
    expect(trustStatements(template)[0].Condition).toEqual({
      StringEquals: { [AUD]: 'sts.amazonaws.com', [REPO_ID]: '2222' },
      StringLike: { [SUB]: ['repo:octo-org/octo-repo:ref:refs/tags/v*', 'repo:octo-org@1111/octo-repo@2222:ref:refs/tags/v*'] },
    });
  });

  test('no subject ever has a wildcard in the owner or repository part', () => {
    const { template } = synthPipeline({ environments: [{ name: 'r', subjects: [GithubSubject.branchPattern('*')] }] });
    const subs = [trustStatements(template)[0].Condition.StringLike[SUB]].flat();
    for (const sub of subs) expect(sub).toMatch(/^repo:octo-org\/octo-repo:/);
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: Match.not(Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Condition: Match.objectLike({ StringLike: { [SUB]: '*' } }) })]) })) });
  });
});
