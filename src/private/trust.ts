import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { GITHUB_ACTIONS_AUDIENCE, GITHUB_ACTIONS_AUDIENCE_CHINA, IssuerKind } from './constants';
import { globsOverlap } from './glob';
import { fail } from './validation';

/** GitHub's default `sub` template: `repo:OWNER/REPO:CONTEXT`. */
export const DEFAULT_CLAIM_KEYS = ['repo', 'context'];

/**
 * The claim keys GitHub documents for `include_claim_keys` (OIDC subject customization). Only
 * those whose value follows from an environment's subjects and the pipeline's props can be
 * trusted exactly; the others vary per run and would need a wildcard.
 */
export const DERIVABLE_CLAIM_KEYS = [
  'repo', 'context', 'ref', 'ref_type', 'environment', 'repository', 'repository_owner',
  'repository_owner_id', 'repository_id', 'job_workflow_ref',
];
export const VARYING_CLAIM_KEYS = [
  'actor', 'actor_id', 'base_ref', 'check_run_id', 'enterprise', 'enterprise_id', 'event_name', 'head_ref',
  'job_workflow_sha', 'ref_protected', 'repository_visibility', 'run_attempt', 'run_id', 'run_number',
  'runner_environment', 'sha', 'workflow', 'workflow_ref', 'workflow_sha',
];

/** GitHub's custom repository properties, `repo_property_NAME`, also allowed in `include_claim_keys`. */
export const REPOSITORY_PROPERTY_KEY = /^repo_property_[A-Za-z0-9_]+$/;

/** Condition keys beyond `sub` and `aud` that a trust policy may pin, where STS evaluates them. */
export type PinnableKey = 'repository_id' | 'job_workflow_ref';

/** Who the tokens come from and which repository they must name. */
export interface TrustContext {
  readonly owner: string;
  readonly repo: string;
  readonly ownerId?: string;
  readonly repositoryId?: string;
  /** The issuer's host and path, which prefixes every condition key. */
  readonly issuer: string;
  readonly audience: string;
  /** The claim keys of the repository's `sub` template, in order. */
  readonly claimKeys: string[];
  /** The condition keys STS is documented to evaluate for this issuer in this stack's partition. */
  readonly pinnableKeys: PinnableKey[];
  /** The workflow file `job_workflow_ref` is pinned to, if any. */
  readonly workflowFile?: string;
  /** The reusable workflow every job must be defined in, as its `job_workflow_ref`, if any. */
  readonly reusableWorkflowRef?: string;
}

/** Who issues the tokens: the kind of GitHub, and the issuer's host and path. */
export interface TrustIssuer {
  readonly kind: IssuerKind;
  readonly hostPath: string;
}

/** What `githubTrustContext` needs, by name. */
export interface TrustContextOptions {
  readonly stack: Stack;
  readonly issuer: TrustIssuer;
  readonly owner: string;
  readonly repo: string;
  readonly ownerId?: string;
  readonly repositoryId?: string;
  readonly claimKeys?: string[];
  readonly workflowFile?: string;
  readonly reusableWorkflowRef?: string;
}

/** The trust context for tokens from `issuer`, with the audience and supported keys of the stack's partition. */
export function githubTrustContext(options: TrustContextOptions): TrustContext {
  const { stack, issuer } = options;
  return {
    owner: options.owner,
    repo: options.repo,
    ownerId: options.ownerId,
    repositoryId: options.repositoryId,
    issuer: issuer.hostPath,
    audience: stsAudience(stack),
    claimKeys: options.claimKeys ?? DEFAULT_CLAIM_KEYS,
    pinnableKeys: pinnableKeys(issuer, possiblePartitions(stack)),
    workflowFile: options.workflowFile,
    reusableWorkflowRef: options.reusableWorkflowRef,
  };
}

/**
 * Where AWS documents that STS evaluates a GitHub claim as a condition key. A key STS does not
 * evaluate is absent from the request, so a `StringEquals` on it would refuse every token: it is
 * pinned only where a source confirms it. The sources are listed in the README.
 */
export function pinnableKeys(issuer: TrustIssuer, partitions: string[]): PinnableKey[] {
  if (issuer.kind !== 'github.com') return [];
  return partitions.every(p => p === 'aws') ? ['repository_id', 'job_workflow_ref'] : [];
}

/** The partitions a stack may deploy to: its literal region's, or aws and aws-us-gov (whose audience it trusts) when unknown. */
export function possiblePartitions(stack: Stack): string[] {
  const known = regionPartition(stack.region);
  if (known !== undefined) return [known];
  if (!Token.isUnresolved(stack.partition)) return [stack.partition];
  return ['aws', 'aws-us-gov'];
}

