import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, CfnParameter, NestedStack, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as signer from 'aws-cdk-lib/aws-signer';
import { EcrSigningConfiguration, GithubActionsOidcProvider, GithubIssuer, GithubOidcEcrPipeline, GithubReusableWorkflow, GithubSubject } from '../src';
import { VALIDATION_CONTEXT, expectAccepted, expectRefused, newStack, pipelineProps, synthPipeline, testApp } from './support/stack';

/** A stack in the aws partition, where AWS documents STS support for job_workflow_ref. */
const AWS = { env: { region: 'us-east-1' } };

describe('structure', () => {
  test.each([1, 2, 5])('has 1 + 2 x N resources for N = %i environments', (n) => {
    // GIVEN
    const environments = Array.from({ length: n }, (_, i) => ({ name: `env${i}`, branches: [`branch-${i}`] }));
    // WHEN
    const { template } = synthPipeline({ environments });
    // THEN
    const resources = Object.values(template.toJSON().Resources);
    expect(resources).toHaveLength(1 + 2 * n);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.resourceCountIs('AWS::IAM::Role', n);
    template.resourceCountIs('AWS::ECR::Repository', n);
  });

  test('has no Lambda, custom resource, managed policy or separate policy', () => {
    // WHEN
    const { template } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }] });
    // THEN
    const types = Object.values<any>(template.toJSON().Resources).map(r => r.Type);
    expect(types.filter(t => /Lambda|Custom|CustomResource|IAM::Policy|ManagedPolicy/.test(t))).toEqual([]);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  test('roles and repositories are named after the environment, under stable construct ids', () => {
    // WHEN
    const { stack, pipeline } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'my-prod', branches: ['main'] }] });
    // THEN
    const ids = (c: any) => stack.getLogicalId(c.node.defaultChild);
    expect(pipeline.environment('dev').node.path).toBe('TestStack/Pipeline/Dev');
    expect(pipeline.environment('my-prod').node.path).toBe('TestStack/Pipeline/MyProd');
    expect(ids(pipeline.environment('dev').role)).toMatch(/^PipelineDevRole[0-9A-F]{8}$/);
    expect(ids(pipeline.environment('my-prod').repository)).toMatch(/^PipelineMyProdRepository[0-9A-F]{8}$/);
  });

  test('the role depends on its repository and nothing depends back (no cycle)', () => {
    // WHEN
    const { template } = synthPipeline();
    // THEN
    const resources = template.toJSON().Resources;
    const [repoId] = Object.keys(template.findResources('AWS::ECR::Repository'));
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role'));
    expect(JSON.stringify(resources[roleId])).toContain(repoId);
    expect(JSON.stringify(resources[repoId])).not.toContain(roleId);
  });
});

describe('props', () => {
  test('repository sets the owner and repository in every subject', () => {
    // WHEN
    const { template } = synthPipeline({ githubRepository: 'shamimice03/push-image-to-ecr' });
    // THEN
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: { StringEquals: Match.objectLike({ 'token.actions.githubusercontent.com:sub': 'repo:shamimice03/push-image-to-ecr:ref:refs/heads/dev' }) },
        })],
      },
    });
  });

  test('environments make one role and one repository each, in order', () => {
    // WHEN
    const { pipeline } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }] });
    // THEN
    expect(pipeline.environments.map(e => e.name)).toEqual(['dev', 'prod']);
    expect(pipeline.environment('prod').subjects.map(s => s.toString())).toEqual(['branch main']);
  });

  test('repositoryPrefix names the repositories', () => {
    // WHEN
    const { template } = synthPipeline({
      repositoryPrefix: 'cloudterms',
      environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }],
    });
    // THEN
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'cloudterms-dev' });
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'cloudterms-prod' });
  });

  test('without repositoryPrefix, repositories are named after the GitHub repository in lower case', () => {
    // WHEN
    const { template } = synthPipeline({ githubRepository: 'Octo-Org/My.Service' });
    // THEN
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'my.service-dev' });
  });

  test('outputs are on by default: role ARN and repository URI for each environment, naming the GitHub variables', () => {
    // WHEN
    const { template } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }] });
    // THEN
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs)).toHaveLength(4);
    template.hasOutput('*', { Description: Match.stringLikeRegexp('AWS_ROLE_ARN_PROD'), Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineProdRole'), 'Arn'] } });
    template.hasOutput('*', { Description: Match.stringLikeRegexp('ECR_REPOSITORY_DEV') });
  });

  test('hyphenated environment names make GitHub variable names with underscores, in the outputs and the workflow', () => {
    // WHEN
    const { pipeline, template } = synthPipeline({ environments: [{ name: 'pre-prod', branches: ['main'] }, { name: 'eu-west_dev', branches: ['dev'] }] }, { env: { region: 'eu-west-1' } });
    // THEN
    expect(pipeline.environment('pre-prod').roleArnVariable).toBe('AWS_ROLE_ARN_PRE_PROD');
    expect(pipeline.environment('pre-prod').repositoryVariable).toBe('ECR_REPOSITORY_PRE_PROD');
    expect(pipeline.environment('eu-west_dev').roleArnVariable).toBe('AWS_ROLE_ARN_EU_WEST_DEV');
    template.hasOutput('*', { Description: Match.stringLikeRegexp('variable AWS_ROLE_ARN_PRE_PROD$') });
    template.hasOutput('*', { Description: Match.stringLikeRegexp('variable ECR_REPOSITORY_EU_WEST_DEV$') });
    expect(pipeline.renderWorkflow()).toContain('${{ vars.AWS_ROLE_ARN_PRE_PROD }}');
  });

  test('outputs: false adds no outputs', () => {
    // WHEN
    const { template } = synthPipeline({ outputs: false });
    // THEN
    expect(template.toJSON().Outputs).toBeUndefined();
  });
});

