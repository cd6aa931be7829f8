import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { GithubIssuer, GithubOidcEcrPipeline, GithubSubject } from '../src';
import { ISSUER, expectAccepted, expectRefused, newStack, pipelineProps, synthPipeline, trustStatements } from './support/stack';
import {
  DERIVABLE_CLAIM_KEYS, REPOSITORY_PROPERTY_KEY, TrustContext, TrustedClaim, TrustedRun, VARYING_CLAIM_KEYS,
  audienceOfPartition, escapeClaimValue, firstOverlap, jobWorkflowRefs, pinnableKeys, possiblePartitions, regionPartition, runClaims, trustConditions,
} from '../src/private/trust';

/*
 * The trust policies: which condition keys each role pins, and the `sub` values it trusts, for
 * every subject kind, subject template, issuer and partition.
 */

const AUD = `${ISSUER}:aud`;
const SUB = `${ISSUER}:sub`;
const REPO_ID = `${ISSUER}:repository_id`;
const JOB_WORKFLOW_REF = `${ISSUER}:job_workflow_ref`;
/** A stack in the aws partition, where AWS documents STS support for job_workflow_ref. */
const AWS = { env: { region: 'us-east-1' } };

describe('trust policy', () => {
  test('only the provider, only AssumeRoleWithWebIdentity, aud pinned, exact branch with StringEquals', () => {
    // WHEN
    const { template } = synthPipeline();
    // THEN
    expect(trustStatements(template)).toEqual([{
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: { Ref: expect.stringMatching(/^GithubActionsOidcProvider/) } },
      Condition: {
        StringEquals: {
          [AUD]: 'sts.amazonaws.com',
          [SUB]: 'repo:octo-org/octo-repo:ref:refs/heads/dev',
        },
      },
    }]);
  });

  test('several exact subjects share one StringEquals list; no StringLike, no ForAllValues', () => {
    // WHEN
    const { template } = synthPipeline({
      environments: [{
        name: 'prod',
        branches: ['main'],
        subjects: [GithubSubject.tag('v1'), GithubSubject.pullRequest()],
      }],
    });
    // THEN
    const statements = trustStatements(template);
    expect(statements).toHaveLength(1);
    expect(statements[0].Condition).toEqual({
      StringEquals: {
        [AUD]: 'sts.amazonaws.com',
        [SUB]: [
          'repo:octo-org/octo-repo:ref:refs/heads/main',
          'repo:octo-org/octo-repo:ref:refs/tags/v1',
          'repo:octo-org/octo-repo:pull_request',
        ],
      },
    });
    expect(JSON.stringify(statements)).not.toMatch(/StringLike|ForAllValues|ForAnyValue/);
  });

  test('only pattern factories produce StringLike, in a statement of their own that still pins aud', () => {
    // WHEN
    const { template } = synthPipeline({
      environments: [{
        name: 'release',
        branches: ['main'],
        subjects: [GithubSubject.branchPattern('release/*'), GithubSubject.tagPattern('v*')],
      }],
    });
    // THEN
    const statements = trustStatements(template);
    expect(statements).toHaveLength(2);
    expect(statements[0].Condition).toEqual({ StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: 'repo:octo-org/octo-repo:ref:refs/heads/main' } });
    expect(statements[1]).toEqual(expect.objectContaining({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { [AUD]: 'sts.amazonaws.com' },
        StringLike: { [SUB]: ['repo:octo-org/octo-repo:ref:refs/heads/release/*', 'repo:octo-org/octo-repo:ref:refs/tags/v*'] },
      },
    }));
  });

  test('a pattern-only environment has one StringLike statement', () => {
    const { template } = synthPipeline({ environments: [{ name: 'release', subjects: [GithubSubject.branchPattern('release/*')] }] });
    expect(trustStatements(template)).toEqual([expect.objectContaining({
      Condition: { StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: 'repo:octo-org/octo-repo:ref:refs/heads/release/*' } },
    })]);
  });

  test('in aws, githubOwnerId and githubRepositoryId add the immutable sub form and pin repository_id, but not repository_owner_id', () => {
    // WHEN
    const { template } = synthPipeline({ githubOwnerId: '1111', githubRepositoryId: '2222' }, { env: { region: 'us-east-1' } });
    // THEN
    expect(trustStatements(template)[0].Condition).toEqual({
      StringEquals: {
        [AUD]: 'sts.amazonaws.com',
        [REPO_ID]: '2222',
        [SUB]: ['repo:octo-org/octo-repo:ref:refs/heads/dev', 'repo:octo-org@1111/octo-repo@2222:ref:refs/heads/dev'],
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('repository_owner_id');
  });

  test('in aws, with IDs, the pattern statement pins repository_id too', () => {
    const { template } = synthPipeline({ githubOwnerId: '1111', githubRepositoryId: '2222', environments: [{ name: 'r', subjects: [GithubSubject.tagPattern('v*')] }] }, { env: { region: 'us-east-1' } });
    expect(trustStatements(template)[0].Condition).toEqual({
      StringEquals: { [AUD]: 'sts.amazonaws.com', [REPO_ID]: '2222' },
      StringLike: { [SUB]: ['repo:octo-org/octo-repo:ref:refs/tags/v*', 'repo:octo-org@1111/octo-repo@2222:ref:refs/tags/v*'] },
    });
  });

  test('no subject ever has a wildcard in the owner or repository part', () => {
    const { template } = synthPipeline({ environments: [{ name: 'r', subjects: [GithubSubject.branchPattern('*')] }] });
    const subs = [trustStatements(template)[0].Condition.StringLike[SUB]].flat();
    for (const sub of subs) expect(sub).toMatch(/^repo:octo-org\/octo-repo:/);
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: Match.not(Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Condition: Match.objectLike({ StringLike: { [SUB]: '*' } }) })]) })) });
  });
});

