import { App, Stack } from 'aws-cdk-lib';
import { expectRefused, synthPipeline, trustStatements } from './util';
import { GithubIssuer, GithubSubject } from '../src';
import { escapeClaimValue, githubTrustContext, pinnableKeys, possiblePartitions, runClaims, trustedRuns } from '../src/private/trust';

/*
 * src/private/trust.ts: how an environment's subjects become the runs a role trusts, their `sub`
 * claims and the condition keys; the cases the token matrices (trust-matrix, token-2026, pin)
 * do not reach.
 */

const SUB = 'token.actions.githubusercontent.com:sub';

describe('where STS evaluates the extra condition keys', () => {
  test('repository_id and job_workflow_ref for github.com in aws only; nothing for an Enterprise issuer or another partition', () => {
    expect(pinnableKeys(GithubIssuer.githubCom(), ['aws'])).toEqual(['repository_id', 'job_workflow_ref']);
    expect(pinnableKeys(GithubIssuer.githubCom(), ['aws', 'aws-us-gov'])).toEqual([]);
    expect(pinnableKeys(GithubIssuer.githubCom(), ['aws-cn'])).toEqual([]);
    expect(pinnableKeys(GithubIssuer.enterpriseServer('ghe.example.com'), ['aws'])).toEqual([]);
    expect(pinnableKeys(GithubIssuer.enterpriseCloud('octo-enterprise'), ['aws'])).toEqual([]);
  });

  test('a stack\'s possible partitions: its region\'s, its literal partition, or aws and aws-us-gov when neither is known', () => {
    // GIVEN a stack whose partition is literal although its region is not, as a Stack subclass may have
    class PartitionedStack extends Stack {
      public get partition(): string { return 'aws-cn'; }
    }
    // WHEN / THEN
    expect(possiblePartitions(new Stack(new App(), 'Tokyo', { env: { region: 'ap-northeast-1' } }))).toEqual(['aws']);
    expect(possiblePartitions(new Stack(new App(), 'GovCloud', { env: { region: 'us-gov-west-1' } }))).toEqual(['aws-us-gov']);
    expect(possiblePartitions(new Stack(new App(), 'Anywhere'))).toEqual(['aws', 'aws-us-gov']);
    expect(possiblePartitions(new PartitionedStack(new App(), 'Partitioned'))).toEqual(['aws-cn']);
  });
});

describe('the runs and claims of subjects', () => {
  const context = (options: { claimKeys?: string[]; ownerId?: string; repositoryId?: string } = {}) => githubTrustContext({
    stack: new Stack(new App(), 'Trust', { env: { region: 'eu-west-1' } }),
    issuer: GithubIssuer.githubCom(),
    owner: 'octo-org',
    repo: 'octo-repo',
    ...options,
  });
  const claimsOf = (ctx: ReturnType<typeof context>, subjects: GithubSubject[]) =>
    trustedRuns(ctx, subjects, 'environments[0]').flatMap(run => runClaims(ctx, run, 'environments[0]'));

  test('a pull request is an exact run, trusted with StringEquals', () => {
    // WHEN
    const { template } = synthPipeline({ environments: [{ name: 'pr', subjects: [GithubSubject.pullRequest()] }] });
    // THEN
    const statements = trustStatements(template);
    expect(statements).toHaveLength(1);
    expect(statements[0].Condition.StringEquals[SUB]).toBe('repo:octo-org/octo-repo:pull_request');
    expect(statements[0].Condition.StringLike).toBeUndefined();
  });

  test('both IDs add the immutable form; one of them alone does not', () => {
    expect(claimsOf(context({ ownerId: '1', repositoryId: '2' }), [GithubSubject.branch('main')]))
      .toEqual(['repo:octo-org/octo-repo:ref:refs/heads/main', 'repo:octo-org@1/octo-repo@2:ref:refs/heads/main']);
    expect(claimsOf(context({ ownerId: '1' }), [GithubSubject.branch('main')])).toEqual(['repo:octo-org/octo-repo:ref:refs/heads/main']);
    expect(claimsOf(context({ repositoryId: '2' }), [GithubSubject.branch('main')])).toEqual(['repo:octo-org/octo-repo:ref:refs/heads/main']);
  });

  test('a : inside a claim value is written %3A, as GitHub does; % stays', () => {
    expect(escapeClaimValue('a:b:c%3A')).toBe('a%3Ab%3Ac%3A');
  });

  test('ref_type binds a deployment environment to its branches, as ref does', () => {
    expect(claimsOf(context({ claimKeys: ['repo', 'context', 'ref_type'] }), [GithubSubject.environment('prod'), GithubSubject.branch('main')]))
      .toEqual(['repo:octo-org/octo-repo:environment:prod:ref_type:branch']);
  });

  test('repository_owner_id renders the owner ID, and needs githubOwnerId', () => {
    expect(claimsOf(context({ claimKeys: ['repo', 'context', 'repository_owner_id'], ownerId: '5551234', repositoryId: '2' }), [GithubSubject.branch('main')]))
      .toEqual(['repo:octo-org/octo-repo:ref:refs/heads/main:repository_owner_id:5551234', 'repo:octo-org@5551234/octo-repo@2:ref:refs/heads/main:repository_owner_id:5551234']);
    expect(() => claimsOf(context({ claimKeys: ['repo', 'context', 'repository_owner_id'] }), [GithubSubject.branch('main')]))
      .toThrow(/^subjectClaimKeys cannot express environments\[0\]'s branch main: the template carries repository_owner_id, so githubOwnerId must be given, got \["repo","context","repository_owner_id"\]$/);
  });

  test('a key that varies per run cannot be part of an exact sub', () => {
    expect(() => claimsOf(context({ claimKeys: ['repo', 'context', 'actor'] }), [GithubSubject.branch('main')]))
      .toThrow(/^subjectClaimKeys cannot express environments\[0\]'s branch main: 'actor' varies from run to run, so an exact sub cannot name it/);
  });

  test.each([
    ['ref', /its token's ref claim names no branch or tag the role could pin \(a pull request's is refs\/pull\/NUMBER\/merge/],
    ['ref_type', /its token's ref_type is not known for a run with no branch or tag/],
  ])('fails if the template carries %s for a pull request, whose runs have no branch', (key, why) => {
    expectRefused({ subjectClaimKeys: ['repo', 'context', key], environments: [{ name: 'pr', subjects: [GithubSubject.pullRequest()] }] },
      new RegExp(`^subjectClaimKeys cannot express environments\\[0\\]'s pull request: ${why.source}`));
  });

  test('fails if deployment environments bound by ref have no branch, naming them all', () => {
    expect(() => trustedRuns(context({ claimKeys: ['repo', 'context', 'ref'] }),
      [GithubSubject.environment('prod'), GithubSubject.environment('staging')], 'environments[0]')).toThrow(
      /^environments\[0\]\.branches must name the branches \(or subjects the tags\) that 'prod' and 'staging' is bound to, because subjectClaimKeys carries 'ref', so the token's sub names the ref of every run, got \[\]$/);
  });
});