describe('environment lookup', () => {
  test('environment(name) returns the environment', () => {
    const { pipeline } = synthPipeline();
    expect(pipeline.environment('dev').name).toBe('dev');
  });

  test('fails if environment(name) names no environment, and lists the names', () => {
    const { pipeline } = synthPipeline();
    expect(() => pipeline.environment('prod')).toThrow(/no environment named 'prod'; the environments are 'dev'/);
  });
});

describe('built-in CloudFormation validation', () => {
  test('the app synthesizes with findings as errors and reports none', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const stack = new Stack(app, 'Validated', { env: { account: '111122223333', region: 'us-east-1' } });
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      environments: [
        { name: 'dev', branches: ['dev'], pullAccounts: ['444455556666'] },
        { name: 'prod', subjects: [GithubSubject.branch('main'), GithubSubject.tagPattern('v*')] },
      ],
    }));
    // WHEN
    const assembly = app.synth();
    // THEN
    const report = fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8');
    const violations = JSON.parse(report).pluginReports.flatMap((p: any) => p.violations ?? []);
    expect(violations).toEqual([]);
  });
});

describe('rules across the pipelines of a stack and of a multi-stack workflow', () => {
  test('fails if two pipelines of one stack get the same ECR repository name, naming both; distinct names are accepted', () => {
    // GIVEN
    const stack = newStack();
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'] }] }));
    // WHEN / THEN: the same GitHub repository gives the same default name
    expect(() => new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ environments: [{ name: 'dev', branches: ['other'] }] })))
      .toThrow(/^environments\[0\]\.repository must differ from the repository of every pipeline in the stack; environments\[0\]\.repository of pipeline 'TestStack\/A' uses the same one, got 'octo-repo-dev'/);
    expect(() => new GithubOidcEcrPipeline(stack, 'C', pipelineProps({ repositoryPrefix: 'c', environments: [{ name: 'dev', branches: ['other'] }] }))).not.toThrow();
  });

  test('fails if two pipelines of one stack share an existing repository', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Existing', 'shared-images');
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], repository }] }));
    expect(() => new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ environments: [{ name: 'prod', branches: ['main'], repository }] })))
      .toThrow(/^environments\[0\]\.repository must differ from the repository of every pipeline in the stack; environments\[0\]\.repository of pipeline 'TestStack\/A'/);
  });

  test('fails if two pipelines of one stack trust the same run, exactly or by overlapping patterns', () => {
    // GIVEN
    const stack = newStack();
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ environments: [{ name: 'dev', subjects: [GithubSubject.branch('main'), GithubSubject.branchPattern('release/*')] }] }));
    const second = (subject: GithubSubject, id: string) => () => new GithubOidcEcrPipeline(stack, id, pipelineProps({ repositoryPrefix: id.toLowerCase(), environments: [{ name: 'prod', subjects: [subject] }] }));
    // WHEN / THEN
    expect(second(GithubSubject.branch('main'), 'B')).toThrow(/^environments\[0\] subject 0 overlaps branch main of environments\[0\] subject 0 of pipeline 'TestStack\/A' in the same stack: both roles would admit 'repo:octo-org\/octo-repo:ref:refs\/heads\/main'/);
    expect(second(GithubSubject.branchPattern('release/prod*'), 'C')).toThrow(/^environments\[0\] subject 0 overlaps branch pattern release\/\* of environments\[0\] subject 1 .*a sub matching both/);
    expect(second(GithubSubject.branch('release/1'), 'D')).toThrow(/overlaps branch pattern release\/\*/);
    // Just outside: another branch, or the same branch of another GitHub repository.
    expect(second(GithubSubject.branch('mainline'), 'E')).not.toThrow();
    expect(() => new GithubOidcEcrPipeline(stack, 'F', pipelineProps({ githubRepository: 'octo-org/other', environments: [{ name: 'dev', branches: ['main'] }] }))).not.toThrow();
  });

  test('fails if renderMultiStackWorkflow combines pipelines of two stacks that trust the same run', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const dev = new GithubOidcEcrPipeline(new Stack(app, 'Dev', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Pipeline',
      pipelineProps({ environments: [{ name: 'dev', subjects: [GithubSubject.branchPattern('release/*')] }] }));
    const prod = new GithubOidcEcrPipeline(new Stack(app, 'Prod', { env: { account: '222222222222', region: 'eu-west-1' } }), 'Pipeline',
      pipelineProps({ environments: [{ name: 'prod', branches: ['release/1'] }] }));
    const staging = new GithubOidcEcrPipeline(new Stack(app, 'Staging', { env: { account: '333333333333', region: 'eu-west-1' } }), 'Pipeline',
      pipelineProps({ environments: [{ name: 'staging', branches: ['staging'] }] }));
    // WHEN / THEN
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod]))
      .toThrow(/^pipelines\[1\]\.environments\[0\] subject 0 overlaps branch pattern release\/\* of pipelines\[0\]\.environments\[0\] subject 0 \(Dev\/Pipeline\): both roles would admit 'repo:octo-org\/octo-repo:ref:refs\/heads\/release\/1'/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, staging])).not.toThrow();
  });
});

