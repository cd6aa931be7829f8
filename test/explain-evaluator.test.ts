import { TokenClaims } from '../src';
import { evaluateRole, explainRoles, isGithubTrustPolicy, statementList } from '../src/explain';

/*
 * The evaluator behind explain(), on hand-written trust policies: which statements count, how a
 * Deny applies, the order in which conditions are judged, the statement that explains a refusal,
 * the text of each failure and fix, the report, and which templates' roles the command-line entry
 * reads. No stack is synthesized: each test builds the policy it needs.
 */

const ISSUER = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::111111111111:oidc-provider/${ISSUER}`;
const AUD = 'sts.amazonaws.com';
const SUB = 'repo:o/r:ref:refs/heads/main';
const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

/** The condition key of a claim, under the github.com issuer. */
const key = (claim: string) => `${ISSUER}:${claim}`;

/** An Allow statement for the web identity action from the github.com provider. */
function allow(condition: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return { Effect: 'Allow', Action: WEB_IDENTITY, Principal: { Federated: PROVIDER }, Condition: condition, ...extra };
}

/** The Allow statement the construct writes for one sub, with aud. */
const allowSub = (sub: unknown) => allow({ StringEquals: { [key('aud')]: AUD, [key('sub')]: sub } });

/** A Deny statement for the web identity action whose only condition matches SUB. */
function deny(extra: Record<string, unknown> = {}) {
  return { Effect: 'Deny', Action: WEB_IDENTITY, Principal: { Federated: PROVIDER }, Condition: { StringEquals: { [key('sub')]: SUB } }, ...extra };
}

const verdict = (statements: unknown[], claims: TokenClaims) => evaluateRole({ environment: 'dev', policy: { Statement: statements } }, claims);
const ADMITTED = { environment: 'dev', admitted: true };
const NO_ALLOW = {
  environment: 'dev',
  admitted: false,
  firstFailure: 'the trust policy has no Allow statement for sts:AssumeRoleWithWebIdentity',
  fix: 'trust the GitHub Actions OIDC provider (GithubOidcEcrPipeline writes such a statement for every environment)',
};
const DENIED = {
  environment: 'dev',
  admitted: false,
  firstFailure: 'a Deny statement for sts:AssumeRoleWithWebIdentity matches the token, and a Deny overrides every Allow',
  fix: 'remove or narrow that Deny statement, or run the workflow so that one of its conditions fails',
};
const CUSTOM_SUBJECT_FIX = 'the sub is not in GitHub\'s default form repo:OWNER/REPO:ref:..., environment:... or pull_request; '
  + 'if the repository or organization customizes its OIDC subject claim, reset it to the default '
  + '(PUT /repos/OWNER/REPO/actions/oidc/customization/sub with {"use_default": true})';

describe('which statements count', () => {
  test('a missing or null policy, and a null statement, are read as no statement', () => {
    // GIVEN
    const claims = { aud: AUD, sub: SUB };

    // WHEN / THEN
    expect(evaluateRole({ environment: 'dev', policy: undefined }, claims)).toEqual(NO_ALLOW);
    expect(evaluateRole({ environment: 'dev', policy: null }, claims)).toEqual(NO_ALLOW);
    expect(verdict([null, allowSub(SUB)], claims)).toEqual(ADMITTED);
  });

  test('statementList() reads a list, a single statement, and no statement', () => {
    // GIVEN
    const statement = allowSub(SUB);

    // WHEN / THEN
    expect(statementList({ Statement: [statement, statement] })).toEqual([statement, statement]);
    expect(statementList({ Statement: statement })).toEqual([statement]);
    expect(statementList({ Version: '2012-10-17' })).toEqual([]);
  });

  test('an Allow statement without a Principal does not count', () => {
    // GIVEN
    const { Principal, ...noPrincipal } = allowSub(SUB);

    // WHEN / THEN
    expect(verdict([noPrincipal], { aud: AUD, sub: SUB })).toEqual(NO_ALLOW);
  });
});

describe('which Deny statements apply', () => {
  const claims = { aud: AUD, sub: SUB };

  test('a Deny whose Action list names the web identity action among others applies', () => {
    expect(verdict([allowSub(SUB), deny({ Action: ['s3:GetObject', WEB_IDENTITY] })], claims)).toEqual(DENIED);
  });

  test('a Deny action with ? matches any one character, as in IAM', () => {
    expect(verdict([allowSub(SUB), deny({ Action: 'sts:AssumeRoleWith?ebIdentity' })], claims)).toEqual(DENIED);
  });

  test('a Deny action that is not a string covers nothing', () => {
    expect(verdict([allowSub(SUB), deny({ Action: [42] })], claims)).toEqual(ADMITTED);
    expect(verdict([allowSub(SUB), deny({ Action: [42, 'sts:Assume*'] })], claims)).toEqual(DENIED);
  });

  test('a Deny with neither Action nor NotAction does not apply', () => {
    expect(verdict([allowSub(SUB), deny({ Action: undefined })], claims)).toEqual(ADMITTED);
  });

  test('a Deny whose NotAction covers the web identity action does not apply', () => {
    expect(verdict([allowSub(SUB), deny({ Action: undefined, NotAction: ['s3:*', WEB_IDENTITY] })], claims)).toEqual(ADMITTED);
    expect(verdict([allowSub(SUB), deny({ Action: undefined, NotAction: 'sts:*' })], claims)).toEqual(ADMITTED);
  });

  test('a Deny statement without a Principal element still applies', () => {
    expect(verdict([allowSub(SUB), deny({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' } })], claims)).toEqual(DENIED);
  });

  test('a Deny condition on another issuer\'s key never matches, whatever its operator', () => {
    // GIVEN keys of a GitHub Enterprise Server issuer under the github.com provider
    const foreignEquals = deny({ Condition: { StringEquals: { 'ghe.example.com:sub': SUB } } });
    const foreignNumeric = deny({ Condition: { NumericLessThan: { 'ghe.example.com:exp': '1' } } });

    // WHEN / THEN
    expect(verdict([allowSub(SUB), foreignEquals], claims)).toEqual(ADMITTED);
    expect(verdict([allowSub(SUB), foreignNumeric], claims)).toEqual(ADMITTED);
  });

  test('a Deny condition key with no values never matches', () => {
    expect(verdict([allowSub(SUB), deny({ Condition: { StringEquals: { [key('sub')]: undefined } } })], claims)).toEqual(ADMITTED);
    expect(verdict([allowSub(SUB), deny({ Condition: { StringEquals: { [key('sub')]: [] } } })], claims)).toEqual(ADMITTED);
  });

  test('a Deny condition with a value explain cannot evaluate is taken to match', () => {
    const denyingSub = (sub: unknown) => deny({ Condition: { StringEquals: { [key('sub')]: sub } } });
    expect(verdict([allowSub(SUB), denyingSub({ Ref: 'DeniedSub' })], claims)).toEqual(DENIED);
    expect(verdict([allowSub(SUB), denyingSub('${aws:PrincipalTag/sub}')], claims)).toEqual(DENIED);
    expect(verdict([allowSub(SUB), denyingSub(['repo:o/r:ref:refs/heads/dev', { Ref: 'DeniedSub' }])], claims)).toEqual(DENIED);
  });
});

describe('how an Allow condition passes', () => {
  test('a condition key with no values, an empty list or undefined, trusts none, and is not called unevaluable', () => {
    // GIVEN
    const claims = { aud: AUD, sub: SUB };

    // WHEN
    const empty = verdict([allowSub([])], claims);
    const missing = verdict([allowSub(undefined)], claims);

    // THEN
    expect(empty.admitted).toBe(false);
    expect(empty.firstFailure).toMatch(/^sub is '/);
    expect(empty.firstFailure).not.toMatch(/cannot evaluate/);
    expect(missing).toEqual(empty);
  });

  test('StringEquals compares literally: its * is no wildcard', () => {
    expect(verdict([allowSub('repo:o/r:*')], { aud: AUD, sub: SUB })).toMatchObject({
      admitted: false,
      firstFailure: `sub is '${SUB}' but the role trusts 'repo:o/r:*'`,
    });
  });

  test('a policy variable is never read literally, even by a token that carries its text', () => {
    expect(verdict([allowSub('${aws:PrincipalTag/sub}')], { aud: AUD, sub: '${aws:PrincipalTag/sub}' })).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: 'sub must match \'${aws:PrincipalTag/sub}\', which explain cannot evaluate (a deploy-time value or an IAM policy variable)',
      fix: 'give sub as a literal string, or check this condition by hand',
    });
  });

  test('a deploy-time repository_id is named as the template gives it, with the prop to set', () => {
    const statement = allow({ StringEquals: { [key('aud')]: AUD, [key('repository_id')]: { Ref: 'RepoId' } } });
    expect(verdict([statement], { aud: AUD, repositoryId: '1' })).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: 'repository_id must match {"Ref":"RepoId"}, which explain cannot evaluate (a deploy-time value or an IAM policy variable)',
      fix: 'give githubRepositoryId as a literal string, or check this condition by hand',
    });
  });

  test('values mixing a deploy-time value and literals are judged by the literals', () => {
    const statement = allowSub([{ Ref: 'Sub' }, 'repo:o/r:ref:refs/heads/dev']);
    expect(verdict([statement], { aud: AUD, sub: 'repo:o/r:ref:refs/heads/dev' })).toEqual(ADMITTED);
    expect(verdict([statement], { aud: AUD, sub: SUB })).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: `sub is '${SUB}' but the role trusts 'repo:o/r:ref:refs/heads/dev'`,
      fix: 'run the workflow on branch dev',
    });
  });

  test('a condition operator explain does not evaluate is a refusal that names it', () => {
    const statement = allow({ StringEquals: { [key('aud')]: AUD, [key('sub')]: SUB }, DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } });
    expect(verdict([statement], { aud: AUD, sub: SUB })).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: 'the condition DateGreaterThan on aws:CurrentTime is not one GithubOidcEcrPipeline writes, and explain cannot evaluate it',
      fix: 'check this condition by hand, or remove it from the trust policy',
    });
  });

  test('a key of another issuer than the provider\'s: the fix is to make them name the same issuer', () => {
    const statement = allow({ StringEquals: { 'ghe.example.com:aud': AUD } });
    expect(verdict([statement], { aud: AUD })).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: `the condition key ghe.example.com:aud belongs to the issuer ghe.example.com, but the statement trusts the provider for ${ISSUER}, so STS never sets it and the condition fails`,
      fix: 'make the statement\'s provider and its condition keys name the same issuer (GithubOidcEcrPipeline\'s provider and issuer props, or GithubActionsOidcProvider.fromAccount with that issuer)',
    });
  });

  test('repository_owner_id and ref are read from their claims', () => {
    const statement = allow({ StringEquals: { [key('aud')]: AUD, [key('repository_owner_id')]: '42', [key('ref')]: 'refs/heads/main' } });
    expect(verdict([statement], { aud: AUD, repositoryOwnerId: '42', ref: 'refs/heads/main' })).toEqual(ADMITTED);
  });
});

describe('which provider a statement names', () => {
  const claims = { aud: AUD, sub: SUB };
  const withPrincipal = (federated: unknown) => allow({ StringEquals: { [key('aud')]: AUD, [key('sub')]: SUB } }, { Principal: { Federated: federated } });
  const GHE = 'arn:aws:iam::111111111111:oidc-provider/ghe.example.com';

  test('a literal provider ARN of another issuer makes the github.com keys foreign', () => {
    expect(verdict([withPrincipal(GHE)], claims).admitted).toBe(false);
  });

  test('a list of two providers names no single issuer, so no key is foreign', () => {
    expect(verdict([withPrincipal([GHE, PROVIDER])], claims)).toEqual(ADMITTED);
  });

  test('a Federated principal that is not a string names no issuer', () => {
    expect(verdict([withPrincipal([[GHE]])], claims)).toEqual(ADMITTED);
  });

  test('only a whole oidc-provider ARN names an issuer: not one with text before it, nor one with a line break', () => {
    expect(verdict([withPrincipal(`x${GHE}`)], claims)).toEqual(ADMITTED);
    expect(verdict([withPrincipal(`${GHE}\n/other`)], claims)).toEqual(ADMITTED);
  });
});

describe('the order in which conditions are judged', () => {
  test('aud, sub, repository_id, repository_owner_id, job_workflow_ref, ref, whatever the policy order', () => {
    // GIVEN a statement that lists the claims backwards, and a token that fails every one
    const statement = allow({
      StringEquals: {
        [key('ref')]: 'refs/heads/main',
        [key('job_workflow_ref')]: 'o/r/.github/workflows/a.yml@refs/heads/main',
        [key('repository_owner_id')]: '1',
        [key('repository_id')]: '2',
        [key('sub')]: SUB,
        [key('aud')]: AUD,
      },
    });
    const right: TokenClaims = { aud: AUD, sub: SUB, repositoryId: '2', repositoryOwnerId: '1', jobWorkflowRef: 'o/r/.github/workflows/a.yml@refs/heads/main', ref: 'refs/heads/main' };
    const wrong: TokenClaims = { aud: 'x', sub: 'x', repositoryId: 'x', repositoryOwnerId: 'x', jobWorkflowRef: 'x', ref: 'x' };
    const fields: Array<keyof TokenClaims> = ['aud', 'sub', 'repositoryId', 'repositoryOwnerId', 'jobWorkflowRef', 'ref'];

    // WHEN each claim in turn is the first wrong one
    const failures = fields.map((_, i) => {
      const claims = Object.fromEntries(fields.map((f, j) => [f, j < i ? right[f] : wrong[f]]));
      return verdict([statement], claims).firstFailure;
    });

    // THEN
    expect(failures).toEqual([
      `aud is 'x' but the role requires '${AUD}'`,
      `sub is 'x' but the role trusts '${SUB}'`,
      'repository_id is \'x\' but the role trusts \'2\'',
      'repository_owner_id is \'x\' but the role trusts \'1\'',
      'job_workflow_ref is \'x\' but the role trusts \'o/r/.github/workflows/a.yml@refs/heads/main\'',
      'ref is \'x\' but the role trusts \'refs/heads/main\'',
    ]);
  });

  test('a claim explain does not know comes after the known ones', () => {
    const statement = allow({ StringEquals: { [key('actor')]: 'octocat', [key('aud')]: AUD } });
    expect(verdict([statement], { aud: 'x' }).firstFailure).toBe(`aud is 'x' but the role requires '${AUD}'`);
  });

  test('claims of the same rank keep the policy order', () => {
    const actorFirst = allow({ StringEquals: { [key('actor')]: 'octocat', [key('environment')]: 'prod', [key('workflow')]: 'ci' } });
    const workflowFirst = allow({ StringEquals: { [key('workflow')]: 'ci', [key('environment')]: 'prod', [key('actor')]: 'octocat' } });
    expect(verdict([actorFirst], {}).firstFailure).toBe('the token has no actor claim, but the role requires actor to be \'octocat\'');
    expect(verdict([workflowFirst], {}).firstFailure).toBe('the token has no workflow claim, but the role requires workflow to be \'ci\'');
  });
});

describe('the statement that explains a refusal', () => {
  const claims: TokenClaims = { aud: AUD, sub: SUB, repositoryId: '1', jobWorkflowRef: 'x', ref: 'refs/heads/dev' };
  /** Fails job_workflow_ref and ref. */
  const twoFailures = allow({ StringEquals: { [key('aud')]: AUD, [key('job_workflow_ref')]: 'o/r/.github/workflows/a.yml@refs/heads/main', [key('ref')]: 'refs/heads/main' } });
  /** Fails repository_id. */
  const repositoryFailure = allow({ StringEquals: { [key('aud')]: AUD, [key('repository_id')]: '2' } });
  /** Fails ref. */
  const refFailure = allow({ StringEquals: { [key('aud')]: AUD, [key('ref')]: 'refs/heads/main' } });
  const REPOSITORY = 'repository_id is \'1\' but the role trusts \'2\'';
  const REF = 'ref is \'refs/heads/dev\' but the role trusts \'refs/heads/main\'';

  test('is the one with the fewest failing conditions, wherever it stands', () => {
    expect(verdict([twoFailures, repositoryFailure], claims).firstFailure).toBe(REPOSITORY);
    expect(verdict([repositoryFailure, twoFailures], claims).firstFailure).toBe(REPOSITORY);
  });

  test('is the first of those that fail as few', () => {
    expect(verdict([refFailure, repositoryFailure], claims)).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: REF,
      fix: 'run the workflow so that the token\'s ref is \'refs/heads/main\'',
    });
    expect(verdict([repositoryFailure, refFailure], claims).firstFailure).toBe(REPOSITORY);
  });
});

describe('the failure and fix of each claim', () => {
  test('aud: leaving audience out is offered only when the role requires sts.amazonaws.com', () => {
    const audiences = (aud: unknown) => allow({ StringEquals: { [key('aud')]: aud } });
    expect(verdict([audiences(AUD)], { aud: 'sigstore' })).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: `aud is 'sigstore' but the role requires '${AUD}'`,
      fix: `aud must be ${AUD}: set audience in configure-aws-credentials to ${AUD}, or leave audience out (${AUD} is its default)`,
    });
    expect(verdict([audiences(['sigstore', AUD])], { aud: 'x' })).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: `aud is 'x' but the role requires 'sigstore' or '${AUD}'`,
      fix: `aud must be sigstore or ${AUD}: set audience in configure-aws-credentials to sigstore`,
    });
  });

  test('repository_id: every trusted ID is named', () => {
    const statement = allow({ StringEquals: { [key('repository_id')]: ['1', '2'] } });
    expect(verdict([statement], { repositoryId: '3' })).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: 'repository_id is \'3\' but the role trusts \'1\' or \'2\'',
      fix: 'run the workflow in the repository with ID 1 or 2; if that repository was deleted and re-created under the same name, set githubRepositoryId (and githubOwnerId) to the new IDs and deploy again',
    });
  });

  test('job_workflow_ref: a value of the form OWNER/REPO/PATH@REF is put in words, any other is quoted', () => {
    const refs = ['o/r/.github/workflows/a.yml@refs/heads/main', '/o/r/.github/workflows/b.yml@refs/heads/main', 'o/r/.github/workflows/c.yml@refs/heads/main\nx'];
    const statement = allow({ StringEquals: { [key('job_workflow_ref')]: refs } });
    expect(verdict([statement], { jobWorkflowRef: 'x' }).fix).toBe(
      'run the job from the workflow file .github/workflows/a.yml of o/r at refs/heads/main'
      + ' or \'/o/r/.github/workflows/b.yml@refs/heads/main\' or \'o/r/.github/workflows/c.yml@refs/heads/main\nx\''
      + '; another workflow file or ref is refused');
  });

  test('a claim explain does not know, absent from the token: the token must carry it', () => {
    const statement = allow({ StringLike: { [key('actor')]: 'octo*' } });
    expect(verdict([statement], {})).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: 'the token has no actor claim, but the role requires actor to be pattern \'octo*\'',
      fix: 'the token must carry actor pattern \'octo*\'; GitHub Actions tokens may not carry this claim, and explain does not know it',
    });
  });
});

describe('the fix for a sub', () => {
  const fixFor = (trusted: unknown, sub: string, claims: TokenClaims = {}) => verdict([allowSub(trusted)], { aud: AUD, sub, ...claims });

  test('a token sub not in the default form is shown every trusted value, and told to reset the template', () => {
    expect(fixFor([SUB, 'weird'], 'garbage')).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: `sub is 'garbage' but the role trusts '${SUB}' or 'weird'`,
      fix: CUSTOM_SUBJECT_FIX,
    });
  });

  test('only a whole repo:OWNER/REPO:CONTEXT is the default form: not with text before it, nor with a line break after it', () => {
    expect(fixFor('repo:o/r:ref:refs/heads/dev', `x${SUB}`).fix).toBe(CUSTOM_SUBJECT_FIX);
    expect(fixFor('repo:o/r:ref:refs/heads/dev', `${SUB}\n`).fix).toBe(CUSTOM_SUBJECT_FIX);
  });

  test('a trusted value not in the default form is left out of the values in the token\'s form', () => {
    expect(fixFor([SUB, 'weird'], 'repo:o/r:ref:refs/heads/x')).toEqual({
      environment: 'dev',
      admitted: false,
      firstFailure: `sub is 'repo:o/r:ref:refs/heads/x' but the role trusts '${SUB}'`,
      fix: 'run the workflow on branch main',
    });
  });

  test('a sub that differs only in case, when either is not in the default form: spell the names as GitHub does', () => {
    const advice = (trusted: string) => `the sub differs from the trusted '${trusted}' only in upper and lower case, and IAM compares case-sensitively: use the branch, tag or environment name exactly as GitHub spells it`;
    expect(fixFor(SUB, 'REPO:o/r:ref:refs/heads/main').fix).toBe(advice(SUB));
    expect(fixFor('weird', 'Weird').fix).toBe(advice('weird'));
  });

  test('an immutable-form token whose owner ID claim disagrees with its sub: says so', () => {
    expect(fixFor(SUB, 'repo:o@1/r@2:ref:refs/heads/main', { repositoryOwnerId: '9', repositoryId: '2' }).fix).toBe(
      'the token uses GitHub\'s immutable subject form (repo:o@1/r@2), which github.com sends for repositories created, renamed or transferred since 2026-07-15, '
      + 'and the role trusts the name form only: set githubOwnerId: \'1\' and githubRepositoryId: \'2\' on the pipeline and deploy again'
      + ' (the token\'s repository_owner_id \'9\' and repository_id \'2\' disagree with its sub: check which repository sent it)');
  });

  test('an immutable-form token of another repository: run the workflow in the trusted one', () => {
    expect(fixFor('repo:x/y:ref:refs/heads/main', 'repo:o@1/r@2:ref:refs/heads/main').fix)
      .toBe('run the workflow in x/y; the role refuses every other repository, forks included');
  });

  test('a re-created repository: names the trusted IDs, and only those in the immutable form', () => {
    const recreated = (trusted: string) => `the token names o@1/r@2 but the role trusts ${trusted}: the IDs differ, so the repository or its owner was re-created; if that was intended, set githubOwnerId and githubRepositoryId to the new IDs and deploy again`;
    expect(fixFor(['repo:o@1/r@3:ref:refs/heads/main', 'repo:o@1/r@4:ref:refs/heads/main'], 'repo:o@1/r@2:ref:refs/heads/main').fix).toBe(recreated('o@1/r@3 or o@1/r@4'));
    expect(fixFor(['repo:o/r:ref:refs/heads/main', 'repo:o@1/r@3:ref:refs/heads/main'], 'repo:o@1/r@2:ref:refs/heads/main').fix).toBe(recreated('o@1/r@3'));
  });

  test('another repository: each trusted repository is named once, without IDs', () => {
    const trusted = ['repo:o@1/r@2:ref:refs/heads/main', 'repo:o/r:ref:refs/heads/dev', 'repo:a/b:ref:refs/heads/main'];
    expect(fixFor(trusted, 'repo:x/y:ref:refs/heads/main').fix).toBe('run the workflow in o/r or a/b; the role refuses every other repository, forks included');
  });

  test('the ways to run are those of the token\'s repository only', () => {
    expect(fixFor([SUB, 'repo:x/y:ref:refs/heads/dev'], 'repo:o/r:ref:refs/heads/x').fix).toBe('run the workflow on branch main');
  });

  test('a job with a deployment environment, against a role that trusts an environment too: no advice to remove it', () => {
    expect(fixFor([SUB, 'repo:o/r:environment:prod'], 'repo:o/r:environment:staging').fix).toBe('run the workflow on branch main or in a job with `environment: prod`');
  });

  test('a branch pattern, and a trusted pull_request, are named as such', () => {
    const pattern = verdict([allow({ StringEquals: { [key('aud')]: AUD }, StringLike: { [key('sub')]: 'repo:o/r:ref:refs/heads/release/*' } })], { aud: AUD, sub: SUB });
    expect(pattern.fix).toBe('run the workflow on a branch matching release/*');
    expect(fixFor('repo:o/r:pull_request', SUB).fix).toBe('run the workflow on a pull_request event');
  });
});

describe('the fix for a sub of a customized template', () => {
  const fixFor = (trusted: string[], context: string) => verdict([allowSub(trusted.map(t => `repo:o/r:${t}`))], { aud: AUD, sub: `repo:o/r:${context}` }).fix;

  test('a role that trusts a customized sub beside a default one: the closest customized one is compared', () => {
    expect(fixFor(['ref:refs/heads/main', 'environment:prod:ref:refs/heads/main'], 'environment:prod:ref:refs/heads/dev'))
      .toBe('run the workflow on branch main or in a job with `environment: prod` on branch main; its ref is \'refs/heads/dev\' where the role trusts \'refs/heads/main\'');
  });

  test('pull_request stands alone, and another claim is named with its value', () => {
    const ci = 'job_workflow_ref:o/r/.github/workflows/ci.yml@refs/heads/main';
    expect(fixFor([`pull_request:${ci}`], 'pull_request:job_workflow_ref:o/r/.github/workflows/other.yml@refs/heads/main'))
      .toBe('run the workflow on a pull_request event with job_workflow_ref \'o/r/.github/workflows/ci.yml@refs/heads/main\'; '
        + 'its job_workflow_ref is \'o/r/.github/workflows/other.yml@refs/heads/main\' where the role trusts \'o/r/.github/workflows/ci.yml@refs/heads/main\'');
  });

  test('a token\'s pull_request is the value of its context claim', () => {
    expect(fixFor(['context:push'], 'pull_request')).toBe('run the workflow so that its sub ends in \'context:push\'; its context is \'pull_request\' where the role trusts \'push\'');
  });

  test('a key without a value reads as an empty value', () => {
    expect(fixFor(['environment:prod:ref'], 'environment:prod:ref:refs/heads/main'))
      .toBe('run the workflow in a job with `environment: prod` so that its sub ends in \'ref:\'; its ref is \'refs/heads/main\' where the role trusts \'\'');
  });

  test('%3A in a value is a colon', () => {
    expect(fixFor(['environment:a%3Ab:ref:refs/heads/main'], 'environment:a%3Ab:ref:refs/heads/dev'))
      .toBe('run the workflow in a job with `environment: a:b` on branch main; its ref is \'refs/heads/dev\' where the role trusts \'refs/heads/main\'');
  });

  test('the trusted sub that shares the most leading claims is compared, the first of equals', () => {
    const ways = 'run the workflow in a job with `environment: dev` on branch dev or in a job with `environment: prod` on branch main or in a job with `environment: qa` on branch qa';
    expect(fixFor(['environment:dev:ref:refs/heads/dev', 'environment:prod:ref:refs/heads/main', 'environment:qa:ref:refs/heads/qa'], 'environment:prod:ref:refs/heads/feature'))
      .toBe(`${ways}; its ref is 'refs/heads/feature' where the role trusts 'refs/heads/main'`);
    expect(fixFor(['environment:prod:ref:refs/heads/main', 'environment:prod:ref:refs/heads/release'], 'environment:prod:ref:refs/heads/feature'))
      .toMatch(/; its ref is 'refs\/heads\/feature' where the role trusts 'refs\/heads\/main'$/);
  });

  test('a claim counts as shared only when both its key and its value are', () => {
    expect(fixFor(['environment:prod:ref:refs/heads/main', 'repository:prod:ref:refs/heads/feature'], 'environment:prod:ref:refs/heads/feature'))
      .toMatch(/; its ref is 'refs\/heads\/feature' where the role trusts 'refs\/heads\/main'$/);
  });

  test('a template with another claim where the token has one: set subjectClaimKeys', () => {
    expect(fixFor(['job_workflow_ref:prod'], 'environment:prod'))
      .toBe('run the workflow so that its sub ends in \'job_workflow_ref:prod\'; the token\'s sub has \'environment\' where the role\'s template has \'job_workflow_ref\': '
        + 'set subjectClaimKeys to the repository\'s template (GET /repos/OWNER/REPO/actions/oidc/customization/sub shows it)');
  });

  test('a token with more claims than the template: set subjectClaimKeys', () => {
    expect(fixFor(['environment:prod:ref:refs/heads/main'], 'environment:prod:ref:refs/heads/main:job_workflow_ref:x'))
      .toBe('run the workflow in a job with `environment: prod` on branch main; the token\'s sub has more claims than the role\'s template (environment, ref): set subjectClaimKeys to the repository\'s template');
  });

  test('a template longer than the token\'s sub: the token has nothing where the template has a claim', () => {
    expect(fixFor(['environment:prod:ref:refs/heads/main:job_workflow_ref:x', 'environment:dev'], 'environment:prod'))
      .toMatch(/; the token's sub has nothing where the role's template has 'ref': set subjectClaimKeys/);
  });
});

describe('explainRoles() and its report', () => {
  const ALL: TokenClaims = { aud: AUD, sub: SUB, repositoryId: '2', repositoryOwnerId: '1', jobWorkflowRef: 'o/r/.github/workflows/a.yml@refs/heads/main', ref: 'refs/heads/main' };
  const role = (environment: string, sub: string) => ({ environment, policy: { Statement: [allowSub(sub)] } });

  test('two roles that admit the token are both named, and the others refuse without reasons', () => {
    // WHEN
    const result = explainRoles([role('dev', SUB), role('staging', 'repo:o/r:ref:refs/heads/dev'), role('prod', SUB)], ALL);

    // THEN
    expect(result.admitted).toBe(true);
    expect(result.environment).toBe('dev');
    expect(result.report.split('\n')).toEqual([
      `Token: aud '${AUD}', sub '${SUB}', repository_id '2', repository_owner_id '1', job_workflow_ref 'o/r/.github/workflows/a.yml@refs/heads/main', ref 'refs/heads/main'`,
      'Admitted by the role of environment \'dev\' and \'prod\'.',
      '  dev      admits',
      '  staging  refuses',
      '  prod     admits',
      'Only the trust policies\' conditions were checked; STS also checks the token\'s signature, issuer (the role\'s OIDC provider) and expiry.',
    ]);
  });

  test('without roles, the token is refused because there is no role to admit it', () => {
    expect(explainRoles([], {})).toEqual({
      admitted: false,
      environment: undefined,
      roles: [],
      report: [
        'Token: aud (absent), sub (absent), repository_id (absent), repository_owner_id (absent), job_workflow_ref (absent), ref (absent)',
        'Refused: there is no role to admit it.',
        'Only the trust policies\' conditions were checked; STS also checks the token\'s signature, issuer (the role\'s OIDC provider) and expiry.',
      ].join('\n'),
    });
  });
});

describe('isGithubTrustPolicy()', () => {
  const policy = (...statements: unknown[]) => ({ Statement: statements });
  const github = allowSub(SUB);

  test('a policy with one GitHub statement among others is one', () => {
    expect(isGithubTrustPolicy(policy(allow({ StringEquals: { 'cognito-identity.amazonaws.com:aud': 'pool' } }), github))).toBe(true);
  });

  test('a sub of which any value starts with repo: is enough', () => {
    expect(isGithubTrustPolicy(policy(allowSub([SUB, 'other'])))).toBe(true);
    expect(isGithubTrustPolicy(policy(allow({ StringEquals: { [key('aud')]: AUD }, StringLike: { [key('sub')]: 'repo:o/*' } })))).toBe(true);
  });

  test('without aud, it is not', () => {
    expect(isGithubTrustPolicy(policy(allow({ StringEquals: { [key('sub')]: SUB } })))).toBe(false);
  });

  test('with aud under an operator explain does not evaluate, it is not', () => {
    expect(isGithubTrustPolicy(policy(allow({ 'ForAnyValue:StringEquals': { [key('aud')]: AUD }, 'StringEquals': { [key('sub')]: SUB } })))).toBe(false);
  });

  test('without a sub, or with a sub none of whose values starts with repo:, it is not', () => {
    expect(isGithubTrustPolicy(policy(allow({ StringEquals: { [key('aud')]: AUD } })))).toBe(false);
    expect(isGithubTrustPolicy(policy(allowSub('o/r:ref:refs/heads/main')))).toBe(false);
    expect(isGithubTrustPolicy(policy(allowSub({ Ref: 'Sub' })))).toBe(false);
    expect(isGithubTrustPolicy(policy(allow({ StringEquals: { [key('aud')]: AUD, [key('repository')]: 'repo:o/r' } })))).toBe(false);
  });
});
