import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { GithubOidcEcrPipeline, GithubSubject, PipelineEnvironmentProps } from '../src';
import { expectAccepted, expectRefused, newStack, pipelineProps, synthPipeline, trustStatements } from './support/stack';
import { nonAsciiCharacters, validateRefName } from '../src/private/validation';

const env = (extra: Partial<PipelineEnvironmentProps>) => ({ environments: [{ name: 'dev', branches: ['dev'], ...extra }] });
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('repository (GitHub owner/repo)', () => {
  test.each(['octo', 'a/b/c', '/repo', 'owner/'])('fails if it is not owner/repo: %s', (repository) => {
    expectRefused({ githubRepository: repository }, new RegExp(`^githubRepository must .*got '${esc(repository)}'`));
  });

  test('accepts a 39-character owner; fails if the owner has 40', () => {
    expectAccepted({ githubRepository: `${'a'.repeat(39)}/r` });
    expectRefused({ githubRepository: `${'a'.repeat(40)}/r` }, /githubRepository must have an owner of 1 to 39/);
  });

  test('accepts single hyphens inside the owner; fails on double, leading or trailing hyphens', () => {
    expectAccepted({ githubRepository: 'my-org-1/r' });
    for (const owner of ['my--org', '-org', 'org-']) {
      expectRefused({ githubRepository: `${owner}/r` }, new RegExp(`githubRepository must have an owner .*got '${owner}/r'`));
    }
  });

  test.each(['*', 'org*', 'o_rg', 'o.rg'])('fails if the owner has a wildcard or other character: %s', (owner) => {
    expectRefused({ githubRepository: `${owner}/r` }, /githubRepository must have an owner of 1 to 39 letters/);
  });

  test('accepts a 100-character repository name of . _ -; fails at 101', () => {
    expectAccepted({ githubRepository: `o/${'a._-'.repeat(25)}`, repositoryPrefix: 'x' });
    expectRefused({ githubRepository: `o/${'a'.repeat(101)}` }, /githubRepository must have a repository name of 1 to 100/);
  });

  test.each(['*', 'repo*', 're po', '.', '..', 're/po'])('fails if the repository name is %s', (repo) => {
    expectRefused({ githubRepository: `o/${repo}` }, /^githubRepository must/);
  });

  test('fails if repository is a token', () => {
    expectRefused({ githubRepository: Lazy.string({ produce: () => 'o/r' }) }, /githubRepository must be a literal GitHub 'owner\/repo'/);
  });

  test.each([
    ['an https URL', 'https://github.com/octo-org/octo-repo'],
    ['an https clone URL', 'https://github.com/octo-org/octo-repo.git'],
    ['a URL with a user and a trailing slash', 'https://user@github.example.com/octo-org/octo-repo/'],
    ['a git+ssh URL', 'git+ssh://git@github.com/octo-org/octo-repo.git'],
    ['an scp-style clone address', 'git@github.com:octo-org/octo-repo.git'],
    ['a host without a scheme', 'github.com/octo-org/octo-repo'],
    ['a www host without a scheme', 'www.github.com/octo-org/octo-repo/'],
  ])('fails if githubRepository is %s, naming owner/repo to use instead', (_title, value) => {
    expectRefused({ githubRepository: value },
      new RegExp(`^githubRepository must be the repository as 'owner/repo', not a URL or clone address: use 'octo-org/octo-repo', got '${esc(value)}'$`));
  });

  test('only a value that starts like a URL is read as one: a host in the owner is an invalid owner', () => {
    expectRefused({ githubRepository: 'my.github.com/octo-repo' }, /^githubRepository must have an owner of 1 to 39 letters/);
  });

  test('fails if githubRepository ends in .git, naming the fix; .git inside the name, or in a path of three parts, is another matter', () => {
    expectRefused({ githubRepository: 'octo-org/octo-repo.GIT' },
      /^githubRepository must not end in '\.git', which GitHub's tokens never carry: use 'octo-org\/octo-repo', got 'octo-org\/octo-repo\.GIT'$/);
    expectAccepted({ githubRepository: 'octo-org/octo.github.io' });
    expectRefused({ githubRepository: 'a/b/c.git' }, /^githubRepository must be a GitHub repository in the form 'owner\/repo'/);
  });

  test('the fix drops only the final .git, from a name or a URL whose name holds .git elsewhere', () => {
    expectRefused({ githubRepository: 'octo-org/octo.github.io.git' }, /: use 'octo-org\/octo\.github\.io', got/);
    expectRefused({ githubRepository: 'https://github.com/octo-org/octo.github.io.git' }, /not a URL or clone address: use 'octo-org\/octo\.github\.io', got/);
    expectRefused({ githubRepository: 'https://user:token@github.com/octo-org/octo.github.io' }, /not a URL or clone address: use 'octo-org\/octo\.github\.io', got/);
  });
});

describe('githubOwnerId and githubRepositoryId', () => {
  test('accepts numeric IDs up to 20 digits; fails on 21 digits, letters, a leading zero or an empty string', () => {
    expectAccepted({ githubOwnerId: '1', githubRepositoryId: '9'.repeat(20) });
    expectRefused({ githubOwnerId: '1', githubRepositoryId: '9'.repeat(21) }, /githubRepositoryId must be GitHub's numeric ID/);
    expectRefused({ githubOwnerId: 'abc', githubRepositoryId: '1' }, /githubOwnerId must be GitHub's numeric ID.*got 'abc'/);
    expectRefused({ githubOwnerId: '0123', githubRepositoryId: '1' }, /githubOwnerId must be GitHub's numeric ID.*got '0123'/);
    expectRefused({ githubOwnerId: '', githubRepositoryId: '1' }, /githubOwnerId must be GitHub's numeric ID/);
  });

  test('fails if only one of them is given', () => {
    expectRefused({ githubOwnerId: '1' }, /githubOwnerId and githubRepositoryId must be given together/);
    expectRefused({ githubRepositoryId: '1' }, /githubOwnerId and githubRepositoryId must be given together/);
  });
});

describe('environments', () => {
  test('fails if there are none', () => {
    expectRefused({ environments: [] }, /environments must list at least one environment/);
  });

  test('accepts a 32-character name; fails at 33', () => {
    expectAccepted({ environments: [{ name: 'a'.repeat(32), branches: ['dev'] }] });
    expectRefused({ environments: [{ name: 'a'.repeat(33), branches: ['dev'] }] }, /environments\[0\]\.name must be 1 to 32/);
  });

  test.each(['dev-1', 'dev_eu', 'prod2'])('accepts the name %s', (name) => {
    expectAccepted({ environments: [{ name, branches: ['dev'] }] });
  });

  test.each(['Dev', '1dev', 'dev--1', 'dev_', '-dev', 'de v', 'dev.1', ''])('fails if the name is %p', (name) => {
    expectRefused({ environments: [{ name, branches: ['dev'] }] }, new RegExp(`environments\\[0\\]\\.name must be .*got '${esc(name)}'`));
  });

  test('fails if two environments have the same name, or names that make the same GitHub variable', () => {
    expectRefused({ environments: [{ name: 'dev', branches: ['a'] }, { name: 'dev', branches: ['b'] }] },
      /environments\[1\]\.name must be unique .*environments\[0\]\.name is the same, got 'dev'/);
    expectRefused({ environments: [{ name: 'my-env', branches: ['a'] }, { name: 'my_env', branches: ['b'] }] },
      /environments\[1\]\.name must be unique/);
    expectAccepted({ environments: [{ name: 'dev', branches: ['a'] }, { name: 'dev2', branches: ['b'] }] });
  });

  test('fails if two environment names make the same construct id (prod2 and prod-2, dev-1 and dev1), naming both properties', () => {
    expectRefused({ environments: [{ name: 'prod2', branches: ['a'] }, { name: 'prod-2', branches: ['b'] }] },
      /^environments\[1\]\.name must give a construct id different from environments\[0\]\.name \('prod2'\): both become 'Prod2'.*got 'prod-2'/);
    expectRefused({ environments: [{ name: 'dev-1', branches: ['a'] }, { name: 'dev1', branches: ['b'] }] },
      /^environments\[1\]\.name must give a construct id different from environments\[0\]\.name \('dev-1'\): both become 'Dev1'/);
    // Just outside: one letter apart.
    expectAccepted({ environments: [{ name: 'prod2', branches: ['a'] }, { name: 'prod-3', branches: ['b'] }] });
  });

  test('fails if an environment trusts no subject', () => {
    expectRefused({ environments: [{ name: 'dev' }] }, /environments\[0\]\.branches must name at least one branch, or environments\[0\]\.subjects at least one subject/);
    expectRefused({ environments: [{ name: 'dev', branches: [], subjects: [] }] }, /must name at least one branch/);
    expectAccepted({ environments: [{ name: 'dev', subjects: [GithubSubject.pullRequest()] }] });
  });

  test('fails if two environments push to the same repository', () => {
    expectRefused({ environments: [{ name: 'a', branches: ['a'], repositoryName: 'shared' }, { name: 'b', branches: ['b'], repositoryName: 'shared' }] },
      /environments\[1\]\.repository must differ from every other environment's repository; environments\[0\] uses the same one, got 'shared'/);
    expectRefused({ repositoryPrefix: 'x', environments: [{ name: 'a', branches: ['a'], repositoryName: 'x-b' }, { name: 'b', branches: ['b'] }] },
      /environments\[1\]\.repository must differ/);
    const stack = newStack();
    const existing = ecr.Repository.fromRepositoryName(stack, 'E', 'existing');
    expect(() => new GithubOidcEcrPipeline(stack, 'P', pipelineProps({
      environments: [{ name: 'a', branches: ['a'], repository: existing }, { name: 'b', branches: ['b'], repository: existing }],
    }))).toThrow(/environments\[1\]\.repository must differ/);
    expectAccepted({ environments: [{ name: 'a', branches: ['a'], repositoryName: 'one' }, { name: 'b', branches: ['b'], repositoryName: 'two' }] });
  });

  test('fails if one subject is trusted by two environments', () => {
    expectRefused({ environments: [{ name: 'a', branches: ['main'] }, { name: 'b', subjects: [GithubSubject.branch('main')] }] },
      /environments\[1\] subject 0 is already trusted by environments\[0\]; one workflow run must map to one environment, got 'branch main'/);
    // A tag and a branch of the same name are different runs.
    expectAccepted({ environments: [{ name: 'a', branches: ['main'] }, { name: 'b', subjects: [GithubSubject.tag('main')] }] });
  });

  test('fails if a pattern of one environment admits another environment\'s branch', () => {
    expectRefused({ environments: [{ name: 'a', subjects: [GithubSubject.branchPattern('release/*')] }, { name: 'b', branches: ['release/1'] }] },
      /environments\[0\] subject also admits 'repo:octo-org\/octo-repo:ref:refs\/heads\/release\/1', which environments\[1\] trusts/);
    expectAccepted({ environments: [{ name: 'a', subjects: [GithubSubject.branchPattern('release/*')] }, { name: 'b', branches: ['release-1'] }] });
  });

  test('fails if patterns of two environments overlap, e.g. release/* and release/prod*; disjoint patterns are accepted', () => {
    const patterns = (a: GithubSubject, b: GithubSubject) => ({ environments: [{ name: 'a', subjects: [a] }, { name: 'b', subjects: [b] }] });
    expectRefused(patterns(GithubSubject.branchPattern('release/*'), GithubSubject.branchPattern('release/prod*')),
      /^environments\[1\] subject admits some of the same runs as the pattern 'repo:octo-org\/octo-repo:ref:refs\/heads\/release\/\*' of environments\[0\].*got 'branch pattern release\/prod\*'/);
    // Overlap by a shared middle: both admit 'eu-prod'.
    expectRefused(patterns(GithubSubject.branchPattern('*-prod'), GithubSubject.branchPattern('eu-*')), /admits some of the same runs/);
    // Just outside: nothing starts with both 'release/' and 'release-'; a branch and a tag never share a sub.
    expectAccepted(patterns(GithubSubject.branchPattern('release/*'), GithubSubject.branchPattern('release-*')));
    expectAccepted(patterns(GithubSubject.branchPattern('v*'), GithubSubject.tagPattern('v*')));
    expectAccepted(patterns(GithubSubject.branchPattern('a*b'), GithubSubject.branchPattern('b*a')));
    // Within one environment, overlapping patterns only repeat a trust: not an error.
    expectAccepted({ environments: [{ name: 'a', subjects: [GithubSubject.branchPattern('release/*'), GithubSubject.branchPattern('release/prod*')] }] });
  });

  test('a duplicate branch inside one environment is not an error', () => {
    expectAccepted({ environments: [{ name: 'a', branches: ['main'], subjects: [GithubSubject.branch('main')] }] });
  });
});

describe('branch and tag names', () => {
  test.each(['main', 'feature/x', 'release-1.2', 'a@b', 'user/feat_1', 'UPPER'])('accepts the branch %s', (branch) => {
    expectAccepted(env({ branches: [branch] }));
  });

  test.each([
    ['', /it is empty/],
    ['feature/*', /'\*' is only allowed in GithubSubject\.branchPattern\(\)/],
    ['*', /'\*' is only allowed/],
    ['ma?n', /'\?' is not allowed/],
    ['a..b', /contains '\.\.'/],
    ['a b', /a space, a control character/],
    ['a~b', /one of ~ \^ : \[/],
    ['a^b', /one of ~ \^ : \[/],
    ['a:b', /one of ~ \^ : \[/],
    ['a[b', /one of ~ \^ : \[/],
    ['a\\b', /one of ~ \^ : \[/],
    ['a\tb', /a space, a control character/],
    ['a@{b', /'@\{'/],
    ['@', /'@\{' or is '@'/],
    ['/main', /starts or ends with '\/'/],
    ['main/', /starts or ends with '\/'/],
    ['a//b', /contains '\/\/'/],
    ['main.', /ends with '\.'/],
    ['-main', /starts with '-'/],
    ['.hidden', /starts with '\.' or ends with '\.lock'/],
    ['a/.hidden', /starts with '\.'/],
    ['main.lock', /ends with '\.lock'/],
  ])('fails if the branch is %p', (branch, rule) => {
    const stack = newStack();
    let error: Error | undefined;
    try {
      new GithubOidcEcrPipeline(stack, 'P', pipelineProps(env({ branches: ['ok', branch] })));
    } catch (e) { error = e as Error; }
    expect(error?.message).toMatch(/^environments\[0\]\.branches\[1\] must be a valid git branch name/);
    expect(error?.message).toMatch(rule);
    expect(error?.message).toContain(`got '${branch}'`);
  });

  test('fails if a branch, tag or pattern contains ${ (an IAM policy variable, or a GitHub expression); $ and { apart are accepted', () => {
    const rule = /must be a valid git (branch|tag) name( pattern)?: it contains '\$\{', which IAM reads as a policy variable/;
    expectRefused(env({ branches: ['a${aws:username}'] }), rule);
    expectRefused(env({ branches: ['${{ github.token }}'] }), rule);
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.tag('v${x}')] }), rule);
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.branchPattern('release/${x}*')] }), rule);
    expectAccepted(env({ branches: ['a$b', 'a{b}', 'a$/{b'] }));
  });

  test('fails if a branch or tag is given with its refs/ prefix, naming the short name; refs/ deeper in a name is fine', () => {
    expectRefused(env({ branches: ['refs/heads/main'] }),
      /^environments\[0\]\.branches\[0\] must be a valid git branch name: give the name without 'refs\/heads\/', which is added for you: use 'main', got 'refs\/heads\/main'$/);
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.tag('refs/tags/v1.2')] }),
      /must be a valid git tag name: give the name without 'refs\/tags\/', which is added for you: use 'v1\.2'/);
    expectAccepted(env({ branches: ['team/refs/heads/main'] }));
    // A line break ends the prefixed name early; the control character is what is wrong.
    expect(() => validateRefName('branches[0]', 'refs/heads/a\nb', 'branch', false)).toThrow(/a space, a control character/);
  });

  test('a * outside a pattern names the factory for branches and for tags', () => {
    expectRefused(env({ branches: ['feature/*'] }), /'\*' is only allowed in GithubSubject\.branchPattern\(\), the explicit way to trust many branches, got/);
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.tag('v*')] }), /'\*' is only allowed in GithubSubject\.tagPattern\(\), the explicit way to trust many tags, got/);
  });

  test('accepts a 255-character branch; fails at 256', () => {
    expectAccepted(env({ branches: ['b'.repeat(255)] }));
    expectRefused(env({ branches: ['b'.repeat(256)] }), /branches\[0\] must be a valid git branch name: it is longer than 255/);
  });

  test('tags follow the same rules, with their own path', () => {
    expectAccepted(env({ branches: undefined, subjects: [GithubSubject.tag('v1.2.3')] }));
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.tag('v1.*')] }),
      /environments\[0\]\.subjects\[0\] must be a valid git tag name: '\*' is only allowed in GithubSubject\.tagPattern\(\), the explicit way to trust many tags, got 'v1\.\*'/);
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.tag('v1..2')] }), /subjects\[0\] must be a valid git tag name: it contains '\.\.'/);
  });

  test('patterns need a *, allow only *, and otherwise follow the ref rules', () => {
    expectAccepted(env({ branches: undefined, subjects: [GithubSubject.branchPattern('release/*'), GithubSubject.tagPattern('v*')] }));
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.branchPattern('release')] }),
      /subjects\[0\] must be a valid git branch name pattern: a pattern needs at least one '\*'; use GithubSubject\.branch\(\) for an exact name/);
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.tagPattern('v?.*')] }), /tag name pattern: '\?' is not allowed/);
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.branchPattern('release/*..x')] }), /branch name pattern: it contains '\.\.'/);
  });
});