describe('test hygiene', () => {
  test('an App without outdir synthesizes into this test file\'s temporary directory (removed after it: test/hygiene.test.ts)', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    new GithubOidcEcrPipeline(new Stack(app, 'Hygiene'), 'Pipeline', pipelineProps());
    // WHEN
    const assembly = app.synth();
    // THEN
    expect(path.basename(path.dirname(assembly.directory))).toMatch(/^cdk-github-oidc-ecr-test-/);
    expect(path.basename(assembly.directory)).toMatch(/^cdk\.out/);
  });
});

describe('immutable subjects: the warning', () => {
  const warningOf = (stack: Stack) => Annotations.fromStack(stack);

  test('github.com without IDs: warns, naming the repository, the cutover and the gh command', () => {
    const { stack } = synthPipeline();
    warningOf(stack).hasWarning('/TestStack/Pipeline', Match.stringLikeRegexp(
      "githubRepository 'octo-org/octo-repo' is trusted by name only\\. Since 2026-07-15.*gh api repos/octo-org/octo-repo --jq '\\.owner\\.id, \\.id'.*ack: cdk-github-oidc-ecr:githubIdsMissing"));
  });

  test('GitHub Enterprise Cloud without IDs: warns too', () => {
    const { stack } = synthPipeline({ issuer: GithubIssuer.enterpriseCloud('octo-enterprise') });
    warningOf(stack).hasWarning('/TestStack/Pipeline', Match.stringLikeRegexp('trusted by name only\\. Since 2026-07-15, GitHub sends only the immutable subject'));
    warningOf(synthPipeline().stack).hasWarning('/TestStack/Pipeline', Match.stringLikeRegexp('Since 2026-07-15, github\\.com sends only the immutable subject'));
  });

  test('no warning with the IDs, nor for GitHub Enterprise Server, which never sends the immutable form', () => {
    for (const overrides of [{ githubOwnerId: '1', githubRepositoryId: '2' }, { issuer: GithubIssuer.enterpriseServer('github.example.com') }]) {
      const { stack } = synthPipeline(overrides);
      warningOf(stack).hasNoWarning('/TestStack/Pipeline', Match.stringLikeRegexp('trusted by name only'));
    }
  });

  test('upper-case letters in githubRepository warn; lower case does not', () => {
    const { stack } = synthPipeline({ githubRepository: 'Octo-Org/octo-repo' });
    warningOf(stack).hasWarning('/TestStack/Pipeline', Match.stringLikeRegexp("githubRepository 'Octo-Org/octo-repo' has upper-case letters.*case-sensitively.*ack: cdk-github-oidc-ecr:githubRepositoryCase"));
    const lower = synthPipeline({ githubRepository: 'octo-org/octo-repo' });
    warningOf(lower.stack).hasNoWarning('/TestStack/Pipeline', Match.stringLikeRegexp('upper-case'));
  });
});

