import { Duration, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { GithubOidcEcrPipeline, GithubSubject, PipelineEnvironmentProps } from '../../src';
import { subjectForms } from '../support/oracles';
import { simulateAssume } from '../support/security-simulate';
import { ISSUER, PROVIDER_ARN } from '../support/stack';
import { Json, concretize, resolvedTemplateOf, resourcesOfType } from '../support/template';

/*
 * Property-based inputs (fast-check). Stacks are resolved without synthesizing an app, so that
 * each property can run 1,000 times. SECURITY_NUM_RUNS lowers the count locally; CI keeps 1,000.
 */
const NUM_RUNS = Number(process.env.SECURITY_NUM_RUNS ?? 1000);
const params = { numRuns: NUM_RUNS };
const AUD = `${ISSUER}:aud`;
const SUB = `${ISSUER}:sub`;
const REPOSITORY_ID = `${ISSUER}:repository_id`;
const figures: string[] = [];
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`properties: ${figures.length} properties, ${NUM_RUNS} runs each\n${figures.map(f => `  ${f}`).join('\n')}`);
});

// ---- valid inputs ---------------------------------------------------------------------------

const owner = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,18}$/);
const repo = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,20}$/).filter(r => r !== '.' && r !== '..');
const numericId = fc.stringMatching(/^[1-9][0-9]{0,9}$/);
const word = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,9}$/);
/** A git-valid name under a namespace, so no two generated names collide across kinds. */
const refName = (namespace: string) => fc.array(word, { minLength: 1, maxLength: 3 }).map(parts => `${namespace}${parts.join('/')}`);

interface ValidEnv { name: string; branches: string[]; tags: string[]; deployments: string[]; pattern?: string; pullRequest: boolean }

const validEnvs = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), { minLength: 1, maxLength: 3 }).chain(names => fc.tuple(
  ...names.map((name, i) => fc.record({
    name: fc.constant(name),
    branches: fc.uniqueArray(refName(`b${i}-`), { maxLength: 3 }),
    tags: fc.uniqueArray(refName(`t${i}-`), { maxLength: 2 }),
    deployments: fc.uniqueArray(refName(`e${i}-`), { maxLength: 1 }),
    pattern: fc.option(word.map(w => `p${i}-${w}/*`), { nil: undefined }),
    pullRequest: fc.constant(false),
  })),
)).map(envs => {
  // At most one environment trusts pull requests; every environment trusts something.
  return envs.map((env, i) => ({ ...env, pullRequest: i === 0 && env.branches.length === 0 && env.deployments.length === 0, branches: env.branches.length || i === 0 ? env.branches : [`b${i}-main`] }));
});

const validInput = fc.record({
  owner, repo, ids: fc.option(fc.tuple(numericId, numericId), { nil: undefined }), envs: validEnvs,
});

function subjectsOf(env: ValidEnv): GithubSubject[] {
  return [
    ...env.tags.map(t => GithubSubject.tag(t)),
    ...env.deployments.map(d => GithubSubject.environment(d)),
    ...(env.pattern ? [GithubSubject.branchPattern(env.pattern)] : []),
    ...(env.pullRequest ? [GithubSubject.pullRequest()] : []),
  ];
}

function exactSuffixes(env: ValidEnv): string[] {
  return [
    ...env.branches.map(b => `ref:refs/heads/${b}`), ...env.tags.map(t => `ref:refs/tags/${t}`),
    ...env.deployments.map(d => `environment:${d}`), ...(env.pullRequest ? ['pull_request'] : []),
  ];
}

/** What the role trusts: a deployment environment's tokens only, when it has one; else its refs and pull requests. */
function trustedSuffixes(env: ValidEnv): string[] {
  return env.deployments.length > 0 ? env.deployments.map(d => `environment:${d}`) : exactSuffixes(env);
}

function trustedPattern(env: ValidEnv): string | undefined {
  return env.deployments.length > 0 ? undefined : env.pattern;
}

const ecrSafe = (value: string) => /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(value);

