import { Stack } from 'aws-cdk-lib';
import { repositoryForms } from './oracles';
import type { ClaimSet } from './security-simulate';
import { ACCOUNT, ISSUER, REGION, testApp } from './stack';
import { GithubIssuer, GithubOidcEcrPipeline, GithubOidcEcrPipelineProps, GithubReusableWorkflow, GithubSubject } from '../../src';

/*
 * The configurations of GitHub's 2026 token: immutable subjects, customized subject templates,
 * deployment environments bound to branches and reusable workflows. Each environment lists, by
 * hand, the claims a token must carry to be admitted: an oracle written from GitHub's documented
 * token, independent of the construct's code. Hostile claim sets are derived from those.
 */

export const OWNER = 'octo-org';
export const REPO = 'octo-service';
export const OWNER_ID = '5551234';
export const REPO_ID = '987654321';
export const [NAME_FORM, IMMUTABLE_FORM] = repositoryForms(OWNER, REPO, { ownerId: OWNER_ID, repositoryId: REPO_ID });
export const CENTRAL = 'octo-org/ci/.github/workflows/build.yml@refs/tags/v1';

/** The claims of one admitted token, by claim name (without the issuer prefix). */
export type Claims = Record<string, string>;

export interface TokenEnvironment {
  readonly name: string;
  /** Tokens this environment's role must admit. */
  readonly admitted: Claims[];
}

export interface TokenConfiguration {
  readonly title: string;
  /** The issuer's host and path, which prefixes the condition keys. */
  readonly issuer: string;
  /** The claims STS evaluates for this issuer and partition; the others are absent from the request. */
  readonly evaluated: string[];
  readonly environments: TokenEnvironment[];
  build(): { stack: Stack; pipeline: GithubOidcEcrPipeline };
}

const SERVER = 'github.example.com/_services/token';
const AUD = 'sts.amazonaws.com';
/** AWS documents repository_id and job_workflow_ref for github.com tokens in the aws partition. */
const ALL_KEYS = ['sub', 'aud', 'repository_id', 'job_workflow_ref'];
const SUB_AUD = ['sub', 'aud'];

/**
 * The configuration's build. Props that call a factory (fromReference) are given as a function,
 * so that a factory that throws fails the test that builds, not the loading of every test file.
 */
type Given = Partial<GithubOidcEcrPipelineProps> | (() => Partial<GithubOidcEcrPipelineProps>);

function build(given: Given, region = REGION): () => { stack: Stack; pipeline: GithubOidcEcrPipeline } {
  return () => {
    const props = typeof given === 'function' ? given() : given;
    const app = testApp();
    const stack = new Stack(app, 'Token2026', { env: { account: ACCOUNT, region } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: NAME_FORM,
      environments: [],
      ...props,
    });
    return { stack, pipeline };
  };
}

/** A token of the repository, in one subject form, with the rest of its claims. */
function token(sub: string, extra: Claims = {}): Claims {
  return { sub, aud: AUD, repository_id: REPO_ID, ...extra };
}

const ids = { githubOwnerId: OWNER_ID, githubRepositoryId: REPO_ID };

