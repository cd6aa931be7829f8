import * as fc from 'fast-check';
import { GithubOidcEcrPipeline, GithubReusableWorkflow, GithubSubject, TokenClaims } from '../src';
import { example } from './support/example';
import { PINNED_IDS, SCENARIOS, Scenario } from './support/security-scenarios';
import { ClaimSet, claimSetsFor, simulateAssume } from './support/security-simulate';
import { ACCOUNT, ISSUER, providerArnFor, synthPipeline } from './support/stack';
import { templateOf, trustPolicyOf } from './support/template';
import { CENTRAL, OWNER_ID, REPO_ID } from './support/token-2026';
import { rolesFromTemplate } from '../src/cli';
import { evaluateRole, explainRoles } from '../src/explain';

/*
 * explain(): which role admits a token, and for each that refuses it, the first condition that
 * fails and what would make it pass; the evaluator on hand-made policies; and the differential
 * test against @cloud-copilot/iam-simulate, over both readers (the template and explain()).
 */

const REPO = 'repo:shamimice03/push-image-to-ecr';
const AUD = 'sts.amazonaws.com';

describe('explain()', () => {
  test.each([
    ['dev', 'dev'],
    ['main', 'prod'],
  ])('a run on branch %s is admitted by the role of %s', (branch, environment) => {
    // GIVEN
    const { pipeline } = example();

    // WHEN
    const result = pipeline.explain({ sub: `${REPO}:ref:refs/heads/${branch}`, aud: AUD });

    // THEN
    expect(result.admitted).toBe(true);
    expect(result.environment).toBe(environment);
    expect(result.roles.map(r => [r.environment, r.admitted])).toEqual([['dev', environment === 'dev'], ['prod', environment === 'prod']]);
    expect(result.roles.find(r => r.admitted)).toEqual({ environment, admitted: true });
    expect(result.report).toContain(`Admitted by the role of environment '${environment}'.`);
    // The other role's reasons are beside the point once one role admits the token.
    expect(result.report).toMatch(/^ {2}(dev|prod) +refuses$/m);
    expect(result.report).not.toContain('fix:');
  });

  test('a run on another branch: each role names its branch', () => {
    // GIVEN
    const { pipeline } = example();

    // WHEN
    const result = pipeline.explain({ sub: `${REPO}:ref:refs/heads/feature`, aud: AUD });

    // THEN
    expect(result.admitted).toBe(false);
    expect(result.environment).toBeUndefined();
    expect(result.roles).toEqual([
      {
        environment: 'dev',
        admitted: false,
        firstFailure: `sub is '${REPO}:ref:refs/heads/feature' but the role trusts '${REPO}:ref:refs/heads/dev'`,
        fix: 'run the workflow on branch dev',
      },
      {
        environment: 'prod',
        admitted: false,
        firstFailure: `sub is '${REPO}:ref:refs/heads/feature' but the role trusts '${REPO}:ref:refs/heads/main'`,
        fix: 'run the workflow on branch main',
      },
    ]);
    expect(result.report.split('\n')).toEqual([
      `Token: aud '${AUD}', sub '${REPO}:ref:refs/heads/feature', repository_id (absent), repository_owner_id (absent), job_workflow_ref (absent), ref (absent)`,
      'Refused: no environment\'s role admits this token.',
      `  dev   refuses: sub is '${REPO}:ref:refs/heads/feature' but the role trusts '${REPO}:ref:refs/heads/dev'`,
      '        fix: run the workflow on branch dev',
      `  prod  refuses: sub is '${REPO}:ref:refs/heads/feature' but the role trusts '${REPO}:ref:refs/heads/main'`,
      '        fix: run the workflow on branch main',
      expect.stringMatching(/^Only the trust policies' conditions were checked; STS also checks/),
    ]);
  });

  test('a wrong aud is the first failure, before sub', () => {
    // GIVEN
    const { pipeline } = example();

    // WHEN
    const result = pipeline.explain({ sub: `${REPO}:ref:refs/heads/feature`, aud: 'sigstore' });

    // THEN
    for (const role of result.roles) {
      expect(role.firstFailure).toBe(`aud is 'sigstore' but the role requires '${AUD}'`);
      expect(role.fix).toMatch(/^aud must be sts\.amazonaws\.com: set audience in configure-aws-credentials to sts\.amazonaws\.com/);
    }
  });

  test('a missing aud', () => {
    const result = example().pipeline.explain({ sub: `${REPO}:ref:refs/heads/dev` });
    expect(result.admitted).toBe(false);
    expect(result.roles[0].firstFailure).toBe(`the token has no aud claim, but the role requires aud to be '${AUD}'`);
    expect(result.roles[0].fix).toMatch(/set audience in configure-aws-credentials to sts\.amazonaws\.com/);
  });

  test('a missing sub', () => {
    const result = example().pipeline.explain({ aud: AUD });
    expect(result.admitted).toBe(false);
    expect(result.roles[0].firstFailure).toBe(`the token has no sub claim, but the role requires sub to be '${REPO}:ref:refs/heads/dev'`);
    expect(result.roles[0].fix).toMatch(/GitHub puts sub in every Actions token/);
    expect(result.report).toContain('sub (absent)');
  });

  test('another repository: run the workflow in the trusted one', () => {
    const result = example().pipeline.explain({ sub: 'repo:attacker/push-image-to-ecr:ref:refs/heads/dev', aud: AUD });
    expect(result.roles[0]).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: `sub is 'repo:attacker/push-image-to-ecr:ref:refs/heads/dev' but the role trusts '${REPO}:ref:refs/heads/dev'`,
      fix: 'run the workflow in shamimice03/push-image-to-ecr; the role refuses every other repository, forks included',
    });
  });

  test('a job with a deployment environment: remove it, or trust it', () => {
    const result = example().pipeline.explain({ sub: `${REPO}:environment:prod`, aud: AUD });
    expect(result.roles[1].fix).toBe('run the workflow on branch main, without `environment:` on the job (a job with a deployment environment gets sub ...:environment:NAME instead of the branch)');
  });

  test('a pull_request run: push the branch instead', () => {
    const result = example().pipeline.explain({ sub: `${REPO}:pull_request`, aud: AUD });
    expect(result.roles[0].fix).toMatch(/^run the workflow on branch dev; a pull_request run's sub is \.\.\.:pull_request/);
  });

  test('a customized subject claim: reset it to the default', () => {
    const result = example().pipeline.explain({ sub: `${REPO}:job_workflow_ref:x/y/.github/workflows/a.yml@refs/heads/dev`, aud: AUD });
    expect(result.roles[0].fix).toMatch(/^run the workflow on branch dev; the sub is not in GitHub's default form .*"use_default": true/);
  });

  test('the immutable subject form, when the pipeline has no IDs: give them', () => {
    const result = example().pipeline.explain({ sub: 'repo:shamimice03@111/push-image-to-ecr@222:ref:refs/heads/dev', aud: AUD });
    expect(result.roles[0].fix).toBe('the token uses GitHub\'s immutable subject form (repo:shamimice03@111/push-image-to-ecr@222), which github.com sends for repositories created, renamed or transferred since 2026-07-15, and the role trusts the name form only: set githubOwnerId: \'111\' and githubRepositoryId: \'222\' on the pipeline and deploy again');
  });

  describe('with IDs pinned, a tag, a deployment environment and a tag pattern', () => {
    const pinned = (() => {
      let built: GithubOidcEcrPipeline | undefined;
      return () => built ??= PINNED_IDS.build().pipeline;
    })();
    const sub = (suffix: string) => `repo:octo-org/octo-repo:${suffix}`;

    test.each([
      ['ref:refs/heads/develop', 'staging'],
      ['ref:refs/tags/nightly', 'staging'],
      ['environment:production', 'production'],
      ['ref:refs/tags/v1.2.3', 'releases'],
    ])('%s is admitted by %s, in both subject forms', (suffix, environment) => {
      for (const form of [sub(suffix), `repo:octo-org@5551234/octo-repo@987654321:${suffix}`]) {
        const result = pinned().explain({ sub: form, aud: AUD, repositoryId: '987654321' });
        expect(result.environment).toBe(environment);
      }
    });

    test('a wrong repository_id', () => {
      // WHEN
      const result = pinned().explain({ sub: sub('ref:refs/heads/develop'), aud: AUD, repositoryId: '1987654321' });

      // THEN
      expect(result.admitted).toBe(false);
      expect(result.roles[0]).toEqual({
        environment: 'staging',
        admitted: false,
        firstFailure: 'repository_id is \'1987654321\' but the role trusts \'987654321\'',
        fix: 'run the workflow in the repository with ID 987654321; if that repository was deleted and re-created under the same name, set githubRepositoryId (and githubOwnerId) to the new IDs and deploy again',
      });
    });

    test('a branch run against a deployment environment\'s role: add the environment to the job', () => {
      const result = pinned().explain({ sub: sub('ref:refs/heads/main'), aud: AUD, repositoryId: '987654321' });
      expect(result.roles[1].fix).toBe('run the workflow in a job with `environment: production`');
    });

    test('a missing repository_id', () => {
      const result = pinned().explain({ sub: sub('ref:refs/heads/develop'), aud: AUD });
      expect(result.roles[0].firstFailure).toBe('the token has no repository_id claim, but the role requires repository_id to be \'987654321\'');
    });

    test('a tag that matches no pattern: the role names the pattern', () => {
      const result = pinned().explain({ sub: sub('ref:refs/tags/release-1'), aud: AUD, repositoryId: '987654321' });
      const releases = result.roles.find(r => r.environment === 'releases')!;
      expect(releases.firstFailure).toBe(`sub is '${sub('ref:refs/tags/release-1')}' but the role trusts pattern '${sub('ref:refs/tags/v*')}'`);
      expect(releases.fix).toBe('run the workflow on a tag matching v*');
      const staging = result.roles.find(r => r.environment === 'staging')!;
      expect(staging.fix).toBe('run the workflow on branch develop or on tag nightly');
    });

    test('a token in the immutable form is shown the values in that form', () => {
      const immutable = 'repo:octo-org@5551234/octo-repo@987654321';
      const result = pinned().explain({ sub: `${immutable}:ref:refs/heads/main`, aud: AUD, repositoryId: '987654321' });
      expect(result.roles[0].firstFailure).toBe(`sub is '${immutable}:ref:refs/heads/main' but the role trusts '${immutable}:ref:refs/heads/develop' or '${immutable}:ref:refs/tags/nightly'`);
    });

    test('a re-created repository in the immutable form', () => {
      const result = pinned().explain({ sub: 'repo:octo-org@5551234/octo-repo@1:environment:production', aud: AUD, repositoryId: '987654321' });
      expect(result.roles[1].fix).toMatch(/^the token names octo-org@5551234\/octo-repo@1 but the role trusts octo-org@5551234\/octo-repo@987654321: the IDs differ/);
    });
  });
});

describe('the evaluator', () => {
  /** A role whose only statement has StringLike on sub, from an issuer-prefixed provider. */
  const likeRole = (sub: string) => ({
    environment: 'dev',
    policy: {
      Statement: [{
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
        Condition: { StringEquals: { [`${ISSUER}:aud`]: AUD }, StringLike: { [`${ISSUER}:sub`]: sub } },
      }],
    },
  });
  const likeAdmits = (pattern: string, sub: string) => evaluateRole(likeRole(pattern), { sub, aud: AUD }).admitted;

  test('StringLike: * is any run of characters, / included; ? is one character; case matters', () => {
    expect(likeAdmits('repo:o/r:ref:refs/heads/release/*', 'repo:o/r:ref:refs/heads/release/a/b')).toBe(true);
    expect(likeAdmits('repo:o/r:ref:refs/heads/release/*', 'repo:o/r:ref:refs/heads/release/')).toBe(true);
    expect(likeAdmits('repo:o/r:ref:refs/heads/release/*', 'repo:o/r:ref:refs/heads/Release/1')).toBe(false);
    expect(likeAdmits('repo:o/r:ref:refs/tags/v?', 'repo:o/r:ref:refs/tags/v1')).toBe(true);
    expect(likeAdmits('repo:o/r:ref:refs/tags/v?', 'repo:o/r:ref:refs/tags/v12')).toBe(false);
    expect(likeAdmits('repo:o/r:ref:refs/tags/a.b+(c)', 'repo:o/r:ref:refs/tags/a.b+(c)')).toBe(true);
    expect(likeAdmits('repo:o/r:ref:refs/tags/a.b', 'repo:o/r:ref:refs/tags/axb')).toBe(false);
  });

  test('fails if StringLike backtracks: 120 stars and ? against a 60-character miss return at once', () => {
    const started = Date.now();
    expect(likeAdmits(`repo:o/r:ref:refs/heads/${'*a?'.repeat(120)}*b`, `repo:o/r:ref:refs/heads/${'a'.repeat(60)}`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('fails if a condition key names another issuer than the statement\'s provider: STS never sets it', () => {
    // GIVEN github.com keys under a GitHub Enterprise Server provider
    const role = likeRole('repo:o/r:ref:refs/heads/*');
    const foreign = JSON.parse(JSON.stringify(role));
    foreign.policy.Statement[0].Principal.Federated = `arn:aws:iam::${ACCOUNT}:oidc-provider/ghe.example.com/_services/token`;
    const claims = { sub: 'repo:o/r:ref:refs/heads/main', aud: AUD };
    // WHEN / THEN
    expect(evaluateRole(role, claims).admitted).toBe(true);
    expect(evaluateRole(foreign, claims)).toMatchObject({
      admitted: false,
      firstFailure: `the condition key ${ISSUER}:aud belongs to the issuer ${ISSUER}, but the statement trusts the provider for ghe.example.com/_services/token, so STS never sets it and the condition fails`,
    });
    // The prefix is compared without regard to case, as IAM reads condition keys.
    const upper = JSON.parse(JSON.stringify(role));
    upper.policy.Statement[0].Principal.Federated = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.toUpperCase()}`;
    expect(evaluateRole(upper, claims).admitted).toBe(true);
  });

  test('fails if a Deny statement matches the token; a Deny whose condition fails leaves the Allow', () => {
    // GIVEN
    const deny = (sub: string, extra: object = {}) => {
      const role = likeRole('repo:o/r:ref:refs/heads/*');
      role.policy.Statement.push({
        Sid: 'NoHotfix',
        Effect: 'Deny',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
        Condition: { StringLike: { [`${ISSUER}:sub`]: sub } } as any,
        ...extra,
      } as any);
      return role;
    };
    const claims = { sub: 'repo:o/r:ref:refs/heads/hotfix/1', aud: AUD };
    // WHEN / THEN
    expect(evaluateRole(deny('repo:o/r:ref:refs/heads/hotfix/*'), claims)).toMatchObject({
      admitted: false,
      firstFailure: 'a Deny statement (NoHotfix) for sts:AssumeRoleWithWebIdentity matches the token, and a Deny overrides every Allow',
    });
    expect(evaluateRole(deny('repo:o/r:ref:refs/heads/release/*'), claims).admitted).toBe(true);
    // A Deny by wildcard action, or by NotAction that leaves the action out, applies too.
    expect(evaluateRole(deny('repo:o/r:*', { Action: 'sts:*' }), claims).admitted).toBe(false);
    expect(evaluateRole(deny('repo:o/r:*', { Action: undefined, NotAction: 's3:*' }), claims).admitted).toBe(false);
    expect(evaluateRole(deny('repo:o/r:*', { Action: 'sts:AssumeRole' }), claims).admitted).toBe(true);
    // A Deny condition explain cannot evaluate is taken to match: explain never says Admitted where STS may refuse.
    expect(evaluateRole(deny('repo:o/r:*', { Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }), claims).admitted).toBe(false);
  });

  test('reads whichever <issuer>:<claim> keys the policy has, e.g. a GitHub Enterprise issuer and job_workflow_ref', () => {
    // GIVEN a trust policy with another issuer prefix and a pinned workflow file
    const issuer = 'ghe.example.com/_services/token';
    const ref = 'o/r/.github/workflows/push.yml@refs/heads/main';
    const policy = {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}` },
        Condition: {
          StringEquals: { [`${issuer}:aud`]: AUD, [`${issuer}:sub`]: 'repo:o/r:ref:refs/heads/main', [`${issuer}:job_workflow_ref`]: ref },
        },
      }],
    };
    const role = { environment: 'prod', policy };
    const base = { sub: 'repo:o/r:ref:refs/heads/main', aud: AUD };

    // WHEN / THEN
    expect(evaluateRole(role, { ...base, jobWorkflowRef: ref }).admitted).toBe(true);
    expect(evaluateRole(role, base)).toMatchObject({ admitted: false, firstFailure: `the token has no job_workflow_ref claim, but the role requires job_workflow_ref to be '${ref}'` });
    expect(evaluateRole(role, { ...base, jobWorkflowRef: 'o/r/.github/workflows/other.yml@refs/heads/main' })).toMatchObject({
      admitted: false,
      fix: 'run the job from the workflow file .github/workflows/push.yml of o/r at refs/heads/main; another workflow file or ref is refused',
    });
    // And iam-simulate agrees.
    const claimSet = (claims: Record<string, string>): ClaimSet => ({
      label: '',
      principal: policy.Statement[0].Principal.Federated,
      expect: 'Allowed',
      claims: Object.fromEntries(Object.entries(claims).map(([k, v]) => [`${issuer}:${k}`, v])),
    });
    expect(simulateAssume(policy, `arn:aws:iam::${ACCOUNT}:role/prod`, claimSet({ ...base, job_workflow_ref: ref }))).toBe('Allowed');
    expect(simulateAssume(policy, `arn:aws:iam::${ACCOUNT}:role/prod`, claimSet(base))).toBe('Refused');
  });

  test('a condition it cannot evaluate is a refusal that says so, never an admission', () => {
    const policy = {
      Statement: [{
        Effect: 'Allow',
        Action: ['sts:AssumeRoleWithWebIdentity'],
        Principal: { Federated: 'p' },
        Condition: { StringEquals: { [`${ISSUER}:aud`]: AUD, [`${ISSUER}:repository_id`]: { Ref: 'RepoId' } }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }],
    };
    const verdict = evaluateRole({ environment: 'x', policy }, { aud: AUD, repositoryId: '1' });
    expect(verdict.admitted).toBe(false);
    expect(verdict.firstFailure).toMatch(/explain cannot evaluate/);
  });

});

/*
 * The differential test: over generated claim sets, the evaluator and @cloud-copilot/iam-simulate
 * must agree on every role's allow and deny. The evaluator runs on both readers: the template of
 * the command-line entry, and the resolved policies of explain().
 */
describe('differential test against @cloud-copilot/iam-simulate', () => {
  const GENERATED_PER_SCENARIO = Number(process.env.EXPLAIN_GENERATED_CLAIM_SETS ?? 500);
  const figures: string[] = [];
  const totals = { claimSets: 0, evaluations: 0, allowed: 0, refused: 0, disagreements: 0 };
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`explain differential: ${totals.claimSets} claim sets, ${totals.evaluations} role evaluations, `
      + `${totals.allowed} allowed and ${totals.refused} refused by both, ${totals.disagreements} disagreements\n${figures.join('\n')}`);
  });

  test.each(SCENARIOS.map(s => [s.title, s] as const))('%s', (_title, scenario) => {
    // GIVEN the synthesized template, and claim sets: the trust matrix's, plus generated ones
    const { stack, pipeline } = scenario.build();
    const template = templateOf(stack);
    const issuer = scenario.issuer ?? ISSUER;
    const providerArn = providerArnFor(issuer);
    const roles = pipeline.environments.map(env => {
      const logicalId = stack.getLogicalId(env.role.node.defaultChild as any);
      return { name: env.name, logicalId, trust: trustPolicyOf(template, logicalId, providerArn) };
    });
    const fromTemplate = rolesFromTemplate(template);
    expect(fromTemplate.map(r => r.environment)).toEqual(roles.map(r => r.name));
    // Other providers' tokens, and claims keyed for another issuer, are the principal's business
    // (STS matches the token's issuer to the provider), not a condition's: left out.
    const handMade = scenario.environments.flatMap(env => claimSetsFor(scenario, env))
      .filter(c => c.principal === providerArn && Object.keys(c.claims).every(k => k.startsWith(`${issuer}:`)));
    const generated = fc.sample(claimsArbitrary(scenario), { numRuns: GENERATED_PER_SCENARIO, seed: 20260808 })
      .map((claims, i): ClaimSet => ({ label: `generated ${i}`, principal: providerArn, claims, expect: 'Refused' }));
    const claimSets = [...handMade, ...generated];

    // WHEN
    const disagreements: string[] = [];
    const byRole = new Map(roles.map(r => [r.name, { allowed: 0, refused: 0 }]));
    for (const claimSet of claimSets) {
      const claims = tokenClaims(claimSet.claims, issuer);
      const explained = pipeline.explain(claims);
      const cli = explainRoles(fromTemplate, claims);
      roles.forEach((role, i) => {
        const simulated = simulateAssume(role.trust, `arn:aws:iam::${ACCOUNT}:role/${role.name}`, claimSet) === 'Allowed';
        const verdicts = [explained.roles[i].admitted, cli.roles[i].admitted];
        if (verdicts.some(v => v !== simulated)) {
          disagreements.push(`${role.name} ${JSON.stringify(claimSet.claims)}: iam-simulate ${simulated}, explain() ${verdicts[0]}, template ${verdicts[1]}`);
        } else {
          byRole.get(role.name)![simulated ? 'allowed' : 'refused']++;
        }
      });
    }

    // THEN
    const allowed = [...byRole.values()].reduce((n, c) => n + c.allowed, 0);
    const refused = [...byRole.values()].reduce((n, c) => n + c.refused, 0);
    expect(disagreements).toEqual([]);
    expect(claimSets.length).toBeGreaterThanOrEqual(GENERATED_PER_SCENARIO);
    expect(allowed).toBeGreaterThanOrEqual(claimSets.length / 8);
    // Every role, patterns included, both admits and refuses some claim sets.
    for (const [name, counts] of byRole) expect([name, counts.allowed > 0, counts.refused > 0]).toEqual([name, true, true]);
    totals.claimSets += claimSets.length;
    totals.evaluations += claimSets.length * roles.length;
    totals.allowed += allowed;
    totals.refused += refused;
    totals.disagreements += disagreements.length;
    figures.push(`  ${scenario.title}: ${claimSets.length} claim sets (${handMade.length} hand-made, ${generated.length} generated) x ${roles.length} roles: ${allowed} allowed, ${refused} refused, ${disagreements.length} disagreements`);
  });

  test('at least 1,000 claim sets in all', () => {
    expect(totals.claimSets).toBeGreaterThanOrEqual(1000);
  });
});