describe('crafted patterns', () => {
  test('fails if the overlap check backtracks: 8 and 120 stars beside a 60-character branch synthesize at once', () => {
    const started = Date.now();
    for (const stars of [8, 120]) {
      expectAccepted({
        environments: [
          { name: 'a', subjects: [GithubSubject.branchPattern(`${'*a'.repeat(stars)}*b`)] },
          { name: 'b', branches: ['a'.repeat(60)] },
        ],
      });
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('GitHub deployment environment names', () => {
  test('accepts ordinary names up to 255 characters; fails at 256', () => {
    expectAccepted(env({ branches: undefined, subjects: [GithubSubject.environment('Production EU')] }));
    expectAccepted(env({ branches: undefined, subjects: [GithubSubject.environment('e'.repeat(255))] }));
    expectAccepted(env({ branches: undefined, subjects: [GithubSubject.environment('p')] }));
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.environment('e'.repeat(256))] }), /subjects\[0\] must be a GitHub deployment environment name of 1 to 255/);
  });

  test.each(['prod*', 'prod?', ' prod', 'prod ', '', 'a:b', 'a"b'])('fails if the name is %p', (name) => {
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.environment(name)] }),
      new RegExp(`environments\\[0\\]\\.subjects\\[0\\] must be a GitHub deployment environment name.*got '${esc(name)}'`));
  });
});