describe('pinWorkflowFile', () => {
  test('accepts a file name; fails on a path or another extension', () => {
    expectAccepted({ pinWorkflowFile: 'push-image.yaml' }, AWS);
    expectRefused({ pinWorkflowFile: '.github/workflows/push.yml' }, /^pinWorkflowFile must be a file name \(no directory\).*got '\.github\/workflows\/push\.yml'/, AWS);
    expectRefused({ pinWorkflowFile: 'push.txt' }, /^pinWorkflowFile must be a file name/, AWS);
  });

  test('the pipeline\'s pinWorkflowFile is the file given, and undefined when none is: not the default file name', () => {
    // WHEN
    const pinned = new GithubOidcEcrPipeline(newStack(AWS), 'Pipeline', pipelineProps({ pinWorkflowFile: 'push-image.yaml' }));
    const unpinned = new GithubOidcEcrPipeline(newStack(AWS), 'Pipeline', pipelineProps());
    // THEN
    expect(pinned.pinWorkflowFile).toBe('push-image.yaml');
    expect(unpinned.pinWorkflowFile).toBeUndefined();
    // Only a pinned pipeline ties the workflow's file name.
    expect(() => pinned.renderWorkflow({ fileName: 'deploy.yml' })).toThrow(/^fileName must be 'push-image\.yaml', the file the roles' trust is pinned to \(pinWorkflowFile\)/);
    expect(() => unpinned.renderWorkflow({ fileName: 'deploy.yml' })).not.toThrow();
  });

  test('fails if a pinned environment trusts a pattern or pull requests', () => {
    expectRefused({ pinWorkflowFile: 'push.yml', environments: [{ name: 'r', branches: ['main'], subjects: [GithubSubject.branchPattern('release/*')] }] },
      /environments\[0\] subject cannot be combined with pinWorkflowFile.*got 'branch pattern release\/\*'/, AWS);
    expectRefused({ pinWorkflowFile: 'push.yml', environments: [{ name: 'r', branches: ['main'], subjects: [GithubSubject.pullRequest()] }] },
      /environments\[0\] subject cannot be combined with pinWorkflowFile.*got 'pull request'/, AWS);
  });

  test('fails if a pinned environment has no branch or tag; a deployment environment beside a branch is fine', () => {
    expectRefused({ pinWorkflowFile: 'push.yml', environments: [{ name: 'p', subjects: [GithubSubject.environment('production')] }] },
      /environments\[0\]\.branches must name at least one branch \(or subjects a tag\) with pinWorkflowFile/, AWS);
    expectAccepted({ pinWorkflowFile: 'push.yml', environments: [{ name: 'p', branches: ['main'], subjects: [GithubSubject.environment('production')] }] }, AWS);
  });
});

describe('the constructor\'s refusals, each with the value it got', () => {
  const CN = { env: { region: 'cn-north-1' } };
  const CENTRAL = 'octo-org/ci/.github/workflows/build.yml@refs/tags/v1';
  const central = () => GithubReusableWorkflow.fromReference(CENTRAL);

  test('fails if only one of githubOwnerId and githubRepositoryId is given, naming the one given', () => {
    expectRefused({ githubOwnerId: '123' }, /^githubOwnerId and githubRepositoryId must be given together \(GitHub's immutable subject form names both\), got '123'$/);
    expectRefused({ githubRepositoryId: '456' }, /^githubOwnerId and githubRepositoryId must be given together .*, got '456'$/);
    expectAccepted({ githubOwnerId: '123', githubRepositoryId: '456' });
  });

  test('fails if environments is empty or not an array', () => {
    expectRefused({ environments: [] }, /^environments must list at least one environment, got \[\]$/);
    expectRefused({ environments: undefined }, /^environments must be an array, not undefined, got undefined$/);
  });

  test('fails if provider or images is of the wrong type, naming the property', () => {
    expectRefused({ provider: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' as any }, /^provider must be an object or left out, not a string, got 'arn:/);
    expectRefused({ images: 'api' as any }, /^images must be an array or left out, not a string \(write \["api"\]\), got 'api'$/);
  });

  test('fails if reusableWorkflow is not a GithubReusableWorkflow, or is combined with pinWorkflowFile or images', () => {
    expectRefused({ reusableWorkflow: CENTRAL as any }, /^reusableWorkflow must be a GithubReusableWorkflow, e\.g\. GithubReusableWorkflow\.fromReference\(.*\), got 'octo-org\/ci\/\.github\/workflows\/build\.yml@refs\/tags\/v1'$/);
    expectRefused({ reusableWorkflow: central(), pinWorkflowFile: 'push.yml' }, /^pinWorkflowFile cannot be combined with reusableWorkflow: .*, got 'push\.yml'$/, AWS);
    expectRefused({ reusableWorkflow: central(), images: [{ name: 'api' }] }, /^images cannot be combined with reusableWorkflow: .*, got \["api"\]$/, AWS);
    expectAccepted({ reusableWorkflow: central() }, AWS);
    expectAccepted({ images: [{ name: 'api' }] }, AWS);
  });

  test('fails if a pinned file or a reusable workflow needs job_workflow_ref where STS has no such key, naming which was given', () => {
    expectRefused({ reusableWorkflow: central() }, new RegExp('^reusableWorkflow needs the job_workflow_ref condition key, which AWS documents for github\\.com tokens in the aws partition only '
      + '\\(this stack: partition aws-cn, aws-us-gov, or not known at synth time\\); give the stack a literal region of the aws partition, or add \'job_workflow_ref\' to subjectClaimKeys '
      + 'so that the sub carries it, got \'octo-org/ci/\\.github/workflows/build\\.yml@refs/tags/v1\'$'), CN);
    // Another issuer: no region helps, only the template.
    expectRefused({ pinWorkflowFile: 'push.yml', issuer: GithubIssuer.enterpriseServer('ghe.example.com') }, new RegExp('^pinWorkflowFile needs the job_workflow_ref condition key, which AWS documents '
      + 'for github\\.com tokens in the aws partition only \\(this stack: issuer ghe\\.example\\.com/_services/token, not github\\.com\\); add \'job_workflow_ref\' to subjectClaimKeys '
      + 'so that the sub carries it, got \'push\\.yml\'$'), AWS);
    expectRefused({ pinWorkflowFile: 'push.yml' }, /^pinWorkflowFile needs the job_workflow_ref condition key, .*, got 'push\.yml'$/, CN);
    // The sub carries it when the template names it; the aws partition's STS evaluates the key.
    expectAccepted({ pinWorkflowFile: 'push.yml', subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'] }, CN);
    expectAccepted({ pinWorkflowFile: 'push.yml' }, AWS);
    expectAccepted({}, CN);
  });

  test('fails if subjectClaimKeys is empty, not a list, or holds a non-string', () => {
    expectRefused({ subjectClaimKeys: [] }, /^subjectClaimKeys must list at least one claim key, e\.g\. \['repo', 'context'\], got \[\]$/);
    expectRefused({ subjectClaimKeys: 'repo' as any }, /^subjectClaimKeys must list at least one claim key, .*, got 'repo'$/);
    expectRefused({ subjectClaimKeys: ['repo', 3 as any] }, /^subjectClaimKeys\[1\] must be a literal claim key, got 3$/);
    expectAccepted({ subjectClaimKeys: ['repo', 'context'] });
  });

  test('fails if a claim key varies from run to run, is a repository property, is not GitHub\'s, or repeats', () => {
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'run_id'] },
      /^subjectClaimKeys\[2\] is a claim whose value varies from run to run or is not known at synth time, so a role could trust it only with a wildcard; use a template of 'repo', 'context', 'ref', 'ref_type', 'environment', 'repository', 'repository_owner', 'repository_owner_id', 'repository_id', 'job_workflow_ref', got 'run_id'$/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'repo_property_team'] }, /^subjectClaimKeys\[2\] is a claim whose value varies .*, got 'repo_property_team'$/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'colour'] },
      /^subjectClaimKeys\[2\] must be one of the claims GitHub documents in its OIDC token \(or repo_property_NAME\): repo, context, .*, job_workflow_ref, actor, .*, workflow_sha, got 'colour'$/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'repo'] }, /^subjectClaimKeys\[2\] must be unique; subjectClaimKeys\[0\] is the same, got 'repo'$/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'context'] }, /^subjectClaimKeys\[2\] must be unique; subjectClaimKeys\[1\] is the same, got 'context'$/);
    expectAccepted({ subjectClaimKeys: ['repo', 'context', 'ref_type'] });
  });

  test('fails if subjectClaimKeys names no repository, or nothing that tells the runs apart', () => {
    expectRefused({ subjectClaimKeys: ['context', 'ref'] },
      /^subjectClaimKeys must include 'repo', 'repository' or 'repository_id': without one, the sub does not name the repository and every repository of the owner would be trusted, got \["context","ref"\]$/);
    expectRefused({ subjectClaimKeys: ['repo', 'repository_owner'] },
      /^subjectClaimKeys must include 'context', 'ref' or 'environment': without one, the sub does not say which branch, tag or deployment environment a run is for, got \["repo","repository_owner"\]$/);
    for (const keys of [['repo', 'context'], ['repository', 'ref'], ['repo', 'ref'], ['repository', 'context']]) {
      expectAccepted({ subjectClaimKeys: keys });
    }
    expectAccepted({ subjectClaimKeys: ['repository_id', 'ref'], githubOwnerId: '1', githubRepositoryId: '2' });
    expectAccepted({ subjectClaimKeys: ['repo', 'environment'], environments: [{ name: 'p', subjects: [GithubSubject.environment('production')] }] });
  });

  test('without subjectClaimKeys, the pipeline keeps GitHub\'s default template', () => {
    expect(synthPipeline().pipeline.subjectClaimKeys).toEqual(['repo', 'context']);
    expect(synthPipeline({ subjectClaimKeys: ['repository', 'ref'] }).pipeline.subjectClaimKeys).toEqual(['repository', 'ref']);
  });

  test('fails if environment(name) names no environment, listing every name', () => {
    const { pipeline } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }] });
    expect(() => pipeline.environment('qa')).toThrow(/^environment\(name\) found no environment named 'qa'; the environments are 'dev', 'prod'$/);
  });

  test('fails if renderMultiStackWorkflow gets no list, or an empty one, with the value it got', () => {
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(undefined as any)).toThrow(/^pipelines must list at least one pipeline, got undefined$/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([])).toThrow(/^pipelines must list at least one pipeline, got \[\]$/);
  });
});

