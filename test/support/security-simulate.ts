// The simulator's policy loader (a devDependency of its own).
import { createValidatedPolicy, validateIdentityPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { subjectForms } from './oracles';
import type { Scenario, ScenarioEnvironment } from './security-scenarios';
import { ACCOUNT, ISSUER, providerArnFor } from './stack';
import { Json } from './template';

export type Verdict = 'Allowed' | 'Refused';

/** One token presented to STS: who issued it and which claims it carries. */
export interface ClaimSet {
  readonly label: string;
  readonly principal: string;
  readonly claims: Record<string, string>;
  readonly expect: Verdict;
}

const AUDIENCE = 'sts.amazonaws.com';
/** The repository_id a token carries when the scenario pins none (real tokens always carry one). */
const UNPINNED_REPOSITORY_ID = '424242';

/** Evaluate `sts:AssumeRoleWithWebIdentity` against a role's trust policy. */
export function simulateAssume(trustPolicy: Json, roleArn: string, claimSet: ClaimSet): Verdict {
  const policy = createValidatedPolicy(trustPolicy, validateTrustPolicy, { name: 'trust' });
  if (policy.errors.length > 0) throw new Error(`invalid trust policy: ${JSON.stringify(policy.errors)}`);
  const result = runUnsafeSimulation({
    request: {
      principal: claimSet.principal,
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: roleArn, accountId: ACCOUNT },
      contextVariables: claimSet.claims,
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  }, {});
  return result === 'Allowed' ? 'Allowed' : 'Refused';
}

/** Evaluate an action of a role session against the role's identity policies. */
export function simulateIdentity(policies: Array<{ name: string; policy: Json }>, roleArn: string, action: string, resource: string): Verdict {
  const identityPolicies = policies.map(p => {
    const validated = createValidatedPolicy(p.policy, validateIdentityPolicy, { name: p.name });
    if (validated.errors.length > 0) throw new Error(`invalid identity policy ${p.name}: ${JSON.stringify(validated.errors)}`);
    return { name: p.name, policy: validated };
  });
  const session = roleArn.replace(/^arn:aws:iam::(\d+):role\/(.*)$/, 'arn:aws:sts::$1:assumed-role/$2/github-actions');
  const result = runUnsafeSimulation({
    request: { principal: session, action, resource: { resource, accountId: ACCOUNT }, contextVariables: {} },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  return result === 'Allowed' ? 'Allowed' : 'Refused';
}

/** Look-alikes of an exact subject, each a `sub` suffix GitHub could issue to someone else. */
function lookAlikes(suffix: string): string[] {
  const kinds = ['ref:refs/heads/', 'ref:refs/tags/', 'environment:'];
  const kind = kinds.find(k => suffix.startsWith(k));
  if (kind === undefined) return [];
  const name = suffix.slice(kind.length);
  const upper = name.toUpperCase();
  const capital = name.charAt(0).toUpperCase() + name.slice(1);
  return [
    `${kind}${name}-evil`, `${kind}${name}/x`, `${kind}${name}x`, `${kind}${name}.`, `${kind}${name} `,
    `${kind}${name}*`, `${kind}${name}/`, `${kind}evil-${name}`, `${kind}x${name}`, `${kind}feature/${name}`,
    `${kind} ${name}`, `${kind}${name}${name}`, `${kind}refs/heads/${name}`,
    ...(upper !== name ? [`${kind}${upper}`] : []),
    ...(capital !== name && capital !== upper ? [`${kind}${capital}`] : []),
    // The same name as another kind of subject: a tag or deployment environment named like the branch.
    ...kinds.filter(k => k !== kind).map(k => `${k}${name}`),
    `ref:refs/remotes/origin/${name}`,
    `${kind.replace(/^ref:refs/, 'ref:Refs')}${name}`,
    `${kind}${name}:extra`,
  ];
}

/**
 * The claim sets for one environment of a scenario: its own subjects (admitted), and everything
 * the issue lists as refused.
 */
export function claimSetsFor(scenario: Scenario, env: ScenarioEnvironment): ClaimSet[] {
  const { owner, repo, githubOwnerId, githubRepositoryId } = scenario;
  // Condition keys and the provider follow the scenario's issuer (github.com or GitHub Enterprise).
  const issuer = scenario.issuer ?? ISSUER;
  const AUD = `${issuer}:aud`;
  const SUB = `${issuer}:sub`;
  const REPOSITORY_ID = `${issuer}:repository_id`;
  const PROVIDER_ARN = providerArnFor(issuer);
  const pinned = githubOwnerId !== undefined && githubRepositoryId !== undefined;
  // Where STS does not evaluate repository_id, the request has no such key.
  const evaluated = scenario.repositoryIdEvaluated ?? true;
  const repositoryIdClaim = evaluated ? githubRepositoryId ?? UNPINNED_REPOSITORY_ID : undefined;
  const ids = pinned ? { ownerId: githubOwnerId!, repositoryId: githubRepositoryId! } : undefined;
  const forms = (suffix: string) => subjectForms(owner, repo, ids, suffix);
  const token = (sub: string | undefined, extra: Record<string, string | undefined> = {}) => {
    const claims: Record<string, string | undefined> = { [AUD]: AUDIENCE, [SUB]: sub, [REPOSITORY_ID]: repositoryIdClaim, ...extra };
    return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)) as Record<string, string>;
  };
  const sets: ClaimSet[] = [];
  const add = (label: string, claims: Record<string, string>, expect: Verdict, principal = PROVIDER_ARN) => {
    sets.push({ label, principal, claims, expect });
  };

  // Admitted: the environment's own subjects, in every form the role accepts.
  for (const suffix of env.allowed) for (const sub of forms(suffix)) add(`own subject ${sub}`, token(sub), 'Allowed');

  // Refused: every other environment's subjects.
  for (const other of scenario.environments.filter(e => e !== env)) {
    for (const suffix of other.allowed) for (const sub of forms(suffix)) add(`${other.name}'s subject ${sub}`, token(sub), 'Refused');
  }

  // Refused: look-alikes of the exact subjects, and the scenario's own extra refusals.
  const allowedSubs = new Set(env.allowed.flatMap(forms));
  const refusedSuffixes = [...(env.pattern ? [] : env.allowed.flatMap(lookAlikes)), ...(env.refused ?? [])];
  if (!env.allowed.includes('pull_request')) refusedSuffixes.push('pull_request');
  refusedSuffixes.push('ref:refs/pull/7/merge', 'ref:refs/heads/', '');
  for (const suffix of new Set(refusedSuffixes)) {
    for (const sub of forms(suffix)) {
      if (!allowedSubs.has(sub)) add(`look-alike ${JSON.stringify(sub)}`, token(sub), 'Refused');
    }
  }

  // Refused: another owner, a fork, the same owner's other repositories.
  const own = env.allowed[0];
  const others = [
    `repo:attacker/${repo}:${own}`, `repo:${owner}-evil/${repo}:${own}`, `repo:${owner.toUpperCase()}/${repo}:${own}`,
    `repo:${owner}x/${repo}:${own}`, `repo:fork-of-${owner}/${repo}:${own}`,
    `repo:${owner}/${repo}-fork:${own}`, `repo:${owner}/other-repo:${own}`, `repo:${owner}/${repo}.git:${own}`,
    `repo:${owner}/${repo.toUpperCase()}:${own}`, `repo:${owner}/${repo}/x:${own}`, `repo:${owner}:${own}`,
    `repo:${owner}/${repo}`, `${owner}/${repo}:${own}`, `repo:${owner}/*:${own}`, '*', `repo:${owner}/${repo}:*`,
  ];
  for (const sub of others) add(`other repository ${JSON.stringify(sub)}`, token(sub), 'Refused');

  // Refused: audience wrong or missing, subject missing.
  const ownSub = forms(own)[0];
  for (const aud of ['sigstore', `https://github.com/${owner}`, 'STS.amazonaws.com', 'sts.amazonaws.com ', 'sts.amazonaws.com.cn', 'api://AzureADTokenExchange', '']) {
    add(`aud ${JSON.stringify(aud)}`, token(ownSub, { [AUD]: aud }), 'Refused');
  }
  add('aud missing', token(ownSub, { [AUD]: undefined }), 'Refused');
  add('sub missing', token(undefined), 'Refused');
  add('aud and sub missing', token(undefined, { [AUD]: undefined }), 'Refused');

  // Refused: tokens from another identity provider, with otherwise valid claims.
  for (const provider of [
    `arn:aws:iam::444455556666:oidc-provider/${issuer}`,
    `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`,
    `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com/octo-enterprise`,
    `arn:aws:iam::${ACCOUNT}:oidc-provider/ghe.example.com/_services/token`,
    `arn:aws-cn:iam::${ACCOUNT}:oidc-provider/${issuer}`,
  ].filter(arn => arn !== PROVIDER_ARN)) add(`provider ${provider}`, token(ownSub), 'Refused', provider);
  // Refused: the right provider, but claims keyed for another issuer (github.com's keys, say).
  if (issuer !== ISSUER) {
    add('claims keyed for github.com', { [`${ISSUER}:aud`]: AUDIENCE, [`${ISSUER}:sub`]: ownSub, [`${ISSUER}:repository_id`]: githubRepositoryId ?? UNPINNED_REPOSITORY_ID }, 'Refused');
  }

  // Refused: look-alikes of the immutable form, and repository_id wrong or missing.
  const id = githubRepositoryId ?? '987';
  const oid = githubOwnerId ?? '123';
  for (const sub of [
    `repo:${owner}@1${oid}/${repo}@${id}:${own}`, `repo:${owner}@${oid}/${repo}@1${id}:${own}`,
    `repo:${owner}@${id}/${repo}@${oid}:${own}`, `repo:${owner}@${oid}/${repo}:${own}`,
    `repo:${owner}/${repo}@${id}:${own}`, `repo:attacker@${oid}/${repo}@${id}:${own}`,
    `repo:${owner}@${oid}/other-repo@${id}:${own}`, `repo:@${oid}/@${id}:${own}`,
    ...(pinned ? [] : [`repo:${owner}@${oid}/${repo}@${id}:${own}`]),
  ]) add(`immutable look-alike ${JSON.stringify(sub)}`, token(sub), 'Refused');
  if (pinned && evaluated) {
    for (const sub of forms(own)) {
      for (const wrong of [`1${githubRepositoryId}`, `${githubRepositoryId} `, '', `0${githubRepositoryId}`, githubOwnerId!]) {
        add(`repository_id ${JSON.stringify(wrong)} with ${sub}`, token(sub, { [REPOSITORY_ID]: wrong }), 'Refused');
      }
      add(`repository_id missing with ${sub}`, token(sub, { [REPOSITORY_ID]: undefined }), 'Refused');
    }
  }
  return sets;
}