describe('pinWorkflowFile', () => {
  test('without pinWorkflowFile, no role mentions job_workflow_ref', () => {
    const { template } = synthPipeline();
    expect(JSON.stringify(template.toJSON())).not.toContain('job_workflow_ref');
  });

  test('pins job_workflow_ref with StringEquals to the file at each branch and tag, and no wildcard', () => {
    // WHEN
    const { template } = synthPipeline({
      pinWorkflowFile: 'push.yml',
      environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.tag('v1.0.0'), GithubSubject.environment('production')] }],
    }, AWS);
    // THEN
    const [statement] = trustStatements(template);
    expect(statement.Condition.StringEquals[JOB_WORKFLOW_REF]).toEqual([
      'octo-org/octo-repo/.github/workflows/push.yml@refs/heads/main',
      'octo-org/octo-repo/.github/workflows/push.yml@refs/tags/v1.0.0',
    ]);
    expect(statement.Condition.StringLike).toBeUndefined();
    expect(JSON.stringify(statement)).not.toMatch(/job_workflow_ref[^\]]*\*/);
  });

  test('one branch gives a single value', () => {
    const { template } = synthPipeline({ pinWorkflowFile: 'push.yml' }, AWS);
    expect(trustStatements(template)[0].Condition.StringEquals[JOB_WORKFLOW_REF]).toBe('octo-org/octo-repo/.github/workflows/push.yml@refs/heads/dev');
  });
});