/** iam-simulate's context keys (`<issuer>:sub`) as explain's claims. */
function tokenClaims(context: Record<string, string>, issuer: string = ISSUER): TokenClaims {
  const claim = (name: string) => context[`${issuer}:${name}`];
  return { sub: claim('sub'), aud: claim('aud'), ref: claim('ref'), jobWorkflowRef: claim('job_workflow_ref'), repositoryId: claim('repository_id') };
}

/**
 * Claim sets close to a scenario's subjects: its own subjects (often), other kinds and names,
 * other owners and repositories, both subject forms, wrong or missing aud and repository_id.
 */
function claimsArbitrary(scenario: Scenario): fc.Arbitrary<Record<string, string>> {
  const { owner, repo } = scenario;
  const ownerId = scenario.githubOwnerId ?? '123';
  const repositoryId = scenario.githubRepositoryId ?? '987';
  const names = [...new Set(scenario.environments.flatMap(env => env.allowed).map(s => s.replace(/^(ref:refs\/(heads|tags)\/|environment:)/, '')))];
  const name = fc.oneof(
    fc.constantFrom(...names, 'main', 'dev', 'feature', 'release', 'v1', 'production'),
    fc.tuple(fc.constantFrom(...names), fc.constantFrom('-evil', '/x', 'x', '*', '?', '/', ' ', '.')).map(([n, s]) => `${n}${s}`),
    fc.stringMatching(/^[a-zA-Z0-9/.*?_-]{0,12}$/),
  );
  const context = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...scenario.environments.flatMap(env => env.allowed)) },
    { weight: 1, arbitrary: name.map(n => `ref:refs/heads/${n}`) },
    { weight: 1, arbitrary: name.map(n => `ref:refs/tags/${n}`) },
    { weight: 1, arbitrary: name.map(n => `environment:${n}`) },
    { weight: 1, arbitrary: fc.constantFrom('pull_request', 'ref:refs/pull/7/merge', 'pull_request_target', '', 'job_workflow_ref:o/r/.github/workflows/a.yml@refs/heads/main') },
  );
  const repository = fc.oneof(
    { weight: 3, arbitrary: fc.constant(`${owner}/${repo}`) },
    { weight: 1, arbitrary: fc.constant(`${owner}@${ownerId}/${repo}@${repositoryId}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `attacker/${repo}`, `${owner}-evil/${repo}`, `${owner.toUpperCase()}/${repo}`, `${owner}/${repo}-fork`, `${owner}/other`,
        `${owner}@1${ownerId}/${repo}@${repositoryId}`, `${owner}@${ownerId}/${repo}@1${repositoryId}`, `${owner}@${ownerId}/${repo}`, `${owner}/*`,
      ),
    },
  );
  const sub = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(repository, context).map(([r, c]) => `repo:${r}:${c}`) },
    { weight: 1, arbitrary: fc.constantFrom('*', `repo:${owner}/${repo}`, `${owner}/${repo}:ref:refs/heads/main`, '') },
  );
  const option = <T>(arb: fc.Arbitrary<T>, freq: number) => fc.option(arb, { nil: undefined, freq });
  return fc.record({
    sub: option(sub, 12),
    aud: option(fc.oneof({ weight: 6, arbitrary: fc.constant(AUD) }, { weight: 1, arbitrary: fc.constantFrom('sigstore', 'STS.amazonaws.com', `${AUD} `, 'sts.amazonaws.com.cn', '') }), 12),
    repository_id: option(fc.oneof({ weight: 6, arbitrary: fc.constant(repositoryId) }, { weight: 1, arbitrary: fc.constantFrom(`1${repositoryId}`, ownerId, '', '424242') }), 12),
    ref: option(name.map(n => `refs/heads/${n}`), 2),
    job_workflow_ref: option(fc.constantFrom(`${owner}/${repo}/.github/workflows/push-to-ecr.yml@refs/heads/main`, 'x/y/.github/workflows/a.yml@refs/heads/dev'), 2),
  }).map(claims => Object.fromEntries(Object.entries(claims)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [`${scenario.issuer ?? ISSUER}:${k}`, v as string])));
}

describe('explain() for the 2026 forms', () => {

  test('an immutable-form token against roles that trust names only: says so and gives the IDs to set', () => {
    const { pipeline } = synthPipeline();
    const result = pipeline.explain({ sub: `repo:octo-org@${OWNER_ID}/octo-repo@${REPO_ID}:ref:refs/heads/dev`, aud: AUD, repositoryId: REPO_ID, repositoryOwnerId: OWNER_ID });
    expect(result.admitted).toBe(false);
    expect(result.roles[0].fix).toBe(`the token uses GitHub's immutable subject form (repo:octo-org@${OWNER_ID}/octo-repo@${REPO_ID}), which github.com sends for repositories created, renamed or transferred since 2026-07-15, and the role trusts the name form only: set githubOwnerId: '${OWNER_ID}' and githubRepositoryId: '${REPO_ID}' on the pipeline and deploy again`);
  });

  test('says when the claims disagree with the sub\'s IDs', () => {
    const { pipeline } = synthPipeline();
    const result = pipeline.explain({ sub: `repo:octo-org@${OWNER_ID}/octo-repo@${REPO_ID}:ref:refs/heads/dev`, aud: AUD, repositoryId: '1', repositoryOwnerId: OWNER_ID });
    expect(result.roles[0].fix).toMatch(/repository_id '1' disagree with its sub/);
  });

  test('says when token and role differ only in case', () => {
    const { pipeline } = synthPipeline({ githubRepository: 'octo-org/octo-repo' });
    const repository = pipeline.explain({ sub: 'repo:Octo-Org/Octo-Repo:ref:refs/heads/dev', aud: AUD });
    expect(repository.roles[0].fix).toBe('the sub differs from the trusted \'repo:octo-org/octo-repo:ref:refs/heads/dev\' only in upper and lower case, and IAM compares case-sensitively: set githubRepository to \'Octo-Org/Octo-Repo\', the repository\'s spelling on GitHub');
    const branch = pipeline.explain({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/Dev', aud: AUD });
    expect(branch.roles[0].fix).toMatch(/only in upper and lower case.*use the branch, tag or environment name exactly as GitHub spells it/);
  });

  test('with a template, names the first claim that differs', () => {
    const { pipeline } = synthPipeline({
      subjectClaimKeys: ['repo', 'context', 'ref'],
      environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }],
    });
    const other = pipeline.explain({ sub: 'repo:octo-org/octo-repo:environment:production:ref:refs/heads/feature', aud: AUD });
    expect(other.roles[0].fix).toBe('run the workflow in a job with `environment: production` on branch main; its ref is \'refs/heads/feature\' where the role trusts \'refs/heads/main\'');
    const unbound = pipeline.explain({ sub: 'repo:octo-org/octo-repo:environment:production', aud: AUD });
    expect(unbound.roles[0].fix).toMatch(/has nothing where the role's template has 'ref': set subjectClaimKeys to the repository's template/);
  });

  test('a reusable workflow at another ref: names the central file and ref', () => {
    const { pipeline } = synthPipeline({ reusableWorkflow: GithubReusableWorkflow.fromReference(CENTRAL) }, { env: { region: 'us-east-1' } });
    const result = pipeline.explain({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/dev', aud: AUD, jobWorkflowRef: CENTRAL.replace('v1', 'v2') });
    expect(result.roles[0].firstFailure).toBe(`job_workflow_ref is '${CENTRAL.replace('v1', 'v2')}' but the role trusts '${CENTRAL}'`);
    expect(result.roles[0].fix).toBe('run the job from the workflow file .github/workflows/build.yml of octo-org/ci at refs/tags/v1; another workflow file or ref is refused');
  });
});

describe('evaluateRole() verdict logic on hand-written policies', () => {
  const PROVIDER = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
  const SUB = 'repo:o/r:ref:refs/heads/main';
  const allow = (extra: Record<string, unknown> = {}) => ({
    Effect: 'Allow',
    Action: 'sts:AssumeRoleWithWebIdentity',
    Principal: { Federated: PROVIDER },
    Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': SUB } },
    ...extra,
  });
  const claims = { aud: 'sts.amazonaws.com', sub: SUB };
  const NO_ALLOW = {
    environment: 'dev',
    admitted: false,
    firstFailure: 'the trust policy has no Allow statement for sts:AssumeRoleWithWebIdentity',
    fix: 'trust the GitHub Actions OIDC provider (GithubOidcEcrPipeline writes such a statement for every environment)',
  };

  test('a policy without statements admits nothing', () => {
    expect(evaluateRole({ environment: 'dev', policy: { Version: '2012-10-17' } }, claims)).toEqual(NO_ALLOW);
  });

  test('a matching Allow statement given as a single object admits the token', () => {
    expect(evaluateRole({ environment: 'dev', policy: { Statement: allow() } }, claims)).toEqual({ environment: 'dev', admitted: true });
  });

  test('a statement that is not Allow, lacks the web identity action, or has no federated principal does not count', () => {
    const policies = [
      { Statement: [allow({ Effect: 'Deny ' })] },
      { Statement: [allow({ Action: ['sts:AssumeRole', 'sts:TagSession'] })] },
      { Statement: [allow({ Action: [42] })] },
      { Statement: [allow({ Principal: { Service: 'ec2.amazonaws.com' } })] },
    ];
    for (const policy of policies) {
      expect(evaluateRole({ environment: 'dev', policy }, claims)).toEqual(NO_ALLOW);
    }
  });

  test('an Allow statement lists the web identity action among others, in any case', () => {
    const policy = { Statement: [allow({ Action: ['sts:TagSession', 'STS:assumeRoleWithWebIdentity'] })] };
    expect(evaluateRole({ environment: 'dev', policy }, claims)).toEqual({ environment: 'dev', admitted: true });
  });

  test('one admitting statement among failing ones admits the token', () => {
    const other = allow({ Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:o/r:ref:refs/heads/dev' } } });
    expect(evaluateRole({ environment: 'dev', policy: { Statement: [other, allow()] } }, claims)).toEqual({ environment: 'dev', admitted: true });
  });

  test('a Deny statement whose conditions all match refuses the token, named by its Sid', () => {
    const deny = {
      Sid: 'NoMain',
      Effect: 'Deny',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: PROVIDER },
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': SUB } },
    };
    expect(evaluateRole({ environment: 'dev', policy: { Statement: [allow(), deny] } }, claims)).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: 'a Deny statement (NoMain) for sts:AssumeRoleWithWebIdentity matches the token, and a Deny overrides every Allow',
      fix: 'remove or narrow that Deny statement, or run the workflow so that one of its conditions fails',
    });
    const { Sid, ...anonymous } = deny;
    expect(evaluateRole({ environment: 'dev', policy: { Statement: [allow(), anonymous] } }, claims).firstFailure)
      .toBe('a Deny statement for sts:AssumeRoleWithWebIdentity matches the token, and a Deny overrides every Allow');
  });

  test('a Deny statement with one condition that fails does not refuse the token', () => {
    const deny = {
      Effect: 'Deny',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: PROVIDER },
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': SUB, 'token.actions.githubusercontent.com:aud': 'other' } },
    };
    expect(evaluateRole({ environment: 'dev', policy: { Statement: [allow(), deny] } }, claims)).toEqual({ environment: 'dev', admitted: true });
  });
});
