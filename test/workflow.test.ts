import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Fn, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { parse } from 'yaml';
import { buildExampleApp } from '../example/app';
import { ACCOUNTS as EXAMPLE_ACCOUNTS, buildMultiAccountApp } from '../example/multi-account';
import { writeExampleWorkflow } from '../example/write-workflow';
import { GithubIssuer, GithubOidcEcrPipeline, GithubSubject, PipelineEnvironment, PipelineEnvironmentProps, WorkflowOptions } from '../src';
import { CheckResult, Evaluation, checkWorkflows } from './support/workflow-check';
import { resolveWorkflowDirectory } from '../src/private/write';

const GITHUB = 'octo-org/octo-repo';
const ISSUER = 'token.actions.githubusercontent.com';

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
};
const NAMES = Object.keys(SCENARIOS);

/** Workflows that must fail each linter, so the linters are known to be able to fail. */
const BROKEN = {
  // An unknown event and an untrusted value spliced into a shell script.
  actionlint: 'on: pushh\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n',
  // `runs-on` is missing, and `permissions` has a scope that does not exist.
  parser: 'on: push\npermissions:\n  id-token: writ\njobs:\n  build:\n    steps:\n      - run: echo hello\n',
};

/** A deliberately wrong gate: it admits `refs/heads/devx`, which the dev role refuses. */
const WRONG_GATE = 'startsWith(github.ref, \'refs/heads/dev\')';

let scenarios: Record<string, Scenario>;
let templates: Record<string, any>;
let checks: CheckResult;
/** For each scenario, job and sample ref: [what the gate says, the evaluation's index]. */
let gateIndex: Array<{ scenario: string; job: string; ref: string; event: string; index: number }>;
let wrongGateIndex: number[];

beforeAll(() => {
  scenarios = Object.fromEntries(NAMES.map(name => [name, SCENARIOS[name]()]));
  templates = Object.fromEntries(NAMES.map(name => [name, Template.fromStack(scenarios[name].stack).toJSON()]));
  const evaluations: Evaluation[] = [];
  gateIndex = [];
  for (const name of NAMES) {
    const workflow = parse(scenarios[name].workflow);
    const refs = sampleRefs(templates[name]);
    for (const [job, body] of Object.entries<any>(workflow.jobs)) {
      for (const ref of refs) {
        for (const event of ['push', 'workflow_dispatch']) {
          gateIndex.push({ scenario: name, job, ref, event, index: evaluations.length });
          evaluations.push({ expression: body.if, github: { ref, event_name: event } });
        }
      }
    }
  }
  wrongGateIndex = ['refs/heads/dev', 'refs/heads/devx'].map(ref => {
    evaluations.push({ expression: WRONG_GATE, github: { ref, event_name: 'push' } });
    return evaluations.length - 1;
  });
  checks = checkWorkflows([
    ...NAMES.map(name => ({ name: `${name}.yml`, content: scenarios[name].workflow })),
    { name: 'broken-for-actionlint.yml', content: BROKEN.actionlint },
    { name: 'broken-for-parser.yml', content: BROKEN.parser },
  ], evaluations);
});

function testApp(): App {
  return new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
}