describe('ECR repository names', () => {
  test('accepts 2 and 256 characters; fails at 1 and 257', () => {
    expectAccepted(env({ repositoryName: 'ab' }));
    expectAccepted(env({ repositoryName: 'a'.repeat(256) }));
    expectRefused(env({ repositoryName: 'a' }), /environments\[0\]\.repositoryName must be an ECR repository name of 2 to 256 characters, got 'a'/);
    expectRefused(env({ repositoryName: 'a'.repeat(257) }), /repositoryName must be an ECR repository name of 2 to 256/);
  });

  test.each(['team/service', 'a.b_c-d', 'x/y/z'])('accepts %s', (name) => expectAccepted(env({ repositoryName: name })));

  test.each(['Upper', 'a//b', 'a--b', '-ab', 'ab/', 'a b', 'a*'])('fails if the name is %p', (name) => {
    expectRefused(env({ repositoryName: name }), new RegExp(`repositoryName must be an ECR repository name: lower-case.*got '${esc(name)}'`));
  });

  test('accepts separators inside a segment before a /; fails if a separator ends, starts or doubles in a non-final segment', () => {
    for (const name of ['a-b/c', 'a.b_c/d-e', 'x1-y2/z3/w']) expectAccepted(env({ repositoryName: name }));
    for (const name of ['a-/b', 'a--b/c', 'a_/b', '-a/b', 'a./b', 'a/-b/c']) {
      expectRefused(env({ repositoryName: name }), new RegExp(`repositoryName must be an ECR repository name: lower-case.*got '${esc(name)}'`));
    }
  });

  test('fails if repositoryPrefix is a token', () => {
    expectRefused({ repositoryPrefix: Lazy.string({ produce: () => 'x' }) }, /^repositoryPrefix must be a literal string, not a token/);
  });

  test('fails if repositoryPrefix is not a valid start of a name; a one-letter prefix is fine', () => {
    expectAccepted({ repositoryPrefix: 'x' });
    expectRefused({ repositoryPrefix: 'Cloud' }, /repositoryPrefix must be the start of an ECR repository name.*got 'Cloud'/);
  });

  test('fails if the GitHub repository name does not make a valid default, and says what to set', () => {
    expectRefused({ githubRepository: 'o/my..repo' }, /environments\[0\]\.repositoryName \(default, from repositoryPrefix or the GitHub repository name\) must be an ECR repository name.*got 'my\.\.repo-dev'/);
    expectAccepted({ githubRepository: 'o/my..repo', repositoryPrefix: 'my-repo' });
  });
});