describe('the checks of a whole stack: once per stack, by the stack\'s first pipeline', () => {
  const DUPLICATE_PROVIDER = 'provider: stack \'TestStack\' has 2 IAM OIDC providers for https://token.actions.githubusercontent.com '
    + '(\'TestStack/GithubActionsOidcProvider/Resource\' and \'TestStack/Extra/Resource\'), and an account holds only one per URL '
    + '(CloudFormation fails with EntityAlreadyExists); keep one and pass it as provider to every GithubOidcEcrPipeline';

  test('a second provider for the URL, added after the pipeline, is reported at synth', () => {
    // GIVEN
    const stack = newStack();
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps());
    // WHEN
    new GithubActionsOidcProvider(stack, 'Extra');
    // THEN
    expect(stack.node.validate()).toEqual([DUPLICATE_PROVIDER]);
  });

  test('with three pipelines in the stack, a second provider for the URL is reported once', () => {
    // GIVEN
    const stack = newStack();
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ repositoryPrefix: 'a', environments: [{ name: 'dev', branches: ['a'] }] }));
    new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ repositoryPrefix: 'b', environments: [{ name: 'dev', branches: ['b'] }] }));
    new GithubOidcEcrPipeline(stack, 'C', pipelineProps({ repositoryPrefix: 'c', environments: [{ name: 'dev', branches: ['c'] }] }));
    // WHEN
    new GithubActionsOidcProvider(stack, 'Extra');
    // THEN
    expect(stack.node.validate()).toEqual([DUPLICATE_PROVIDER]);
  });

  test('a pipeline in a nested stack built first does not take over the parent stack\'s checks, nor count as one of its pipelines', () => {
    // GIVEN: the nested stack's pipeline comes first in the parent's construct tree, and trusts the same run
    const stack = newStack();
    new GithubOidcEcrPipeline(new NestedStack(stack, 'Nested'), 'Inner', pipelineProps({ repositoryPrefix: 'inner' }));
    // WHEN / THEN: not compared with the nested stack's pipeline
    expect(() => new GithubOidcEcrPipeline(stack, 'Outer', pipelineProps({ repositoryPrefix: 'outer' }))).not.toThrow();
    // WHEN
    new GithubActionsOidcProvider(stack, 'Extra');
    // THEN: the parent stack's first pipeline reports its problem
    expect(stack.node.validate()).toEqual([DUPLICATE_PROVIDER]);
  });

  test('fails with both stack limits exceeded, one problem per line', () => {
    // GIVEN: a resource quota of 2 and 200 outputs already in the stack
    const stack = new Stack(testApp({ '@aws-cdk/core:stackResourceLimit': 2 }), 'TestStack');
    for (let i = 0; i < 200; i++) new CfnOutput(stack, `Output${i}`, { value: 'x' });
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps())).toThrow(new Error(
      'environments: stack \'TestStack\' has 3 resources, over CloudFormation\'s limit of 2 per stack. Each GithubOidcEcrPipeline environment adds 2 (its role and repository) '
      + 'and the stack holds 1 other resources (such as the OIDC provider), so one stack fits at most 0 environments, and this one has 1. '
      + 'Use one pipeline per stack, with at most 0 environments each, and in every stack but the first pass '
      + '`provider: GithubActionsOidcProvider.fromAccount(this, \'Provider\')`, because an account has only one GitHub Actions OIDC provider.\n'
      + 'outputs: stack \'TestStack\' has 202 outputs, over CloudFormation\'s limit of 200 outputs per stack. With `outputs` on (the default), '
      + 'each GithubOidcEcrPipeline environment adds 2 (its role ARN and repository URI) and the stack holds 200 other outputs, '
      + 'so one stack fits at most 0 environments with outputs, and this one has 1. Set `outputs: false` on the pipeline, or use one pipeline per stack, with at most 0 environments each.'));
  });
});