test('random valid inputs synthesize, and every trust policy keeps the matrix rules', () => {
  fc.assert(fc.property(validInput, ({ owner: o, repo: r, ids, envs }) => {
    // GIVEN / WHEN a stack in the aws partition, where repository_id is pinned
    const stack = new Stack(undefined, undefined, { env: { region: 'us-east-1' } });
    new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: `${o}/${r}`,
      githubOwnerId: ids?.[0],
      githubRepositoryId: ids?.[1],
      repositoryPrefix: ecrSafe(r.toLowerCase()) ? undefined : 'app',
      environments: envs.map(env => ({ name: env.name, branches: env.branches, subjects: subjectsOf(env) })),
    });
    const template = resolvedTemplateOf(stack);

    // THEN
    const roles = Object.values<Json>(resourcesOfType(template, 'AWS::IAM::Role'));
    expect(roles).toHaveLength(envs.length);
    const forms = (suffix: string) => subjectForms(o, r, ids && { ownerId: ids[0], repositoryId: ids[1] }, suffix);
    envs.forEach((env, i) => {
      const doc = roles[i].Properties.AssumeRolePolicyDocument;
      for (const s of doc.Statement) {
        expect(s.Action).toBe('sts:AssumeRoleWithWebIdentity');
        expect(s.Condition.StringEquals[AUD]).toBe('sts.amazonaws.com');
        expect(Object.keys(s.Condition).filter(k => /^For(All|Any)Values/.test(k))).toEqual([]);
        expect(s.Condition.StringEquals[REPOSITORY_ID]).toBe(ids?.[1]);
      }
      const exact = doc.Statement.filter((s: Json) => s.Condition.StringEquals[SUB] !== undefined);
      const like = doc.Statement.filter((s: Json) => s.Condition.StringLike !== undefined);
      expect(exact.flatMap((s: Json) => [s.Condition.StringEquals[SUB]].flat()).sort()).toEqual(trustedSuffixes(env).flatMap(forms).sort());
      expect(like.flatMap((s: Json) => [s.Condition.StringLike[SUB]].flat()).sort()).toEqual((trustedPattern(env) ? forms(`ref:refs/heads/${trustedPattern(env)}`) : []).sort());
      // A wildcard appears only where a pattern factory put it.
      const stars = JSON.stringify(doc).match(/\*/g) ?? [];
      expect(stars.length).toBe(trustedPattern(env) ? (ids ? 2 : 1) : 0);

      // The simulator admits the environment's own subject and refuses the others' and a look-alike.
      const trust = concretize(doc, template);
      const token = (sub: string) => ({ label: sub, principal: PROVIDER_ARN, expect: 'Allowed' as const, claims: { [AUD]: 'sts.amazonaws.com', [SUB]: sub, [REPOSITORY_ID]: ids?.[1] ?? '1' } });
      const own = trustedSuffixes(env)[0] ?? `ref:refs/heads/${env.pattern!.replace('*', 'x')}`;
      const roleArn = 'arn:aws:iam::111122223333:role/r';
      expect(simulateAssume(trust, roleArn, token(forms(own)[0]))).toBe('Allowed');
      expect(simulateAssume(trust, roleArn, token(`${forms(own)[0]}-evil`))).toBe('Refused');
      for (const other of envs.filter(e => e !== env)) {
        for (const suffix of trustedSuffixes(other).slice(0, 1)) expect(simulateAssume(trust, roleArn, token(forms(suffix)[0]))).toBe('Refused');
      }
    });
  }), params);
  figures.push('valid inputs synthesize and keep the matrix rules');
});

test('never a wildcard the user did not ask for: any branch string either throws or is trusted exactly', () => {
  fc.assert(fc.property(fc.string({ maxLength: 40, unit: 'binary-ascii' }), fc.string({ maxLength: 20 }), (branch, tag) => {
    // GIVEN
    const stack = new Stack();
    let built = true;
    try {
      // WHEN
      new GithubOidcEcrPipeline(stack, 'Pipeline', {
        githubRepository: 'octo-org/octo-repo',
        environments: [{ name: 'dev', branches: [branch], subjects: [GithubSubject.tag(tag)] }],
      });
    } catch (e) {
      built = false;
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toMatch(/^environments\[0\]\.(branches|subjects)\[0\] /);
    }
    // THEN
    if (built) {
      const doc = Object.values<Json>(resourcesOfType(resolvedTemplateOf(stack), 'AWS::IAM::Role'))[0].Properties.AssumeRolePolicyDocument;
      expect(JSON.stringify(doc)).not.toMatch(/[*?]/);
      expect(doc.Statement).toHaveLength(1);
      expect(doc.Statement[0].Condition.StringLike).toBeUndefined();
      expect(doc.Statement[0].Condition.StringEquals[SUB]).toEqual([`repo:octo-org/octo-repo:ref:refs/heads/${branch}`, `repo:octo-org/octo-repo:ref:refs/tags/${tag}`]);
    }
  }), params);
  figures.push('any branch/tag string throws or is trusted exactly, never as a wildcard');
});