describe('role settings', () => {
  test('accepts a 64-character role name; fails at 65 and on other characters', () => {
    expectAccepted(env({ roleName: 'r'.repeat(64) }));
    expectRefused(env({ roleName: 'r'.repeat(65) }), /environments\[0\]\.roleName must be an IAM role name of 1 to 64/);
    expectRefused(env({ roleName: 'a b' }), /roleName must be an IAM role name.*got 'a b'/);
    expectRefused(env({ roleName: '' }), /roleName must be an IAM role name/);
  });

  test('accepts 1 and 12 hours; fails just below 1 hour and just above 12', () => {
    expectAccepted(env({ maxSessionDuration: Duration.hours(1) }));
    expectAccepted(env({ maxSessionDuration: Duration.hours(12) }));
    expectRefused(env({ maxSessionDuration: Duration.seconds(3599) }), /environments\[0\]\.maxSessionDuration must be between 1 and 12 hours, got Duration\.seconds\(3599\)/);
    expectRefused(env({ maxSessionDuration: Duration.seconds(43201) }), /maxSessionDuration must be between 1 and 12 hours/);
  });

  test('accepts 12-digit account IDs; fails on 11, 13 or non-digits', () => {
    expectAccepted(env({ pullAccounts: ['123456789012'] }));
    expectRefused(env({ pullAccounts: ['123456789012', '12345678901'] }), /environments\[0\]\.pullAccounts\[1\] must be a 12-digit AWS account ID, got '12345678901'/);
    expectRefused(env({ pullAccounts: ['1234567890123'] }), /pullAccounts\[0\] must be a 12-digit AWS account ID/);
    expectRefused(env({ pullAccounts: ['12345678901a'] }), /pullAccounts\[0\] must be a 12-digit AWS account ID/);
  });

  test('accepts maxImageCount 1; fails at 0 and on fractions', () => {
    expectAccepted(env({ maxImageCount: 1 }));
    expectRefused(env({ maxImageCount: 0 }), /environments\[0\]\.maxImageCount must be a whole number of at least 1, got 0/);
    expectRefused(env({ maxImageCount: 1.5 }), /maxImageCount must be a whole number/);
  });
});