describe('repositories across the environments and pipelines of a stack', () => {
  test('fails if two pipelines of one stack share an existing repository whose name is a token, shown as \'an existing repository\'', () => {
    // GIVEN
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Existing', new CfnParameter(stack, 'ExistingName').valueAsString);
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ repositoryPrefix: 'a', environments: [{ name: 'dev', branches: ['a'], repository }] }));
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ repositoryPrefix: 'b', environments: [{ name: 'dev', branches: ['b'], repository }] })))
      .toThrow(new Error('environments[0].repository must differ from the repository of every pipeline in the stack; '
        + 'environments[0].repository of pipeline \'TestStack/A\' uses the same one, got \'an existing repository\''));
  });

  test('fails if two pipelines of one stack share an existing repository that is also an IResolvable: only a token string escapes the comparison', () => {
    // GIVEN: an existing repository whose name is a token, with a resolve() method of its own
    const stack = newStack();
    const imported = ecr.Repository.fromRepositoryName(stack, 'Existing', new CfnParameter(stack, 'ExistingName').valueAsString);
    const repository = Object.assign(imported, { resolve: () => 'resolved' });
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ repositoryPrefix: 'a', environments: [{ name: 'dev', branches: ['a'], repository }] }));
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ repositoryPrefix: 'b', environments: [{ name: 'dev', branches: ['b'], repository }] })))
      .toThrow(new Error('environments[0].repository must differ from the repository of every pipeline in the stack; '
        + 'environments[0].repository of pipeline \'TestStack/A\' uses the same one, got \'an existing repository\''));
  });

  test('fails if two environments of one pipeline share an existing repository that is also an IResolvable: only a token string escapes the comparison', () => {
    // GIVEN: an existing repository whose name is a token, with a resolve() method of its own
    const stack = newStack();
    const imported = ecr.Repository.fromRepositoryName(stack, 'Existing', new CfnParameter(stack, 'ExistingName').valueAsString);
    const repository = Object.assign(imported, { resolve: () => 'resolved' });
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      environments: [{ name: 'dev', branches: ['dev'], repository }, { name: 'prod', branches: ['main'], repository }],
    }))).toThrow(/^environments\[1\]\.repository must differ from every other environment's repository; environments\[0\] uses the same one, got /);
  });

  test('two pipelines of one stack with different existing repositories are accepted', () => {
    // GIVEN
    const stack = newStack();
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ repositoryPrefix: 'a', environments: [{ name: 'dev', branches: ['a'], repository: ecr.Repository.fromRepositoryName(stack, 'First', 'first-images') }] }));
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ repositoryPrefix: 'b', environments: [{ name: 'dev', branches: ['b'], repository: ecr.Repository.fromRepositoryName(stack, 'Second', 'second-images') }] })))
      .not.toThrow();
  });

  test('a repositoryName that is a token is not compared across the pipelines of a stack: the same token twice is accepted', () => {
    // GIVEN
    const stack = newStack();
    const repositoryName = new CfnParameter(stack, 'RepositoryName').valueAsString;
    new GithubOidcEcrPipeline(stack, 'A', pipelineProps({ repositoryPrefix: 'a', environments: [{ name: 'dev', branches: ['a'], repositoryName }] }));
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'B', pipelineProps({ repositoryPrefix: 'b', environments: [{ name: 'dev', branches: ['b'], repositoryName }] }))).not.toThrow();
  });

  test('a repositoryName that is a token is not compared across the environments of a pipeline: the same token twice is accepted', () => {
    // GIVEN
    const stack = newStack();
    const repositoryName = new CfnParameter(stack, 'RepositoryName').valueAsString;
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      environments: [{ name: 'dev', branches: ['dev'], repositoryName }, { name: 'prod', branches: ['main'], repositoryName }],
    }))).not.toThrow();
  });
});

