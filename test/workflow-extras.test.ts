import { Fn, Stack } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { GithubOidcEcrPipeline, GithubReusableWorkflow, GithubSubject, WorkflowOptions, WorkflowPatch } from '../src';
import { testApp } from './support/stack';
import * as extras from '../src/private/workflow-extras';

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

describe('what the options add to a job, read one by one', () => {
  test('fails if a map option is not a map', () => {
    expect(() => extras.buildArgLines('A=1')).toThrow(/^buildArgs must be a map of names to strings, got 'A=1'$/);
    expect(() => extras.buildArgLines(null)).toThrow(/^buildArgs must be a map of names to strings, got null$/);
    expect(() => extras.buildArgLines(['A=1'])).toThrow(/^buildArgs must be a map of names to strings, got \["A=1"\]$/);
    expect(() => extras.buildSecrets('npmrc=NPM_TOKEN')).toThrow(/^buildSecrets must be a map of names to strings, got 'npmrc=NPM_TOKEN'$/);
    expect(() => extras.preBuildSteps([{ name: 'Test', uses: 'actions/setup-node@v6.0.0', with: 'node-version: 22' }], []))
      .toThrow(/^preBuildSteps\[0\]\.with must be a map of names to strings, got 'node-version: 22'$/);
    expect(() => extras.preBuildSteps([{ name: 'Test', run: 'true', env: 'A=1' }], []))
      .toThrow(/^preBuildSteps\[0\]\.env must be a map of names to strings, got 'A=1'$/);
    expect(extras.buildArgLines({})).toEqual([]);
    expect(extras.buildArgLines(undefined)).toEqual([]);
  });

  test('build arguments become NAME=VALUE lines, in the order given', () => {
    expect(extras.buildArgLines({ NODE_ENV: 'production', GREETING: 'hello world' })).toEqual(['NODE_ENV=production', 'GREETING=hello world']);
  });

  test('build secrets become variables read from the secrets context, and ID=VARIABLE lines', () => {
    expect(extras.buildSecrets({ npmrc: 'NPM_TOKEN', gh: 'GITHUB_TOKEN' })).toStrictEqual({
      env: { NPM_TOKEN: '${{ secrets.NPM_TOKEN }}', GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}' },
      secretEnvs: ['npmrc=NPM_TOKEN', 'gh=GITHUB_TOKEN'],
    });
    expect(extras.buildSecrets(undefined)).toStrictEqual({ env: {}, secretEnvs: [] });
  });

  test('fails if a build secret is empty', () => {
    expect(() => extras.buildSecrets({ npmrc: '' })).toThrow(/^buildSecrets\.npmrc must be a non-empty single line, got ''$/);
    expect(() => extras.buildSecrets({ npmrc: 7 })).toThrow(/^buildSecrets\.npmrc must be a string, got 7$/);
    expect(extras.buildSecrets({ npmrc: 'N' }).secretEnvs).toEqual(['npmrc=N']);
  });

  test('fails if a build secret starts with GITHUB_, but not if it only contains it', () => {
    expect(() => extras.buildSecrets({ app: 'GITHUB_APP_KEY' })).toThrow(/^buildSecrets\.app must not start with 'GITHUB_', which GitHub reserves/);
    expect(extras.buildSecrets({ app: 'MY_GITHUB_APP_KEY' }).secretEnvs).toEqual(['app=MY_GITHUB_APP_KEY']);
    expect(extras.buildSecrets({ app: 'GITHUB' }).secretEnvs).toEqual(['app=GITHUB']);
  });

  test('fails if a build secret is named like any of the job\'s variables, which the message lists', () => {
    const rule = /must not be named like a variable of the job \(ECR_REPOSITORY, IMAGE_TAG, EXTRA_IMAGE_TAG\), which the build step reads/;
    expect(() => extras.buildSecrets({ t: 'EXTRA_IMAGE_TAG' })).toThrow(new RegExp(`^buildSecrets\\.t ${rule.source}, got 'EXTRA_IMAGE_TAG'$`));
    expect(() => extras.buildSecrets({ t: 'IMAGE_TAG' })).toThrow(new RegExp(`^buildSecrets\\.t ${rule.source}, got 'IMAGE_TAG'$`));
    expect(() => extras.buildSecrets({ r: 'ECR_REPOSITORY' })).toThrow(new RegExp(`^buildSecrets\\.r ${rule.source}, got 'ECR_REPOSITORY'$`));
    expect(extras.buildSecrets({ t: 'EXTRA_IMAGE_TAGS' }).secretEnvs).toEqual(['t=EXTRA_IMAGE_TAGS']);
  });

  test('a runner is one label, or the list of labels separated by commas, trimmed', () => {
    expect(extras.runner('runsOn', 'ubuntu-latest')).toBe('ubuntu-latest');
    expect(extras.runner('runsOn', ' ubuntu-latest ')).toBe('ubuntu-latest');
    expect(extras.runner('runsOn', 'self-hosted, linux ,x64')).toStrictEqual(['self-hosted', 'linux', 'x64']);
  });

  test('fails if a runner contains an expression', () => {
    expect(() => extras.runner('runsOn', '${{ matrix.os }}'))
      .toThrow(/^runsOn must not contain '\$\{\{': GitHub would evaluate it as an expression in the workflow, got '\$\{\{ matrix\.os \}\}'$/);
    expect(() => extras.runner('environmentRunsOn.dev', 'linux,${{ vars.RUNNER }}')).toThrow(/^environmentRunsOn\.dev must not contain '\$\{\{'/);
    expect(extras.runner('runsOn', '${ vars.RUNNER }')).toBe('${ vars.RUNNER }');
  });

  test('platforms are OS/ARCH[/VARIANT] names separated by commas, trimmed', () => {
    expect(extras.platformList(undefined)).toEqual([]);
    expect(extras.platformList('linux/amd64')).toEqual(['linux/amd64']);
    expect(extras.platformList('linux/amd64, linux/arm64 ,linux/arm/v7')).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    expect(extras.platformList('linux/arm64/v8,windows/amd64,linux/mips64_le')).toEqual(['linux/arm64/v8', 'windows/amd64', 'linux/mips64_le']);
  });

  test('fails if platforms is empty or not text', () => {
    expect(() => extras.platformList('')).toThrow(/^platforms must be a non-empty single line, got ''$/);
    expect(() => extras.platformList(['linux/amd64'])).toThrow(/^platforms must be a string, got \["linux\/amd64"\]$/);
    expect(extras.platformList('linux/amd64')).toEqual(['linux/amd64']);
  });

  test('fails if a platform is not OS/ARCH or OS/ARCH/VARIANT', () => {
    const rule = 'must be platforms such as \'linux/amd64,linux/arm64\' \\(OS/ARCH or OS/ARCH/VARIANT, separated by commas\\)';
    expect(() => extras.platformList('linux')).toThrow(new RegExp(`^platforms ${rule}, not 'linux', got 'linux'$`));
    expect(() => extras.platformList('linux/amd64,Linux/arm64')).toThrow(new RegExp(`^platforms ${rule}, not 'Linux/arm64', got 'linux/amd64,Linux/arm64'$`));
    expect(() => extras.platformList('linux/arm64/v8/x')).toThrow(new RegExp(`^platforms ${rule}, not 'linux/arm64/v8/x'`));
    expect(() => extras.platformList('linux/amd64-v2')).toThrow(new RegExp(`^platforms ${rule}, not 'linux/amd64-v2'`));
    expect(() => extras.platformList('linux/arm/')).toThrow(new RegExp(`^platforms ${rule}, not 'linux/arm/'`));
    expect(() => extras.platformList('linux/amd64,')).toThrow(new RegExp(`^platforms ${rule}, not '', got 'linux/amd64,'$`));
    expect(extras.platformList('linux/arm/v7')).toEqual(['linux/arm/v7']);
  });

  test('fails if a platform is named twice', () => {
    expect(() => extras.platformList('linux/amd64,linux/arm64, linux/amd64'))
      .toThrow(/^platforms must name each platform once, not 'linux\/amd64' twice, got 'linux\/amd64,linux\/arm64, linux\/amd64'$/);
    expect(() => extras.platformList('linux/arm64,linux/arm64')).toThrow(/^platforms must name each platform once, not 'linux\/arm64' twice/);
    expect(extras.platformList('linux/arm64,linux/arm64/v8')).toEqual(['linux/arm64', 'linux/arm64/v8']);
  });

  test('steps render with their own fields only, under the workflow\'s names', () => {
    expect(extras.preBuildSteps(undefined, [])).toEqual([]);
    expect(extras.preBuildSteps([], [])).toEqual([]);
    expect(extras.preBuildSteps([
      { name: 'Test', run: 'npm ci\nnpm test' },
      { name: 'Lint', id: 'lint', run: 'npm run lint', shell: 'bash', workingDirectory: 'app', env: { CI: 'true' } },
      { name: 'Node', uses: 'actions/setup-node@v6.0.0', with: { 'node-version': '22' } },
      { name: 'Local', uses: './.github/actions/test', with: {}, env: {} },
    ], [])).toStrictEqual([
      { name: 'Test', run: 'npm ci\nnpm test' },
      { 'name': 'Lint', 'id': 'lint', 'shell': 'bash', 'working-directory': 'app', 'run': 'npm run lint', 'env': { CI: 'true' } },
      { name: 'Node', uses: 'actions/setup-node@v6.0.0', with: { 'node-version': '22' } },
      { name: 'Local', uses: './.github/actions/test' },
    ]);
  });

  test('a step renders in the job as given, after the checkout and before the role is assumed', () => {
    const pipeline = new GithubOidcEcrPipeline(new Stack(testApp(), 'S', { env: { region: 'eu-west-1' } }), 'Pipeline', {
      githubRepository: GITHUB,
      environments: [{ name: 'dev', branches: ['dev'] }],
    });
    const steps: any[] = parse(pipeline.renderWorkflow({
      preBuildSteps: [{ name: 'Test', run: 'npm test', workingDirectory: 'app', env: { CI: 'true' } }],
    })).jobs.dev.steps;
    expect(steps.map(s => s.name).slice(0, 3)).toEqual(['Check out the repository', 'Test', 'Assume the dev role']);
    expect(steps[1]).toStrictEqual({ 'name': 'Test', 'working-directory': 'app', 'run': 'npm test', 'env': { CI: 'true' } });
  });

  test('fails if a step is not an object', () => {
    expect(() => extras.preBuildSteps(['npm test'], [])).toThrow(/^preBuildSteps\[0\] must be a step, got 'npm test'$/);
    expect(() => extras.preBuildSteps([{ name: 'A', run: 'true' }, null], [])).toThrow(/^preBuildSteps\[1\] must be a step, got null$/);
    expect(extras.preBuildSteps([{ name: 'A', run: 'true' }], [])).toHaveLength(1);
  });

  test('fails if a step\'s field is empty', () => {
    const step = (fields: object) => () => extras.preBuildSteps([{ name: 'Test', ...fields }], []);
    expect(step({ id: '', run: 'true' })).toThrow(/^preBuildSteps\[0\]\.id must be a non-empty single line, got ''$/);
    expect(step({ uses: ' ' })).toThrow(/^preBuildSteps\[0\]\.uses must be a non-empty single line, got ' '$/);
    expect(step({ run: '' })).toThrow(/^preBuildSteps\[0\]\.run must be a non-empty text without control characters other than line breaks and tabs, got ''$/);
    expect(step({ run: 'true', shell: '' })).toThrow(/^preBuildSteps\[0\]\.shell must be a non-empty single line, got ''$/);
    expect(step({ run: 'true', workingDirectory: '' })).toThrow(/^preBuildSteps\[0\]\.workingDirectory must be a non-empty single line, got ''$/);
    expect(step({ run: 'true', shell: 'bash\n' })).toThrow(/^preBuildSteps\[0\]\.shell must be a non-empty single line/);
    expect(step({ run: 'true', workingDirectory: 'a\nb' })).toThrow(/^preBuildSteps\[0\]\.workingDirectory must be a non-empty single line/);
    expect(step({ run: 'true', id: 'a', shell: 'sh', workingDirectory: '.' })).not.toThrow();
  });

  test('a step\'s script may span lines, but holds no other control character', () => {
    const step = (run: string) => () => extras.preBuildSteps([{ name: 'Test', run }], []);
    expect(step('npm ci\n\tnpm test')).not.toThrow();
    expect(step('npm ci\rnpm test')).toThrow(/^preBuildSteps\[0\]\.run must be a non-empty text without control characters other than line breaks and tabs/);
  });

  test('fails if a step\'s id has a character after a valid start', () => {
    const step = (id: string) => () => extras.preBuildSteps([{ name: 'Test', id, run: 'true' }], []);
    expect(step('unit tests')).toThrow(/^preBuildSteps\[0\]\.id must be letters, digits, '_' or '-', starting with a letter or '_', got 'unit tests'$/);
    expect(step('unit.tests')).toThrow(/^preBuildSteps\[0\]\.id must be letters, digits/);
    expect(step('-unit')).toThrow(/^preBuildSteps\[0\]\.id must be letters, digits/);
    expect(step('_unit-tests_2')).not.toThrow();
  });

  test('a step\'s id must not be one of the reserved ones, which the message lists', () => {
    expect(() => extras.preBuildSteps([{ name: 'Test', id: 'build', run: 'true' }]))
      .toThrow(/^preBuildSteps\[0\]\.id must be unique among the job's steps \(taken: 'login-ecr', 'build'\), got 'build'$/);
    expect(() => extras.preBuildSteps([{ name: 'Test', id: 'build-linux-amd64', run: 'true' }], ['build-linux-amd64']))
      .toThrow(/^preBuildSteps\[0\]\.id must be unique among the job's steps \(taken: 'login-ecr', 'build', 'build-linux-amd64'\), got 'build-linux-amd64'$/);
    expect(extras.preBuildSteps([{ name: 'Test', id: 'build-linux-amd64', run: 'true' }])).toEqual([{ name: 'Test', id: 'build-linux-amd64', run: 'true' }]);
  });

  test('fails if a step\'s action is not the whole reference', () => {
    const uses = (ref: string) => () => extras.preBuildSteps([{ name: 'Test', uses: ref }], []);
    const rule = /^preBuildSteps\[0\]\.uses must be OWNER\/REPO\[\/PATH\]@REF with a 40-character commit SHA or a full release tag/;
    expect(uses('https://github.com/actions/setup-node@v6.0.0')).toThrow(rule);
    expect(uses(' actions/setup-node@v6.0.0')).toThrow(rule);
    expect(uses('actions/setup-node@v6.0.0-rc.1')).toThrow(rule);
    expect(uses('actions/setup-node@v6.0.0 ')).toThrow(rule);
    expect(uses('../shared/action')).toThrow(rule);
    expect(uses('./my action')).toThrow(rule);
    expect(uses('actions/setup-node@6.0.0')).not.toThrow();
    expect(uses('actions/setup-node@v10.11.12')).not.toThrow();
    expect(uses('./')).not.toThrow();
  });

  test('fails if a step with uses gives workingDirectory', () => {
    const step = (fields: object) => () => extras.preBuildSteps([{ name: 'Test', uses: 'actions/setup-node@v6.0.0', ...fields }], []);
    expect(step({ workingDirectory: 'app' })).toThrow(/^preBuildSteps\[0\] must not give shell or workingDirectory with uses: they apply to run, got 'Test'$/);
    expect(step({ shell: 'bash' })).toThrow(/^preBuildSteps\[0\] must not give shell or workingDirectory with uses: they apply to run, got 'Test'$/);
    expect(step({ with: { 'working-directory': 'app' } })).not.toThrow();
  });

  test('an empty list of extra permissions adds none', () => {
    expect(extras.jobPermissions(undefined)).toBeUndefined();
    expect(extras.jobPermissions([])).toBeUndefined();
  });

  test('extra permissions add to the workflow\'s own, with their reasons', () => {
    expect(extras.jobPermissions([{ scope: 'packages', access: 'read' }])).toStrictEqual({
      permissions: { 'id-token': 'write', 'contents': 'read', 'packages': 'read' },
      reasons: {},
    });
    expect(extras.jobPermissions([{ scope: 'contents', access: 'write', reason: 'the release step pushes a tag' }, { scope: 'issues', access: 'read', reason: 'reads labels' }])).toStrictEqual({
      permissions: { 'id-token': 'write', 'contents': 'write', 'issues': 'read' },
      reasons: { contents: 'the release step pushes a tag', issues: 'reads labels' },
    });
  });

  test('every scope that takes read and write in the schema and actionlint is accepted', () => {
    const scopes = [
      'actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'issues', 'packages', 'pages',
      'pull-requests', 'repository-projects', 'security-events', 'statuses',
    ];
    const granted = extras.jobPermissions(scopes.map(scope => ({ scope, access: 'write', reason: 'a step writes' })));
    expect(granted?.permissions).toEqual({ 'id-token': 'write', ...Object.fromEntries(scopes.map(scope => [scope, 'write'])) });
    expect(() => extras.jobPermissions([{ scope: 'models', access: 'read' }]))
      .toThrow(new RegExp(`^extraPermissions\\[0\\]\\.scope must be a GITHUB_TOKEN permission scope: ${scopes.join(', ')}, got 'models'$`));
  });

  test('fails if an extra permission is not an object, or its scope is empty', () => {
    expect(() => extras.jobPermissions(['packages'])).toThrow(/^extraPermissions\[0\] must be a permission, got 'packages'$/);
    expect(() => extras.jobPermissions([{ scope: 'packages', access: 'read' }, null])).toThrow(/^extraPermissions\[1\] must be a permission, got null$/);
    expect(() => extras.jobPermissions([{ scope: '', access: 'read' }])).toThrow(/^extraPermissions\[0\]\.scope must be a non-empty single line, got ''$/);
    expect(() => extras.jobPermissions([{ access: 'read' }])).toThrow(/^extraPermissions\[0\]\.scope must be a string, got undefined$/);
    expect(extras.jobPermissions([{ scope: 'packages', access: 'read' }])?.permissions.packages).toBe('read');
  });
});
