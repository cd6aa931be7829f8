import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { GITHUB_ACTIONS_AUDIENCE, GITHUB_ACTIONS_AUDIENCE_CHINA } from './constants';
import type { GithubIssuer } from '../issuer';
import { GithubSubject, GithubSubjectKind } from '../subject';

/** Who the tokens come from and which repository they must name. */
export interface TrustContext {
  readonly owner: string;
  readonly repo: string;
  readonly ownerId?: string;
  readonly repositoryId?: string;
  /** The issuer's host and path, which prefixes every condition key. */
  readonly issuer: string;
  readonly audience: string;
  /** The workflow file `job_workflow_ref` is pinned to, if any. */
  readonly workflowFile?: string;
}

/** The trust context for tokens from `issuer`, with the audience of the stack's partition. */
export function githubTrustContext(
  stack: Stack, issuer: GithubIssuer, owner: string, repo: string, ownerId?: string, repositoryId?: string, workflowFile?: string,
): TrustContext {
  return { owner, repo, ownerId, repositoryId, issuer: issuer.hostPath, audience: stsAudience(stack), workflowFile };
}

/**
 * The `job_workflow_ref` values of a pinned environment: the workflow file at each of its branches
 * and tags. A deployment-environment job runs on one of those refs, since its job is gated on them.
 */
export function jobWorkflowRefs(ctx: TrustContext, subjects: GithubSubject[]): string[] {
  if (ctx.workflowFile === undefined) return [];
  return subjects
    .filter(s => s.kind === GithubSubjectKind.BRANCH || s.kind === GithubSubjectKind.TAG)
    .map(s => `${ctx.owner}/${ctx.repo}/.github/workflows/${ctx.workflowFile}@${s._render().replace(/^ref:/, '')}`);
}

/** The partition of a literal region, or undefined for a token or a region region-info does not know. */
export function regionPartition(region: string): string | undefined {
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
 * The `sub` values a subject is admitted under: the name form, and with IDs also GitHub's
 * immutable form, which a re-created repository of the same name does not match.
 */
export function subjectClaims(ctx: TrustContext, subject: GithubSubject): string[] {
  const suffix = subject._render();
  const claims = [`repo:${ctx.owner}/${ctx.repo}:${suffix}`];
  if (ctx.ownerId !== undefined && ctx.repositoryId !== undefined) {
    claims.push(`repo:${ctx.owner}@${ctx.ownerId}/${ctx.repo}@${ctx.repositoryId}:${suffix}`);
  }
  return claims;
}

/**
 * The conditions of the trust statements: one for the exact subjects (`StringEquals`) and one for
 * the patterns (`StringLike`). They cannot share a statement: IAM ANDs the operators of one statement.
 */
export function trustConditions(ctx: TrustContext, subjects: GithubSubject[]): iam.Conditions[] {
  const groups = [subjects.filter(s => !s.isPattern), subjects.filter(s => s.isPattern)];
  return groups.filter(group => group.length > 0).map(group => {
    const sub = single(group.flatMap(s => subjectClaims(ctx, s)));
    const equals: Record<string, unknown> = { [`${ctx.issuer}:aud`]: ctx.audience };
    if (ctx.repositoryId !== undefined) equals[`${ctx.issuer}:repository_id`] = ctx.repositoryId;
    const workflowRefs = jobWorkflowRefs(ctx, subjects);
    if (workflowRefs.length > 0) equals[`${ctx.issuer}:job_workflow_ref`] = single(workflowRefs);
    return group[0].isPattern
      ? { StringEquals: equals, StringLike: { [`${ctx.issuer}:sub`]: sub } }
      : { StringEquals: { ...equals, [`${ctx.issuer}:sub`]: sub } };
  });
}

function single(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : values;
}

/** The longest partition name, used when the provider ARN is a token. */
const LONGEST_PARTITION = 'aws-us-gov';

/**
 * The length of a trust policy as IAM counts it (whitespace removed), with every unresolved
 * value replaced by the longest provider ARN it can resolve to.
 */
export function estimateTrustPolicyLength(stack: Stack, document: iam.PolicyDocument, issuer: string): number {
  const longestArn = `arn:${LONGEST_PARTITION}:iam::123456789012:oidc-provider/${issuer}`;
  const concrete = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(concrete);
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return longestArn;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, concrete(v)]));
    }
    return value;
  };
  return JSON.stringify(concrete(stack.resolve(document.toJSON()))).length;
}