function check(name: string) {
  return checks.workflows.find(w => w.name === name)!;
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
    expect(scenarios['the example'].workflow).toMatchSnapshot();
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
    expect(first.pipeline.renderWorkflow()).toBe(scenarios['the example'].workflow);
  });

  test('pushes dev to cloudterms-dev and main to cloudterms-prod', () => {
    const workflow = parse(scenarios['the example'].workflow);
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

describe('writeWorkflow on a hostile or unusual file system', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'write-'));
  const pipeline = () => buildExampleApp(testApp()).pipeline;

  test('fails if a symbolic link is where the workflow goes, and leaves what it points to untouched', () => {
    // GIVEN
    const dir = tmp();
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    fs.symlinkSync(victim, path.join(dir, 'push-image-to-ecr.yml'));
    // WHEN / THEN
    expect(() => pipeline().writeWorkflow(dir)).toThrow(/^directory must not hold a symbolic link where the workflow goes \(.*push-image-to-ecr\.yml\); writing through it would overwrite whatever it points to/);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  });

  test('replaces an existing regular file whole, through a temporary file that does not stay behind', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'push-image-to-ecr.yml'), 'old');
    const built = pipeline();
    const file = built.writeWorkflow(dir);
    expect(fs.readFileSync(file, 'utf8')).toBe(built.renderWorkflow());
    expect(fs.readdirSync(dir)).toEqual(['push-image-to-ecr.yml']);
  });

  test('fails with a clear message if a file is where the directory should be, not a raw EEXIST', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.github'), 'not a directory');
    expect(() => pipeline().writeWorkflow(path.join(dir, '.github', 'workflows')))
      .toThrow(new RegExp(`^directory must be a directory, but ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\.github is a file`));
    expect(() => pipeline().writeWorkflow(path.join(dir, '.github'))).toThrow(/^directory must be a directory, but .*\.github is a file/);
    const target = path.join(tmp(), 'push-image-to-ecr.yml');
    fs.mkdirSync(target);
    expect(() => pipeline().writeWorkflow(path.dirname(target))).toThrow(/^directory must not hold a directory or other non-file where the workflow goes/);
  });

  test('resolves a relative .github/workflows against the git root and returns the absolute path; other relative paths against the working directory', () => {
    // GIVEN a repository with the CDK app in infra/
    const root = tmp();
    fs.mkdirSync(path.join(root, '.git'));
    const infra = path.join(root, 'infra');
    fs.mkdirSync(infra);
    const built = pipeline();
    const cwd = process.cwd();
    let written: string;
    let other: string;
    try {
      process.chdir(infra);
      // WHEN
      written = built.writeWorkflow('.github/workflows');
      other = built.writeWorkflow('generated');
    } finally {
      process.chdir(cwd);
    }
    // THEN
    expect(written).toBe(path.join(fs.realpathSync(root), '.github', 'workflows', 'push-image-to-ecr.yml'));
    expect(fs.existsSync(path.join(infra, '.github'))).toBe(false);
    expect(other).toBe(path.join(fs.realpathSync(infra), 'generated', 'push-image-to-ecr.yml'));
  });

  test('outside any git work tree, a relative .github/workflows resolves against the working directory', () => {
    expect(resolveWorkflowDirectory('.github/workflows', '/')).toBe('/.github/workflows');
  });
});

test('the example writes its workflow next to its template', () => {
  // GIVEN
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-out-'));
  // WHEN
  const file = writeExampleWorkflow(directory);
  // THEN
  expect(file).toBe(path.join(directory, 'push-image-to-ecr.yml'));
  expect(fs.readFileSync(file, 'utf8')).toBe(scenarios['the example'].workflow);
});