// ---- invalid inputs -------------------------------------------------------------------------

interface Invalid { property: string; value: string; build: (stack: Stack) => void }

const base = (overrides: Partial<PipelineEnvironmentProps> = {}, extra: object = {}) => (stack: Stack) => new GithubOidcEcrPipeline(stack, 'Pipeline', {
  githubRepository: 'octo-org/octo-repo', environments: [{ name: 'dev', branches: ['dev'], ...overrides }], ...extra,
});
const oneOf = (chars: string) => fc.constantFrom(...chars.split(''));
const insert = (valid: fc.Arbitrary<string>, bad: fc.Arbitrary<string>) => fc.tuple(valid, bad, fc.nat()).map(([v, b, at]) => {
  const i = at % (v.length + 1);
  return v.slice(0, i) + b + v.slice(i);
});
const badRef = fc.oneof(
  insert(fc.constant('feature/x'), fc.oneof(oneOf(' ~^:[\\?*\t\x7f'), fc.constant('..'), fc.constant('@{'))),
  fc.constantFrom('', '/main', 'main/', 'a//b', 'main.', '-main', 'a/.hidden', 'main.lock', '@', 'x'.repeat(256)),
);

const invalid: fc.Arbitrary<Invalid> = fc.oneof(
  insert(fc.constant('octo'), oneOf('_. *?@:!')).map(bad => ({ property: 'githubRepository', value: `${bad}/octo-repo`, build: (s: Stack) => base({}, { githubRepository: `${bad}/octo-repo` })(s) })),
  fc.constantFrom('', '-octo', 'octo-', 'oc--to', 'a'.repeat(40)).map(bad => ({ property: 'githubRepository', value: `${bad}/octo-repo`, build: (s: Stack) => base({}, { githubRepository: `${bad}/octo-repo` })(s) })),
  fc.oneof(insert(fc.constant('octo-repo'), oneOf(' *?:@~/')), fc.constantFrom('', '.', '..', 'r'.repeat(101))).map(bad => ({
    property: 'githubRepository', value: `octo-org/${bad}`, build: (s: Stack) => base({}, { githubRepository: `octo-org/${bad}` })(s),
  })),
  badRef.map(bad => ({ property: 'environments[0].branches[0]', value: bad, build: base({ branches: [bad] }) })),
  badRef.map(bad => ({ property: 'environments[0].subjects[0]', value: bad, build: base({ subjects: [GithubSubject.tag(bad)] }) })),
  fc.constantFrom('main', 'release/?', 'v?.*').map(bad => ({ property: 'environments[0].subjects[0]', value: bad, build: base({ subjects: [GithubSubject.branchPattern(bad)] }) })),
  fc.oneof(insert(fc.constant('prod'), oneOf('A *?/.@')), fc.constantFrom('', '1prod', 'prod-', 'pr--od', 'p'.repeat(33))).map(bad => ({
    property: 'environments[0].name', value: bad, build: base({ name: bad }),
  })),
  fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/).map(name => ({
    property: 'environments[1].name',
    value: name,
    build: (s: Stack) => new GithubOidcEcrPipeline(s, 'Pipeline', { githubRepository: 'o/r', environments: [{ name, branches: ['a'] }, { name, branches: ['b'] }] }),
  })),
  fc.oneof(fc.stringMatching(/^[0-9]{1,11}$/), fc.stringMatching(/^[0-9]{13,15}$/), insert(fc.constant('11112222333'), oneOf('a- *'))).map(bad => ({
    property: 'environments[0].pullAccounts[0]', value: bad, build: base({ pullAccounts: [bad] }),
  })),
  fc.oneof(fc.integer({ min: 1, max: 59 }), fc.integer({ min: 721, max: 100000 })).map(minutes => ({
    property: 'environments[0].maxSessionDuration', value: `Duration.minutes(${minutes})`, build: base({ maxSessionDuration: Duration.minutes(minutes) }),
  })),
  fc.oneof(insert(fc.constant('12345'), oneOf('a- *')), fc.constantFrom('', '0123')).map(bad => ({
    property: 'githubOwnerId', value: bad, build: base({}, { githubOwnerId: bad, githubRepositoryId: '1' }),
  })),
  fc.oneof(insert(fc.constant('octo-dev'), oneOf('A *?:')), fc.constantFrom('a', 'x'.repeat(257), '-a', 'a--b')).map(bad => ({
    property: 'environments[0].repositoryName', value: bad, build: base({ repositoryName: bad }),
  })),
  insert(fc.constant('github-dev'), oneOf(' *?:/')).map(bad => ({ property: 'environments[0].roleName', value: bad, build: base({ roleName: bad }) })),
);