describe('unresolved tokens', () => {
  test('are not validated where the value is only known at deploy time', () => {
    const stack = newStack();
    const token = Lazy.string({ produce: () => 'NOT A VALID NAME' });
    const props = pipelineProps(env({ roleName: token, repositoryName: token, pullAccounts: [Stack.of(stack).account] }));
    expect(() => new GithubOidcEcrPipeline(stack, 'P', props)).not.toThrow();
  });

  test('fails if an environment name is a token, since it names constructs and jobs', () => {
    expectRefused({ environments: [{ name: Lazy.string({ produce: () => 'dev' }), branches: ['dev'] }] }, /environments\[0\]\.name must be a literal string/);
  });
});

describe('tokens in subjects', () => {
  const token = (value: string) => Lazy.string({ produce: () => value });

  test.each([
    ['branch', () => GithubSubject.branch(token('main'))],
    ['tag', () => GithubSubject.tag(token('v1'))],
    ['deployment environment', () => GithubSubject.environment(token('production'))],
  ])('a token %s is not validated at synth, and is trusted as it resolves', (_title, subject) => {
    // GIVEN / WHEN
    const { template } = synthPipeline(env({ branches: undefined, subjects: [subject()] }));
    // THEN
    const sub = trustStatements(template)[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'];
    expect(sub).toMatch(/^repo:octo-org\/octo-repo:(ref:refs\/(heads\/main|tags\/v1)|environment:production)$/);
  });

  test('fails if a token branch is rendered into the workflow, which needs literals', () => {
    const { pipeline } = synthPipeline(env({ branches: [token('main')] }), { env: { region: 'eu-west-1' } });
    expect(() => pipeline.renderWorkflow()).toThrow(/^environment 'dev' subject must be a literal to be rendered into the workflow, not a token/);
  });
});

describe('wrong JavaScript types', () => {
  /** The message of what `build` throws: an Error, never a TypeError from inside aws-cdk-lib. */
  function refusal(build: () => unknown): string {
    try {
      build();
    } catch (e) {
      expect(e).not.toBeInstanceOf(TypeError);
      return (e as Error).message;
    }
    throw new Error('expected a refusal');
  }
  const pipeline = (props: any) => () => new GithubOidcEcrPipeline(newStack(), 'Pipeline', props);
  const envProps = (extra: any) => pipeline(pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], ...extra }] }));

  test.each([
    ['branches as a string', envProps({ branches: 'main' }), /^environments\[0\]\.branches must be an array or left out, not a string \(write \["main"\]\), got 'main'/],
    ['a branch as a number', envProps({ branches: [1] }), /^environments\[0\]\.branches\[0\] must be a string, not a number, got 1/],
    ['subjects holding a string', envProps({ branches: undefined, subjects: ['main'] }), /^environments\[0\]\.subjects\[0\] must be a GithubSubject/],
    ['a null environment', pipeline(pipelineProps({ environments: [null as any] })), /^environments\[0\] must be an object, not null/],
    ['null environments', pipeline(pipelineProps({ environments: null as any })), /^environments must be an array, not null/],
    ['a numeric name', envProps({ name: 7 }), /^environments\[0\]\.name must be a string, not a number/],
    ['a numeric githubOwnerId', pipeline(pipelineProps({ githubOwnerId: 123 as any, githubRepositoryId: '1' })), /^githubOwnerId must be a string or left out, not a number, got 123/],
    ['a numeric githubRepositoryId', pipeline(pipelineProps({ githubOwnerId: '1', githubRepositoryId: 456 as any })), /^githubRepositoryId must be a string or left out, not a number/],
    ['a numeric githubRepository', pipeline({ githubRepository: 42, environments: [] }), /^githubRepository must be a string, not a number/],
    ['null props', pipeline(null), /^props must be an object, not null/],
    ['outputs as a string', pipeline(pipelineProps({ outputs: 'no' as any })), /^outputs must be a boolean or left out, not a string/],
    ['an issuer that is a string', pipeline(pipelineProps({ issuer: 'github.com' as any })), /^issuer must be a GithubIssuer or left out, got 'github\.com'/],
    ['maxImageCount as a string', envProps({ maxImageCount: '3' }), /^environments\[0\]\.maxImageCount must be a number or left out, not a string/],
    ['maxSessionDuration as seconds', envProps({ maxSessionDuration: 3600 }), /^environments\[0\]\.maxSessionDuration must be a Duration or left out, got 3600/],
    ['pullAccounts with a number', envProps({ pullAccounts: [123456789012] }), /^environments\[0\]\.pullAccounts\[0\] must be a string, not a number/],
    ['mutableTags as a string', envProps({ mutableTags: 'latest' }), /^environments\[0\]\.mutableTags must be an array or left out/],
    ['removalPolicy as a word', envProps({ removalPolicy: 'keep' }), /^environments\[0\]\.removalPolicy must be one of RemovalPolicy/],
    ['GithubSubject.branch(null)', () => GithubSubject.branch(null as any), /^GithubSubject\.branch\(name\) must be a string, got null/],
    ['GithubSubject.tagPattern(1)', () => GithubSubject.tagPattern(1 as any), /^GithubSubject\.tagPattern\(pattern\) must be a string, got number 1/],
    ['an issuer that is a plain object', pipeline(pipelineProps({ issuer: {} as any })), /^issuer must be a GithubIssuer or left out, got an object$/],
    ['an issuer that is an object without a prototype', pipeline(pipelineProps({ issuer: Object.create(null) })), /^issuer must be a GithubIssuer or left out, got an object$/],
    ['an issuer that is an instance of an anonymous class', pipeline(pipelineProps({ issuer: new (Object.defineProperty(class {}, 'name', { value: '' }))() as any })), /^issuer must be a GithubIssuer or left out, got an object$/],
    ['an issuer that is a Date', pipeline(pipelineProps({ issuer: new Date(0) as any })), /^issuer must be a GithubIssuer or left out, got a Date$/],
    ['an issuer that is a list', pipeline(pipelineProps({ issuer: ['github.com'] as any })), /^issuer must be a GithubIssuer or left out, got \["github\.com"\]$/],
    ['a subject that is undefined', envProps({ branches: undefined, subjects: [undefined] }), /^environments\[0\]\.subjects\[0\] must be a GithubSubject.*, got undefined$/],
    // An array is an object to typeof: the refusal says it is an array.
    ['an environment given as a list', pipeline(pipelineProps({ environments: [['dev', 'main'] as any] })), /^environments\[0\] must be an object, not an array, got \["dev","main"\]$/],
    ['a name given as a list', envProps({ name: ['dev'] }), /^environments\[0\]\.name must be a string, not an array, got \["dev"\]$/],
    // The "(write [...])" hint is for a string only: it would be wrong advice for anything else.
    ['subjects as one subject, not a list', () => envProps({ branches: undefined, subjects: GithubSubject.branch('main') })(),
      /^environments\[0\]\.subjects must be an array or left out, not an object, got a GithubSubject$/],
    ['environments left out', pipeline({ githubRepository: 'octo-org/octo-repo' }), /^environments must be an array, not undefined, got undefined$/],
    // A required instance: nothing about leaving it out.
    ['a subject as plain data', envProps({ branches: undefined, subjects: [{ kind: 'branch', name: 'main' }] }),
      /^environments\[0\]\.subjects\[0\] must be a GithubSubject \(from GithubSubject\.branch\(\), \.tag\(\), \.\.\.\), got an object$/],
  ])('fails with the property named, not a TypeError: %s', (_title, build, message) => {
    expect(refusal(build)).toMatch(message);
  });

  test('the methods check their arguments too', () => {
    const { pipeline: built } = synthPipeline();
    expect(refusal(() => built.environment(1 as any))).toMatch(/^environment\(name\) must be a string, not a number/);
    expect(refusal(() => built.explain(null as any))).toMatch(/^explain\(claims\) must be an object, not null/);
    expect(refusal(() => built.explain({ sub: 1 as any }))).toMatch(/^explain\(claims\)\.sub must be a string or left out, not a number/);
    expect(refusal(() => built.renderWorkflow(null as any))).toMatch(/^options must be an object, not null/);
    expect(refusal(() => built.writeWorkflow(undefined as any))).toMatch(/^directory must be a string, not undefined/);
    expect(refusal(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([built, {} as any]))).toMatch(/^pipelines\[1\] must be a GithubOidcEcrPipeline/);
    expect(refusal(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([built, 'p' as any]))).toMatch(/^pipelines\[1\] must be a GithubOidcEcrPipeline, got 'p'$/);
    expect(refusal(() => built.explain([] as any))).toMatch(/^explain\(claims\) must be an object, not an array, got \[\]$/);
    expect(refusal(() => GithubOidcEcrPipeline.renderMultiStackWorkflow('p' as any))).toMatch(/^pipelines must list at least one pipeline/);
  });

  test('the right types are accepted', () => {
    expectAccepted({ githubOwnerId: '1', githubRepositoryId: '2', outputs: false, environments: [{ name: 'dev', branches: ['dev'], maxImageCount: 3, maxSessionDuration: Duration.hours(2), mutableTags: ['latest'] }] });
  });
});