describe('subject templates (subjectClaimKeys)', () => {

  test('the default template gives the default sub and resets the repository to it', () => {
    const { template, pipeline } = synthPipeline();
    expect(trustStatements(template)[0].Condition.StringEquals[SUB]).toBe('repo:octo-org/octo-repo:ref:refs/heads/dev');
    expect(pipeline.subjectClaimKeys).toEqual(['repo', 'context']);
    expect(JSON.parse(pipeline.subjectCustomizationBody())).toEqual({ use_default: true });
  });

  test('repo, context, job_workflow_ref: the sub carries the pinned file at the branch, in both forms', () => {
    const { template, pipeline } = synthPipeline({
      githubOwnerId: '1',
      githubRepositoryId: '2',
      pinWorkflowFile: 'push.yml',
      subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'],
    }, { env: { region: 'us-gov-west-1' } });
    expect(trustStatements(template)[0].Condition.StringEquals[SUB]).toEqual([
      'repo:octo-org/octo-repo:ref:refs/heads/dev:job_workflow_ref:octo-org/octo-repo/.github/workflows/push.yml@refs/heads/dev',
      'repo:octo-org@1/octo-repo@2:ref:refs/heads/dev:job_workflow_ref:octo-org/octo-repo/.github/workflows/push.yml@refs/heads/dev',
    ]);
    expect(JSON.parse(pipeline.subjectCustomizationBody())).toEqual({ use_default: false, include_claim_keys: ['repo', 'context', 'job_workflow_ref'] });
  });

  test('repository, repository_owner, repository_id, ref_type and environment render as key:value', () => {
    const { template } = synthPipeline({
      githubOwnerId: '1',
      githubRepositoryId: '2',
      subjectClaimKeys: ['repository_owner', 'repository', 'repository_id', 'ref_type', 'environment', 'ref'],
      environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }],
    });
    expect(trustStatements(template)[0].Condition.StringEquals[SUB])
      .toBe('repository_owner:octo-org:repository:octo-org/octo-repo:repository_id:2:ref_type:branch:environment:production:ref:refs/heads/main');
  });

  test('fails if the list is empty, or names a key twice; two distinct keys are fine', () => {
    expectRefused({ subjectClaimKeys: [] }, /^subjectClaimKeys must list at least one claim key/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'repo'] }, /^subjectClaimKeys\[2\] must be unique; subjectClaimKeys\[0\] is the same, got 'repo'/);
    expectAccepted({ subjectClaimKeys: ['repo', 'context'] });
  });

  test('fails if a key is not one GitHub documents', () => {
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'branch'] }, /^subjectClaimKeys\[2\] must be one of the claims GitHub documents in its OIDC token.*got 'branch'/);
    expectRefused({ subjectClaimKeys: ['repo', 'Context'] }, /^subjectClaimKeys\[1\] must be one of the claims GitHub documents/);
  });

  test.each(['actor', 'workflow', 'event_name', 'sha', 'run_id', 'job_workflow_sha', 'enterprise_id', 'repo_property_team'])('fails if a key varies from run to run: %s', (key) => {
    expectRefused({ subjectClaimKeys: ['repo', 'context', key] }, new RegExp(`^subjectClaimKeys\\[2\\] is a claim whose value varies from run to run or is not known at synth time.*got '${key}'`));
  });

  test('fails if the template does not name the repository, or what a run is for', () => {
    expectRefused({ subjectClaimKeys: ['repository_owner', 'context'] }, /^subjectClaimKeys must include 'repo', 'repository' or 'repository_id'/);
    expectRefused({ subjectClaimKeys: ['repo', 'ref_type'] }, /^subjectClaimKeys must include 'context', 'ref' or 'environment'/);
    expectAccepted({ subjectClaimKeys: ['repository', 'ref'] });
  });

  test('fails if a template cannot express a subject, naming both', () => {
    // GIVEN templates that lack what a subject needs
    expectRefused({ subjectClaimKeys: ['repo', 'ref'], environments: [{ name: 'dev', subjects: [GithubSubject.pullRequest()] }] },
      /^subjectClaimKeys cannot express environments\[0\]'s pull request: the template needs 'context'.*got \["repo","ref"\]/);
    expectRefused({ subjectClaimKeys: ['repo', 'ref'], environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }] },
      /^subjectClaimKeys cannot express environments\[0\]'s environment production on branch main: the template needs 'context' or 'environment'/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'environment'], environments: [{ name: 'dev', branches: ['dev'] }] },
      /cannot express environments\[0\]'s branch dev: the template carries environment, but this run targets no deployment environment/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'repository_id'] }, /the template carries repository_id, so githubRepositoryId must be given/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'] }, /the template carries job_workflow_ref, so give pinWorkflowFile or reusableWorkflow/);
    // WHEN / THEN the same subjects are fine where the template can express them
    expectAccepted({ subjectClaimKeys: ['repo', 'context', 'repository_id'], githubOwnerId: '1', githubRepositoryId: '2' });
    expectAccepted({ subjectClaimKeys: ['repo', 'context'], environments: [{ name: 'dev', subjects: [GithubSubject.pullRequest()] }] });
  });

  test('a pattern under a template with ref gives one StringLike sub', () => {
    const { template } = synthPipeline({
      subjectClaimKeys: ['repo', 'context', 'ref'],
      environments: [{ name: 'rel', subjects: [GithubSubject.branchPattern('release/*')] }],
    });
    expect(trustStatements(template)[0].Condition.StringLike[SUB]).toBe('repo:octo-org/octo-repo:ref:refs/heads/release/*:ref:refs/heads/release/*');
  });
});

