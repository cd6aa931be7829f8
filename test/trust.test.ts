import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { GithubIssuer, GithubOidcEcrPipeline, GithubSubject } from '../src';
import { ISSUER, expectAccepted, expectRefused, newStack, pipelineProps, synthPipeline, trustStatements } from './support/stack';

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
    ['GitHub Enterprise Server', GithubIssuer.enterpriseServer('github.example.com')],
    ['GitHub Enterprise Cloud', GithubIssuer.enterpriseCloud('octo-enterprise')],
  ])('%s in aws: repository_id is not pinned, and pinWorkflowFile fails with the reason', (_title, issuer) => {
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