describe('confusable branch and tag names', () => {
  test.each([
    ['a zero-width space', 'main\u200b', 'U+200B'],
    ['a zero-width joiner', 'ma\u200din', 'U+200D'],
    ['a right-to-left override', 'release/\u202egnp.exe', 'U+202E'],
    ['a left-to-right isolate', '\u2066main', 'U+2066'],
    ['a byte-order mark', '\ufeffmain', 'U+FEFF'],
    ['a soft hyphen', 'ma\u00adin', 'U+00AD'],
    ['a no-break space', 'ma\u00a0in', 'U+00A0'],
    ['an ideographic space', 'ma\u3000in', 'U+3000'],
    ['a C1 control', 'ma\u0085in', 'U+0085'],
    ['a private-use character', 'ma\ue000in', 'U+E000'],
  ])('fails if a branch contains %s', (_title, branch, code) => {
    expectRefused(env({ branches: [branch] }), new RegExp(`^environments\\[0\\]\\.branches\\[0\\] must be a valid git branch name: it contains ${code.replace('+', '\\+')}, an invisible, spacing or text-reordering character`));
  });

  test('fails if a tag or a pattern contains a bidirectional control', () => {
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.tag('v1\u200f')] }), /subjects\[0\] must be a valid git tag name: it contains U\+200F/);
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.branchPattern('\u202arelease/*')] }), /subjects\[0\] must be a valid git branch name pattern: it contains U\+202A/);
  });

  test('warns, with an id to acknowledge, if a branch or tag has a visible non-ASCII character; ASCII names get no warning', () => {
    // GIVEN a Cyrillic 'а' (U+0430) that looks like a Latin 'a', and a tag in another script
    const { stack } = synthPipeline({ environments: [{ name: 'dev', branches: ['m\u0430in'], subjects: [GithubSubject.tag('\u30ea\u30ea\u30fc\u30b9')] }] });
    // WHEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-github-oidc-ecr:nonAsciiRefName'));
    // THEN
    expect(warnings.map(w => w.entry.data)).toEqual([
      expect.stringMatching(/^environments\[0\]\.branches\[0\] 'm\u0430in' has characters outside ASCII \(U\+0430 '\u0430'\), which may look like ASCII letters: check that the role trusts the branch or tag you mean\. Acknowledge this warning if it does\./),
      expect.stringMatching(/^environments\[0\]\.subjects\[0\] '\u30ea\u30ea\u30fc\u30b9' has characters outside ASCII \(U\+30EA/),
    ]);
    const plain = synthPipeline({ environments: [{ name: 'dev', branches: ['main'], subjects: [GithubSubject.tag('v1')] }] });
    expect(Annotations.fromStack(plain.stack).findWarning('*', Match.stringLikeRegexp('nonAsciiRefName'))).toEqual([]);
  });

  test.each([
    ['a zero-width space', 'dev\u200b', 'dev'],
    ['a right-to-left override', 'd\u202eev', 'dev'],
    ['a Cyrillic letter a (U+0430)', 'st\u0430ging', 'staging'],
  ])('fails if an environment name contains %s; the ASCII name is accepted', (_title, name, ascii) => {
    // A name that looks like, or renders as, an ordinary one is refused
    expectRefused({ environments: [{ name, branches: ['dev'] }] },
      new RegExp(`^environments\\[0\\]\\.name must be 1 to 32 lower-case letters, digits and single '-' or '_' separators, starting with a letter .*, got '${name}'$`));
    // THEN the name without the character is accepted
    expectAccepted({ environments: [{ name: ascii, branches: ['dev'] }] });
  });

  test.each([
    ['a zero-width space', 'production\u200b', 'production'],
    ['a right-to-left override', 'prod\u202euction', 'production'],
    ['a Cyrillic letter a (U+0430)', 'st\u0430ging', 'staging'],
  ])('fails if a GitHub deployment environment name contains %s; the ASCII name is accepted', (_title, name, ascii) => {
    // A deployment environment that GitHub would show as an ordinary name is refused
    expectRefused(env({ branches: undefined, subjects: [GithubSubject.environment(name)] }),
      new RegExp(`^environments\\[0\\]\\.subjects\\[0\\] must be a GitHub deployment environment name of 1 to 255 letters, digits, .*, got '${name}'$`));
    // THEN the name without the character is accepted
    expectAccepted(env({ branches: undefined, subjects: [GithubSubject.environment(ascii)] }));
  });

  test('the characters named are those above U+007F, each once; DEL and the rest of ASCII are not', () => {
    expect(nonAsciiCharacters('a\u007f~')).toEqual([]);
    expect(nonAsciiCharacters('\u0080m\u0430\u0430in')).toEqual(["U+0080 '\u0080'", "U+0430 '\u0430'"]);
  });
});