export const TOKEN_CONFIGURATIONS: TokenConfiguration[] = [
  {
    title: 'immutable subjects, github.com in aws',
    issuer: ISSUER,
    evaluated: ALL_KEYS,
    environments: [
      { name: 'dev', admitted: [token(`repo:${IMMUTABLE_FORM}:ref:refs/heads/dev`), token(`repo:${NAME_FORM}:ref:refs/heads/dev`)] },
      { name: 'prod', admitted: [token(`repo:${IMMUTABLE_FORM}:ref:refs/heads/main`), token(`repo:${NAME_FORM}:ref:refs/heads/main`)] },
    ],
    build: build(() => ({ ...ids, environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }] })),
  },
  {
    title: 'deployment environment bound to main (repo, context, ref)',
    issuer: ISSUER,
    evaluated: ALL_KEYS,
    environments: [
      {
        name: 'prod',
        admitted: [
          token(`repo:${IMMUTABLE_FORM}:environment:production:ref:refs/heads/main`),
          token(`repo:${NAME_FORM}:environment:production:ref:refs/heads/main`),
        ],
      },
      {
        name: 'dev',
        admitted: [
          token(`repo:${IMMUTABLE_FORM}:ref:refs/heads/dev:ref:refs/heads/dev`),
          token(`repo:${NAME_FORM}:ref:refs/heads/dev:ref:refs/heads/dev`),
        ],
      },
    ],
    build: build(() => ({
      ...ids,
      subjectClaimKeys: ['repo', 'context', 'ref'],
      environments: [
        { name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] },
        { name: 'dev', branches: ['dev'] },
      ],
    })),
  },
  {
    title: 'deployment environment, default template (its branches gate the job only)',
    issuer: ISSUER,
    evaluated: ALL_KEYS,
    environments: [
      { name: 'prod', admitted: [token(`repo:${IMMUTABLE_FORM}:environment:production`), token(`repo:${NAME_FORM}:environment:production`)] },
      { name: 'dev', admitted: [token(`repo:${IMMUTABLE_FORM}:ref:refs/heads/dev`), token(`repo:${NAME_FORM}:ref:refs/heads/dev`)] },
    ],
    build: build(() => ({
      ...ids,
      environments: [
        { name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] },
        { name: 'dev', branches: ['dev'] },
      ],
    })),
  },
  {
    title: 'reusable workflow, github.com in aws (job_workflow_ref key)',
    issuer: ISSUER,
    evaluated: ALL_KEYS,
    environments: [
      {
        name: 'prod',
        admitted: [
          token(`repo:${IMMUTABLE_FORM}:ref:refs/heads/main`, { job_workflow_ref: CENTRAL }),
          token(`repo:${NAME_FORM}:ref:refs/heads/main`, { job_workflow_ref: CENTRAL }),
        ],
      },
      {
        name: 'dev',
        admitted: [
          token(`repo:${IMMUTABLE_FORM}:ref:refs/heads/dev`, { job_workflow_ref: CENTRAL }),
          token(`repo:${NAME_FORM}:ref:refs/heads/dev`, { job_workflow_ref: CENTRAL }),
        ],
      },
    ],
    build: build(() => ({
      ...ids,
      reusableWorkflow: GithubReusableWorkflow.fromReference(CENTRAL),
      environments: [{ name: 'prod', branches: ['main'] }, { name: 'dev', branches: ['dev'] }],
    })),
  },
  {
    title: 'reusable workflow, GitHub Enterprise Server (job_workflow_ref in the sub template)',
    issuer: SERVER,
    evaluated: SUB_AUD,
    environments: [
      { name: 'prod', admitted: [token(`repo:${NAME_FORM}:ref:refs/heads/main:job_workflow_ref:${CENTRAL}`, { job_workflow_ref: CENTRAL })] },
      { name: 'dev', admitted: [token(`repo:${NAME_FORM}:ref:refs/heads/dev:job_workflow_ref:${CENTRAL}`, { job_workflow_ref: CENTRAL })] },
    ],
    build: build(() => ({
      issuer: GithubIssuer.enterpriseServer('github.example.com'),
      subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'],
      reusableWorkflow: GithubReusableWorkflow.fromReference(CENTRAL),
      environments: [{ name: 'prod', branches: ['main'] }, { name: 'dev', branches: ['dev'] }],
    })),
  },
  {
    title: 'workflow file pinned through the template (repo, context, job_workflow_ref), aws-us-gov',
    issuer: ISSUER,
    evaluated: SUB_AUD,
    environments: [
      {
        name: 'prod',
        admitted: [
          token(`repo:${IMMUTABLE_FORM}:ref:refs/heads/main:job_workflow_ref:${NAME_FORM}/.github/workflows/push.yml@refs/heads/main`,
            { job_workflow_ref: `${NAME_FORM}/.github/workflows/push.yml@refs/heads/main` }),
          token(`repo:${NAME_FORM}:ref:refs/heads/main:job_workflow_ref:${NAME_FORM}/.github/workflows/push.yml@refs/heads/main`,
            { job_workflow_ref: `${NAME_FORM}/.github/workflows/push.yml@refs/heads/main` }),
        ],
      },
    ],
    build: build(() => ({
      ...ids,
      pinWorkflowFile: 'push.yml',
      subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'],
      environments: [{ name: 'prod', branches: ['main'] }],
    }), 'us-gov-west-1'),
  },
  {
    title: 'IDs in aws-us-gov (repository_id not pinned; the immutable sub pins the IDs)',
    issuer: ISSUER,
    evaluated: SUB_AUD,
    environments: [
      { name: 'prod', admitted: [token(`repo:${IMMUTABLE_FORM}:ref:refs/tags/v1`), token(`repo:${NAME_FORM}:ref:refs/tags/v1`)] },
    ],
    build: build(() => ({ ...ids, environments: [{ name: 'prod', subjects: [GithubSubject.tag('v1')] }] }), 'us-gov-west-1'),
  },
];