describe('the pipeline\'s own checks and warnings', () => {
  test('signingProfile: an EcrSigningConfiguration that signs none of the repositories is reported at synth, naming the repository and its environment', () => {
    // GIVEN
    const stack = newStack();
    const signingProfile = signer.SigningProfile.fromSigningProfileAttributes(stack, 'Profile', { signingProfileName: 'octo_images', signingProfileVersion: 'v1' });
    new EcrSigningConfiguration(stack, 'Signing', { rules: [{ signingProfile, repositoryFilters: ['other-*'] }] });
    // WHEN
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ signingProfile }));
    // THEN
    expect(pipeline.node.validate()).toEqual([
      'signingProfile: no rule of the EcrSigningConfiguration \'TestStack/Signing\' signs the repository \'octo-repo-dev\' of environment \'dev\' '
      + 'with this profile, so its images would be pushed unsigned; add a rule with this signing profile whose repositoryFilters match it',
    ]);
  });

  test('warnings come once each, in their order: the repository form\'s before a derived name with removalPolicy DESTROY', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], removalPolicy: RemovalPolicy.DESTROY }] }));
    // THEN
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => w.entry.data)).toEqual([
      'githubRepository \'octo-org/octo-repo\' is trusted by name only. Since 2026-07-15, github.com sends only the immutable subject repo:OWNER@OWNER_ID/REPO@REPO_ID:... '
      + 'for repositories created, renamed or transferred on or after that date, and these roles would refuse it. Set githubOwnerId and githubRepositoryId to the two numbers '
      + 'printed by: gh api repos/octo-org/octo-repo --jq \'.owner.id, .id\' [ack: cdk-github-oidc-ecr:githubIdsMissing]',
      'environments[0] (\'dev\'): removalPolicy DESTROY with the repository name \'octo-repo-dev\', derived from the environment name and the GitHub repository name. '
      + 'Renaming the environment, renaming the GitHub repository, or passing this repository back as an existing one deletes the repository and every image in it. '
      + 'Set repositoryName explicitly, or keep RemovalPolicy.RETAIN. [ack: cdk-github-oidc-ecr:destroyDerivedRepositoryName]',
    ]);
  });

  test('with repositoryPrefix, the DESTROY warning names repositoryPrefix as what the name is derived from', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      githubOwnerId: '1',
      githubRepositoryId: '2',
      repositoryPrefix: 'team',
      environments: [{ name: 'dev', branches: ['dev'], removalPolicy: RemovalPolicy.DESTROY }],
    }));
    // THEN
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => w.entry.data)).toEqual([
      'environments[0] (\'dev\'): removalPolicy DESTROY with the repository name \'team-dev\', derived from the environment name and repositoryPrefix. '
      + 'Renaming the environment, changing or dropping repositoryPrefix, or passing this repository back as an existing one deletes the repository and every image in it. '
      + 'Set repositoryName explicitly, or keep RemovalPolicy.RETAIN. [ack: cdk-github-oidc-ecr:destroyDerivedRepositoryName]',
    ]);
  });

  test('an environment\'s pattern may admit its own exact subject', () => {
    expectAccepted({ environments: [{ name: 'dev', branches: ['release/1'], subjects: [GithubSubject.branchPattern('release/*')] }] });
  });
});