/** The partition of a literal region, or undefined for a token or a region region-info does not know. */
export function regionPartition(region: string): string | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent: region-info registers facts under region names only, so a token's string has no partition either
  if (Token.isUnresolved(region)) return undefined;
  return RegionInfo.get(region).partition;
}

/**
 * The audience configure-aws-credentials asks STS for: `sts.amazonaws.com.cn` in aws-cn,
 * `sts.amazonaws.com` elsewhere. A stack without a literal region gets `sts.amazonaws.com`,
 * right for aws and aws-us-gov; a stack for China must name its region (`env.region`).
 */
export function stsAudience(stack: Stack): string {
  return audienceOfPartition(regionPartition(stack.region));
}

export function audienceOfPartition(partition: string | undefined): string {
  return partition === 'aws-cn' ? GITHUB_ACTIONS_AUDIENCE_CHINA : GITHUB_ACTIONS_AUDIENCE;
}

/**
 * One kind of workflow run a role trusts, as the claims that make up its `sub`. An environment
 * that trusts a deployment environment trusts only that environment's runs; with `ref` in the
 * template, each is bound to one of the environment's branches or tags.
 */
export interface TrustedRun {
  /** The `context` claim's rendering, as the subject renders it: `ref:refs/heads/NAME`, `environment:NAME` or `pull_request`. */
  readonly context: string;
  /** The git ref, e.g. `refs/heads/main`, when the run is tied to one. */
  readonly ref?: string;
  readonly refType?: 'branch' | 'tag';
  /** The deployment environment, when the run targets one. */
  readonly environment?: string;
  /** Whether `ref` (and so `context` or `ref`) holds a `*` pattern. */
  readonly pattern: boolean;
  /** The subjects the run comes from, for messages. */
  readonly from: string;
}

/**
 * GitHub writes a `:` inside a claim value as `%3A`, since `:` separates the parts of the `sub`;
 * it leaves `%` as it is.
 */
export function escapeClaimValue(value: string): string {
  return value.replace(/:/g, '%3A');
}

/**
 * The `sub` values a run is admitted under: the name form, and with IDs also GitHub's immutable
 * form (`OWNER@OWNER_ID/REPO@REPO_ID` in the `repo` part), which a re-created repository of the
 * same name does not match. A repository sends one form only.
 */
export function runClaims(ctx: TrustContext, run: TrustedRun, path: string): string[] {
  const forms = [`${ctx.owner}/${ctx.repo}`];
  if (ctx.ownerId !== undefined && ctx.repositoryId !== undefined) {
    forms.push(`${ctx.owner}@${ctx.ownerId}/${ctx.repo}@${ctx.repositoryId}`);
  }
  // The template must tell this run from the others: a branch needs context or ref, a deployment
  // environment context or environment, a pull request (a run with neither) context.
  const telling = run.environment !== undefined ? ['context', 'environment']
    : run.ref !== undefined ? ['context', 'ref'] : ['context'];
  if (!ctx.claimKeys.some(key => telling.includes(key))) {
    fail('subjectClaimKeys', ctx.claimKeys, `cannot express ${path}'s ${run.from}: the template needs ${telling.map(k => `'${k}'`).join(' or ')} to tell its runs from others, or the role would trust them all`);
  }
  const claims = forms.map(repo => ctx.claimKeys.map(key => claimPart(ctx, run, key, repo, path)).join(':'));
  return [...new Set(claims)];
}

function claimPart(ctx: TrustContext, run: TrustedRun, key: string, repo: string, path: string): string {
  const cannot = (why: string): never => fail('subjectClaimKeys', ctx.claimKeys,
    `cannot express ${path}'s ${run.from}: ${why}`);
  const part = (value: string) => `${key}:${escapeClaimValue(value)}`;
  switch (key) {
    case 'repo': return `repo:${repo}`;
    case 'context': return run.context;
    case 'ref':
      return run.ref !== undefined ? part(run.ref) : cannot('its token\'s ref claim names no branch or tag the role could pin (a pull request\'s is refs/pull/NUMBER/merge, a deployment environment\'s any branch)');
    case 'ref_type':
      return run.refType !== undefined ? part(run.refType) : cannot('its token\'s ref_type is not known for a run with no branch or tag');
    case 'environment':
      return run.environment !== undefined ? part(run.environment) : cannot('the template carries environment, but this run targets no deployment environment');
    case 'repository': return part(`${ctx.owner}/${ctx.repo}`);
    case 'repository_owner': return part(ctx.owner);
    case 'repository_owner_id':
      return ctx.ownerId !== undefined ? part(ctx.ownerId) : cannot('the template carries repository_owner_id, so githubOwnerId must be given');
    case 'repository_id':
      return ctx.repositoryId !== undefined ? part(ctx.repositoryId) : cannot('the template carries repository_id, so githubRepositoryId must be given');
    case 'job_workflow_ref': {
      const value = jobWorkflowRefOf(ctx, run);
      return value !== undefined ? part(value) : cannot('the template carries job_workflow_ref, so give pinWorkflowFile or reusableWorkflow (and a branch or tag for pinWorkflowFile)');
    }
    default:
      return cannot(`'${key}' varies from run to run, so an exact sub cannot name it`);
  }
}