test('random invalid inputs throw an Error that names the property and the value', () => {
  fc.assert(fc.property(invalid, ({ property, value, build }) => {
    let thrown: unknown;
    try {
      build(new Stack());
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    const message = (thrown as Error).message;
    expect(message.startsWith(property)).toBe(true);
    expect(message).toContain(value.startsWith('Duration.') ? value : `'${value}'`);
  }), params);
  figures.push('invalid owners, repositories, branches, tags, patterns, names, duplicates, accounts, durations, IDs, ECR and role names throw');
});

// ---- the trust policy quota -----------------------------------------------------------------

const LONGEST_PROVIDER_ARN = 'arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

/** The trust policy as IAM counts it: whitespace removed, provider at its longest ARN. */
function measuredLength(doc: Json, template: Json): number {
  return JSON.stringify(concretize(doc, template, LONGEST_PROVIDER_ARN)).length;
}

function withBranches(length: number, count: number, ids: boolean): Stack {
  const stack = new Stack();
  const branches = Array.from({ length: count }, (_, i) => `b${String(i).padStart(3, '0')}-${'x'.repeat(length)}`);
  new GithubOidcEcrPipeline(stack, 'Pipeline', {
    githubRepository: 'octo-org/octo-repo',
    ...(ids ? { githubOwnerId: '123456', githubRepositoryId: '987654321' } : {}),
    environments: [{ name: 'dev', branches }],
  });
  return stack;
}

test('trust policies at the quota: just under synthesizes, one subject more fails with the splitting advice', () => {
  // Only 400 distinct inputs: each is checked once and the result reused by later runs.
  const checked = new Map<string, true>();
  fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.boolean(), (length, ids) => {
    if (checked.has(`${length}/${ids}`)) return;
    // GIVEN the count of branches of this length that should just fit, from two measurements
    const lengthWith = (n: number) => {
      const t = resolvedTemplateOf(withBranches(length, n, ids));
      return { template: t, doc: Object.values<Json>(resourcesOfType(t, 'AWS::IAM::Role'))[0].Properties.AssumeRolePolicyDocument };
    };
    const two = lengthWith(2);
    const twoLength = measuredLength(two.doc, two.template);
    const perBranch = measuredLength(lengthWith(3).doc, two.template) - twoLength;
    const count = 2 + Math.floor((2048 - twoLength) / perBranch);

    // WHEN / THEN just under: it synthesizes within the quota...
    const under = lengthWith(count);
    expect(measuredLength(under.doc, under.template)).toBeLessThanOrEqual(2048);
    // ...and one subject more would not fit
    const bigger = structuredClone(under.doc);
    const extra = `repo:octo-org/octo-repo:ref:refs/heads/b${String(count).padStart(3, '0')}-${'x'.repeat(length)}`;
    const subs = bigger.Statement[0].Condition.StringEquals[SUB];
    bigger.Statement[0].Condition.StringEquals[SUB] = [...subs, extra, ...(ids ? [extra.replace('octo-org/octo-repo', 'octo-org@123456/octo-repo@987654321')] : [])];
    expect(measuredLength(bigger, under.template)).toBeGreaterThan(2048);
    // Just over: the construct refuses it and says how to split.
    expect(() => withBranches(length, count + 1, ids)).toThrow(/environments\[0\] \('dev'\) has a trust policy of about \d+ characters, over IAM's default quota of 2048.*Split its subjects over two environments/);
    checked.set(`${length}/${ids}`, true);
  }), params);
  figures.push(`trust policies at the 2,048 quota: just under synthesizes, just over throws with the splitting advice (${checked.size} distinct inputs)`);
});
