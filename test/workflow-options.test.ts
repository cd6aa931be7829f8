import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { parse } from 'yaml';
import { GithubOidcEcrPipeline, GithubReusableWorkflow, GithubSubject, PipelineEnvironmentProps, WorkflowOptions } from '../src';

/*
 * src/workflow.ts: the boundaries of the workflow's options (file name, region, action versions,
 * runners, timeout), the rules across the pipelines of one workflow, and the triggers. The
 * rendered workflow as a whole, checked by actionlint and GitHub's parser, is in workflow.test.ts.
 */

const GITHUB = 'octo-org/octo-repo';
const DEV: PipelineEnvironmentProps = { name: 'dev', branches: ['dev'] };

function pipelineIn(scope: Stack, environments: PipelineEnvironmentProps[] = [DEV], id = 'Pipeline', extra: object = {}): GithubOidcEcrPipeline {
  return new GithubOidcEcrPipeline(scope, id, { githubRepository: GITHUB, environments, ...extra });
}

function stack(props: StackProps = { env: { region: 'eu-west-1' } }, id = 'S', app = new App()): Stack {
  return new Stack(app, id, props);
}

/** Render the workflow of a pipeline with `dev` in a stack in eu-west-1. */
function render(options: WorkflowOptions, environments?: PipelineEnvironmentProps[]): () => string {
  return () => pipelineIn(stack(), environments).renderWorkflow(options);
}

describe('options', () => {
  test('fails if fileName has anything after .yml or .yaml', () => {
    expect(render({ fileName: 'push.yml.bak' })).toThrow(/^fileName must be a file name \(no directory\) of letters, digits, '\.', '_' or '-' ending in '\.yml' or '\.yaml', got 'push\.yml\.bak'$/);
    expect(render({ fileName: 'push.yml' })).not.toThrow();
  });

  test('fails if awsRegion has anything before or after a region name', () => {
    const agnostic = (awsRegion: string) => () => pipelineIn(stack({})).renderWorkflow({ awsRegion });
    expect(agnostic('EU-eu-west-1')).toThrow(/^awsRegion must be an AWS region such as 'ap-northeast-1', got 'EU-eu-west-1'$/);
    expect(agnostic('eu-west-1a')).toThrow(/^awsRegion must be an AWS region such as 'ap-northeast-1', got 'eu-west-1a'$/);
    // Several words and a number of two digits are a region's shape.
    expect(agnostic('us-gov-west-1')).not.toThrow();
    expect(agnostic('eu-west-10')).not.toThrow();
  });

  test('an action version is a whole commit SHA or a whole release tag, with or without v, of any number of digits', () => {
    const sha = 'a'.repeat(40);
    const refused = (version: string) => new RegExp(`^checkoutVersion must be a 40-character commit SHA or a full release tag such as 'v1\\.2\\.3' \\(a major tag such as 'v1' moves\\), got '${version}'$`);
    expect(render({ checkoutVersion: `x${sha}` })).toThrow(refused(`x${sha}`));
    expect(render({ checkoutVersion: `${sha}x` })).toThrow(refused(`${sha}x`));
    expect(render({ checkoutVersion: 'xv1.2.3' })).toThrow(refused('xv1.2.3'));
    expect(render({ checkoutVersion: 'v1.2.3-rc' })).toThrow(refused('v1.2.3-rc'));
    expect(render({ checkoutVersion: sha })).not.toThrow();
    expect(render({ checkoutVersion: '1.2.3' })).not.toThrow();
    expect(render({ checkoutVersion: 'v10.20.30' })).not.toThrow();
  });

  test('fails if jobTimeoutMinutes is not a number, naming it', () => {
    expect(render({ jobTimeoutMinutes: '30' as unknown as number })).toThrow(/^jobTimeoutMinutes must be a whole number of minutes from 1 to 360 \(the longest a GitHub-hosted runner runs a job\), got '30'$/);
    expect(render({ jobTimeoutMinutes: 30 })).not.toThrow();
  });

  test('fails if workflowDispatch is not a boolean, naming it', () => {
    expect(render({ workflowDispatch: 'yes' as unknown as boolean })).toThrow(/^workflowDispatch /);
    expect(render({ workflowDispatch: true })).not.toThrow();
  });

  test('fails if environmentRunsOn is not a map of environment names to runner labels', () => {
    const refused = /^environmentRunsOn must be a map of environment names to runner labels, got /;
    expect(render({ environmentRunsOn: 'ubuntu-latest' as unknown as Record<string, string> })).toThrow(refused);
    expect(render({ environmentRunsOn: null as unknown as Record<string, string> })).toThrow(refused);
    expect(render({ environmentRunsOn: ['ubuntu-latest'] as unknown as Record<string, string> })).toThrow(refused);
    expect(render({ environmentRunsOn: { dev: 'self-hosted' } })).not.toThrow();
  });

  test('fails if environmentRunsOn names an environment without a job, or gives one empty labels, naming the entry', () => {
    expect(render({ environmentRunsOn: { prod: 'self-hosted' } })).toThrow(/^environmentRunsOn must name environments that get a job \('dev'\); an environment that trusts only pull requests gets none, got 'prod'$/);
    expect(render({ environmentRunsOn: { dev: 'self-hosted,' } })).toThrow(/^environmentRunsOn\.dev must be runner labels separated by commas, none of them empty, got 'self-hosted,'$/);
    const two = [DEV, { name: 'prod', branches: ['main'] }];
    expect(render({ environmentRunsOn: { qa: 'self-hosted' } }, two)).toThrow(/^environmentRunsOn must name environments that get a job \('dev', 'prod'\); an environment that trusts only pull requests gets none, got 'qa'$/);
  });

  test('fails if environments with only deployment environments need workflowDispatch, naming each', () => {
    // GIVEN
    const environments = [
      { name: 'qa', subjects: [GithubSubject.environment('qa')] },
      { name: 'prod', subjects: [GithubSubject.environment('production')] },
    ];

    // THEN
    expect(render({}, environments)).toThrow(/^workflowDispatch must be true when an environment trusts deployment environments but no branch or tag \('qa', 'prod'\): its job can only be started by hand, got undefined$/);
    expect(render({ workflowDispatch: true }, environments)).not.toThrow();
  });
});

