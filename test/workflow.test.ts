import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { parse } from 'yaml';
import { buildExampleApp } from '../example/app';
import { ACCOUNTS as EXAMPLE_ACCOUNTS, buildMultiAccountApp } from '../example/multi-account';
import { writeExampleWorkflow } from '../example/write-workflow';
import { GithubIssuer, GithubOidcEcrPipeline, GithubSubject, PipelineEnvironment, PipelineEnvironmentProps, WorkflowOptions, WorkflowPatch } from '../src';
import { ISSUER, VALIDATION_CONTEXT, synthPipeline, testApp } from './support/stack';
import { Evaluation, WorkflowCheck, checkWorkflows, stepsOf } from './support/workflow-check';

const GITHUB = 'octo-org/octo-repo';

interface Scenario {
  readonly stack: Stack;
  readonly pipeline: GithubOidcEcrPipeline;
  readonly workflow: string;
}

/** Each scenario is one app, with the options its workflow is rendered with. */
const SCENARIOS: Record<string, () => Scenario> = {
  'the example': () => {
    const { stack, pipeline } = buildExampleApp(testApp());
    return { stack, pipeline, workflow: pipeline.renderWorkflow() };
  },
  'a concrete account with a fixed role name': () => {
    const stack = new Stack(testApp(), 'Fixed', { env: { account: '123456789012', region: 'eu-west-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [
        { name: 'dev', branches: ['dev'], roleName: 'octo-push-dev' },
        { name: 'prod', branches: ['main'] },
      ],
    });
    return { stack, pipeline, workflow: pipeline.renderWorkflow({ disableLayerCache: true }) };
  },
  'GovCloud': () => {
    const stack = new Stack(testApp(), 'Gov', { env: { account: '123456789012', region: 'us-gov-west-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [{ name: 'prod', branches: ['main'], roleName: 'octo-push-prod' }],
    });
    return { stack, pipeline, workflow: pipeline.renderWorkflow() };
  },
  'an environment-agnostic stack with imported repositories': () => {
    const stack = new Stack(testApp(), 'Agnostic');
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [
        { name: 'dev', branches: ['dev'], repository: ecr.Repository.fromRepositoryName(stack, 'Imported', Fn.importValue('DevRepositoryName')) },
        { name: 'prod', branches: ['main'], roleName: 'octo-push-prod', repository: ecr.Repository.fromRepositoryName(stack, 'Shared', 'shared-images') },
      ],
    });
    return { stack, pipeline, workflow: pipeline.renderWorkflow({ awsRegion: 'us-east-1' }) };
  },
  'patterns, tags and deployment environments': () => {
    const stack = new Stack(testApp(), 'Rich', { env: { region: 'ap-northeast-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [
        { name: 'dev', branches: ['dev', 'it\'s+x'], subjects: [GithubSubject.branchPattern('feature/*')] },
        { name: 'staging', subjects: [GithubSubject.branchPattern('ab*b'), GithubSubject.tagPattern('rc-*')] },
        { name: 'edge', branches: ['ab'] },
        { name: 'prod', branches: ['main'], subjects: [GithubSubject.tag('v1.0.0'), GithubSubject.environment('production')] },
        { name: 'review', subjects: [GithubSubject.pullRequest()] },
        { name: 'release', subjects: [GithubSubject.environment('release')] },
      ],
    });
    return {
      stack,
      pipeline,
      workflow: pipeline.renderWorkflow({
        workflowName: 'Images',
        workflowDispatch: true,
        runsOn: 'ubuntu-24.04',
        dockerfile: 'docker/app image/Dockerfile',
        buildContext: 'docker',
        checkoutVersion: 'v4.2.2',
        setupBuildxVersion: 'v3.10.0',
        buildPushVersion: '14487ce63c7a62a4a324b0bfb37086795e31c6c1',
      }),
    };
  },
  'an extra image tag': () => {
    const stack = new Stack(testApp(), 'Latest', { env: { region: 'eu-central-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [{ name: 'dev', branches: ['dev'], imageTagMutability: ecr.TagMutability.MUTABLE }],
    });
    return { stack, pipeline, workflow: pipeline.renderWorkflow({ extraImageTag: 'latest' }) };
  },
  'a moving tag beside immutable SHA tags': () => {
    const stack = new Stack(testApp(), 'Moving', { env: { region: 'eu-central-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [{ name: 'dev', branches: ['dev'], mutableTags: ['latest'] }],
    });
    return { stack, pipeline, workflow: pipeline.renderWorkflow({ extraImageTag: 'latest' }) };
  },
  'China': () => {
    const stack = new Stack(testApp(), 'China', { env: { account: '123456789012', region: 'cn-north-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [{ name: 'prod', branches: ['main'], roleName: 'octo-push-prod' }],
    });
    return { stack, pipeline, workflow: pipeline.renderWorkflow() };
  },
  'build arguments, secrets, tests, runners and permissions': () => {
    const stack = new Stack(testApp(), 'Extras', { env: { region: 'eu-west-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [
        { name: 'dev', branches: ['dev'], subjects: [GithubSubject.branchPattern('feature/*')] },
        { name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] },
      ],
    });
    return { stack, pipeline, workflow: pipeline.renderWorkflow(EXTRAS) };
  },
  'several platforms': () => {
    const stack = new Stack(testApp(), 'MultiArch', { env: { region: 'eu-west-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [
        { name: 'dev', branches: ['dev'], mutableTags: ['latest'] },
        { name: 'prod', branches: ['main'], mutableTags: ['latest'] },
      ],
    });
    return { stack, pipeline, workflow: pipeline.renderWorkflow({ platforms: 'linux/amd64,linux/arm64', extraImageTag: 'latest', environmentRunsOn: { prod: 'ubuntu-24.04-arm' }, buildSecrets: { npmrc: 'NPM_TOKEN' } }) };
  },
  'a patched workflow': () => {
    const stack = new Stack(testApp(), 'Patched', { env: { region: 'eu-west-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: GITHUB,
      environments: [
        { name: 'dev', branches: ['dev'], subjects: [GithubSubject.tagPattern('dev-*')] },
        { name: 'prod', branches: ['main'] },
      ],
    });
    return { stack, pipeline, workflow: pipeline.renderWorkflow({ patches: patchesFor(parse(pipeline.renderWorkflow())) }) };
  },
};
const NAMES = Object.keys(SCENARIOS);

/** Every option that adds to a job. */
const EXTRAS: WorkflowOptions = {
  buildArgs: { NODE_VERSION: '22', GIT_SHA: '${{ github.sha }}' },
  buildSecrets: { npmrc: 'NPM_TOKEN', github: 'GITHUB_TOKEN' },
  preBuildSteps: [
    { name: 'Set up Node.js', uses: 'actions/setup-node@v6.0.0', with: { 'node-version': '22' } },
    { name: 'Test', id: 'test', run: 'npm ci\nnpm test -- --reporter "$REPORTER"\n', env: { REPORTER: 'dot', TEST_TOKEN: '${{ secrets.TEST_TOKEN }}' }, workingDirectory: 'app' },
    { name: 'Lint the Dockerfile', uses: './.github/actions/hadolint' },
  ],
  environmentRunsOn: { prod: 'self-hosted, linux, arm64' },
  extraPermissions: [
    { scope: 'packages', access: 'read' },
    { scope: 'pull-requests', access: 'write', reason: 'the tests comment their coverage on the pull request' },
  ],
  workflowDispatch: true,
};

/** Patches that keep every rule: a deploy job after each push job, and a timeout. */
function patchesFor(unpatched: any) {
  // The prod job's build step, found by what it does; the first patch puts a step before it.
  const build = unpatched.jobs.prod.steps.indexOf(stepsOf(unpatched.jobs.prod).build) + 1;
  return [
    WorkflowPatch.add('/jobs/dev/timeout-minutes', 20),
    WorkflowPatch.add('/jobs/deploy', {
      'name': 'Deploy the dev image',
      'needs': 'dev',
      'runs-on': 'ubuntu-latest',
      'permissions': { 'id-token': 'write', 'contents': 'read' },
      'steps': [{ name: 'Deploy', env: { IMAGE: '${{ needs.dev.outputs.image }}', DIGEST: '${{ needs.dev.outputs.digest }}' }, run: 'echo "deploying $IMAGE@$DIGEST"' }],
    }),
    WorkflowPatch.add('/jobs/prod/steps/0', { name: 'Free disk space', run: 'docker system prune --force' }),
    WorkflowPatch.replace('/jobs/prod/name', 'Push the production image'),
    WorkflowPatch.remove(`/jobs/prod/steps/${build}/with/cache-to`),
  ];
}

/** Workflows that must fail each linter, so the linters are known to be able to fail. */
const BROKEN = {
  // An unknown event and an untrusted value spliced into a shell script.
  actionlint: 'on: pushh\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n',
  // `runs-on` is missing, and `permissions` has a scope that does not exist.
  parser: 'on: push\npermissions:\n  id-token: writ\njobs:\n  build:\n    steps:\n      - run: echo hello\n',
};

/** A generated workflow broken by hand, once for each linter. */
function brokenByHand(workflow: string) {
  return {
    // The commit message, which any pusher writes, spliced into the summary script.
    actionlint: workflow.replace('"$ENVIRONMENT"', '"${{ github.event.head_commit.message }}"'),
    // A permission level that does not exist.
    parser: workflow.replace('packages: read', 'packages: readd'),
  };
}

const EXTRAS_SCENARIO = 'build arguments, secrets, tests, runners and permissions';
const PATCHED_SCENARIO = 'a patched workflow';
const PLATFORMS_SCENARIO = 'several platforms';

/** A deliberately wrong gate: it admits `refs/heads/devx`, which the dev role refuses. */
const WRONG_GATE = 'startsWith(github.ref, \'refs/heads/dev\')';

/**
 * The scenario, built for the test that asks: each test builds what it asserts on, so StrykerJS
 * counts the source it runs as that test's (a beforeAll's work counts as no test's, and a cache
 * would count it as the first test's only).
 */
function buildScenario(name: string): Scenario {
  return SCENARIOS[name]();
}

/** The scenario's synthesized template. */
function templateOf(scenario: Scenario): any {
  return Template.fromStack(scenario.stack).toJSON();
}

/** What actionlint and GitHub's workflow parser say about one workflow. */
function check(name: string, content: string): WorkflowCheck {
  const [result] = checkWorkflows([{ name, content }]).workflows;
  return result;
}

// -------------------------------------------------------------------------------------------
// Trust, read from the synthesized template

interface Trust {
  /** `sub` values matched with StringEquals. */
  readonly exact: string[];
  /** `sub` values matched with StringLike. */
  readonly patterns: string[];
}

function trustOf(template: any, stack: Stack, env: PipelineEnvironment): Trust {
  const logicalId = stack.getLogicalId(env.role.node.defaultChild as CfnElement);
  const statements: any[] = template.Resources[logicalId].Properties.AssumeRolePolicyDocument.Statement;
  const values = (value: unknown): string[] => value === undefined ? [] : ([] as string[]).concat(value as string[]);
  return {
    exact: statements.flatMap(s => values(s.Condition.StringEquals?.[`${ISSUER}:sub`])),
    patterns: statements.flatMap(s => values(s.Condition.StringLike?.[`${ISSUER}:sub`])),
  };
}

function iamLike(pattern: string, value: string): boolean {
  const regex = pattern.split('*').map(part => part.split('?').map(p => p.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*');
  return new RegExp(`^${regex}$`).test(value);
}

function admits(trust: Trust, sub: string): boolean {
  return trust.exact.includes(sub) || trust.patterns.some(p => iamLike(p, sub));
}

/** Every ref a template's roles name, expanded around their wildcards, plus near misses. */
function sampleRefs(template: any): string[] {
  const subs: string[] = Object.values<any>(template.Resources)
    .filter(r => r.Type === 'AWS::IAM::Role')
    .flatMap(r => r.Properties.AssumeRolePolicyDocument.Statement)
    .flatMap((s: any) => [s.Condition.StringEquals?.[`${ISSUER}:sub`], s.Condition.StringLike?.[`${ISSUER}:sub`]])
    .flatMap(v => v === undefined ? [] : [].concat(v));
  const refs = new Set<string>(['refs/heads/unrelated', 'refs/tags/unrelated', 'refs/pull/1/merge']);
  for (const sub of subs) {
    const match = /:ref:(refs\/.*)$/.exec(sub);
    if (!match) continue;
    const ref = match[1];
    const variants = ref.includes('*')
      ? ['', 'x', 'x/y', 'b'].map(fill => ref.split('*').join(fill))
      : [ref];
    for (const variant of variants) {
      refs.add(variant);
      refs.add(`${variant}x`);
      refs.add(`${variant}/x`);
      refs.add(variant.slice(0, -1));
    }
  }
  return [...refs].filter(ref => /^refs\/(heads|tags)\/./.test(ref) || ref.startsWith('refs/pull/'));
}

// -------------------------------------------------------------------------------------------

describe('the example\'s workflow', () => {
  test('matches the snapshot', () => {
    expect(buildScenario('the example').workflow).toMatchSnapshot();
  });

  test('is byte-identical across two synths', () => {
    // GIVEN
    const first = buildExampleApp(testApp());
    const second = buildExampleApp(testApp());
    // WHEN
    first.app.synth();
    second.app.synth();
    // THEN
    expect(second.pipeline.renderWorkflow()).toBe(first.pipeline.renderWorkflow());
    expect(first.pipeline.renderWorkflow()).toBe(buildScenario('the example').workflow);
  });

  test('pushes dev to cloudterms-dev and main to cloudterms-prod', () => {
    const workflow = parse(buildScenario('the example').workflow);
    expect(workflow.on).toEqual({ push: { branches: ['dev', 'main'] } });
    expect(workflow.jobs.dev.if).toBe('github.ref == \'refs/heads/dev\'');
    expect(workflow.jobs.dev.env.ECR_REPOSITORY).toBe('cloudterms-dev');
    expect(workflow.jobs.prod.if).toBe('github.ref == \'refs/heads/main\'');
    expect(workflow.jobs.prod.env.ECR_REPOSITORY).toBe('cloudterms-prod');
  });

  test('writeWorkflow writes the rendered workflow into a new directory', () => {
    // GIVEN
    const { pipeline } = buildExampleApp(testApp());
    const directory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-')), '.github', 'workflows');
    // WHEN
    const file = pipeline.writeWorkflow(directory, { fileName: 'images.yaml' });
    // THEN
    expect(file).toBe(path.join(directory, 'images.yaml'));
    expect(fs.readFileSync(file, 'utf8')).toBe(pipeline.renderWorkflow());
  });
});

test('the example writes its workflow next to its template', () => {
  // GIVEN
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  const { workflow } = buildScenario('the example');
  // WHEN
  const file = writeExampleWorkflow(directory);
  // THEN
  expect(file).toBe(path.join(directory, 'push-image-to-ecr.yml'));
  expect(fs.readFileSync(file, 'utf8')).toBe(workflow);
});

describe.each(NAMES)('the workflow of %s', (name) => {
  const jobsOf = (workflow: string) => Object.entries<any>(parse(workflow).jobs);
  /** The jobs of the pipeline's environments, not those a patch adds. */
  const pushJobsOf = ({ pipeline, workflow }: Scenario) => jobsOf(workflow).filter(([id]) => pipeline.environments.some(e => e.name === id));

  test('actionlint reports nothing', () => {
    expect(check(`${name}.yml`, buildScenario(name).workflow).actionlint).toEqual([]);
  });

  test('GitHub\'s workflow parser reports no error', () => {
    expect(check(`${name}.yml`, buildScenario(name).workflow).parser).toEqual([]);
  });

  test('grants exactly id-token: write and contents: read, and a job only attestations: write and the extra permissions it is given', () => {
    const { workflow } = buildScenario(name);
    expect(parse(workflow).permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
    for (const [id, job] of jobsOf(workflow)) {
      if (name === EXTRAS_SCENARIO) {
        expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read', 'packages': 'read', 'pull-requests': 'write', 'attestations': 'write' });
      } else if (name === PATCHED_SCENARIO && id === 'deploy') {
        expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
      } else {
        // The provenance attestation, on by default, is the one write beside id-token.
        expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read', 'attestations': 'write' });
      }
    }
  });

  test('never triggers on pull_request or pull_request_target', () => {
    const { workflow } = buildScenario(name);
    const triggers = Object.keys(parse(workflow).on);
    expect(triggers).not.toContain('pull_request');
    expect(triggers).not.toContain('pull_request_target');
    expect(workflow).not.toMatch(/pull_request_target|github\.event\.pull_request/);
  });

  test('contains no unresolved token', () => {
    expect(buildScenario(name).workflow).not.toMatch(/\$\{Token\[|#\{Token\[|Token\[TOKEN/);
  });

  test('gates each job on exactly the refs its role trusts', () => {
    const scenario = buildScenario(name);
    const { stack, pipeline } = scenario;
    const template = templateOf(scenario);
    const workflow = parse(scenario.workflow);
    // Each job's gate, evaluated for each sample ref, pushed and dispatched.
    const entries: Array<{ job: string; ref: string; event: string }> = [];
    const evaluations: Evaluation[] = [];
    const refs = sampleRefs(template);
    for (const [job, body] of Object.entries<any>(workflow.jobs)) {
      // A job a patch adds assumes no role of the pipeline's.
      if (!pipeline.environments.some(e => e.name === job)) continue;
      for (const ref of refs) {
        for (const event of ['push', 'workflow_dispatch']) {
          entries.push({ job, ref, event });
          evaluations.push({ expression: body.if, github: { ref, event_name: event } });
        }
      }
    }
    const gates = checkWorkflows([], evaluations).evaluations;
    const mismatches: string[] = [];
    for (const [index, entry] of entries.entries()) {
      const env = pipeline.environment(entry.job);
      const trust = trustOf(template, stack, env);
      const gate = gates[index];
      const deploymentEnvironment = workflow.jobs[entry.job].environment;
      const refSubjects = env.subjects.filter(s => s.kind === 'BRANCH' || s.kind === 'TAG');
      // A job with no branch or tag only runs when dispatched; its token names the deployment environment.
      const expected = refSubjects.length > 0
        ? admits(trust, `repo:${pipeline.githubRepository}:ref:${entry.ref}`)
        : entry.event === 'workflow_dispatch' && admits(trust, `repo:${pipeline.githubRepository}:environment:${deploymentEnvironment}`);
      if (gate !== expected) mismatches.push(`${entry.job} ${entry.event} ${entry.ref}: gate ${gate}, role ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('assumes the role, logs in to ECR, sets up Buildx, builds and pushes the commit SHA', () => {
    const scenario = buildScenario(name);
    for (const [id, job] of pushJobsOf(scenario)) {
      const env = scenario.pipeline.environment(id);
      const steps: any[] = job.steps;
      const generated = stepsOf(job);
      const order = [generated.checkout, generated.credentials, generated.login, generated.buildx, generated.build, generated.summary]
        .map(step => steps.indexOf(step));
      expect(order.every(i => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(generated.summary).toBe(steps[steps.length - 1]);
      // China's STS audience is not configure-aws-credentials' default, so its jobs name it.
      const credentials = generated.credentials.with;
      const china = credentials['aws-region'].startsWith('cn-');
      expect(Object.keys(credentials).sort()).toEqual(china ? ['audience', 'aws-region', 'role-to-assume'] : ['aws-region', 'role-to-assume']);
      if (china) expect(credentials.audience).toBe('sts.amazonaws.com.cn');
      expect(credentials['role-to-assume']).toMatch(new RegExp(`^(arn:aws[a-z-]*:iam::\\d{12}:role/.+|\\$\\{\\{ vars\\.${env.roleArnVariable} \\}\\})$`));
      expect(job.env.IMAGE_TAG).toBe('${{ github.sha }}');
      for (const build of generated.builds) {
        expect(build.with.push).toBe(true);
        expect(build.with.provenance).toBe(false);
      }
      // The commit SHA tags the image, or, with several platforms, the index of their images.
      const sha = '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}:${{ env.IMAGE_TAG }}';
      if (name === PLATFORMS_SCENARIO) expect(generated.build.env.IMAGE).toBe(sha);
      else expect(generated.build.with.tags.split('\n')[0]).toBe(sha);
    }
  });

  test('exposes the pushed image and its digest as job outputs', () => {
    for (const [, job] of pushJobsOf(buildScenario(name))) {
      expect(job.outputs).toEqual({
        image: '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}:${{ env.IMAGE_TAG }}',
        digest: '${{ steps.build.outputs.digest || steps.existing.outputs.digest }}',
      });
    }
  });

  test('writes a step summary of the environment, the image and its digest, read from env', () => {
    for (const [id, job] of pushJobsOf(buildScenario(name))) {
      const { summary } = stepsOf(job);
      expect(summary.env).toEqual({ ENVIRONMENT: id, IMAGE: job.outputs.image, DIGEST: job.outputs.digest });
      expect(summary.shell).toBe('bash');
      expect(summary.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
      for (const variable of ['$ENVIRONMENT', '$IMAGE', '$DIGEST']) expect(summary.run).toContain(`"${variable}"`);
    }
  });

  test('splices no expression into a shell script', () => {
    for (const [, job] of jobsOf(buildScenario(name).workflow)) {
      for (const step of job.steps.filter((s: any) => s.run !== undefined)) expect(step.run).not.toContain('${{');
    }
  });

  test('pins every action to a commit SHA or a full release, or uses a local action', () => {
    for (const [, job] of jobsOf(buildScenario(name).workflow)) {
      for (const step of job.steps.filter((s: any) => s.uses !== undefined)) {
        expect(step.uses).toMatch(/^(\.\/.+|[^@]+@([0-9a-f]{40}|v\d+\.\d+\.\d+))$/);
      }
    }
  });

  test('caches layers in the GitHub Actions cache, scoped to the environment', () => {
    const disabled = name === 'a concrete account with a fixed role name';
    for (const [id, job] of pushJobsOf(buildScenario(name))) {
      for (const { with: build } of stepsOf(job).builds) {
        // With several platforms, one scope per environment and platform.
        const scope = build.platforms === undefined ? id : `${id}-${build.platforms.replace(/\//g, '-')}`;
        if (disabled) {
          expect(build['cache-from']).toBeUndefined();
          expect(build['cache-to']).toBeUndefined();
        } else {
          expect(build['cache-from']).toBe(`type=gha,scope=${scope}`);
          // The patched workflow's prod job has its cache-to removed by a patch.
          if (name !== PATCHED_SCENARIO || id !== 'prod') expect(build['cache-to']).toBe(`type=gha,mode=max,scope=${scope}`);
        }
      }
    }
  });
});

describe('values', () => {
  test('reads the role ARN and repository name from variables when they are only known at deploy time', () => {
    const workflow = parse(buildScenario('an environment-agnostic stack with imported repositories').workflow);
    expect(stepsOf(workflow.jobs.dev).credentials.with['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN_DEV }}');
    expect(workflow.jobs.dev.env.ECR_REPOSITORY).toBe('${{ vars.ECR_REPOSITORY_DEV }}');
    // No account: the ARN cannot be built even though the role name is fixed.
    expect(stepsOf(workflow.jobs.prod).credentials.with['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN_PROD }}');
    expect(workflow.jobs.prod.env.ECR_REPOSITORY).toBe('shared-images');
    expect(stepsOf(workflow.jobs.prod).credentials.with['aws-region']).toBe('us-east-1');
  });

  test('the variables are the ones the stack outputs name', () => {
    const scenario = buildScenario('an environment-agnostic stack with imported repositories');
    const { stack, pipeline } = scenario;
    const outputs = Object.values<any>(templateOf(scenario).Outputs ?? {});
    const dev = pipeline.environment('dev');
    expect(outputs.map(o => o.Description)).toEqual(expect.arrayContaining([
      expect.stringContaining(dev.roleArnVariable),
      expect.stringContaining(dev.repositoryVariable),
    ]));
    expect(Token.isUnresolved(stack.account)).toBe(true);
  });

  test('writes a literal role ARN when the account and the role name are concrete', () => {
    const workflow = parse(buildScenario('a concrete account with a fixed role name').workflow);
    expect(stepsOf(workflow.jobs.dev).credentials.with['role-to-assume']).toBe('arn:aws:iam::123456789012:role/octo-push-dev');
    expect(stepsOf(workflow.jobs.prod).credentials.with['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN_PROD }}');
    expect(workflow.jobs.dev.env.ECR_REPOSITORY).toBe('octo-repo-dev');
    expect(stepsOf(workflow.jobs.dev).credentials.with['aws-region']).toBe('eu-west-1');
  });

  test('takes the partition from the region', () => {
    const workflow = parse(buildScenario('GovCloud').workflow);
    expect(stepsOf(workflow.jobs.prod).credentials.with['role-to-assume']).toBe('arn:aws-us-gov:iam::123456789012:role/octo-push-prod');
  });

  test('uses the Buildx and build-push versions it is given, without a release comment', () => {
    const text = buildScenario('patterns, tags and deployment environments').workflow;
    const workflow = parse(text);
    expect(stepsOf(workflow.jobs.dev).buildx.uses).toBe('docker/setup-buildx-action@v3.10.0');
    expect(stepsOf(workflow.jobs.dev).build.uses).toBe('docker/build-push-action@14487ce63c7a62a4a324b0bfb37086795e31c6c1');
    expect(text).not.toMatch(/docker\/(setup-buildx|build-push)-action@\S+ #/);
  });

  test('uses the versions, runner and build paths it is given', () => {
    const workflow = parse(buildScenario('patterns, tags and deployment environments').workflow);
    expect(workflow.name).toBe('Images');
    expect(workflow.jobs.dev['runs-on']).toBe('ubuntu-24.04');
    expect(stepsOf(workflow.jobs.dev).checkout.uses).toBe('actions/checkout@v4.2.2');
    expect(stepsOf(workflow.jobs.dev).build.with).toMatchObject({ file: 'docker/app image/Dockerfile', context: 'docker' });
  });

  test('disableLayerCache removes the cache lines and nothing else', () => {
    // GIVEN
    const { pipeline } = buildExampleApp(testApp());
    // WHEN
    const cached = parse(pipeline.renderWorkflow());
    const uncached = parse(pipeline.renderWorkflow({ disableLayerCache: true }));
    // THEN
    for (const id of ['dev', 'prod']) {
      const { 'cache-from': from, 'cache-to': to, ...rest } = stepsOf(cached.jobs[id]).build.with;
      expect([from, to]).toEqual([`type=gha,scope=${id}`, `type=gha,mode=max,scope=${id}`]);
      expect(stepsOf(uncached.jobs[id]).build.with).toEqual(rest);
    }
    stepsOf(uncached.jobs.dev).build.with = stepsOf(cached.jobs.dev).build.with;
    stepsOf(uncached.jobs.prod).build.with = stepsOf(cached.jobs.prod).build.with;
    expect(uncached).toEqual(cached);
    expect(parse(pipeline.renderWorkflow({ disableLayerCache: false }))).toEqual(cached);
  });

  test('builds and pushes the extra tag as well', () => {
    const workflow = parse(buildScenario('an extra image tag').workflow);
    expect(workflow.jobs.dev.env.EXTRA_IMAGE_TAG).toBe('latest');
    expect(stepsOf(workflow.jobs.dev).build.with.tags.split('\n')).toEqual([
      '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}:${{ env.IMAGE_TAG }}',
      '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}:${{ env.EXTRA_IMAGE_TAG }}',
    ]);
  });
});

describe('triggers and jobs', () => {
  const rich = () => parse(buildScenario('patterns, tags and deployment environments').workflow);

  test('push filters admit exactly what the roles trust: IAM\'s * becomes **', () => {
    expect(rich().on).toEqual({
      push: {
        branches: ['dev', 'it\'s\\+x', 'feature/**', 'ab**b', 'ab', 'main'],
        tags: ['rc-**', 'v1.0.0'],
      },
      workflow_dispatch: {},
    });
  });

  test('adds workflow_dispatch only when asked', () => {
    expect(Object.keys(parse(buildScenario('the example').workflow).on)).toEqual(['push']);
  });

  test('gives no job to an environment that trusts only pull requests', () => {
    expect(Object.keys(rich().jobs)).toEqual(['dev', 'staging', 'edge', 'prod', 'release']);
  });

  test('targets the deployment environment the role trusts', () => {
    const jobs = rich().jobs;
    expect(jobs.prod.environment).toBe('production');
    expect(jobs.prod.if).toBe('github.ref == \'refs/heads/main\' || github.ref == \'refs/tags/v1.0.0\'');
    expect(jobs.release.environment).toBe('release');
    expect(jobs.release.if).toBe('github.event_name == \'workflow_dispatch\'');
    expect(jobs.dev.environment).toBeUndefined();
  });

  test('a pattern\'s gate leaves out the names too short to hold both its ends', () => {
    expect(rich().jobs.staging.if).toBe(
      '(startsWith(github.ref, \'refs/heads/ab\') && endsWith(github.ref, \'b\') && github.ref != \'refs/heads/ab\') || startsWith(github.ref, \'refs/tags/rc-\')',
    );
  });
});

describe('options that add to a job', () => {
  const extras = () => parse(buildScenario(EXTRAS_SCENARIO).workflow);

  test('matches the snapshot', () => {
    expect(buildScenario(EXTRAS_SCENARIO).workflow).toMatchSnapshot();
  });

  test('passes build arguments as build-push-action\'s build-args', () => {
    for (const id of ['dev', 'prod']) {
      expect(stepsOf(extras().jobs[id]).build.with['build-args']).toBe('NODE_VERSION=22\nGIT_SHA=${{ github.sha }}');
    }
  });

  test('hands build secrets to BuildKit as references to GitHub secrets, never as values', () => {
    const { build } = stepsOf(extras().jobs.dev);
    expect(build.env).toEqual({ NPM_TOKEN: '${{ secrets.NPM_TOKEN }}', GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
    expect(build.with['secret-envs']).toBe('npmrc=NPM_TOKEN\ngithub=GITHUB_TOKEN');
    expect(build.with.secrets).toBeUndefined();
    // Only the build step, and the test step that asked for one, read a secret.
    const readers = extras().jobs.dev.steps.filter((step: any) => JSON.stringify(step).includes('secrets.')).map((step: any) => step.name);
    expect(readers).toEqual(['Test', 'Build and push the image']);
  });

  test('runs the steps before the build after the checkout and before the role is assumed', () => {
    const steps: any[] = extras().jobs.dev.steps;
    expect(steps.map(step => step.name).slice(0, 5)).toEqual(['Check out the repository', 'Set up Node.js', 'Test', 'Lint the Dockerfile', 'Assume the dev role']);
    const named = (name: string) => steps.find(step => step.name === name);
    expect(named('Set up Node.js')).toEqual({ name: 'Set up Node.js', uses: 'actions/setup-node@v6.0.0', with: { 'node-version': '22' } });
    expect(named('Test')).toEqual({
      'name': 'Test',
      'id': 'test',
      'working-directory': 'app',
      'run': 'npm ci\nnpm test -- --reporter "$REPORTER"\n',
      'env': { REPORTER: 'dot', TEST_TOKEN: '${{ secrets.TEST_TOKEN }}' },
    });
    expect(named('Lint the Dockerfile')).toEqual({ name: 'Lint the Dockerfile', uses: './.github/actions/hadolint' });
  });

  test('runs a job on the runner given for its environment, and the others on runsOn', () => {
    expect(extras().jobs.dev['runs-on']).toBe('ubuntu-latest');
    expect(extras().jobs.prod['runs-on']).toEqual(['self-hosted', 'linux', 'arm64']);
  });

  test('writes the reason beside a write permission', () => {
    const { workflow } = buildScenario(EXTRAS_SCENARIO);
    expect(workflow).toContain('pull-requests: write # the tests comment their coverage on the pull request');
    expect(workflow).not.toMatch(/packages: read #/);
  });

  test('leaves out each option\'s lines when it is not given', () => {
    const plain = parse(buildScenario('the example').workflow);
    const { build } = stepsOf(plain.jobs.dev);
    expect(build.env).toBeUndefined();
    expect(Object.keys(build.with)).toEqual(['context', 'file', 'push', 'tags', 'provenance', 'cache-from', 'cache-to']);
    // Checkout, role, login, existing image, Buildx, build, provenance, summary.
    expect(plain.jobs.dev.steps).toHaveLength(8);
  });

  test('a downstream job can read the outputs, as the README shows', () => {
    const patched = parse(buildScenario(PATCHED_SCENARIO).workflow);
    expect(patched.jobs.deploy.needs).toBe('dev');
    expect(patched.jobs.deploy.steps.find((step: any) => step.name === 'Deploy').env).toEqual({ IMAGE: '${{ needs.dev.outputs.image }}', DIGEST: '${{ needs.dev.outputs.digest }}' });
  });
});

describe('several platforms', () => {
  const multi = () => parse(buildScenario(PLATFORMS_SCENARIO).workflow);
  const SHA = '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}:${{ env.IMAGE_TAG }}';

  test('matches the snapshot', () => {
    expect(buildScenario(PLATFORMS_SCENARIO).workflow).toMatchSnapshot();
  });

  test('sets up QEMU, pinned, for the platforms\' architectures, before Buildx', () => {
    const { workflow } = buildScenario(PLATFORMS_SCENARIO);
    const job = parse(workflow).jobs.dev;
    const steps: any[] = job.steps;
    const { qemu, buildx } = stepsOf(job);
    expect(qemu.uses).toBe('docker/setup-qemu-action@96fe6ef7f33517b61c61be40b68a1882f3264fb8');
    expect(workflow).toContain('uses: docker/setup-qemu-action@96fe6ef7f33517b61c61be40b68a1882f3264fb8 # v4.2.0');
    expect(qemu.with).toEqual({ platforms: 'amd64,arm64' });
    expect(steps.indexOf(qemu)).toBe(steps.indexOf(buildx) - 1);
  });

  test('builds each platform in the same job and pushes it tagged SHA-OS-ARCH', () => {
    for (const id of ['dev', 'prod']) {
      const { builds } = stepsOf(multi().jobs[id]);
      expect(builds.map(b => [b.id, b.with.platforms, b.with.tags])).toEqual([
        ['build-linux-amd64', 'linux/amd64', `${SHA}-linux-amd64`],
        ['build-linux-arm64', 'linux/arm64', `${SHA}-linux-arm64`],
      ]);
      for (const build of builds) expect(build.env).toEqual({ NPM_TOKEN: '${{ secrets.NPM_TOKEN }}' });
    }
  });

  test('pushes one index, tagged with the commit SHA and the extra tag, of the platforms\' images by digest', () => {
    const { build } = stepsOf(multi().jobs.dev);
    expect(build.env).toEqual({
      IMAGE: SHA,
      EXTRA_IMAGE: '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}:${{ env.EXTRA_IMAGE_TAG }}',
      SOURCE_1: '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}@${{ steps.build-linux-amd64.outputs.digest }}',
      SOURCE_2: '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}@${{ steps.build-linux-arm64.outputs.digest }}',
    });
    expect(build.run.split('\n')[0]).toBe('docker buildx imagetools create --tag "$IMAGE" --tag "$EXTRA_IMAGE" "$SOURCE_1" "$SOURCE_2"');
    expect(build.run).toContain('>> "$GITHUB_OUTPUT"');
    // The job's digest output is the index's, or on a re-run the already pushed image's.
    expect(multi().jobs.dev.outputs.digest).toBe('${{ steps.build.outputs.digest || steps.existing.outputs.digest }}');
    const { pipeline } = buildExampleApp(testApp());
    const plain = stepsOf(parse(pipeline.renderWorkflow({ platforms: 'linux/amd64,linux/arm64' })).jobs.prod).build;
    expect(plain.run.split('\n')[0]).toBe('docker buildx imagetools create --tag "$IMAGE" "$SOURCE_1" "$SOURCE_2"');
    expect(plain.env.EXTRA_IMAGE).toBeUndefined();
  });

  test('the repositories expire only images tagged for removal, and every manifest the index references is tagged', () => {
    const scenario = buildScenario(PLATFORMS_SCENARIO);
    const workflow = parse(scenario.workflow);
    const repositories = Object.values<any>(templateOf(scenario).Resources).filter(r => r.Type === 'AWS::ECR::Repository');
    expect(repositories).toHaveLength(2);
    for (const repository of repositories) {
      const rules = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
      expect(rules.map((r: any) => [r.selection.tagStatus, r.selection.tagPrefixList])).toEqual([['tagged', ['expire-']]]);
    }
    for (const id of ['dev', 'prod']) {
      const { builds, build } = stepsOf(workflow.jobs[id]);
      const referenced = Object.entries<string>(build.env).filter(([k]) => k.startsWith('SOURCE_')).map(([, v]) => /steps\.([\w-]+)\.outputs\.digest/.exec(v)![1]);
      expect(referenced).toEqual(builds.map(b => b.id));
      for (const b of builds) expect(b.with.tags).toMatch(/:\$\{\{ env\.IMAGE_TAG \}\}-linux-\w+$/);
    }
  });

  test('one platform is built and pushed as one image, with QEMU and no index', () => {
    const { pipeline } = buildExampleApp(testApp());
    const job = parse(pipeline.renderWorkflow({ platforms: 'linux/arm64' })).jobs.dev;
    const { builds, build, qemu } = stepsOf(job);
    expect(builds).toEqual([build]);
    expect(build.with).toMatchObject({ platforms: 'linux/arm64', tags: SHA });
    expect(qemu.with).toEqual({ platforms: 'arm64' });
    expect(job.steps.find((s: any) => s.name === 'Push the image index')).toBeUndefined();
  });

  test('without platforms, no QEMU and no platforms input', () => {
    const { qemu, build } = stepsOf(parse(buildScenario('the example').workflow).jobs.dev);
    expect(qemu).toBeUndefined();
    expect(build.with.platforms).toBeUndefined();
  });

  describe('errors', () => {
    const pipelineWith = (env: Partial<PipelineEnvironmentProps>) => new GithubOidcEcrPipeline(new Stack(new App(), 'S', { env: { region: 'eu-west-1' } }), 'Pipeline', {
      githubRepository: GITHUB,
      environments: [{ name: 'dev', branches: ['dev'], ...env }],
    });
    const TWO = 'linux/amd64,linux/arm64';

    test('fails if a platform is not OS/ARCH[/VARIANT]', () => {
      const render = (platforms: string) => () => pipelineWith({}).renderWorkflow({ platforms });
      expect(render('amd64')).toThrow(/^platforms must be platforms such as 'linux\/amd64,linux\/arm64'.*not 'amd64', got 'amd64'/);
      expect(render('linux/amd64,')).toThrow(/^platforms must be platforms such as.*not ''/);
      expect(render('Linux/AMD64')).toThrow(/^platforms must be platforms such as/);
      expect(render('linux/arm/v7/x')).toThrow(/^platforms must be platforms such as/);
      expect(render('')).toThrow(/^platforms must be a non-empty single line/);
      expect(render('linux/arm/v7, linux/amd64')).not.toThrow();
    });

    test('fails if a platform is given twice', () => {
      expect(() => pipelineWith({}).renderWorkflow({ platforms: 'linux/arm64,linux/arm64' })).toThrow(/^platforms must name each platform once, not 'linux\/arm64' twice/);
    });

    test('fails if a step before the build takes a platform build\'s id', () => {
      expect(() => pipelineWith({}).renderWorkflow({ platforms: TWO, preBuildSteps: [{ name: 'T', id: 'build-linux-arm64', run: 'true' }] }))
        .toThrow(/^preBuildSteps\[0\]\.id must be unique among the job's steps \(taken: 'login-ecr', 'build', 'build-linux-amd64', 'build-linux-arm64'\)/);
      expect(() => pipelineWith({}).renderWorkflow({ preBuildSteps: [{ name: 'T', id: 'build-linux-arm64', run: 'true' }] })).not.toThrow();
    });

    test('fails if a repository has a lifecycle rule on tagged images, with several platforms', () => {
      expect(() => pipelineWith({ maxImageCount: 30 }).renderWorkflow({ platforms: TWO }))
        .toThrow(/^platforms needs repositories whose lifecycle rules select only untagged images.*environment 'dev' has rule 1 \('Keep at most 30 images'\) on any images.*got 'linux\/amd64,linux\/arm64'/);
      expect(() => pipelineWith({ lifecycleRules: [{ tagPatternList: ['pr-*'], maxImageCount: 5 }] }).renderWorkflow({ platforms: TWO }))
        .toThrow(/^platforms needs repositories whose lifecycle rules select only untagged images.*on tagged images/);
      // One platform pushes no index; an untagged-only rule keeps every referenced manifest.
      expect(() => pipelineWith({ maxImageCount: 30 }).renderWorkflow({ platforms: 'linux/arm64' })).not.toThrow();
      const untaggedOnly = pipelineWith({ lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(1) }] });
      expect(() => untaggedOnly.renderWorkflow({ platforms: TWO, supplyChain: { disableProvenance: true } })).not.toThrow();
      // With the provenance attestation (the default), a rule on untagged images could expire it.
      expect(() => untaggedOnly.renderWorkflow({ platforms: TWO })).toThrow(/^supplyChain\.disableProvenance needs repositories whose lifecycle rules cannot expire the provenance attestations/);
    });
  });
});

describe('patches', () => {
  const patched = () => parse(buildScenario(PATCHED_SCENARIO).workflow);

  test('matches the snapshot', () => {
    expect(buildScenario(PATCHED_SCENARIO).workflow).toMatchSnapshot();
  });

  test('adds, replaces and removes values, in order', () => {
    const workflow = patched();
    expect(workflow.jobs.dev['timeout-minutes']).toBe(20);
    expect(Object.keys(workflow.jobs)).toEqual(['dev', 'prod', 'deploy']);
    expect(workflow.jobs.prod.name).toBe('Push the production image');
    const added = workflow.jobs.prod.steps.findIndex((step: any) => step.name === 'Free disk space');
    expect(workflow.jobs.prod.steps[added]).toEqual({ name: 'Free disk space', run: 'docker system prune --force' });
    expect(added).toBeLessThan(workflow.jobs.prod.steps.indexOf(stepsOf(workflow.jobs.prod).checkout));
    expect(stepsOf(workflow.jobs.prod).build.with['cache-to']).toBeUndefined();
    expect(stepsOf(workflow.jobs.prod).build.with['cache-from']).toBe('type=gha,scope=prod');
  });

});

describe('the checks can fail', () => {
  test('actionlint reports a broken workflow', () => {
    const findings = check('broken-for-actionlint.yml', BROKEN.actionlint).actionlint;
    expect(findings.map(f => f.kind)).toEqual(expect.arrayContaining(['events', 'expression']));
  });

  test('GitHub\'s workflow parser reports a broken workflow', () => {
    expect(check('broken-for-parser.yml', BROKEN.parser).parser.length).toBeGreaterThan(0);
  });

  test('actionlint reports a commit message spliced into the generated summary script', () => {
    const { workflow } = buildScenario(EXTRAS_SCENARIO);
    const broken = brokenByHand(workflow).actionlint;
    expect(broken).not.toBe(workflow);
    const findings = check('extras-broken-for-actionlint.yml', broken).actionlint;
    expect(findings.map(f => f.kind)).toContain('expression');
    expect(findings.map(f => f.message).join('\n')).toMatch(/github\.event\.head_commit\.message.*potentially untrusted/);
  });

  test('GitHub\'s workflow parser reports a generated permission broken by hand', () => {
    const { workflow } = buildScenario(EXTRAS_SCENARIO);
    const broken = brokenByHand(workflow).parser;
    expect(broken).not.toBe(workflow);
    expect(check('extras-broken-for-parser.yml', broken).parser.join('\n')).toMatch(/readd/);
  });

  test('the gate check tells a wrong gate from the role\'s trust', () => {
    // GIVEN
    const scenario = buildScenario('the example');
    const { stack, pipeline } = scenario;
    const trust = trustOf(templateOf(scenario), stack, pipeline.environment('dev'));
    // WHEN
    const [onDev, onDevx] = checkWorkflows([], ['refs/heads/dev', 'refs/heads/devx'].map(ref => ({ expression: WRONG_GATE, github: { ref, event_name: 'push' } }))).evaluations;
    // THEN
    expect([onDev, admits(trust, 'repo:shamimice03/push-image-to-ecr:ref:refs/heads/dev')]).toEqual([true, true]);
    expect([onDevx, admits(trust, 'repo:shamimice03/push-image-to-ecr:ref:refs/heads/devx')]).toEqual([true, false]);
  });
});

describe('errors', () => {
  function pipelineIn(stack: Stack, environments: PipelineEnvironmentProps[] = [{ name: 'dev', branches: ['dev'] }]) {
    return new GithubOidcEcrPipeline(stack, 'Pipeline', { githubRepository: GITHUB, environments });
  }
  const regional = () => pipelineIn(new Stack(new App(), 'S', { env: { region: 'eu-west-1' } }));
  const render = (options: WorkflowOptions) => () => regional().renderWorkflow(options);

  test('fails if awsRegion is missing and the stack\'s region is unknown', () => {
    const pipeline = pipelineIn(new Stack(new App(), 'S'));
    expect(() => pipeline.renderWorkflow()).toThrow(/^awsRegion must be given to renderWorkflow\(\) when the stack's region is not known/);
    expect(() => pipeline.renderWorkflow({ awsRegion: 'eu-west-1' })).not.toThrow();
  });

  test.each([
    ['workflowName'], ['runsOn'], ['dockerfile'], ['buildContext'], ['checkoutVersion'], ['extraImageTag'],
  ])('fails if %s contains a GitHub expression', (property) => {
    expect(render({ [property]: 'a${{ secrets.TOKEN }}' })).toThrow(new RegExp(`^${property} must not contain '\\$\\{\\{': GitHub would evaluate it as an expression`));
  });

  test('accepts $ and { that open no expression in text options', () => {
    expect(render({ workflowName: 'Push $HOME {x}', dockerfile: 'docker/${NAME}.Dockerfile', buildContext: '${dir}', runsOn: 'self-hosted-$1' })).not.toThrow();
  });

  test('fails if awsRegion is not a region', () => {
    expect(render({ awsRegion: 'Europe' })).toThrow(/^awsRegion must be an AWS region .*got 'Europe'/);
  });

  test('fails if awsRegion is not the stack\'s region', () => {
    expect(render({ awsRegion: 'us-east-1' })).toThrow(/^awsRegion must be the stack's region 'eu-west-1'.*got 'us-east-1'/);
    expect(render({ awsRegion: 'eu-west-1' })).not.toThrow();
  });

  test('fails if awsRegion is a token', () => {
    const pipeline = pipelineIn(new Stack(new App(), 'S'));
    expect(() => pipeline.renderWorkflow({ awsRegion: Stack.of(pipeline).region })).toThrow(/^awsRegion must be a literal/);
  });

  test('fails if fileName is not a .yml or .yaml file name', () => {
    expect(render({ fileName: 'workflow.json' })).toThrow(/^fileName must be a file name .*got 'workflow.json'/);
    expect(render({ fileName: '.github/workflows/a.yml' })).toThrow(/^fileName must be a file name/);
    expect(render({ fileName: 'a.yaml' })).not.toThrow();
  });

  test('fails if an action version is a moving major tag', () => {
    expect(render({ checkoutVersion: 'v5' })).toThrow(/^checkoutVersion must be a 40-character commit SHA or a full release tag .*got 'v5'/);
    expect(render({ configureAwsCredentialsVersion: 'main' })).toThrow(/^configureAwsCredentialsVersion must be/);
    expect(render({ amazonEcrLoginVersion: '062b18b96a7aff071d4dc91bc00c4c1a7945b07' })).toThrow(/^amazonEcrLoginVersion must be/);
    expect(render({ amazonEcrLoginVersion: '062b18b96a7aff071d4dc91bc00c4c1a7945b076' })).not.toThrow();
    expect(render({ setupBuildxVersion: 'v3' })).toThrow(/^setupBuildxVersion must be a 40-character commit SHA or a full release tag .*got 'v3'/);
    expect(render({ setupBuildxVersion: 'v3.11' })).toThrow(/^setupBuildxVersion must be/);
    expect(render({ setupBuildxVersion: 'v3.11.1' })).not.toThrow();
    expect(render({ buildPushVersion: '263435318d21b8e681c14492fe198d362a7d2c8' })).toThrow(/^buildPushVersion must be .*got '263435318d21b8e681c14492fe198d362a7d2c8'/);
    expect(render({ buildPushVersion: 'master' })).toThrow(/^buildPushVersion must be/);
    expect(render({ buildPushVersion: '263435318d21b8e681c14492fe198d362a7d2c83' })).not.toThrow();
    expect(render({ buildPushVersion: Fn.importValue('Version') })).toThrow(/^buildPushVersion must be a literal/);
  });

  test('fails if disableLayerCache is not a boolean', () => {
    expect(render({ disableLayerCache: 'yes' as any })).toThrow(/^disableLayerCache must be true or false, got 'yes'/);
  });

  test('fails if extraImageTag is not a Docker tag', () => {
    const mutable = () => pipelineIn(new Stack(new App(), 'S', { env: { region: 'eu-west-1' } }), [
      { name: 'dev', branches: ['dev'], imageTagMutability: ecr.TagMutability.MUTABLE },
    ]);
    expect(() => mutable().renderWorkflow({ extraImageTag: 'a/b' })).toThrow(/^extraImageTag must be a Docker tag.*got 'a\/b'/);
    expect(() => mutable().renderWorkflow({ extraImageTag: 'x'.repeat(129) })).toThrow(/^extraImageTag must be a Docker tag/);
    expect(() => mutable().renderWorkflow({ extraImageTag: 'x'.repeat(128) })).not.toThrow();
  });

  test('fails if matching extraImageTag against a crafted mutableTags filter backtracks: it returns at once', () => {
    // GIVEN a filter of 62 stars that misses a 128-character tag; a backtracking matcher runs for hours
    const filter = `${'*a'.repeat(62)}*b`;
    const pipeline = pipelineIn(new Stack(new App(), 'S', { env: { region: 'eu-west-1' } }), [
      { name: 'dev', branches: ['dev'], mutableTags: [filter] },
    ]);
    const started = Date.now();
    // WHEN / THEN
    expect(() => pipeline.renderWorkflow({ extraImageTag: 'a'.repeat(128) })).toThrow(/^extraImageTag needs a repository with mutable tags/);
    expect(() => pipeline.renderWorkflow({ extraImageTag: `${'a'.repeat(127)}b` })).not.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('fails if extraImageTag would be pushed to a repository with immutable tags', () => {
    expect(render({ extraImageTag: 'latest' })).toThrow(/^extraImageTag needs a repository with mutable tags.*environment 'dev' has imageTagMutability IMMUTABLE.*got 'latest'/);
  });

  test('fails if extraImageTag is not among the environment\'s mutableTags', () => {
    const excluded = (mutableTags: string[]) => pipelineIn(new Stack(new App(), 'S', { env: { region: 'eu-west-1' } }), [
      { name: 'dev', branches: ['dev'], mutableTags },
      { name: 'prod', branches: ['main'], mutableTags: ['latest', 'stable'] },
    ]);
    expect(() => excluded(['stable']).renderWorkflow({ extraImageTag: 'latest' }))
      .toThrow(/^extraImageTag needs a repository with mutable tags.*environment 'dev' has imageTagMutability IMMUTABLE_WITH_EXCLUSION, and no exclusion filter \('stable'\) matches it.*got 'latest'/);
    expect(() => excluded(['lat*']).renderWorkflow({ extraImageTag: 'latest' })).not.toThrow();
    expect(() => excluded(['lat*']).renderWorkflow({ extraImageTag: 'lat' })).toThrow(/environment 'prod' has imageTagMutability IMMUTABLE_WITH_EXCLUSION/);
  });

  test('fails if extraImageTag is excluded from a MUTABLE_WITH_EXCLUSION repository', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'eu-west-1' } });
    const pipeline = pipelineIn(stack);
    const cfn = pipeline.environment('dev').repository.node.defaultChild as ecr.CfnRepository;
    cfn.imageTagMutability = ecr.TagMutability.MUTABLE_WITH_EXCLUSION;
    cfn.imageTagMutabilityExclusionFilters = [{ imageTagMutabilityExclusionFilterType: 'WILDCARD', imageTagMutabilityExclusionFilterValue: 'v*' }];
    expect(() => pipeline.renderWorkflow({ extraImageTag: 'v1' })).toThrow(/has imageTagMutability MUTABLE_WITH_EXCLUSION with an exclusion filter that matches it/);
    expect(() => pipeline.renderWorkflow({ extraImageTag: 'latest' })).not.toThrow();
  });

  test('fails if a text option is empty, multi-line or a token', () => {
    expect(render({ workflowName: '' })).toThrow(/^workflowName must be a non-empty single line/);
    expect(render({ runsOn: ' ' })).toThrow(/^runsOn must be a non-empty single line/);
    expect(render({ dockerfile: 'Dockerfile\nrm -rf /' })).toThrow(/^dockerfile must be a non-empty single line/);
    expect(render({ buildContext: Fn.importValue('Context') })).toThrow(/^buildContext must be a literal/);
  });

  test('fails if every environment trusts only pull requests', () => {
    const pipeline = pipelineIn(new Stack(new App(), 'S', { env: { region: 'eu-west-1' } }), [
      { name: 'review', subjects: [GithubSubject.pullRequest()] },
    ]);
    expect(() => pipeline.renderWorkflow()).toThrow(/no environment with a branch, tag or deployment environment subject/);
  });

  test('fails if an environment trusts only deployment environments and workflowDispatch is not set', () => {
    const pipeline = pipelineIn(new Stack(new App(), 'S', { env: { region: 'eu-west-1' } }), [
      { name: 'prod', subjects: [GithubSubject.environment('production')] },
    ]);
    expect(() => pipeline.renderWorkflow()).toThrow(/^workflowDispatch must be true when an environment trusts deployment environments but no branch or tag \('prod'\)/);
    expect(() => pipeline.renderWorkflow({ workflowDispatch: true })).not.toThrow();
  });

  test('fails if a pattern has more than one wildcard', () => {
    const pipeline = pipelineIn(new Stack(new App(), 'S', { env: { region: 'eu-west-1' } }), [
      { name: 'dev', subjects: [GithubSubject.branchPattern('a*b*c')] },
    ]);
    expect(() => pipeline.renderWorkflow()).toThrow(/^environment 'dev' subject has more than one '\*'.*got 'branch pattern a\*b\*c'/);
  });
});

describe('a workflow for several stacks and accounts', () => {
  const ACCOUNTS = { dev: '111111111111', prod: '222222222222' };

  function accountPipeline(app: App, name: 'dev' | 'prod', env: { account?: string; region?: string }, overrides: Partial<PipelineEnvironmentProps> = {}, repository = GITHUB) {
    const stack = new Stack(app, `Stack-${name}`, { env });
    return new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: repository,
      environments: [{ name, branches: [name === 'prod' ? 'main' : 'dev'], roleName: `push-${name}`, ...overrides }],
    });
  }

  test('each job assumes the role in its own account and region, with literal ARNs', () => {
    // GIVEN
    const app = testApp();
    const dev = accountPipeline(app, 'dev', { account: ACCOUNTS.dev, region: 'eu-west-1' });
    const prod = accountPipeline(app, 'prod', { account: ACCOUNTS.prod, region: 'us-east-1' });
    // WHEN
    const workflow = parse(GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod]));
    // THEN
    expect(Object.keys(workflow.jobs)).toEqual(['dev', 'prod']);
    expect(workflow.on.push.branches).toEqual(['dev', 'main']);
    expect(stepsOf(workflow.jobs.dev).credentials.with).toEqual({ 'role-to-assume': `arn:aws:iam::${ACCOUNTS.dev}:role/push-dev`, 'aws-region': 'eu-west-1' });
    expect(stepsOf(workflow.jobs.prod).credentials.with).toEqual({ 'role-to-assume': `arn:aws:iam::${ACCOUNTS.prod}:role/push-prod`, 'aws-region': 'us-east-1' });
    expect(workflow.jobs.prod.if).toBe('github.ref == \'refs/heads/main\'');
    // Each stack has its own provider: they are in different accounts.
    for (const p of [dev, prod]) Template.fromStack(Stack.of(p)).resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });

  test('a stack whose account is not known reads its role ARN from a GitHub variable, and takes awsRegion', () => {
    // GIVEN
    const app = testApp();
    const dev = accountPipeline(app, 'dev', {}, { roleName: undefined });
    const prod = accountPipeline(app, 'prod', { account: ACCOUNTS.prod, region: 'us-east-1' });
    // WHEN
    const workflow = parse(GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod], { awsRegion: 'eu-west-1' }));
    // THEN
    expect(stepsOf(workflow.jobs.dev).credentials.with).toEqual({ 'role-to-assume': '${{ vars.AWS_ROLE_ARN_DEV }}', 'aws-region': 'eu-west-1' });
    expect(stepsOf(workflow.jobs.prod).credentials.with['aws-region']).toBe('us-east-1');
  });

  test('a China account gets its audience in its own job only', () => {
    // GIVEN
    const app = testApp();
    const dev = accountPipeline(app, 'dev', { account: ACCOUNTS.dev, region: 'us-east-1' });
    const prod = accountPipeline(app, 'prod', { account: ACCOUNTS.prod, region: 'cn-north-1' });
    // WHEN
    const workflow = parse(GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod]));
    // THEN
    expect(stepsOf(workflow.jobs.dev).credentials.with.audience).toBeUndefined();
    expect(stepsOf(workflow.jobs.prod).credentials.with).toEqual({
      'role-to-assume': `arn:aws-cn:iam::${ACCOUNTS.prod}:role/push-prod`, 'aws-region': 'cn-north-1', 'audience': 'sts.amazonaws.com.cn',
    });
  });

  test('writeMultiStackWorkflow writes the same workflow to a file', () => {
    // GIVEN
    const app = testApp();
    const pipelines = [accountPipeline(app, 'dev', { account: ACCOUNTS.dev, region: 'eu-west-1' }), accountPipeline(app, 'prod', { account: ACCOUNTS.prod, region: 'eu-west-1' })];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-'));
    // WHEN
    const file = GithubOidcEcrPipeline.writeMultiStackWorkflow(pipelines, dir, { fileName: 'ecr.yml' });
    // THEN
    expect(file).toBe(path.join(dir, 'ecr.yml'));
    expect(fs.readFileSync(file, 'utf8')).toBe(GithubOidcEcrPipeline.renderMultiStackWorkflow(pipelines));
  });

  test('the multi-account example renders one job per account with literal role ARNs', () => {
    // GIVEN
    const { pipelines, stacks } = buildMultiAccountApp(testApp());
    // WHEN
    const workflow = parse(GithubOidcEcrPipeline.renderMultiStackWorkflow(pipelines));
    // THEN
    expect(stacks.map(s => s.account)).toEqual([EXAMPLE_ACCOUNTS.dev, EXAMPLE_ACCOUNTS.prod]);
    expect(stepsOf(workflow.jobs.dev).credentials.with['role-to-assume']).toBe(`arn:aws:iam::${EXAMPLE_ACCOUNTS.dev}:role/cloudterms-push-dev`);
    expect(stepsOf(workflow.jobs.prod).credentials.with['role-to-assume']).toBe(`arn:aws:iam::${EXAMPLE_ACCOUNTS.prod}:role/cloudterms-push-prod`);
    for (const stack of stacks) {
      const types = Object.values<any>(Template.fromStack(stack).toJSON().Resources).map(r => r.Type);
      expect(types.sort()).toEqual(['AWS::ECR::Repository', 'AWS::IAM::OIDCProvider', 'AWS::IAM::Role']);
    }
  });

  test('fails if no pipeline is given', () => {
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([])).toThrow(/^pipelines must list at least one pipeline, got \[\]/);
  });

  test('fails if the pipelines serve different GitHub repositories, or spell one differently', () => {
    const app = testApp();
    const dev = accountPipeline(app, 'dev', { region: 'eu-west-1' });
    const other = accountPipeline(app, 'prod', { region: 'eu-west-1' }, {}, 'octo-org/other-repo');
    const same = accountPipeline(testApp(), 'prod', { region: 'eu-west-1' }, {}, 'Octo-Org/Octo-Repo');
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, other]))
      .toThrow(/^pipelines\[1\].githubRepository must be the GitHub repository of pipelines\[0\] \('octo-org\/octo-repo'\).*got 'octo-org\/other-repo'/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, same]))
      .toThrow(/^pipelines\[1\].githubRepository must be spelled exactly as in pipelines\[0\] \('octo-org\/octo-repo'\).*IAM compares case-sensitively.*got 'Octo-Org\/Octo-Repo'/);
    const spelledAlike = accountPipeline(testApp(), 'prod', { region: 'eu-west-1' });
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, spelledAlike])).not.toThrow();
  });

  test('fails if the pipelines have different issuers', () => {
    const app = testApp();
    const dev = accountPipeline(app, 'dev', { region: 'eu-west-1' });
    const stack = new Stack(app, 'Ghes', { env: { region: 'eu-west-1' } });
    const prod = new GithubOidcEcrPipeline(stack, 'Pipeline', { githubRepository: GITHUB, issuer: GithubIssuer.enterpriseServer('github.example.com'), environments: [{ name: 'prod', branches: ['main'] }] });
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod])).toThrow(/^pipelines\[1\]\.issuer must be the issuer of pipelines\[0\]/);
  });

  test('fails if two pipelines have an environment of the same name', () => {
    const app = testApp();
    const a = accountPipeline(app, 'dev', { region: 'eu-west-1' });
    const stack = new Stack(app, 'Other', { env: { region: 'eu-west-1' } });
    const b = new GithubOidcEcrPipeline(stack, 'Pipeline', { githubRepository: GITHUB, environments: [{ name: 'dev', branches: ['develop'] }] });
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([a, b]))
      .toThrow(/^pipelines\[1\]\.environments\[0\]\.name must be unique across the pipelines.*pipelines\[0\]\.environments\[0\] \(Stack-dev\/Pipeline\) is the same, got 'dev'/);
  });

  test('fails if a pipeline is listed twice', () => {
    const a = accountPipeline(testApp(), 'dev', { region: 'eu-west-1' });
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([a, a])).toThrow(/^pipelines\[1\] must be listed once; pipelines\[0\] is the same/);
  });

  test('fails if a stack\'s region is unknown and awsRegion is not given', () => {
    const app = testApp();
    const dev = accountPipeline(app, 'dev', {}, { roleName: undefined });
    const prod = accountPipeline(app, 'prod', { region: 'us-east-1' });
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod])).toThrow(/^awsRegion must be given to renderWorkflow\(\) when the stack's region is not known/);
  });
});