describe('deployment environments', () => {

  test('a role that trusts a deployment environment admits only its tokens; its branches gate the job', () => {
    // GIVEN / WHEN
    const { template, pipeline } = synthPipeline({
      environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }],
    }, { env: { region: 'eu-west-1' } });
    // THEN
    expect(trustStatements(template)[0].Condition.StringEquals[SUB]).toBe('repo:octo-org/octo-repo:environment:production');
    const workflow = pipeline.renderWorkflow();
    expect(workflow).toContain('if: github.ref == \'refs/heads/main\'');
    expect(workflow).toContain('environment: production');
  });

  test('with the default template, a deployment environment beside branches warns that it is unbound', () => {
    const { stack } = synthPipeline({ environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Pipeline', Match.stringLikeRegexp(
      "environments\\[0\\] \\('prod'\\): its role admits every job that targets the deployment environment 'production', from any branch.*subjectClaimKeys: \\['repo', 'context', 'ref'\\]"));
  });

  test('bound with repo, context, ref: the sub names the environment and each branch; no warning', () => {
    const { template, stack } = synthPipeline({
      subjectClaimKeys: ['repo', 'context', 'ref'],
      environments: [{ name: 'prod', branches: ['main', 'hotfix'], subjects: [GithubSubject.environment('production')] }],
    });
    expect(trustStatements(template)[0].Condition.StringEquals[SUB]).toEqual([
      'repo:octo-org/octo-repo:environment:production:ref:refs/heads/main',
      'repo:octo-org/octo-repo:environment:production:ref:refs/heads/hotfix',
    ]);
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Pipeline', Match.stringLikeRegexp('unbound|admits every job'));
  });

  test('fails if a bound deployment environment has no branch or tag to bind to; with one it is fine', () => {
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'ref'], environments: [{ name: 'prod', subjects: [GithubSubject.environment('production')] }] },
      /^environments\[0\]\.branches must name the branches \(or subjects the tags\) that 'production' is bound to, because subjectClaimKeys carries 'ref'/);
    expectAccepted({ subjectClaimKeys: ['repo', 'context', 'ref'], environments: [{ name: 'prod', subjects: [GithubSubject.environment('production'), GithubSubject.tag('v1')] }] });
  });

  test('fails if a deployment environment is combined with pull requests', () => {
    expectRefused({ environments: [{ name: 'prod', subjects: [GithubSubject.environment('production'), GithubSubject.pullRequest()] }] },
      /^environments\[0\]\.subjects cannot combine GithubSubject\.pullRequest\(\) with a deployment environment/);
    expectAccepted({ environments: [{ name: 'prod', subjects: [GithubSubject.environment('production')] }, { name: 'pr', subjects: [GithubSubject.pullRequest()] }] });
  });
});

