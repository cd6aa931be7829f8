import { GithubSubject, GithubSubjectKind } from '../src';

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

describe('GithubSubject._fromContext, the way back from a sub context', () => {
  test.each([
    ['ref:refs/heads/main', false, GithubSubjectKind.BRANCH, 'main'],
    ['ref:refs/tags/v1.0.0', false, GithubSubjectKind.TAG, 'v1.0.0'],
    ['ref:refs/heads/release/*', true, GithubSubjectKind.BRANCH, 'release/*'],
    ['environment:production', false, GithubSubjectKind.ENVIRONMENT, 'production'],
    ['pull_request', false, GithubSubjectKind.PULL_REQUEST, undefined],
  ])('%s reads back as the subject that renders it', (context, pattern, kind, value) => {
    const subject = GithubSubject._fromContext(context, pattern)!;
    expect([subject.kind, subject.value, subject.isPattern]).toEqual([kind, value, pattern && kind !== GithubSubjectKind.PULL_REQUEST]);
    expect(subject._render()).toBe(context);
  });

  test('a ref is read as an exact name unless asked for a pattern: release/* without the flag is the branch named release/*', () => {
    const exact = GithubSubject._fromContext('ref:refs/heads/release/*')!;
    expect([exact.kind, exact.value, exact.isPattern]).toEqual([GithubSubjectKind.BRANCH, 'release/*', false]);
    expect(GithubSubject._fromContext('ref:refs/heads/release/*', true)!.isPattern).toBe(true);
  });

  test.each([
    'ref:refs/pull/7/merge', 'ref:refs/heads/', 'ref:refs/heads/dev:job_workflow_ref:x', 'environment:prod:ref:refs/heads/main',
    'environment:', 'pull_request_target', 'heads/main', '',
    // Four characters before refs/heads/ that are not 'ref:'.
    'env:refs/heads/main',
  ])('fails to read a context that is not one subject of the default template: %p', (context) => {
    expect(GithubSubject._fromContext(context)).toBeUndefined();
  });
});
