import { GITHUB_ACTIONS_AUDIENCE } from './private/constants';
import { wildcardMatches } from './private/glob';
import { GithubSubject, GithubSubjectKind } from './subject';

/**
 * The claims of a GitHub Actions OIDC token that the roles' trust policies can test.
 *
 * Each field is a claim of the token, under the name GitHub gives it in snake case
 * (`job_workflow_ref`, `repository_id`). A claim left out is absent from the token, and a
 * condition on it fails, as in STS.
 */
export interface TokenClaims {
  /**
   * The `sub` claim, e.g. `repo:octo-org/octo-repo:ref:refs/heads/main`.
   *
   * @default - absent
   */
  readonly sub?: string;

  /**
   * The `aud` claim. configure-aws-credentials asks for `sts.amazonaws.com`.
   *
   * @default - absent
   */
  readonly aud?: string;

  /**
   * The `ref` claim, e.g. `refs/heads/main`.
   *
   * @default - absent
   */
  readonly ref?: string;

  /**
   * The `job_workflow_ref` claim, e.g. `octo-org/octo-repo/.github/workflows/push.yml@refs/heads/main`.
   *
   * @default - absent
   */
  readonly jobWorkflowRef?: string;

  /**
   * The `repository_id` claim: GitHub's numeric ID of the repository, as a string.
   *
   * @default - absent
   */
  readonly repositoryId?: string;

  /**
   * The `repository_owner_id` claim: GitHub's numeric ID of the repository's owner, as a string.
   *
   * @default - absent
   */
  readonly repositoryOwnerId?: string;
}

/**
 * Whether one environment's role admits a token, and if not, why.
 */
export interface RoleVerdict {
  /** The environment's name. */
  readonly environment: string;

  /** Whether the role's trust policy admits the token. */
  readonly admitted: boolean;

  /**
   * The first condition that fails, e.g.
   * `sub is 'repo:o/r:ref:refs/heads/feature' but the role trusts 'repo:o/r:ref:refs/heads/dev'`.
   *
   * @default - none; the role admits the token
   */
  readonly firstFailure?: string;

  /**
   * What would make that condition pass, e.g. `run the workflow on branch dev`.
   *
   * @default - none; the role admits the token
   */
  readonly fix?: string;
}

/**
 * Which environment's role would admit a token, judged by the conditions of the trust policies
 * this construct writes. It is not a general IAM evaluator: STS also checks the token's
 * signature, issuer and expiry.
 */
export interface TrustExplanation {
  /** Whether any role admits the token. */
  readonly admitted: boolean;

  /**
   * The name of the environment whose role admits the token.
   *
   * @default - none; no role admits the token
   */
  readonly environment?: string;

  /** The verdict of each role, in the order of the environments. */
  readonly roles: RoleVerdict[];

  /** The explanation as text for a person, one line per role. */
  readonly report: string;
}

/*
 * The evaluator behind `GithubOidcEcrPipeline.explain()` and `cdk-github-oidc-ecr explain`.
 * It reads resolved trust policies, not the construct's inputs, and knows only what the
 * construct writes: Allow statements for sts:AssumeRoleWithWebIdentity whose conditions are
 * `StringEquals` and `StringLike` on `<issuer>:<claim>` keys. It imports nothing from aws-cdk-lib,
 * so the command-line entry loads fast.
 */

/** A role whose trust policy is to be judged, with the environment it belongs to. */
export interface TrustedRole {
  readonly environment: string;
  /** The resolved trust policy document (JSON). */
  readonly policy: unknown;
}

const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const OPERATORS = ['StringEquals', 'StringLike'];

/** The claims the evaluator knows, by the name GitHub gives them, in the order they are checked. */
export const CLAIMS: Array<{ claim: string; field: keyof TokenClaims }> = [
  { claim: 'aud', field: 'aud' },
  { claim: 'sub', field: 'sub' },
  { claim: 'repository_id', field: 'repositoryId' },
  { claim: 'repository_owner_id', field: 'repositoryOwnerId' },
  { claim: 'job_workflow_ref', field: 'jobWorkflowRef' },
  { claim: 'ref', field: 'ref' },
];