describe('robustness: timeouts, moving tags, re-runs', () => {
  const example = () => buildExampleApp(testApp()).pipeline;

  test('every push job has timeout-minutes, 30 by default or as given', () => {
    const plain = parse(example().renderWorkflow());
    expect([plain.jobs.dev['timeout-minutes'], plain.jobs.prod['timeout-minutes']]).toEqual([30, 30]);
    const given = parse(example().renderWorkflow({ jobTimeoutMinutes: 360 }));
    expect(given.jobs.dev['timeout-minutes']).toBe(360);
  });

  test('fails if jobTimeoutMinutes is outside 1 to 360 or not whole', () => {
    expect(() => example().renderWorkflow({ jobTimeoutMinutes: 0 })).toThrow(/^jobTimeoutMinutes must be a whole number of minutes from 1 to 360.*got 0/);
    expect(() => example().renderWorkflow({ jobTimeoutMinutes: 361 })).toThrow(/^jobTimeoutMinutes must be a whole number.*got 361/);
    expect(() => example().renderWorkflow({ jobTimeoutMinutes: 1.5 })).toThrow(/^jobTimeoutMinutes must be a whole number.*got 1\.5/);
    expect(() => example().renderWorkflow({ jobTimeoutMinutes: 1 })).not.toThrow();
  });

  test('a moving tag gets one concurrency group per environment, never cancelled; without one, none', () => {
    const moving = parse(buildScenario('a moving tag beside immutable SHA tags').workflow);
    for (const [id, job] of Object.entries<any>(moving.jobs)) {
      expect(job.concurrency).toEqual({ 'group': `cdk-github-oidc-ecr-${id}`, 'cancel-in-progress': false });
    }
    const plain = parse(example().renderWorkflow());
    expect(plain.jobs.dev.concurrency).toBeUndefined();
  });

  test('a re-run of a pushed commit skips the build: the check reads the tag with DescribeImages and each push is gated on it', () => {
    for (const name of NAMES) {
      const workflow = parse(buildScenario(name).workflow);
      for (const [id, job] of Object.entries<any>(workflow.jobs)) {
        if (job.uses !== undefined || job.steps === undefined || !stepsOf(job).existing) continue;
        const { existing, login, builds, build } = stepsOf(job);
        // THEN the check runs after the login and before every push
        expect([name, id, job.steps.indexOf(existing) > job.steps.indexOf(login)]).toEqual([name, id, true]);
        expect(existing.run).toContain('aws ecr describe-images --repository-name "$ECR_REPOSITORY" --image-ids imageTag="$IMAGE_TAG"');
        expect(existing.run).not.toContain('${{');
        for (const push of [...builds, build]) expect([name, id, push.if]).toEqual([name, id, 'steps.existing.outputs.digest == \'\'']);
      }
    }
  });
});