describe('mistakes that would lock every workflow out', () => {
  test('fails if a branch is given with refs/heads/, naming the fix; a name that only looks alike is fine', () => {
    expectRefused({ environments: [{ name: 'dev', branches: ['refs/heads/main'] }] },
      /^environments\[0\]\.branches\[0\] must be a valid git branch name: give the name without 'refs\/heads\/', which is added for you: use 'main', got 'refs\/heads\/main'/);
    expectAccepted({ environments: [{ name: 'dev', branches: ['refs-heads/main'] }] });
    expectAccepted({ environments: [{ name: 'dev', branches: ['xrefs/heads/main'] }] });
  });

  test('fails if a tag is given with refs/tags/; tag patterns too', () => {
    expectRefused({ environments: [{ name: 'dev', subjects: [GithubSubject.tag('refs/tags/v1')] }] }, /use 'v1', got 'refs\/tags\/v1'/);
    expectRefused({ environments: [{ name: 'dev', subjects: [GithubSubject.tagPattern('refs/tags/v*')] }] }, /use 'v\*'/);
    expectAccepted({ environments: [{ name: 'dev', subjects: [GithubSubject.tag('v1')] }] });
  });

  test('fails if githubRepository ends in .git; a name merely containing .git is fine', () => {
    expectRefused({ githubRepository: 'octo-org/octo-repo.git' }, /^githubRepository must not end in '\.git'.*use 'octo-org\/octo-repo', got 'octo-org\/octo-repo\.git'/);
    expectAccepted({ githubRepository: 'octo-org/octo-repo.gitx' });
    expectAccepted({ githubRepository: 'octo-org/.github', repositoryPrefix: 'dotgithub' });
  });

  test.each([
    'https://github.com/octo-org/octo-repo',
    'https://github.com/octo-org/octo-repo.git',
    'https://github.com/octo-org/octo-repo/',
    'git@github.com:octo-org/octo-repo.git',
    'ssh://git@github.com/octo-org/octo-repo',
    'github.com/octo-org/octo-repo',
    'https://github.example.com/octo-org/octo-repo',
  ])('fails if githubRepository is a URL or clone address, naming owner/repo: %s', (url) => {
    expectRefused({ githubRepository: url }, /^githubRepository must be the repository as 'owner\/repo', not a URL or clone address: use 'octo-org\/octo-repo'/);
  });

  test('an owner or repository named like a host is still a repository', () => {
    expectAccepted({ githubRepository: 'github/github.com' });
  });
});
