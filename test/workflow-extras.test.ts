import { Fn, Stack } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { GithubOidcEcrPipeline, GithubReusableWorkflow, GithubSubject, WorkflowOptions, WorkflowPatch } from '../src';
import { testApp } from './support/stack';

/*
 * The options that add to each job, checked where they are read (src/private/workflow-extras.ts):
 * build arguments and secrets, steps before the build, runners and permissions.
 */

const GITHUB = 'octo-org/octo-repo';

describe('errors of the options that add to a job', () => {
  const regional = () => new GithubOidcEcrPipeline(new Stack(testApp(), 'S', { env: { region: 'eu-west-1' } }), 'Pipeline', {
    githubRepository: GITHUB,
    environments: [{ name: 'dev', branches: ['dev'] }, { name: 'review', subjects: [GithubSubject.pullRequest()] }],
  });
  const render = (options: WorkflowOptions) => () => regional().renderWorkflow(options);
  const step = (overrides: object) => render({ preBuildSteps: [{ name: 'Test', ...overrides } as any] });

  test('fails if a build argument\'s name is not a variable name', () => {
    expect(render({ buildArgs: { '1X': 'a' } })).toThrow(/^buildArgs must have names of letters, digits and '_', not starting with a digit, got '1X'/);
    expect(render({ buildArgs: { 'A-B': 'a' } })).toThrow(/^buildArgs must have names/);
    expect(render({ buildArgs: { _X1: 'a' } })).not.toThrow();
  });

  test('fails if a build argument\'s value is empty, multi-line, a token or reads a secret', () => {
    expect(render({ buildArgs: { A: '' } })).toThrow(/^buildArgs\.A must be a non-empty single line, got ''/);
    expect(render({ buildArgs: { A: 'x\ny' } })).toThrow(/^buildArgs\.A must be a non-empty single line/);
    expect(render({ buildArgs: { A: Fn.importValue('X') } })).toThrow(/^buildArgs\.A must be a literal/);
    expect(render({ buildArgs: { A: '${{ secrets.NPM_TOKEN }}' } })).toThrow(/^buildArgs\.A must not read the secrets context.*give the secret in buildSecrets, got '\$\{\{ secrets\.NPM_TOKEN \}\}'/);
    expect(render({ buildArgs: { A: '${{ toJSON(secrets) }}' } })).toThrow(/^buildArgs\.A must not read the secrets context/);
    expect(render({ buildArgs: { A: 'secrets.x ${{ vars.A }}' } })).not.toThrow();
  });

  test('fails if a build secret\'s id is not a secret id', () => {
    expect(render({ buildSecrets: { '.npmrc': 'NPM_TOKEN' } })).toThrow(/^buildSecrets must have ids of 1 to 64 letters, digits, '_', '\.' or '-'.*got '\.npmrc'/);
    expect(render({ buildSecrets: { 'a=b': 'NPM_TOKEN' } })).toThrow(/^buildSecrets must have ids/);
    expect(render({ buildSecrets: { ['x'.repeat(65)]: 'NPM_TOKEN' } })).toThrow(/^buildSecrets must have ids/);
    expect(render({ buildSecrets: { ['x'.repeat(64)]: 'NPM_TOKEN' } })).not.toThrow();
  });

  test('fails if a build secret is not the name of a GitHub secret', () => {
    expect(render({ buildSecrets: { npm: 'NPM-TOKEN' } })).toThrow(/^buildSecrets\.npm must be the name of a GitHub secret.*never the value\), got 'NPM-TOKEN'/);
    expect(render({ buildSecrets: { npm: '1TOKEN' } })).toThrow(/^buildSecrets\.npm must be the name of a GitHub secret/);
    expect(render({ buildSecrets: { npm: '${{ secrets.NPM }}' } })).toThrow(/^buildSecrets\.npm must be the name of a GitHub secret/);
    expect(render({ buildSecrets: { npm: 'npm_token_2' } })).not.toThrow();
  });

  test('fails if a build secret names a reserved GITHUB_ secret, other than GITHUB_TOKEN', () => {
    expect(render({ buildSecrets: { app: 'GITHUB_APP_KEY' } })).toThrow(/^buildSecrets\.app must not start with 'GITHUB_'.*got 'GITHUB_APP_KEY'/);
    expect(render({ buildSecrets: { app: 'github_app_key' } })).toThrow(/^buildSecrets\.app must not start with 'GITHUB_'/);
    expect(render({ buildSecrets: { gh: 'GITHUB_TOKEN' } })).not.toThrow();
  });

  test('fails if a build secret would shadow a variable of the job', () => {
    expect(render({ buildSecrets: { repo: 'ECR_REPOSITORY' } })).toThrow(/^buildSecrets\.repo must not be named like a variable of the job.*got 'ECR_REPOSITORY'/);
    expect(render({ buildSecrets: { tag: 'image_tag' } })).toThrow(/^buildSecrets\.tag must not be named like a variable of the job/);
    expect(render({ buildSecrets: { repo: 'ECR_REPOSITORY_TOKEN' } })).not.toThrow();
  });

  test('fails if a step gives both run and uses, or neither', () => {
    expect(step({ run: 'npm test', uses: 'actions/setup-node@v6.0.0' })).toThrow(/^preBuildSteps\[0\] must give exactly one of run and uses, got 'Test'/);
    expect(step({})).toThrow(/^preBuildSteps\[0\] must give exactly one of run and uses/);
    expect(step({ run: 'npm test' })).not.toThrow();
  });

  test('fails if a step has no name', () => {
    expect(step({ name: '', run: 'npm test' })).toThrow(/^preBuildSteps\[0\]\.name must be a non-empty single line/);
    expect(step({ name: undefined, run: 'npm test' })).toThrow(/^preBuildSteps\[0\]\.name must be a string/);
  });

  test('fails if a step\'s script contains an expression', () => {
    expect(step({ run: 'echo "${{ github.head_ref }}"' })).toThrow(/^preBuildSteps\[0\]\.run must not contain an expression.*pass it through env.*got 'echo "\$\{\{ github\.head_ref \}\}"'/);
    expect(step({ run: 'echo "$HEAD_REF"', env: { HEAD_REF: '${{ github.head_ref }}' } })).not.toThrow();
    expect(step({ run: 'echo "${HOME}"' })).not.toThrow();
  });

  test('fails if a step\'s action moves or is not an action reference', () => {
    expect(step({ uses: 'actions/setup-node@v6' })).toThrow(/^preBuildSteps\[0\]\.uses must be OWNER\/REPO\[\/PATH\]@REF.*got 'actions\/setup-node@v6'/);
    expect(step({ uses: 'actions/setup-node@main' })).toThrow(/^preBuildSteps\[0\]\.uses must be/);
    expect(step({ uses: 'actions/setup-node' })).toThrow(/^preBuildSteps\[0\]\.uses must be/);
    expect(step({ uses: 'docker://alpine:3' })).toThrow(/^preBuildSteps\[0\]\.uses must be/);
    expect(step({ uses: 'actions/setup-node@v6.0.0' })).not.toThrow();
    expect(step({ uses: 'github/codeql-action/init@0123456789abcdef0123456789abcdef01234567' })).not.toThrow();
    expect(step({ uses: './.github/actions/test' })).not.toThrow();
  });

  test('fails if a step mixes the fields of run and uses', () => {
    expect(step({ uses: 'actions/setup-node@v6.0.0', shell: 'bash' })).toThrow(/^preBuildSteps\[0\] must not give shell or workingDirectory with uses/);
    expect(step({ run: 'npm test', with: { a: 'b' } })).toThrow(/^preBuildSteps\[0\] must not give with without uses/);
    expect(step({ run: 'npm test', shell: 'bash', workingDirectory: 'app' })).not.toThrow();
  });

  test('fails if a step\'s id is taken or not an id', () => {
    expect(step({ id: 'build', run: 'true' })).toThrow(/^preBuildSteps\[0\]\.id must be unique among the job's steps \(taken: 'login-ecr', 'build'\), got 'build'/);
    expect(render({ preBuildSteps: [{ name: 'A', id: 'a', run: 'true' }, { name: 'B', id: 'a', run: 'true' }] })).toThrow(/^preBuildSteps\[1\]\.id must be unique/);
    expect(step({ id: '1a', run: 'true' })).toThrow(/^preBuildSteps\[0\]\.id must be letters, digits/);
    expect(step({ id: 'unit-tests', run: 'true' })).not.toThrow();
  });

  test('fails if a step\'s variable or input has a bad name or value', () => {
    expect(step({ run: 'true', env: { 'A-B': 'x' } })).toThrow(/^preBuildSteps\[0\]\.env must have variable names of letters, digits and '_'.*got 'A-B'/);
    expect(step({ run: 'true', env: { A: Fn.importValue('X') } })).toThrow(/^preBuildSteps\[0\]\.env\.A must be a literal/);
    expect(step({ uses: 'actions/setup-node@v6.0.0', with: { 'node version': '22' } })).toThrow(/^preBuildSteps\[0\]\.with must have input names/);
    expect(step({ uses: 'actions/setup-node@v6.0.0', with: { 'node-version': '' } })).toThrow(/^preBuildSteps\[0\]\.with\.node-version must be a non-empty text/);
    expect(step({ run: 'true', env: { A: 'multi\nline' } })).not.toThrow();
  });

  test('fails if runsOn or environmentRunsOn has an empty label', () => {
    expect(render({ runsOn: 'self-hosted,,linux' })).toThrow(/^runsOn must be runner labels separated by commas, none of them empty, got 'self-hosted,,linux'/);
    expect(render({ environmentRunsOn: { dev: 'linux,' } })).toThrow(/^environmentRunsOn\.dev must be runner labels separated by commas/);
    expect(render({ environmentRunsOn: { dev: '' } })).toThrow(/^environmentRunsOn\.dev must be a non-empty single line/);
    expect(render({ runsOn: 'self-hosted, linux' })).not.toThrow();
  });

  test('fails if environmentRunsOn names an environment without a job', () => {
    expect(render({ environmentRunsOn: { prod: 'ubuntu-24.04-arm' } })).toThrow(/^environmentRunsOn must name environments that get a job \('dev'\).*got 'prod'/);
    expect(render({ environmentRunsOn: { review: 'ubuntu-24.04-arm' } })).toThrow(/^environmentRunsOn must name environments that get a job.*got 'review'/);
    expect(render({ environmentRunsOn: { dev: 'ubuntu-24.04-arm' } })).not.toThrow();
  });

  test('fails if an extra permission has an unknown scope, or is id-token', () => {
    expect(render({ extraPermissions: [{ scope: 'package', access: 'read' }] })).toThrow(/^extraPermissions\[0\]\.scope must be a GITHUB_TOKEN permission scope: actions, .*got 'package'/);
    expect(render({ extraPermissions: [{ scope: 'id-token', access: 'write', reason: 'x' }] })).toThrow(/^extraPermissions\[0\]\.scope must not be id-token/);
    expect(render({ extraPermissions: [{ scope: 'packages', access: 'read' }, { scope: 'packages', access: 'read' }] })).toThrow(/^extraPermissions\[1\]\.scope must be given once/);
    expect(render({ extraPermissions: [{ scope: 'packages', access: 'read' }] })).not.toThrow();
  });

  test('fails if an extra permission is not read or write', () => {
    expect(render({ extraPermissions: [{ scope: 'packages', access: 'none' }] })).toThrow(/^extraPermissions\[0\]\.access must be 'read' or 'write'.*got 'none'/);
    expect(render({ extraPermissions: [{ scope: 'packages', access: 'write-all' }] })).toThrow(/^extraPermissions\[0\]\.access must be 'read' or 'write'/);
    expect(render({ extraPermissions: [{ scope: 'contents', access: 'read' }] })).toThrow(/^extraPermissions\[0\]\.access must be 'write' for contents/);
  });

  test('fails if a write permission has no reason', () => {
    expect(render({ extraPermissions: [{ scope: 'contents', access: 'write' }] }))
      .toThrow(/^extraPermissions\[0\] needs a reason.*the workflow's only write is otherwise id-token.*got 'contents: write'/);
    expect(render({ extraPermissions: [{ scope: 'packages', access: 'write' }] })).toThrow(/^extraPermissions\[0\] needs a reason.*got 'packages: write'/);
    expect(render({ extraPermissions: [{ scope: 'contents', access: 'write', reason: ' ' }] })).toThrow(/^extraPermissions\[0\]\.reason must be a non-empty single line/);
    expect(render({ extraPermissions: [{ scope: 'contents', access: 'write', reason: 'the release step pushes a tag' }] })).not.toThrow();
  });

  test('fails if an option of the job\'s own build is given with a reusable workflow', () => {
    const caller = () => new GithubOidcEcrPipeline(new Stack(testApp(), 'S', { env: { region: 'eu-west-1' } }), 'Pipeline', {
      githubRepository: GITHUB,
      environments: [{ name: 'dev', branches: ['dev'] }],
      reusableWorkflow: GithubReusableWorkflow.fromReference('octo-org/ci/.github/workflows/build.yml@refs/tags/v1'),
    });
    const rule = /cannot be combined with reusableWorkflow: its jobs call the central workflow/;
    expect(() => caller().renderWorkflow({ preBuildSteps: [{ name: 'Test', run: 'npm test' }] })).toThrow(new RegExp(`^preBuildSteps ${rule.source}`));
    expect(() => caller().renderWorkflow({ buildArgs: { A: '1' } })).toThrow(new RegExp(`^buildArgs ${rule.source}.*got '\\{"A":"1"\\}'`));
    expect(() => caller().renderWorkflow({ buildSecrets: { npmrc: 'NPM_TOKEN' } })).toThrow(new RegExp(`^buildSecrets ${rule.source}`));
    expect(() => caller().renderWorkflow({ platforms: 'linux/arm64' })).toThrow(new RegExp(`^platforms ${rule.source}.*got 'linux/arm64'`));
    expect(() => caller().renderWorkflow({ environmentRunsOn: { dev: 'x' } })).toThrow(new RegExp(`^environmentRunsOn ${rule.source}`));
    expect(() => caller().renderWorkflow({ extraPermissions: [{ scope: 'packages', access: 'read' }] })).toThrow(new RegExp(`^extraPermissions ${rule.source}`));
    // Patches still apply, under the same checks.
    expect(parse(caller().renderWorkflow({ patches: [WorkflowPatch.add('/jobs/dev/secrets', 'inherit')] })).jobs.dev.secrets).toBe('inherit');
    expect(() => caller().renderWorkflow({ patches: [WorkflowPatch.remove('/jobs/dev/if')] })).toThrow(/^patches\[0\] must not change if of the job 'dev'/);
  });

  test('fails if a map or list option has the wrong shape', () => {
    expect(render({ buildArgs: ['A=1'] as any })).toThrow(/^buildArgs must be a map of names to strings/);
    expect(render({ preBuildSteps: { name: 'x' } as any })).toThrow(/^preBuildSteps must be a list of steps/);
    expect(render({ extraPermissions: { packages: 'read' } as any })).toThrow(/^extraPermissions must be a list of permissions/);
    expect(render({ patches: WorkflowPatch.remove('/name') as any })).toThrow(/^patches must be a list of WorkflowPatch/);
  });
});