/** One condition of one statement: the token's claim must match one of the values. */
interface Condition {
  readonly operator: string;
  readonly key: string;
  /** The claim name after the issuer prefix, lower case (IAM condition keys are case-insensitive). */
  readonly claim: string;
  readonly values: unknown[];
  /**
   * The issuer (host and path) of the statement's provider, when its ARN is a literal, e.g.
   * `token.actions.githubusercontent.com`. STS sets only that provider's keys.
   */
  readonly provider?: string;
}

interface Failure {
  readonly failure: string;
  readonly fix: string;
}

/** Judge every role, and say which one admits the token. */
export function explainRoles(roles: TrustedRole[], claims: TokenClaims): TrustExplanation {
  const verdicts = roles.map(role => evaluateRole(role, claims));
  const admitting = verdicts.find(v => v.admitted);
  return {
    admitted: admitting !== undefined,
    environment: admitting?.environment,
    roles: verdicts,
    report: renderReport(claims, verdicts),
  };
}

/** Judge one role: any statement admits; within a statement, every condition must pass. */
export function evaluateRole(role: TrustedRole, claims: TokenClaims): RoleVerdict {
  const statements = webIdentityStatements(role.policy);
  if (statements.length === 0) {
    return {
      environment: role.environment,
      admitted: false,
      firstFailure: `the trust policy has no Allow statement for ${WEB_IDENTITY}`,
      fix: 'trust the GitHub Actions OIDC provider (GithubOidcEcrPipeline writes such a statement for every environment)',
    };
  }
  const deny = denyStatements(role.policy).find(statement => conditionsOfStatement(statement).every(c => mayPass(c, claims)));
  if (deny !== undefined) {
    return {
      environment: role.environment,
      admitted: false,
      firstFailure: `a Deny statement${typeof deny.Sid === 'string' ? ` (${deny.Sid})` : ''} for ${WEB_IDENTITY} matches the token, and a Deny overrides every Allow`,
      fix: 'remove or narrow that Deny statement, or run the workflow so that one of its conditions fails',
    };
  }
  const conditionsOf = statements.map(conditionsOfStatement);
  const failuresOf = conditionsOf.map(conditions => conditions
    .map(condition => ({ condition, failed: !passes(condition, claims) }))
    .filter(c => c.failed)
    .map(c => c.condition));
  if (failuresOf.some(failures => failures.length === 0)) {
    return { environment: role.environment, admitted: true };
  }
  // The statement that comes closest explains the refusal; a tie goes to the first statement.
  const closest = failuresOf.reduce((best, failures) => failures.length < best.length ? failures : best);
  const first = closest[0];
  // The statements differ in sub only; every value any statement trusts is a way to pass.
  const trusted = conditionsOf.flat().filter(c => c.claim === first.claim);
  const { failure, fix } = describeFailure(first, trusted, claims);
  return { environment: role.environment, admitted: false, firstFailure: failure, fix };
}

/** A policy's statements: IAM takes one statement object as well as a list. */
export function statementList(policy: unknown): any[] {
  const statement = (policy as any)?.Statement;
  return Array.isArray(statement) ? statement : statement ? [statement] : [];
}

/** Allow statements for sts:AssumeRoleWithWebIdentity from a federated principal. */
function webIdentityStatements(policy: unknown): any[] {
  return statementList(policy).filter(s => s?.Effect === 'Allow'
    && asList(s.Action).some(a => typeof a === 'string' && a.toLowerCase() === WEB_IDENTITY.toLowerCase())
    && s.Principal?.Federated !== undefined);
}

/** Deny statements that cover sts:AssumeRoleWithWebIdentity (by Action, a wildcard, or NotAction). */
function denyStatements(policy: unknown): any[] {
  const covers = (action: unknown) => typeof action === 'string' && wildcardMatches(action.toLowerCase(), WEB_IDENTITY.toLowerCase(), { questionMark: true });
  return statementList(policy).filter(s => s?.Effect === 'Deny'
    && (s.Action !== undefined ? asList(s.Action).some(covers) : s.NotAction !== undefined && !asList(s.NotAction).some(covers)));
}

/** The issuer of a statement's federated provider, from a literal ARN `arn:P:iam::A:oidc-provider/ISSUER`. */
function providerIssuer(statement: any): string | undefined {
  const federated = asList(statement.Principal?.Federated);
  if (federated.length !== 1 || typeof federated[0] !== 'string') return undefined;
  return /^arn:[^:]+:iam::[^:]*:oidc-provider\/(.+)$/.exec(federated[0])?.[1].toLowerCase();
}