describe.each(NAMES)('the workflow of %s', (name) => {
  const workflow = () => parse(scenarios[name].workflow);
  const jobs = () => Object.entries<any>(workflow().jobs);

  test('actionlint reports nothing', () => {
    expect(check(`${name}.yml`).actionlint).toEqual([]);
  });

  test('GitHub\'s workflow parser reports no error', () => {
    expect(check(`${name}.yml`).parser).toEqual([]);
  });

  test('grants exactly id-token: write and contents: read', () => {
    expect(workflow().permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
    for (const [, job] of jobs()) expect(job.permissions).toBeUndefined();
  });

  test('never triggers on pull_request or pull_request_target', () => {
    const triggers = Object.keys(workflow().on);
    expect(triggers).not.toContain('pull_request');
    expect(triggers).not.toContain('pull_request_target');
    expect(scenarios[name].workflow).not.toMatch(/pull_request_target|github\.event\.pull_request/);
  });

  test('contains no unresolved token', () => {
    expect(scenarios[name].workflow).not.toMatch(/\$\{Token\[|#\{Token\[|Token\[TOKEN/);
  });

  test('gates each job on exactly the refs its role trusts', () => {
    const { stack, pipeline } = scenarios[name];
    const mismatches: string[] = [];
    for (const entry of gateIndex.filter(e => e.scenario === name)) {
      const env = pipeline.environment(entry.job);
      const trust = trustOf(templates[name], stack, env);
      const gate = checks.evaluations[entry.index];
      const deploymentEnvironment = workflow().jobs[entry.job].environment;
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
    for (const [id, job] of jobs()) {
      const env = scenarios[name].pipeline.environment(id);
      const steps: any[] = job.steps;
      expect(steps.map(s => s.uses?.split('@')[0])).toEqual([
        'actions/checkout', 'aws-actions/configure-aws-credentials', 'aws-actions/amazon-ecr-login', 'docker/setup-buildx-action', 'docker/build-push-action',
      ]);
      // China's STS audience is not configure-aws-credentials' default, so its jobs name it.
      const china = steps[1].with['aws-region'].startsWith('cn-');
      expect(Object.keys(steps[1].with).sort()).toEqual(china ? ['audience', 'aws-region', 'role-to-assume'] : ['aws-region', 'role-to-assume']);
      if (china) expect(steps[1].with.audience).toBe('sts.amazonaws.com.cn');
      expect(steps[1].with['role-to-assume']).toMatch(new RegExp(`^(arn:aws[a-z-]*:iam::\\d{12}:role/.+|\\$\\{\\{ vars\\.${env.roleArnVariable} \\}\\})$`));
      expect(steps[2].id).toBe('login-ecr');
      expect(job.env.IMAGE_TAG).toBe('${{ github.sha }}');
      expect(steps[4].with.push).toBe(true);
      expect(steps[4].with.provenance).toBe(false);
      expect(steps[4].with.tags.split('\n')[0]).toBe('${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}:${{ env.IMAGE_TAG }}');
    }
  });

  test('runs no shell script', () => {
    for (const [, job] of jobs()) {
      expect(job.steps.filter((s: any) => s.run !== undefined)).toEqual([]);
    }
  });

  test('pins every action to a commit SHA or a full release', () => {
    for (const [, job] of jobs()) {
      expect(job.steps.map((s: any) => s.uses)).toHaveLength(5);
      for (const step of job.steps) {
        expect(step.uses).toMatch(/@([0-9a-f]{40}|v\d+\.\d+\.\d+)$/);
      }
    }
  });

  test('caches layers in the GitHub Actions cache, scoped to the environment', () => {
    const disabled = name === 'a concrete account with a fixed role name';
    for (const [id, job] of jobs()) {
      const build = job.steps[4].with;
      if (disabled) {
        expect(build['cache-from']).toBeUndefined();
        expect(build['cache-to']).toBeUndefined();
      } else {
        expect(build['cache-from']).toBe(`type=gha,scope=${id}`);
        expect(build['cache-to']).toBe(`type=gha,mode=max,scope=${id}`);
      }
    }
  });
});

describe('values', () => {
  test('reads the role ARN and repository name from variables when they are only known at deploy time', () => {
    const workflow = parse(scenarios['an environment-agnostic stack with imported repositories'].workflow);
    expect(workflow.jobs.dev.steps[1].with['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN_DEV }}');
    expect(workflow.jobs.dev.env.ECR_REPOSITORY).toBe('${{ vars.ECR_REPOSITORY_DEV }}');
    // No account: the ARN cannot be built even though the role name is fixed.
    expect(workflow.jobs.prod.steps[1].with['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN_PROD }}');
    expect(workflow.jobs.prod.env.ECR_REPOSITORY).toBe('shared-images');
    expect(workflow.jobs.prod.steps[1].with['aws-region']).toBe('us-east-1');
  });

  test('the variables are the ones the stack outputs name', () => {
    const { stack, pipeline } = scenarios['an environment-agnostic stack with imported repositories'];
    const outputs = Object.values<any>(templates['an environment-agnostic stack with imported repositories'].Outputs ?? {});
    const dev = pipeline.environment('dev');
    expect(outputs.map(o => o.Description)).toEqual(expect.arrayContaining([
      expect.stringContaining(dev.roleArnVariable),
      expect.stringContaining(dev.repositoryVariable),
    ]));
    expect(Token.isUnresolved(stack.account)).toBe(true);
  });

  test('writes a literal role ARN when the account and the role name are concrete', () => {
    const workflow = parse(scenarios['a concrete account with a fixed role name'].workflow);
    expect(workflow.jobs.dev.steps[1].with['role-to-assume']).toBe('arn:aws:iam::123456789012:role/octo-push-dev');
    expect(workflow.jobs.prod.steps[1].with['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN_PROD }}');
    expect(workflow.jobs.dev.env.ECR_REPOSITORY).toBe('octo-repo-dev');
    expect(workflow.jobs.dev.steps[1].with['aws-region']).toBe('eu-west-1');
  });

  test('takes the partition from the region', () => {
    const workflow = parse(scenarios.GovCloud.workflow);
    expect(workflow.jobs.prod.steps[1].with['role-to-assume']).toBe('arn:aws-us-gov:iam::123456789012:role/octo-push-prod');
  });

  test('pins the default actions by commit, with the release beside it', () => {
    expect(scenarios['the example'].workflow).toContain('uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0');
    expect(scenarios['the example'].workflow).toContain('uses: aws-actions/configure-aws-credentials@a03048d87541d1d9fcf2ecf528a4a65ba9bd7838 # v5.0.0');
    expect(scenarios['the example'].workflow).toContain('uses: aws-actions/amazon-ecr-login@062b18b96a7aff071d4dc91bc00c4c1a7945b076 # v2.0.1');
    expect(scenarios['the example'].workflow).toContain('uses: docker/setup-buildx-action@e468171a9de216ec08956ac3ada2f0791b6bd435 # v3.11.1');
    expect(scenarios['the example'].workflow).toContain('uses: docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83 # v6.18.0');
  });

  test('uses the Buildx and build-push versions it is given, without a release comment', () => {
    const workflow = parse(scenarios['patterns, tags and deployment environments'].workflow);
    expect(workflow.jobs.dev.steps[3].uses).toBe('docker/setup-buildx-action@v3.10.0');
    expect(workflow.jobs.dev.steps[4].uses).toBe('docker/build-push-action@14487ce63c7a62a4a324b0bfb37086795e31c6c1');
    expect(scenarios['patterns, tags and deployment environments'].workflow).not.toMatch(/docker\/(setup-buildx|build-push)-action@\S+ #/);
  });

  test('uses the versions, runner and build paths it is given', () => {
    const workflow = parse(scenarios['patterns, tags and deployment environments'].workflow);
    expect(workflow.name).toBe('Images');
    expect(workflow.jobs.dev['runs-on']).toBe('ubuntu-24.04');
    expect(workflow.jobs.dev.steps[0].uses).toBe('actions/checkout@v4.2.2');
    expect(workflow.jobs.dev.steps[4].with).toMatchObject({ file: 'docker/app image/Dockerfile', context: 'docker' });
  });

  test('disableLayerCache removes the cache lines and nothing else', () => {
    // GIVEN
    const { pipeline } = buildExampleApp(testApp());
    // WHEN
    const cached = parse(pipeline.renderWorkflow());
    const uncached = parse(pipeline.renderWorkflow({ disableLayerCache: true }));
    // THEN
    for (const id of ['dev', 'prod']) {
      const { 'cache-from': from, 'cache-to': to, ...rest } = cached.jobs[id].steps[4].with;
      expect([from, to]).toEqual([`type=gha,scope=${id}`, `type=gha,mode=max,scope=${id}`]);
      expect(uncached.jobs[id].steps[4].with).toEqual(rest);
    }
    uncached.jobs.dev.steps[4].with = cached.jobs.dev.steps[4].with;
    uncached.jobs.prod.steps[4].with = cached.jobs.prod.steps[4].with;
    expect(uncached).toEqual(cached);
    expect(parse(pipeline.renderWorkflow({ disableLayerCache: false }))).toEqual(cached);
  });

  test('builds and pushes the extra tag as well', () => {
    const workflow = parse(scenarios['an extra image tag'].workflow);
    expect(workflow.jobs.dev.env.EXTRA_IMAGE_TAG).toBe('latest');
    expect(workflow.jobs.dev.steps[4].with.tags.split('\n')).toEqual([
      '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}:${{ env.IMAGE_TAG }}',
      '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}:${{ env.EXTRA_IMAGE_TAG }}',
    ]);
  });
});

describe('triggers and jobs', () => {
  const rich = () => parse(scenarios['patterns, tags and deployment environments'].workflow);

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
    expect(Object.keys(parse(scenarios['the example'].workflow).on)).toEqual(['push']);
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

describe('the checks can fail', () => {
  test('actionlint reports a broken workflow', () => {
    const findings = check('broken-for-actionlint.yml').actionlint;
    expect(findings.map(f => f.kind)).toEqual(expect.arrayContaining(['events', 'expression']));
  });

  test('GitHub\'s workflow parser reports a broken workflow', () => {
    expect(check('broken-for-parser.yml').parser.length).toBeGreaterThan(0);
  });

  test('the gate check tells a wrong gate from the role\'s trust', () => {
    // GIVEN
    const { stack, pipeline } = scenarios['the example'];
    const trust = trustOf(templates['the example'], stack, pipeline.environment('dev'));
    // WHEN
    const [onDev, onDevx] = wrongGateIndex.map(i => checks.evaluations[i]);
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
    expect(workflow.jobs.dev.steps[1].with).toEqual({ 'role-to-assume': `arn:aws:iam::${ACCOUNTS.dev}:role/push-dev`, 'aws-region': 'eu-west-1' });
    expect(workflow.jobs.prod.steps[1].with).toEqual({ 'role-to-assume': `arn:aws:iam::${ACCOUNTS.prod}:role/push-prod`, 'aws-region': 'us-east-1' });
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
    expect(workflow.jobs.dev.steps[1].with).toEqual({ 'role-to-assume': '${{ vars.AWS_ROLE_ARN_DEV }}', 'aws-region': 'eu-west-1' });
    expect(workflow.jobs.prod.steps[1].with['aws-region']).toBe('us-east-1');
  });

  test('a China account gets its audience in its own job only', () => {
    // GIVEN
    const app = testApp();
    const dev = accountPipeline(app, 'dev', { account: ACCOUNTS.dev, region: 'us-east-1' });
    const prod = accountPipeline(app, 'prod', { account: ACCOUNTS.prod, region: 'cn-north-1' });
    // WHEN
    const workflow = parse(GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod]));
    // THEN
    expect(workflow.jobs.dev.steps[1].with.audience).toBeUndefined();
    expect(workflow.jobs.prod.steps[1].with).toEqual({
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
    expect(workflow.jobs.dev.steps[1].with['role-to-assume']).toBe(`arn:aws:iam::${EXAMPLE_ACCOUNTS.dev}:role/cloudterms-push-dev`);
    expect(workflow.jobs.prod.steps[1].with['role-to-assume']).toBe(`arn:aws:iam::${EXAMPLE_ACCOUNTS.prod}:role/cloudterms-push-prod`);
    for (const stack of stacks) {
      const types = Object.values<any>(Template.fromStack(stack).toJSON().Resources).map(r => r.Type);
      expect(types.sort()).toEqual(['AWS::ECR::Repository', 'AWS::IAM::OIDCProvider', 'AWS::IAM::Role']);
    }
  });

  test('fails if no pipeline is given', () => {
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([])).toThrow(/^pipelines must list at least one pipeline, got \[\]/);
  });

  test('fails if the pipelines serve different GitHub repositories', () => {
    const app = testApp();
    const dev = accountPipeline(app, 'dev', { region: 'eu-west-1' });
    const other = accountPipeline(app, 'prod', { region: 'eu-west-1' }, {}, 'octo-org/other-repo');
    const same = accountPipeline(testApp(), 'prod', { region: 'eu-west-1' }, {}, 'Octo-Org/Octo-Repo');
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, other]))
      .toThrow(/^pipelines\[1\].githubRepository must be the GitHub repository of pipelines\[0\] \('octo-org\/octo-repo'\).*got 'octo-org\/other-repo'/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, same])).not.toThrow();
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