describe('condition keys STS evaluates only in some places', () => {
  const KEY = (k: string, issuer = 'token.actions.githubusercontent.com') => `${issuer}:${k}`;
  const conditionKeys = (template: Template) => Object.keys(trustStatements(template)[0].Condition.StringEquals);

  test.each([
    ['aws (us-east-1)', 'us-east-1', true],
    ['aws (ap-northeast-1)', 'ap-northeast-1', true],
    ['aws-cn (cn-north-1)', 'cn-north-1', false],
    ['aws-us-gov (us-gov-west-1)', 'us-gov-west-1', false],
    ['region unknown at synth', undefined, false],
  ])('github.com in %s: repository_id pinned: %s', (_title, region, pinned) => {
    const { template } = synthPipeline({ githubOwnerId: '1', githubRepositoryId: '2' }, region ? { env: { region } } : {});
    expect(conditionKeys(template).includes(KEY('repository_id'))).toBe(pinned);
    // The immutable form still pins the IDs in the sub.
    expect(trustStatements(template)[0].Condition.StringEquals[KEY('sub')]).toContain('repo:octo-org@1/octo-repo@2:ref:refs/heads/dev');
  });

  test.each([
    ['GitHub Enterprise Server', () => GithubIssuer.enterpriseServer('github.example.com')],
    ['GitHub Enterprise Cloud', () => GithubIssuer.enterpriseCloud('octo-enterprise')],
  ])('%s in aws: repository_id is not pinned, and pinWorkflowFile fails with the reason', (_title, makeIssuer) => {
    const issuer = makeIssuer();
    const { template } = synthPipeline({ issuer, githubOwnerId: '1', githubRepositoryId: '2' }, { env: { region: 'us-east-1' } });
    expect(conditionKeys(template).some(k => k.endsWith(':repository_id'))).toBe(false);
    expect(() => new GithubOidcEcrPipeline(newStack({ env: { region: 'us-east-1' } }), 'Pipeline', pipelineProps({ issuer, pinWorkflowFile: 'push.yml' })))
      .toThrow(/^pinWorkflowFile needs the job_workflow_ref condition key, which AWS documents for github\.com tokens in the aws partition only/);
  });

  test('pinWorkflowFile in aws-cn fails; in aws it pins; with job_workflow_ref in the template it works anywhere', () => {
    expect(() => new GithubOidcEcrPipeline(newStack({ env: { region: 'cn-north-1' } }), 'Pipeline', pipelineProps({ pinWorkflowFile: 'push.yml' })))
      .toThrow(/^pinWorkflowFile needs the job_workflow_ref condition key/);
    const aws = synthPipeline({ pinWorkflowFile: 'push.yml' }, { env: { region: 'us-east-1' } });
    expect(conditionKeys(aws.template)).toContain(KEY('job_workflow_ref'));
    const cn = synthPipeline({ pinWorkflowFile: 'push.yml', subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'] }, { env: { region: 'cn-north-1' } });
    expect(conditionKeys(cn.template)).not.toContain(KEY('job_workflow_ref'));
  });
});

/*
 * The building blocks of src/private/trust.ts on their own, where a pipeline would hide a wrong
 * answer behind another rule: the partitions and audience of a stack, the keys STS evaluates,
 * the parts of a sub under each template key, and the overlap of two roles' subs.
 */
describe('trust building blocks', () => {
  const RUN_MAIN: TrustedRun = { context: 'ref:refs/heads/main', ref: 'refs/heads/main', refType: 'branch', pattern: false, from: "branch 'main'" };
  const RUN_PULL_REQUEST: TrustedRun = { context: 'pull_request', pattern: false, from: 'pull requests' };
  const RUN_NO_REF_TYPE: TrustedRun = { context: 'ref:refs/heads/main', ref: 'refs/heads/main', pattern: false, from: "branch 'main'" };
  const context = (overrides: Partial<TrustContext> = {}): TrustContext => ({
    owner: 'octo-org',
    repo: 'octo-repo',
    issuer: ISSUER,
    audience: 'sts.amazonaws.com',
    claimKeys: ['repo', 'context'],
    pinnableKeys: ['repository_id', 'job_workflow_ref'],
    ...overrides,
  });
  const claims = (overrides: Partial<TrustContext>, run: TrustedRun = RUN_MAIN) => runClaims(context(overrides), run, 'environments[0]');

  test('repository_id and job_workflow_ref are pinnable for github.com in aws only', () => {
    const githubCom = { kind: 'github.com' as const, hostPath: ISSUER };
    expect(pinnableKeys(githubCom, ['aws'])).toEqual(['repository_id', 'job_workflow_ref']);
    expect(pinnableKeys(githubCom, ['aws', 'aws-us-gov'])).toEqual([]);
    expect(pinnableKeys(githubCom, ['aws-cn'])).toEqual([]);
    expect(pinnableKeys({ kind: 'enterprise-server', hostPath: 'github.example.com/_services/token' }, ['aws'])).toEqual([]);
    expect(pinnableKeys({ kind: 'enterprise-cloud', hostPath: `${ISSUER}/octo-enterprise` }, ['aws'])).toEqual([]);
  });

  test('a stack may deploy to its region\'s partition, its own literal partition, or else aws and aws-us-gov', () => {
    // A stack class that names its partition without a region, as a user's subclass may.
    class ChinaStack extends Stack {
      public get partition(): string { return 'aws-cn'; }
    }
    const app = new App();
    expect(possiblePartitions(new Stack(app, 'Virginia', { env: { region: 'us-east-1' } }))).toEqual(['aws']);
    expect(possiblePartitions(new Stack(app, 'Beijing', { env: { region: 'cn-north-1' } }))).toEqual(['aws-cn']);
    expect(possiblePartitions(new ChinaStack(app, 'China'))).toEqual(['aws-cn']);
    expect(possiblePartitions(new Stack(app, 'Anywhere'))).toEqual(['aws', 'aws-us-gov']);
    expect(regionPartition(new Stack(app, 'Agnostic').region)).toBeUndefined();
  });

  test('the audience is sts.amazonaws.com.cn in aws-cn only', () => {
    expect(audienceOfPartition('aws-cn')).toBe('sts.amazonaws.com.cn');
    expect(audienceOfPartition('aws')).toBe('sts.amazonaws.com');
    expect(audienceOfPartition('aws-us-gov')).toBe('sts.amazonaws.com');
    expect(audienceOfPartition(undefined)).toBe('sts.amazonaws.com');
  });

  test('a colon inside a claim value is written %3A, every one, and % is left alone', () => {
    expect(escapeClaimValue('refs/heads/a:b:c')).toBe('refs/heads/a%3Ab%3Ac');
    expect(escapeClaimValue('100%')).toBe('100%');
  });

  test('the immutable form needs both IDs; with one of them, only the name form is trusted', () => {
    expect(claims({ ownerId: '1' })).toEqual(['repo:octo-org/octo-repo:ref:refs/heads/main']);
    expect(claims({ repositoryId: '2' })).toEqual(['repo:octo-org/octo-repo:ref:refs/heads/main']);
    expect(claims({ ownerId: '1', repositoryId: '2' })).toEqual(['repo:octo-org/octo-repo:ref:refs/heads/main', 'repo:octo-org@1/octo-repo@2:ref:refs/heads/main']);
  });

  test('each template key renders its part, escaped', () => {
    const keys = ['repo', 'context', 'ref', 'ref_type', 'repository', 'repository_owner', 'repository_owner_id', 'repository_id'];
    expect(claims({ claimKeys: keys, ownerId: '1', repositoryId: '2' })).toEqual([
      'repo:octo-org/octo-repo:ref:refs/heads/main:ref:refs/heads/main:ref_type:branch:repository:octo-org/octo-repo:repository_owner:octo-org:repository_owner_id:1:repository_id:2',
      'repo:octo-org@1/octo-repo@2:ref:refs/heads/main:ref:refs/heads/main:ref_type:branch:repository:octo-org/octo-repo:repository_owner:octo-org:repository_owner_id:1:repository_id:2',
    ]);
    const tag: TrustedRun = { context: 'ref:refs/tags/v1%3A0', ref: 'refs/tags/v1:0', refType: 'tag', pattern: false, from: "tag 'v1:0'" };
    expect(claims({ claimKeys: ['repo', 'ref', 'ref_type'] }, tag)).toEqual(['repo:octo-org/octo-repo:ref:refs/tags/v1%3A0:ref_type:tag']);
  });

  test('fails if a template key has no value for the run, naming subjectClaimKeys and the reason', () => {
    expect(() => claims({ claimKeys: ['repo', 'context', 'ref'] }, RUN_PULL_REQUEST))
      .toThrow(/^subjectClaimKeys cannot express environments\[0\]'s pull requests: its token's ref claim names no branch or tag the role could pin/);
    expect(() => claims({ claimKeys: ['repo', 'context', 'ref_type'] }, RUN_NO_REF_TYPE))
      .toThrow(/^subjectClaimKeys cannot express environments\[0\]'s branch 'main': its token's ref_type is not known for a run with no branch or tag/);
    expect(() => claims({ claimKeys: ['repo', 'context', 'repository_owner_id'] }))
      .toThrow(/^subjectClaimKeys cannot express environments\[0\]'s branch 'main': the template carries repository_owner_id, so githubOwnerId must be given/);
    expect(() => claims({ claimKeys: ['repo', 'context', 'repository_id'] }))
      .toThrow(/^subjectClaimKeys cannot express environments\[0\]'s branch 'main': the template carries repository_id, so githubRepositoryId must be given/);
    expect(() => claims({ claimKeys: ['repo', 'context', 'actor'] }))
      .toThrow(/^subjectClaimKeys cannot express environments\[0\]'s branch 'main': 'actor' varies from run to run, so an exact sub cannot name it/);
    expect(() => claims({ claimKeys: ['repo', 'context', 'job_workflow_ref'], workflowFile: 'push.yml' }, RUN_PULL_REQUEST))
      .toThrow(/^subjectClaimKeys cannot express environments\[0\]'s pull requests: the template carries job_workflow_ref/);
  });

  test('job_workflow_ref in the template is the reusable workflow when there is one, else the pinned file at the run\'s ref', () => {
    const reusable = 'octo-org/shared/.github/workflows/push.yml@refs/heads/main';
    const keys = ['repo', 'context', 'job_workflow_ref'];
    expect(claims({ claimKeys: keys, reusableWorkflowRef: reusable, workflowFile: 'push.yml' }))
      .toEqual([`repo:octo-org/octo-repo:ref:refs/heads/main:job_workflow_ref:${reusable}`]);
    expect(claims({ claimKeys: keys, reusableWorkflowRef: reusable }, RUN_PULL_REQUEST))
      .toEqual([`repo:octo-org/octo-repo:pull_request:job_workflow_ref:${reusable}`]);
    expect(claims({ claimKeys: keys, workflowFile: 'push.yml' }))
      .toEqual(['repo:octo-org/octo-repo:ref:refs/heads/main:job_workflow_ref:octo-org/octo-repo/.github/workflows/push.yml@refs/heads/main']);
  });

  test('the job_workflow_ref condition pins the reusable workflow alone, or the file at each git ref once, where STS evaluates it', () => {
    const reusable = 'octo-org/shared/.github/workflows/push.yml@refs/heads/main';
    const refs = ['refs/heads/main', 'refs/tags/v1', 'refs/heads/main'];
    expect(jobWorkflowRefs(context({ reusableWorkflowRef: reusable, workflowFile: 'push.yml' }), refs)).toEqual([reusable]);
    expect(jobWorkflowRefs(context({ workflowFile: 'push.yml' }), refs)).toEqual([
      'octo-org/octo-repo/.github/workflows/push.yml@refs/heads/main',
      'octo-org/octo-repo/.github/workflows/push.yml@refs/tags/v1',
    ]);
    expect(jobWorkflowRefs(context(), refs)).toEqual([]);
    expect(jobWorkflowRefs(context({ reusableWorkflowRef: reusable, pinnableKeys: [] }), refs)).toEqual([]);
  });

  test('repository_id is a condition only when it is given and STS evaluates it', () => {
    const keysOf = (overrides: Partial<TrustContext>) => Object.keys(trustConditions(context(overrides), [RUN_MAIN], [], 'environments[0]')[0].StringEquals as object);
    expect(keysOf({})).toEqual([AUD, SUB]);
    expect(keysOf({ repositoryId: '2' })).toEqual([AUD, REPO_ID, SUB]);
    expect(keysOf({ repositoryId: '2', pinnableKeys: [] })).toEqual([AUD, SUB]);
  });

  describe('firstOverlap', () => {
    const claim = (value: string, pattern: boolean, path: string): TrustedClaim => ({ claim: value, pattern, path, subject: value });
    const MAIN = claim('repo:o/r:ref:refs/heads/main', false, 'mine');
    const RELEASE = claim('repo:o/r:ref:refs/heads/release', false, 'theirs');
    const ANY = claim('repo:o/r:ref:refs/heads/*', true, 'theirs');
    const RELEASES = claim('repo:o/r:ref:refs/heads/release*', true, 'mine');

    test('two exact subs overlap only when they are the same, and the example is that sub', () => {
      expect(firstOverlap([MAIN], [RELEASE])).toBeUndefined();
      // An exact sub is a literal of StringEquals: a '*' in it matches only a '*'.
      expect(firstOverlap([claim('repo:o/r:ref:refs/heads/a*', false, 'mine')], [claim('repo:o/r:ref:refs/heads/ab', false, 'theirs')])).toBeUndefined();
      expect(firstOverlap([MAIN], [{ ...MAIN, path: 'theirs' }])).toEqual({ mine: MAIN, theirs: { ...MAIN, path: 'theirs' }, example: "'repo:o/r:ref:refs/heads/main'" });
    });

    test('an exact sub and a pattern overlap when the pattern matches it, and the example is the exact sub', () => {
      expect(firstOverlap([MAIN], [ANY])).toEqual({ mine: MAIN, theirs: ANY, example: "'repo:o/r:ref:refs/heads/main'" });
      expect(firstOverlap([ANY], [RELEASE])).toEqual({ mine: ANY, theirs: RELEASE, example: "'repo:o/r:ref:refs/heads/release'" });
      expect(firstOverlap([RELEASES], [{ ...MAIN, path: 'theirs' }])).toBeUndefined();
    });

    test('two patterns overlap when one sub matches both, and the example says so', () => {
      expect(firstOverlap([RELEASES], [ANY])).toEqual({ mine: RELEASES, theirs: ANY, example: "a sub matching both 'repo:o/r:ref:refs/heads/release*' and 'repo:o/r:ref:refs/heads/*'" });
      expect(firstOverlap([RELEASES], [claim('repo:o/r:ref:refs/heads/main*', true, 'theirs')])).toBeUndefined();
    });

    test('the first overlapping pair is found across both lists, and none in empty lists', () => {
      expect(firstOverlap([MAIN, RELEASES], [RELEASE])).toEqual({ mine: RELEASES, theirs: RELEASE, example: "'repo:o/r:ref:refs/heads/release'" });
      expect(firstOverlap([], [ANY])).toBeUndefined();
      expect(firstOverlap([MAIN], [])).toBeUndefined();
    });
  });

  describe('template keys', () => {
    // Written out, not read from the list under test: a key dropped from it would otherwise drop its test too.
    const VARYING = [
      'actor', 'actor_id', 'base_ref', 'check_run_id', 'enterprise', 'enterprise_id', 'event_name', 'head_ref',
      'job_workflow_sha', 'ref_protected', 'repository_visibility', 'run_attempt', 'run_id', 'run_number',
      'runner_environment', 'sha', 'workflow', 'workflow_ref', 'workflow_sha',
    ];

    test('the keys that vary from run to run are the 19 GitHub documents beside the derivable ones', () => {
      expect(VARYING_CLAIM_KEYS).toEqual(VARYING);
    });

    test.each(VARYING)('fails if the template names %s, which varies from run to run', (key) => {
      expectRefused({ subjectClaimKeys: ['repo', 'context', key] }, new RegExp(`^subjectClaimKeys\\[2\\] is a claim whose value varies from run to run.*got '${key}'`));
    });

    test('the keys that follow from the pipeline are each accepted', () => {
      expect(DERIVABLE_CLAIM_KEYS).toEqual(['repo', 'context', 'ref', 'ref_type', 'environment', 'repository', 'repository_owner', 'repository_owner_id', 'repository_id', 'job_workflow_ref']);
      expectAccepted({ subjectClaimKeys: ['repo', 'context', 'repository_owner_id'], githubOwnerId: '1', githubRepositoryId: '2' });
    });

    test('a repository property key is repo_property_ and a name of letters, digits and _ only', () => {
      expect(REPOSITORY_PROPERTY_KEY.test('repo_property_team_1')).toBe(true);
      expect(REPOSITORY_PROPERTY_KEY.test('xrepo_property_team')).toBe(false);
      expect(REPOSITORY_PROPERTY_KEY.test('repo_property_team-1')).toBe(false);
      expect(REPOSITORY_PROPERTY_KEY.test('repo_property_')).toBe(false);
    });
  });
});