describe('the jobs', () => {
  test('fails if a branch, tag or deployment environment is a token, which the workflow cannot be written with', () => {
    // GIVEN: a subject's name may be a token for the roles' trust, resolved at deploy time.
    const branch = Lazy.string({ produce: () => 'dev' });
    const deploymentEnvironment = Lazy.string({ produce: () => 'production' });
    const literalTrust = /^environment 'dev' subject must be a literal to be rendered into the workflow, not a token, got '\$\{Token\[TOKEN\.\d+\]\}'$/;

    // THEN
    expect(render({}, [{ name: 'dev', branches: [branch] }])).toThrow(literalTrust);
    expect(render({}, [{ name: 'dev', subjects: [GithubSubject.tag(branch)] }])).toThrow(literalTrust);
    expect(render({ workflowDispatch: true }, [{ name: 'dev', subjects: [GithubSubject.environment(deploymentEnvironment)] }])).toThrow(literalTrust);
    expect(render({ workflowDispatch: true }, [{ name: 'dev', subjects: [GithubSubject.environment('production')] }])).not.toThrow();
  });

  test('a role in a region whose partition is not known is read from a GitHub variable, not given a partial ARN', () => {
    // GIVEN
    const pipeline = pipelineIn(stack({ env: { account: '111122223333' } }), [{ name: 'dev', branches: ['dev'], roleName: 'octo-push-dev' }]);

    // WHEN
    const known = parse(pipeline.renderWorkflow({ awsRegion: 'eu-west-1' }));
    const unknown = parse(pipeline.renderWorkflow({ awsRegion: 'zz-west-1' }));

    // THEN
    const roleOf = (workflow: any) => workflow.jobs.dev.steps.find((s: any) => s.name === 'Assume the dev role').with['role-to-assume'];
    expect(roleOf(known)).toBe('arn:aws:iam::111122223333:role/octo-push-dev');
    expect(roleOf(unknown)).toMatch(/^\$\{\{ vars\.[A-Z_]+ \}\}$/);
  });

  test('fails if a stack without a region is rendered for a partition with another audience', () => {
    const pipeline = pipelineIn(stack({}));
    expect(() => pipeline.renderWorkflow({ awsRegion: 'cn-north-1' })).toThrow(/^awsRegion is in a partition whose STS audience is 'sts\.amazonaws\.com\.cn', but stack 'S' has no literal region, so its roles trust 'sts\.amazonaws\.com'; give the stack env\.region 'cn-north-1', got 'cn-north-1'$/);
    expect(() => pipeline.renderWorkflow({ awsRegion: 'us-east-1' })).not.toThrow();
  });

  test('a stack in China asks for its partition\'s audience; elsewhere the default is left to the action', () => {
    const audienceOf = (region: string) => {
      const workflow = parse(pipelineIn(stack({ env: { region } })).renderWorkflow());
      return workflow.jobs.dev.steps.find((s: any) => s.name === 'Assume the dev role').with.audience;
    };
    expect(audienceOf('cn-north-1')).toBe('sts.amazonaws.com.cn');
    expect(audienceOf('eu-west-1')).toBeUndefined();
  });

  test('fails if extraImageTag meets IMMUTABLE_WITH_EXCLUSION filters that do not match it, listing them', () => {
    // GIVEN
    const environments = [{ name: 'dev', branches: ['dev'], mutableTags: ['dev-*', 'edge'] }];

    // THEN
    expect(render({ extraImageTag: 'latest' }, environments)).toThrow(/^extraImageTag needs a repository with mutable tags, because every push moves it; environment 'dev' has imageTagMutability IMMUTABLE_WITH_EXCLUSION, and no exclusion filter \('dev-\*', 'edge'\) matches it \(add it to mutableTags, or drop extraImageTag\), got 'latest'$/);
    expect(render({ extraImageTag: 'edge' }, environments)).not.toThrow();
  });

  test('an existing repository, whose tag settings are not known, is not checked for a moving tag', () => {
    // GIVEN
    const s = stack();
    const pipeline = pipelineIn(s, [{ name: 'dev', branches: ['dev'], repository: ecr.Repository.fromRepositoryName(s, 'Existing', 'octo-dev') }]);

    // THEN
    expect(() => pipeline.renderWorkflow({ extraImageTag: 'latest' })).not.toThrow();
    expect(() => pipelineIn(stack(), [DEV]).renderWorkflow({ extraImageTag: 'latest' })).toThrow(/^extraImageTag needs a repository with mutable tags, .*imageTagMutability IMMUTABLE \(set mutableTags: \['latest'\] on it, or drop extraImageTag\), got 'latest'$/);
  });
});