describe('writing the workflow', () => {
  const twoStacks = () => {
    const app = new App({ context: VALIDATION_CONTEXT });
    const dev = new GithubOidcEcrPipeline(new Stack(app, 'Dev', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Pipeline',
      pipelineProps({ environments: [{ name: 'dev', branches: ['dev'] }] }));
    const prod = new GithubOidcEcrPipeline(new Stack(app, 'Prod', { env: { account: '222222222222', region: 'eu-west-1' } }), 'Pipeline',
      pipelineProps({ environments: [{ name: 'prod', branches: ['main'] }] }));
    return { dev, prod };
  };

  test('writeWorkflow writes the file renderWorkflow renders', () => {
    // GIVEN
    const { pipeline } = synthPipeline({}, AWS);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
    // WHEN
    const file = pipeline.writeWorkflow(directory);
    // THEN
    expect(file).toBe(path.join(directory, 'push-image-to-ecr.yml'));
    expect(fs.readFileSync(file, 'utf8')).toBe(pipeline.renderWorkflow());
  });

  test('writeMultiStackWorkflow writes the file renderMultiStackWorkflow renders', () => {
    // GIVEN
    const { dev, prod } = twoStacks();
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
    // WHEN
    const file = GithubOidcEcrPipeline.writeMultiStackWorkflow([dev, prod], directory);
    // THEN
    expect(file).toBe(path.join(directory, 'push-image-to-ecr.yml'));
    expect(fs.readFileSync(file, 'utf8')).toBe(GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod]));
  });

  test('fails if writeMultiStackWorkflow gets a directory that is not a string, or none', () => {
    // GIVEN
    const { dev, prod } = twoStacks();
    // WHEN / THEN
    expect(() => GithubOidcEcrPipeline.writeMultiStackWorkflow([dev, prod], 3 as any)).toThrow(new Error('directory must be a string, not a number, got 3'));
    expect(() => GithubOidcEcrPipeline.writeMultiStackWorkflow([dev, prod], undefined as any)).toThrow(new Error('directory must be a string, not undefined, got undefined'));
  });

  test('fails if renderMultiStackWorkflow lists the same pipeline twice', () => {
    // GIVEN
    const { dev } = twoStacks();
    // WHEN / THEN
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, dev])).toThrow(new Error('pipelines[1] must be listed once; pipelines[0] is the same, got \'Dev/Pipeline\''));
  });
});