/** The `job_workflow_ref` of a run: the reusable workflow, or the pinned file at the run's ref. */
function jobWorkflowRefOf(ctx: TrustContext, run: TrustedRun): string | undefined {
  if (ctx.reusableWorkflowRef !== undefined) return ctx.reusableWorkflowRef;
  if (ctx.workflowFile !== undefined && run.ref !== undefined) return `${ctx.owner}/${ctx.repo}/.github/workflows/${ctx.workflowFile}@${run.ref}`;
  return undefined;
}

/**
 * The `job_workflow_ref` values a role pins with the condition key, where STS evaluates it: the
 * reusable workflow, or the pinned file at each of the environment's branches and tags (their
 * git refs), which gate its job (a deployment-environment job too).
 */
export function jobWorkflowRefs(ctx: TrustContext, gitRefs: string[]): string[] {
  if (!ctx.pinnableKeys.includes('job_workflow_ref')) return [];
  if (ctx.reusableWorkflowRef !== undefined) return [ctx.reusableWorkflowRef];
  if (ctx.workflowFile === undefined) return [];
  return [...new Set(gitRefs.map(ref => `${ctx.owner}/${ctx.repo}/.github/workflows/${ctx.workflowFile}@${ref}`))];
}

/**
 * The conditions of the trust statements: one for the exact runs (`StringEquals`) and one for
 * the patterns (`StringLike`). They cannot share a statement: IAM ANDs the operators of one statement.
 */
export function trustConditions(ctx: TrustContext, runs: TrustedRun[], gitRefs: string[], path: string): iam.Conditions[] {
  const groups = [runs.filter(r => !r.pattern), runs.filter(r => r.pattern)];
  const workflowRefs = jobWorkflowRefs(ctx, gitRefs);
  return groups.filter(group => group.length > 0).map(group => {
    const sub = single([...new Set(group.flatMap(r => runClaims(ctx, r, path)))]);
    const equals: Record<string, unknown> = { [`${ctx.issuer}:aud`]: ctx.audience };
    if (ctx.repositoryId !== undefined && ctx.pinnableKeys.includes('repository_id')) equals[`${ctx.issuer}:repository_id`] = ctx.repositoryId;
    if (workflowRefs.length > 0) equals[`${ctx.issuer}:job_workflow_ref`] = single(workflowRefs);
    return group[0].pattern
      ? { StringEquals: equals, StringLike: { [`${ctx.issuer}:sub`]: sub } }
      : { StringEquals: { ...equals, [`${ctx.issuer}:sub`]: sub } };
  });
}

function single(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

/** A `sub` value a role trusts, and where it was given. */
export interface TrustedClaim {
  readonly claim: string;
  readonly pattern: boolean;
  /** Where the subject was given, e.g. `environments[1] subject 0`. */
  readonly path: string;
  readonly subject: string;
}

/** Two claims some `sub` matches both of, and that `sub` in words. */
export interface Overlap {
  readonly mine: TrustedClaim;
  readonly theirs: TrustedClaim;
  readonly example: string;
}

/** The first pair of claims, one from each list, that some token's `sub` matches both of, with that `sub` in words. */
export function firstOverlap(mine: TrustedClaim[], theirs: TrustedClaim[]): Overlap | undefined {
  for (const a of mine) {
    for (const b of theirs) {
      // An exact claim is compared as itself, even one that holds a '*' (a literal of StringEquals).
      const overlap = !a.pattern && !b.pattern ? a.claim === b.claim : globsOverlap(a.claim, b.claim);
      if (overlap) return { mine: a, theirs: b, example: !a.pattern ? `'${a.claim}'` : !b.pattern ? `'${b.claim}'` : `a sub matching both '${a.claim}' and '${b.claim}'` };
    }
  }
  return undefined;
}