describe('several platforms', () => {
  /** A pipeline with `dev` whose repository's lifecycle policy is set to `rules` by hand. */
  function withRules(rules: object[]): GithubOidcEcrPipeline {
    const pipeline = pipelineIn(stack());
    const cfn = pipeline.node.findAll().find((c): c is ecr.CfnRepository => c instanceof ecr.CfnRepository)!;
    cfn.lifecyclePolicy = { lifecyclePolicyText: JSON.stringify({ rules }) };
    return pipeline;
  }
  const platforms = 'linux/amd64,linux/arm64';

  test('fails if a lifecycle rule could expire a platform\'s tagged image, naming the rule and its tag status, or its lack of one', () => {
    // GIVEN
    const tagged = withRules([{ rulePriority: 1, description: 'old', selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }]);
    const bare = withRules([{ rulePriority: 2, description: 'bare', action: { type: 'expire' } }]);
    const untagged = withRules([{ rulePriority: 3, description: 'untagged', selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }]);

    // THEN
    expect(() => tagged.renderWorkflow({ platforms })).toThrow(/^platforms needs repositories whose lifecycle rules select only untagged images, .*; environment 'dev' has rule 1 \('old'\) on tagged images \(give lifecycleRules without it and no maxImageCount, or build one platform\), got 'linux\/amd64,linux\/arm64'$/);
    expect(() => bare.renderWorkflow({ platforms })).toThrow(/^platforms needs repositories .*; environment 'dev' has rule 2 \('bare'\) with no selection\.tagStatus \(give lifecycleRules/);
    // (Without provenance attestations, which a rule on untagged images could expire.)
    expect(() => untagged.renderWorkflow({ platforms, supplyChain: { disableProvenance: true } })).not.toThrow();
    expect(() => tagged.renderWorkflow({ platforms: 'linux/arm64' })).not.toThrow();
  });

  test('fails if a lifecycle rule without a description could expire a platform\'s image, naming its priority', () => {
    const undescribed = withRules([{ rulePriority: 4, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }]);
    expect(() => undescribed.renderWorkflow({ platforms })).toThrow(/; environment 'dev' has rule 4 \(''\) on any images \(give lifecycleRules/);
  });

  test('an existing repository, whose lifecycle rules are not known, is not checked for several platforms', () => {
    const scope = stack();
    const repository = ecr.Repository.fromRepositoryName(scope, 'Legacy', 'legacy');
    expect(() => pipelineIn(scope, [{ name: 'dev', branches: ['dev'], repository }]).renderWorkflow({ platforms })).not.toThrow();
  });
});

describe('the triggers', () => {
  const triggersOf = (environments: PipelineEnvironmentProps[], options: WorkflowOptions = {}) => parse(render(options, environments)()).on;

  test('a push filter lists branches and tags only where there are some', () => {
    expect(triggersOf([{ name: 'dev', branches: ['dev'] }])).toEqual({ push: { branches: ['dev'] } });
    expect(triggersOf([{ name: 'prod', subjects: [GithubSubject.tag('v1.0.0')] }])).toEqual({ push: { tags: ['v1.0.0'] } });
  });

  test('without a branch or tag there is no push trigger, only the manual one', () => {
    expect(triggersOf([{ name: 'prod', subjects: [GithubSubject.environment('production')] }], { workflowDispatch: true })).toEqual({ workflow_dispatch: {} });
  });
});

describe('several pipelines in one workflow', () => {
  function twoStacks(devProps: object = {}, prodProps: object = {}, dev: PipelineEnvironmentProps[] = [DEV], prod: PipelineEnvironmentProps[] = [{ name: 'prod', branches: ['main'] }]) {
    const app = new App();
    const a = pipelineIn(stack({ env: { account: '111122223333', region: 'eu-west-1' } }, 'Dev', app), dev, 'Pipeline', devProps);
    const b = pipelineIn(stack({ env: { account: '444455556666', region: 'eu-west-1' } }, 'Prod', app), prod, 'Pipeline', prodProps);
    return [a, b];
  }

  test('the header names every pipeline', () => {
    const yaml = GithubOidcEcrPipeline.renderMultiStackWorkflow(twoStacks());
    expect(yaml.split('\n')[0]).toBe('# Generated by cdk-github-oidc-ecr from Dev/Pipeline, Prod/Pipeline; regenerate it instead of editing it.');
  });

  test('fails if the pipelines\' patterns overlap, naming both', () => {
    // GIVEN
    const overlapping = twoStacks({}, {}, [{ name: 'dev', subjects: [GithubSubject.branchPattern('release/*')] }], [{ name: 'prod', branches: ['release/prod'] }]);
    const apart = twoStacks({}, {}, [{ name: 'dev', subjects: [GithubSubject.branchPattern('feature/*')] }], [{ name: 'prod', branches: ['release/prod'] }]);

    // THEN
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(overlapping)).toThrow(/^pipelines\[1\]\.environments\[0\] subject 0 overlaps branch pattern release\/\* of pipelines\[0\]\.environments\[0\] subject 0 \(Dev\/Pipeline\): both roles would admit 'repo:octo-org\/octo-repo:ref:refs\/heads\/release\/prod', so one run would push to two environments, got 'branch release\/prod'$/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(apart)).not.toThrow();
  });

  test('fails if only some pipelines pin the workflow file, or they pin different files', () => {
    const refused = /^pinWorkflowFile must be the same for every pipeline of one workflow, since they share its file, got /;
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(twoStacks({ pinWorkflowFile: 'push.yml' }))).toThrow(/^pinWorkflowFile must be the same for every pipeline of one workflow, since they share its file, got \["push\.yml",null\]$/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(twoStacks({ pinWorkflowFile: 'push.yml' }, { pinWorkflowFile: 'other.yml' }))).toThrow(refused);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(twoStacks({ pinWorkflowFile: 'push.yml' }, { pinWorkflowFile: 'push.yml' }))).not.toThrow();
  });

  test('fails if the options are not an object, naming them', () => {
    const pipelines = twoStacks();
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(pipelines, 'push.yml' as unknown as WorkflowOptions)).toThrow(/^options must be an object, not a string, got 'push\.yml'$/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(pipelines, null as unknown as WorkflowOptions)).toThrow(/^options must be an object, not null, got null$/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(pipelines)).not.toThrow();
  });

  test('fails if a pipeline that calls a central workflow is given options of its own jobs, even beside one that builds', () => {
    // GIVEN
    const reusableWorkflow = GithubReusableWorkflow.fromReference('octo-org/ci/.github/workflows/build.yml@refs/tags/v1');
    const pipelines = twoStacks({ reusableWorkflow });

    // THEN
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(pipelines, { buildArgs: { NODE_VERSION: '22' } })).toThrow(/^buildArgs cannot be combined with reusableWorkflow: its jobs call the central workflow, .*, got '\{"NODE_VERSION":"22"\}'$/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow(twoStacks(), { buildArgs: { NODE_VERSION: '22' } })).not.toThrow();
  });

  test('fails if the directory to write to is not a string, naming it; a string is written to', () => {
    // GIVEN
    const pipelines = twoStacks();
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-options-'));

    try {
      // THEN
      expect(() => GithubOidcEcrPipeline.writeMultiStackWorkflow(pipelines, 42 as unknown as string)).toThrow(/^directory must be /);
      const file = GithubOidcEcrPipeline.writeMultiStackWorkflow(pipelines, directory);
      expect(file).toBe(path.join(fs.realpathSync(directory), 'push-image-to-ecr.yml'));
      expect(fs.readFileSync(file, 'utf8')).toBe(GithubOidcEcrPipeline.renderMultiStackWorkflow(pipelines));
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