/** Replace the repository part of a sub, in either form. */
function withRepository(sub: string, repository: string): string {
  return sub.replace(/^repo:[^:]+/, `repo:${repository}`);
}

/**
 * Hostile variants of an admitted token: the other form with wrong IDs, the old name after a
 * rename, case variants, other refs, environments and templates, another workflow file, the
 * central workflow at another ref or in another repository, wrong or missing claims.
 */
export function hostileVariants(admitted: Claims): Array<{ label: string; claims: Claims }> {
  const sub = admitted.sub;
  const out: Array<{ label: string; claims: Claims }> = [];
  const add = (label: string, changes: Claims, drop: string[] = []) => {
    const claims = { ...admitted, ...changes };
    for (const key of drop) delete claims[key];
    out.push({ label, claims });
  };
  const subs: Array<[string, string]> = [
    ['owner ID off by one', withRepository(sub, `${OWNER}@${Number(OWNER_ID) + 1}/${REPO}@${REPO_ID}`)],
    ['repository ID off by one', withRepository(sub, `${OWNER}@${OWNER_ID}/${REPO}@${Number(REPO_ID) + 1}`)],
    ['IDs swapped', withRepository(sub, `${OWNER}@${REPO_ID}/${REPO}@${OWNER_ID}`)],
    ['owner ID only', withRepository(sub, `${OWNER}@${OWNER_ID}/${REPO}`)],
    ['repository ID only', withRepository(sub, `${OWNER}/${REPO}@${REPO_ID}`)],
    ['IDs of a re-created repository', withRepository(sub, `${OWNER}@${OWNER_ID}/${REPO}@${Number(REPO_ID) + 1000}`)],
    ['name form after a rename', withRepository(sub, `${OWNER}/old-${REPO}`)],
    ['immutable form after a rename (new name, same IDs)', withRepository(sub, `${OWNER}@${OWNER_ID}/renamed@${REPO_ID}`)],
    ['another owner with the same IDs', withRepository(sub, `attacker@${OWNER_ID}/${REPO}@${REPO_ID}`)],
    ['upper-case owner', withRepository(sub, sub.split(':')[1].replace(OWNER, OWNER.toUpperCase()))],
    ['capitalized repository', withRepository(sub, sub.split(':')[1].replace(REPO, 'Octo-Service'))],
    ['upper-case branch', sub.replace(/refs\/heads\/([a-z]+)/g, (_m, b: string) => `refs/heads/${b.toUpperCase()}`)],
    ['a fork', withRepository(sub, `fork-owner/${REPO}`)],
    ['another branch', sub.replace(/refs\/heads\/[a-z]+/g, 'refs/heads/feature')],
    ['another branch in the bound ref only', sub.replace(/:ref:refs\/heads\/([a-z]+)$/, ':ref:refs/heads/feature')],
    ['a tag of the same name', sub.replace(/refs\/heads\//g, 'refs/tags/')],
    ['a branch of the same name as the tag', sub.replace(/refs\/tags\//g, 'refs/heads/')],
    ['pull request', `${sub.split(':').slice(0, 2).join(':')}:pull_request`],
    ['the environment from any branch (unbound)', sub.replace(/(environment:[a-z]+):ref:refs\/heads\/[a-z]+/, '$1')],
    ['another workflow file on the same branch (branch sub instead of the environment)', sub.replace(/environment:[a-z]+:ref:(refs\/heads\/[a-z]+)/, 'ref:$1')],
    ['another deployment environment', sub.replace(/environment:[a-z]+/, 'environment:staging')],
    ['a deployment environment instead of the branch', sub.replace(/:ref:refs\/heads\/([a-z]+)(:|$)/, ':environment:$1$2')],
    ['the default template', sub.split(':').slice(0, 4).join(':')],
    ['an extra claim at the end', `${sub}:ref_type:branch`],
    ['claims in another order', sub.replace(/^(repo:[^:]+):(.*)$/, '$2:$1')],
    ['the central workflow in the sub at another ref', sub.replace(CENTRAL, CENTRAL.replace('v1', 'v2'))],
    ['an escaped colon', sub.replace(/:ref:/, '%3Aref:')],
    ['a wildcard', `${sub.split(':').slice(0, 2).join(':')}:*`],
    ['another owner', withRepository(sub, `attacker/${REPO}`)],
    ['a look-alike owner', withRepository(sub, `${OWNER}-evil/${REPO}`)],
    ['a look-alike repository', withRepository(sub, `${OWNER}/${REPO}-fork`)],
    ['a repository ending in .git', withRepository(sub, `${OWNER}/${REPO}.git`)],
    ['the owner alone', withRepository(sub, OWNER)],
    ['a wildcard repository', withRepository(sub, `${OWNER}/*`)],
    ['a longer branch', sub.replace(/(refs\/heads\/[a-z]+)/g, '$1-evil')],
    ['a sub-branch', sub.replace(/(refs\/heads\/[a-z]+)/g, '$1/x')],
    ['a remote-tracking ref', sub.replace(/refs\/heads\//g, 'refs/remotes/origin/')],
    ['a pull request merge ref', sub.replace(/refs\/heads\/[a-z]+/g, 'refs/pull/7/merge')],
    ['a look-alike environment', sub.replace(/environment:([a-z]+)/, 'environment:$1-preview')],
    ['a capitalized environment', sub.replace(/environment:([a-z])/, (_m, c: string) => `environment:${c.toUpperCase()}`)],
    ['a longer tag', sub.replace(/(refs\/tags\/[a-z0-9]+)/g, '$1.1')],
    ['a trailing space', `${sub} `],
    ['a trailing colon', `${sub}:`],
  ];
  for (const [label, changed] of subs) if (changed !== sub) add(`sub: ${label}`, { sub: changed });
  add('sub missing', {}, ['sub']);
  add('aud sigstore', { aud: 'sigstore' });
  add('aud of China', { aud: 'sts.amazonaws.com.cn' });
  add('aud missing', {}, ['aud']);
  add('repository_id of a re-created repository', { repository_id: String(Number(REPO_ID) + 1000) });
  add('repository_id missing', {}, ['repository_id']);
  const jobWorkflowRefs: Array<[string, string]> = [
    ['the caller\'s own file', `${OWNER}/${REPO}/.github/workflows/push-image-to-ecr.yml@refs/heads/main`],
    ['another file of the repository', `${OWNER}/${REPO}/.github/workflows/other.yml@refs/heads/main`],
    ['the pinned file on another branch', `${OWNER}/${REPO}/.github/workflows/push.yml@refs/heads/feature`],
    ['the central workflow at another tag', CENTRAL.replace('@refs/tags/v1', '@refs/tags/v2')],
    ['the central workflow on a branch', CENTRAL.replace('@refs/tags/v1', '@refs/heads/main')],
    ['the central workflow at a commit', CENTRAL.replace('@refs/tags/v1', '@0123456789abcdef0123456789abcdef01234567')],
    ['another file of the central repository', CENTRAL.replace('build.yml', 'deploy.yml')],
    ['the same file in another repository', CENTRAL.replace('octo-org/ci', 'attacker/ci')],
    ['a fork of the central repository', CENTRAL.replace('octo-org/ci', 'fork-owner/ci')],
  ];
  // Only a role that pins the central workflow cares which workflow file the job is defined in.
  if (admitted.job_workflow_ref !== undefined) {
    for (const [label, value] of jobWorkflowRefs) {
      add(`job_workflow_ref: ${label}`, { job_workflow_ref: value });
      if (sub.includes(admitted.job_workflow_ref)) {
        add(`job_workflow_ref in claim and sub: ${label}`, { job_workflow_ref: value, sub: sub.replace(admitted.job_workflow_ref, value) });
      }
    }
    add('job_workflow_ref missing', {}, ['job_workflow_ref']);
  }
  return out;
}

/** The claim sets of one environment: its own tokens (admitted), the others' and the hostile ones (refused). */
export function tokenClaimSets(config: TokenConfiguration, env: TokenEnvironment, principal: string): ClaimSet[] {
  const key = (claims: Claims) => JSON.stringify(Object.entries(claims).sort());
  const own = new Set(env.admitted.map(key));
  const asContext = (claims: Claims) => Object.fromEntries(Object.entries(claims)
    .filter(([name]) => config.evaluated.includes(name))
    .map(([name, value]) => [`${config.issuer}:${name}`, value]));
  const sets: ClaimSet[] = env.admitted.map((claims, i) => ({ label: `own token ${i}`, principal, claims: asContext(claims), expect: 'Allowed' }));
  const refused = [
    ...config.environments.filter(e => e !== env).flatMap(e => e.admitted.map(claims => ({ label: `${e.name}'s token`, claims }))),
    ...env.admitted.flatMap(hostileVariants),
  ];
  const seen = new Set<string>();
  for (const { label, claims } of refused) {
    const context = asContext(claims);
    if (own.has(key(claims)) || seen.has(key(context)) || env.admitted.some(a => key(asContext(a)) === key(context))) continue;
    seen.add(key(context));
    sets.push({ label, principal, claims: context, expect: 'Refused' });
  }
  return sets;
}