describe('pinWorkflowFile', () => {
  test('is rendered and written under the pinned file name', () => {
    // GIVEN
    const { pipeline } = synthPipeline({ pinWorkflowFile: 'push.yml' }, { env: { region: 'eu-west-1' } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pin-'));
    // WHEN
    const file = pipeline.writeWorkflow(dir);
    // THEN
    expect(path.basename(file)).toBe('push.yml');
    expect(pipeline.renderWorkflow({ fileName: 'push.yml' })).toBe(fs.readFileSync(file, 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('fails if fileName differs from the pinned file', () => {
    const { pipeline } = synthPipeline({ pinWorkflowFile: 'push.yml' }, { env: { region: 'eu-west-1' } });
    expect(() => pipeline.renderWorkflow({ fileName: 'other.yml' })).toThrow(/^fileName must be 'push\.yml', the file the roles' trust is pinned to \(pinWorkflowFile\), got 'other\.yml'/);
  });

  test('fails if pipelines of one multi-stack workflow pin different files', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const a = new GithubOidcEcrPipeline(new Stack(app, 'A', { env: { account: '111111111111', region: 'eu-west-1' } }), 'P', {
      githubRepository: 'o/r', pinWorkflowFile: 'a.yml', environments: [{ name: 'dev', branches: ['dev'] }],
    });
    const b = new GithubOidcEcrPipeline(new Stack(app, 'B', { env: { account: '222222222222', region: 'eu-west-1' } }), 'P', {
      githubRepository: 'o/r', pinWorkflowFile: 'b.yml', environments: [{ name: 'prod', branches: ['main'] }],
    });
    // WHEN / THEN
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([a, b])).toThrow(/^pinWorkflowFile must be the same for every pipeline of one workflow/);
  });
});