/** The conditions of a statement, aud first, then sub, repository_id, the others in policy order (sort is stable). */
function conditionsOfStatement(statement: any): Condition[] {
  const conditions: Condition[] = [];
  const provider = providerIssuer(statement);
  for (const [operator, keys] of Object.entries<any>(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries<unknown>(keys ?? {})) {
      conditions.push({ operator, key, claim: claimName(key), values: asList(value), provider });
    }
  }
  const rank = (c: Condition) => {
    const i = CLAIMS.findIndex(known => known.claim === c.claim);
    return i < 0 ? CLAIMS.length : i;
  };
  return conditions.sort((a, b) => rank(a) - rank(b));
}

function claimName(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1).toLowerCase();
}

function claimValue(claims: TokenClaims, claim: string): string | undefined {
  const known = CLAIMS.find(c => c.claim === claim);
  return known ? claims[known.field] : undefined;
}

/**
 * Whether a condition's key belongs to another provider than its statement's: STS leaves it unset.
 * A provider's keys are prefixed by its host name; global keys such as `aws:SourceIp` have no dot.
 */
function foreignKey(condition: Condition): boolean {
  const prefix = condition.key.slice(0, condition.key.lastIndexOf(':')).toLowerCase();
  return condition.provider !== undefined && prefix.includes('.') && prefix !== condition.provider;
}

/** For a Deny: whether the condition passes, or might (explain cannot evaluate it). */
function mayPass(condition: Condition, claims: TokenClaims): boolean {
  if (foreignKey(condition)) return false;
  if (!OPERATORS.includes(condition.operator)) return true;
  if (condition.values.some(unevaluable)) return true;
  return passes(condition, claims);
}

function passes(condition: Condition, claims: TokenClaims): boolean {
  if (!OPERATORS.includes(condition.operator) || foreignKey(condition)) return false;
  const actual = claimValue(claims, condition.claim);
  if (actual === undefined) return false;
  return condition.values.some(value => typeof value === 'string' && !isPolicyVariable(value)
    && (condition.operator === 'StringEquals' ? value === actual : wildcardMatches(value, actual, { questionMark: true })));
}


/** IAM substitutes `${...}` in condition values; this construct never writes one, and explain does not evaluate them. */
function isPolicyVariable(value: string): boolean {
  return value.includes('${');
}

/** A condition value explain cannot compare: not a string (a deploy-time value), or a policy variable. */
function unevaluable(value: unknown): boolean {
  return typeof value !== 'string' || isPolicyVariable(value);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function quoted(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** Say why a condition fails and what would make it pass. */
function describeFailure(condition: Condition, trusted: Condition[], claims: TokenClaims): Failure {
  const { claim, key, operator } = condition;
  if (foreignKey(condition)) {
    return {
      failure: `the condition key ${key} belongs to the issuer ${key.slice(0, key.lastIndexOf(':'))}, but the statement trusts the provider for ${condition.provider}, so STS never sets it and the condition fails`,
      fix: 'make the statement\'s provider and its condition keys name the same issuer (GithubOidcEcrPipeline\'s provider and issuer props, or GithubActionsOidcProvider.fromAccount with that issuer)',
    };
  }
  if (!OPERATORS.includes(operator)) {
    return {
      failure: `the condition ${operator} on ${key} is not one GithubOidcEcrPipeline writes, and explain cannot evaluate it`,
      fix: 'check this condition by hand, or remove it from the trust policy',
    };
  }
  if (condition.values.length > 0 && condition.values.every(unevaluable)) {
    return {
      failure: `${claim} must match ${quoted(condition.values[0])}, which explain cannot evaluate (a deploy-time value or an IAM policy variable)`,
      fix: `give ${claim === 'repository_id' ? 'githubRepositoryId' : claim} as a literal string, or check this condition by hand`,
    };
  }
  const values = trusted.flatMap(c => c.values.filter((v): v is string => typeof v === 'string').map(value => ({ value, pattern: c.operator === 'StringLike' })));
  const list = listOf(values);
  const actual = claimValue(claims, claim);
  if (actual === undefined) return describeAbsent(claim, list, values.map(v => v.value));
  switch (claim) {
    case 'aud':
      return {
        failure: `aud is '${actual}' but the role requires ${list}`,
        fix: audienceFix(values.map(v => v.value)),
      };
    case 'sub': {
      // Name only the values in the token's own form (name or immutable), when the role has any.
      const repository = parseSubject(actual)?.repository;
      const sameForm = values.filter(v => repository !== undefined && parseSubject(v.value)?.repository === repository);
      const shown = sameForm.length > 0 ? sameForm : values;
      return { failure: `sub is '${actual}' but the role trusts ${listOf(shown)}`, fix: subjectFix(actual, values, claims) };
    }
    case 'repository_id':
      return {
        failure: `repository_id is '${actual}' but the role trusts ${list}`,
        fix: `run the workflow in the repository with ID ${values.map(v => v.value).join(' or ')}; if that repository was deleted and re-created under the same name, set githubRepositoryId (and githubOwnerId) to the new IDs and deploy again`,
      };
    case 'job_workflow_ref':
      return {
        failure: `job_workflow_ref is '${actual}' but the role trusts ${list}`,
        fix: `run the job from ${values.map(v => describeWorkflowRef(v.value)).join(' or ')}; another workflow file or ref is refused`,
      };
    default:
      return {
        failure: `${claim} is '${actual}' but the role trusts ${list}`,
        fix: `run the workflow so that the token's ${claim} is ${list}`,
      };
  }
}

function describeAbsent(claim: string, list: string, values: string[]): Failure {
  const failure = `the token has no ${claim} claim, but the role requires ${claim} to be ${list}`;
  if (claim === 'aud') {
    return { failure, fix: audienceFix(values) };
  }
  if (CLAIMS.some(c => c.claim === claim)) {
    return { failure, fix: `GitHub puts ${claim} in every Actions token: copy it into the claims from the workflow's token` };
  }
  return { failure, fix: `the token must carry ${claim} ${list}; GitHub Actions tokens may not carry this claim, and explain does not know it` };
}

function listOf(values: Array<{ value: string; pattern: boolean }>): string {
  return values.map(v => v.pattern ? `pattern '${v.value}'` : `'${v.value}'`).join(' or ');
}

function audienceFix(values: string[]): string {
  // configure-aws-credentials asks for sts.amazonaws.com unless told otherwise.
  const orDefault = values[0] === GITHUB_ACTIONS_AUDIENCE ? `, or leave audience out (${GITHUB_ACTIONS_AUDIENCE} is its default)` : '';
  return `aud must be ${values.join(' or ')}: set audience in configure-aws-credentials to ${values[0]}${orDefault}`;
}

/** `OWNER/REPO/.github/workflows/FILE@REF` as words. */
function describeWorkflowRef(value: string): string {
  const match = /^([^/]+\/[^/]+)\/(.+)@(.+)$/.exec(value);
  return match ? `the workflow file ${match[2]} of ${match[1]} at ${match[3]}` : `'${value}'`;
}

/** The default `sub` form: `repo:OWNER/REPO:CONTEXT`, or `repo:OWNER@ID/REPO@ID:CONTEXT` (immutable). */
function parseSubject(sub: string): { repository: string; context: string } | undefined {
  const match = /^repo:([^:/]+\/[^:/]+):(.+)$/.exec(sub);
  return match ? { repository: match[1], context: match[2] } : undefined;
}

function withoutIds(repository: string): string {
  return repository.replace(/@\d+/g, '');
}

const CUSTOM_SUBJECT_FIX = 'the sub is not in GitHub\'s default form repo:OWNER/REPO:ref:..., environment:... or pull_request; '
  + 'if the repository or organization customizes its OIDC subject claim, reset it to the default '
  + '(PUT /repos/OWNER/REPO/actions/oidc/customization/sub with {"use_default": true})';

/** What to change in the workflow run so that its `sub` is one of the trusted values. */
function subjectFix(actual: string, trusted: Array<{ value: string; pattern: boolean }>, claims: TokenClaims): string {
  const token = parseSubject(actual);
  const parsed = trusted.map(t => ({ ...t, parsed: parseSubject(t.value) }));
  const repositories = [...new Set(parsed.map(t => t.parsed?.repository ?? t.value))];
  const caseTwin = trusted.find(t => !t.pattern && t.value.toLowerCase() === actual.toLowerCase());
  if (caseTwin !== undefined) {
    const repository = token?.repository;
    const trustedRepository = parseSubject(caseTwin.value)?.repository;
    const where = repository !== undefined && repository !== trustedRepository
      ? `set githubRepository to '${withoutIds(repository)}', the repository's spelling on GitHub`
      : 'use the branch, tag or environment name exactly as GitHub spells it';
    return `the sub differs from the trusted '${caseTwin.value}' only in upper and lower case, and IAM compares case-sensitively: ${where}`;
  }
  if (token === undefined) return CUSTOM_SUBJECT_FIX;
  if (!repositories.includes(token.repository)) {
    // The trusted repositories of the token's name: those with IDs, or the name form when none has
    // IDs. A name-form entry of a name-form token's name would be its very repository, which is not
    // trusted here, so only an immutable-form token can meet a list of name-form entries.
    const sameByName = repositories.filter(r => withoutIds(r) === withoutIds(token.repository)
      && (r.includes('@') || !repositories.some(o => o.includes('@'))));
    // Stryker disable next-line MethodExpression: equivalent: sameByName is all in the immutable form (when any trusted repository has IDs) or all in the name form (when none has), so for a non-empty list !some and !every agree
    if (sameByName.length > 0 && !sameByName.some(r => r.includes('@'))) {
      const [ownerId, repositoryId] = token.repository.match(/@(\d+)/g)!.map(id => id.slice(1));
      const agree = (claims.repositoryOwnerId === undefined || claims.repositoryOwnerId === ownerId)
        && (claims.repositoryId === undefined || claims.repositoryId === repositoryId);
      return `the token uses GitHub's immutable subject form (repo:${token.repository}), which github.com sends for repositories created, renamed or transferred since 2026-07-15, and the role trusts the name form only: set githubOwnerId: '${ownerId}' and githubRepositoryId: '${repositoryId}' on the pipeline and deploy again${agree ? '' : ` (the token's repository_owner_id '${claims.repositoryOwnerId}' and repository_id '${claims.repositoryId}' disagree with its sub: check which repository sent it)`}`;
    }
    if (sameByName.length > 0) {
      return `the token names ${token.repository} but the role trusts ${sameByName.join(' or ')}: the IDs differ, so the repository or its owner was re-created; if that was intended, set githubOwnerId and githubRepositoryId to the new IDs and deploy again`;
    }
    return `run the workflow in ${repositories.map(withoutIds).filter((r, i, all) => all.indexOf(r) === i).join(' or ')}; the role refuses every other repository, forks included`;
  }
  const contexts = parsed.filter(t => t.parsed?.repository === token.repository);
  const ways = `run the workflow ${[...new Set(contexts.map(t => describeContext(t.parsed!.context, t.pattern)))].join(' or ')}`;
  // A context of GitHub's default template names one subject; a customized one does not.
  const subjectOf = (context: string) => GithubSubject._fromContext(context);
  const customized = contexts.some(t => subjectOf(t.parsed!.context) === undefined);
  if (customized) return `${ways}${customDifference(token.context, contexts.map(t => t.parsed!.context))}`;
  const tokenSubject = subjectOf(token.context);
  if (tokenSubject === undefined) return `${ways}; ${CUSTOM_SUBJECT_FIX}`;
  const trustsEnvironment = contexts.some(t => subjectOf(t.parsed!.context)!.kind === GithubSubjectKind.ENVIRONMENT);
  if (tokenSubject.kind === GithubSubjectKind.ENVIRONMENT && !trustsEnvironment) {
    return `${ways}, without \`environment:\` on the job (a job with a deployment environment gets sub ...:environment:NAME instead of the branch)`;
  }
  if (tokenSubject.kind === GithubSubjectKind.PULL_REQUEST) {
    return `${ways}; a pull_request run's sub is ...:pull_request, whatever its branch, so push the branch (for example by merging the pull request)`;
  }
  return ways;
}

/** The claims of a customized sub after `repo:...:`, as key and value; `pull_request` stands alone. */
function partsOf(context: string): Array<[string, string]> {
  const tokens = context.split(':');
  const parts: Array<[string, string]> = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === 'pull_request') parts.push(['context', 'pull_request']);
    else parts.push([tokens[i], unescapeClaimValue(tokens[++i] ?? '')]);
  }
  return parts;
}

/** GitHub writes `:` inside a value as `%3A`, and leaves `%` as it is. */
function unescapeClaimValue(value: string): string {
  return value.replace(/%3A/g, ':');
}

/** With a customized template, the first claim in which the token differs from the closest trusted sub. */
function customDifference(actual: string, trusted: string[]): string {
  const tokenParts = partsOf(actual);
  const same = (part: [string, string] | undefined, [k, v]: [string, string]) => part !== undefined && part[0] === k && part[1] === v;
  const score = (context: string) => partsOf(context).filter((part, i) => same(tokenParts[i], part)).length;
  const closest = trusted.reduce((best, t) => score(t) > score(best) ? t : best);
  const trustedParts = partsOf(closest);
  const i = trustedParts.findIndex((part, j) => !same(tokenParts[j], part));
  if (i < 0) return `; the token's sub has more claims than the role's template (${trustedParts.map(p => p[0]).join(', ')}): set subjectClaimKeys to the repository's template`;
  const [key, value] = trustedParts[i];
  const got = tokenParts[i];
  if (got === undefined || got[0] !== key) {
    return `; the token's sub has ${got ? `'${got[0]}'` : 'nothing'} where the role's template has '${key}': set subjectClaimKeys to the repository's template (GET /repos/OWNER/REPO/actions/oidc/customization/sub shows it)`;
  }
  return `; its ${key} is '${got[1]}' where the role trusts '${value}'`;
}

/** Where the workflow must run for its `sub` to end in `context`, after "run the workflow". */
function describeContext(context: string, pattern: boolean): string {
  const parts = partsOf(context);
  if (parts.length > 1) {
    const words = parts.map(([key, value]) => key === 'context' ? 'on a pull_request event'
      : key === 'environment' ? `in a job with \`environment: ${value}\``
        : key === 'ref' ? describeContext(`ref:${value}`, pattern)
          : `with ${key} '${value}'`);
    return [...new Set(words)].join(' ');
  }
  const subject = GithubSubject._fromContext(context, pattern);
  switch (subject?.kind) {
    case GithubSubjectKind.BRANCH: return pattern ? `on a branch matching ${subject.value}` : `on branch ${subject.value}`;
    case GithubSubjectKind.TAG: return pattern ? `on a tag matching ${subject.value}` : `on tag ${subject.value}`;
    case GithubSubjectKind.ENVIRONMENT: return `in a job with \`environment: ${subject.value}\``;
    case GithubSubjectKind.PULL_REQUEST: return 'on a pull_request event';
    default: return `so that its sub ends in '${context}'`;
  }
}

/** The explanation as text: the claims, the verdict, then one entry per role. */
export function renderReport(claims: TokenClaims, verdicts: RoleVerdict[]): string {
  const shown = CLAIMS.map(({ claim, field }) => `${claim} ${claims[field] === undefined ? '(absent)' : `'${claims[field]}'`}`);
  const admitting = verdicts.filter(v => v.admitted);
  const lines = [`Token: ${shown.join(', ')}`];
  if (admitting.length > 0) {
    lines.push(`Admitted by the role of environment ${admitting.map(v => `'${v.environment}'`).join(' and ')}.`);
  } else {
    lines.push(verdicts.length === 0 ? 'Refused: there is no role to admit it.' : 'Refused: no environment\'s role admits this token.');
  }
  const width = Math.max(0, ...verdicts.map(v => v.environment.length));
  for (const v of verdicts) {
    const name = v.environment.padEnd(width);
    if (v.admitted) {
      lines.push(`  ${name}  admits`);
    } else if (admitting.length > 0) {
      lines.push(`  ${name}  refuses`);
    } else {
      lines.push(`  ${name}  refuses: ${v.firstFailure}`);
      lines.push(`  ${' '.repeat(width)}  fix: ${v.fix}`);
    }
  }
  lines.push('Only the trust policies\' conditions were checked; STS also checks the token\'s signature, issuer (the role\'s OIDC provider) and expiry.');
  return lines.join('\n');
}

/** Whether a trust policy is one GithubOidcEcrPipeline writes: web identity, with `:aud` and a `repo:` `:sub`. */
export function isGithubTrustPolicy(policy: unknown): boolean {
  return webIdentityStatements(policy).some(statement => {
    const conditions = conditionsOfStatement(statement).filter(c => OPERATORS.includes(c.operator));
    return conditions.some(c => c.claim === 'aud')
      && conditions.some(c => c.claim === 'sub' && c.values.some(v => typeof v === 'string' && v.startsWith('repo:')));
  });
}

