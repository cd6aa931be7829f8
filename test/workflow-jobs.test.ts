import { parseDocument } from 'yaml';
import { DEFAULT_ACTIONS } from '../src/private/actions';
import { CHANGES_JOB_ID, Job, ResolvedOptions, renderChangesJob, renderJob, toYaml } from '../src/private/workflow-jobs';

/*
 * src/private/workflow-jobs.ts on plain data: each job as rendered from what it needs, the
 * `changes` job, and the YAML with its comments and quotes. test/workflow.test.ts has the same
 * jobs as the construct writes them, checked by actionlint and GitHub's own parser.
 */

/** Each action as `OWNER/NAME@COMMIT`, with its release as the comment. */
const ACTIONS = Object.fromEntries(Object.entries(DEFAULT_ACTIONS).map(([key, action]) => [
  key, { ref: `${action.repository}@${action.commit}`, comment: ` ${action.release}` },
])) as unknown as ResolvedOptions['actions'];

function options(overrides: Partial<ResolvedOptions> = {}): ResolvedOptions {
  return {
    workflowName: 'Push images',
    fileName: 'push.yml',
    dockerfile: 'Dockerfile',
    buildContext: '.',
    actions: ACTIONS,
    layerCache: false,
    runsOn: 'ubuntu-latest',
    workflowDispatch: false,
    buildArgs: [],
    buildSecrets: { env: {}, secretEnvs: [] },
    preBuildSteps: [],
    platforms: [],
    timeoutMinutes: 30,
    supplyChain: { provenance: false, sbom: false },
    ...overrides,
  };
}

function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 'push-dev',
    name: 'dev',
    condition: 'github.ref == \'refs/heads/dev\'',
    roleToAssume: 'arn:aws:iam::111122223333:role/dev',
    ecrRepository: 'octo-dev',
    region: 'ap-northeast-1',
    runsOn: 'ubuntu-latest',
    ...overrides,
  };
}

type Step = Record<string, any>;

function stepsOf(rendered: Record<string, unknown>): Step[] {
  return rendered.steps as Step[];
}

function step(rendered: Record<string, unknown>, name: string): Step {
  const found = stepsOf(rendered).find(s => s.name === name);
  if (found === undefined) throw new Error(`no step '${name}' in ${stepsOf(rendered).map(s => s.name).join(', ')}`);
  return found;
}

describe('renderJob', () => {
  test('a job is named after its environment, and after its image when it builds one', () => {
    expect(renderJob(job(), options()).name).toBe('Push the dev image');
    expect(renderJob(job({ image: 'api' }), options()).name).toBe('Push the api image to dev');
  });

  test('needs is written only when the job waits for another', () => {
    expect(renderJob(job({ needs: 'changes' }), options()).needs).toBe('changes');
    expect(Object.keys(renderJob(job(), options()))).not.toContain('needs');
  });

  test('environment is written only when the role trusts a deployment environment', () => {
    expect(renderJob(job({ deploymentEnvironment: 'production' }), options()).environment).toBe('production');
    expect(Object.keys(renderJob(job(), options()))).not.toContain('environment');
  });

  test('the job\'s keys, in order, without a moving tag, an environment or extra permissions', () => {
    expect(Object.keys(renderJob(job(), options()))).toEqual(['name', 'if', 'runs-on', 'timeout-minutes', 'outputs', 'env', 'steps']);
  });

  test('EXTRA_IMAGE_TAG and the concurrency group come only with a moving tag', () => {
    // GIVEN
    const moving = renderJob(job(), options({ extraImageTag: 'latest' }));
    const fixed = renderJob(job(), options());

    // THEN
    expect(moving.env).toEqual({ ECR_REPOSITORY: 'octo-dev', IMAGE_TAG: '${{ github.sha }}', EXTRA_IMAGE_TAG: 'latest' });
    expect(moving.concurrency).toEqual({ 'group': 'cdk-github-oidc-ecr-push-dev', 'cancel-in-progress': false });
    expect(fixed.env).toStrictEqual({ ECR_REPOSITORY: 'octo-dev', IMAGE_TAG: '${{ github.sha }}' });
    expect(Object.keys(fixed)).not.toContain('concurrency');
  });

  test('the build step names a platform only when exactly one is given', () => {
    // GIVEN
    const one = renderJob(job(), options({ platforms: ['linux/arm64'] }));
    const none = renderJob(job(), options());

    // THEN
    expect(step(one, 'Build and push the image').with.platforms).toBe('linux/arm64');
    expect(Object.keys(step(none, 'Build and push the image').with)).not.toContain('platforms');
    expect(Object.keys(step(none, 'Build and push the image').with)).toEqual(['context', 'file', 'push', 'tags', 'provenance']);
  });

  test('the audience is passed to configure-aws-credentials only when it is not the default', () => {
    expect(step(renderJob(job({ audience: 'octo-audience' }), options()), 'Assume the dev role').with).toEqual({
      'role-to-assume': 'arn:aws:iam::111122223333:role/dev',
      'aws-region': 'ap-northeast-1',
      'audience': 'octo-audience',
    });
    expect(step(renderJob(job(), options()), 'Assume the dev role').with).toStrictEqual({
      'role-to-assume': 'arn:aws:iam::111122223333:role/dev',
      'aws-region': 'ap-northeast-1',
    });
  });

  test('with one platform or none, the SBOM describes the pushed image\'s digest', () => {
    for (const platforms of [[], ['linux/arm64']]) {
      // WHEN
      const rendered = renderJob(job(), options({ platforms, supplyChain: { provenance: false, sbom: true } }));

      // THEN
      expect(stepsOf(rendered).filter(s => String(s.name).startsWith('Generate the SBOM')).map(s => [s.name, s.with.image])).toEqual([
        ['Generate the SBOM', '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}@${{ steps.build.outputs.digest }}'],
      ]);
    }
  });

  test('with several platforms, one SBOM for each platform\'s image digest, and provenance for the index', () => {
    // WHEN
    const rendered = renderJob(job(), options({ platforms: ['linux/amd64', 'linux/arm/v7'], supplyChain: { provenance: true, sbom: true } }));

    // THEN
    const registry = '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}';
    expect(stepsOf(rendered).filter(s => String(s.name).startsWith('Generate the SBOM')).map(s => [s.name, s.with.image])).toEqual([
      ['Generate the SBOM of the linux/amd64 image', `${registry}@\${{ steps.build-linux-amd64.outputs.digest }}`],
      ['Generate the SBOM of the linux/arm/v7 image', `${registry}@\${{ steps.build-linux-arm-v7.outputs.digest }}`],
    ]);
    expect(step(rendered, 'Attest the build provenance').with['subject-digest']).toBe('${{ steps.build.outputs.digest }}');
  });
});

describe('renderJob for a job that calls a central reusable workflow', () => {
  const CENTRAL = 'octo-org/platform/.github/workflows/push.yml@refs/heads/main';

  test('the job calls the workflow with the role, region and repository, and runs no steps of its own', () => {
    expect(renderJob(job({ calls: CENTRAL }), options({ extraImageTag: 'latest' }))).toStrictEqual({
      name: 'Push the dev image',
      if: 'github.ref == \'refs/heads/dev\'',
      uses: CENTRAL,
      with: {
        'role-to-assume': 'arn:aws:iam::111122223333:role/dev',
        'aws-region': 'ap-northeast-1',
        'ecr-repository': 'octo-dev',
      },
    });
  });

  test('a deployment environment and an audience are inputs of the called workflow, not keys of the job', () => {
    // WHEN
    const rendered = renderJob(job({ calls: CENTRAL, needs: 'changes', deploymentEnvironment: 'production', audience: 'octo-audience' }), options());

    // THEN
    expect(rendered).toEqual({
      name: 'Push the dev image',
      needs: 'changes',
      if: 'github.ref == \'refs/heads/dev\'',
      uses: CENTRAL,
      with: {
        'role-to-assume': 'arn:aws:iam::111122223333:role/dev',
        'aws-region': 'ap-northeast-1',
        'ecr-repository': 'octo-dev',
        'environment': 'production',
        'audience': 'octo-audience',
      },
    });
  });
});

describe('renderChangesJob', () => {
  test('the changes job\'s id is \'changes\'', () => {
    expect(CHANGES_JOB_ID).toBe('changes');
  });

  test('reads the repository only, and has one output per image from the paths filter', () => {
    // WHEN
    const rendered = renderChangesJob([
      { name: 'api', paths: ['services/api/**'] },
      { name: 'web', paths: ['services/web/**', 'shared/**'] },
    ], options({ runsOn: ['self-hosted', 'linux'], timeoutMinutes: 12 }));

    // THEN
    expect(rendered).toEqual({
      'name': 'Detect the images whose paths changed',
      'runs-on': ['self-hosted', 'linux'],
      'timeout-minutes': 12,
      'permissions': { contents: 'read' },
      'outputs': {
        api: '${{ steps.filter.outputs.api }}',
        web: '${{ steps.filter.outputs.web }}',
      },
      'steps': [
        { name: 'Check out the repository', uses: ACTIONS.checkout.ref },
        {
          name: 'Compare with the branch\'s previous commit',
          id: 'filter',
          uses: ACTIONS.pathsFilter.ref,
          with: {
            base: '${{ github.ref }}',
            filters: 'api:\n  - services/api/**\nweb:\n  - services/web/**\n  - shared/**\n',
          },
        },
      ],
    });
  });

  test('a long path is written on one line of the filters, never folded', () => {
    const path = `services/${'a long folder name '.repeat(8)}/**`;
    expect((renderChangesJob([{ name: 'api', paths: [path] }], options()).steps as Step[])[1].with.filters).toBe(`api:\n  - ${path}\n`);
  });
});

describe('toYaml', () => {
  /** A workflow with a job whose permissions include `attestations`, and the same key elsewhere. */
  function workflow(): Record<string, unknown> {
    return {
      name: 'Push images',
      on: { push: { branches: ['main'] } },
      permissions: { 'id-token': 'write', 'contents': 'read', 'attestations': 'write' },
      jobs: {
        push: {
          'permissions': { 'id-token': 'write', 'contents': 'read', 'attestations': 'write' },
          'env': { attestations: 'write', CHECKOUT: ACTIONS.checkout.ref },
          'runs-on': 'ubuntu-latest',
          'steps': [
            { uses: ACTIONS.checkout.ref },
            { uses: 'octo-org/unpinned@v1' },
            { run: 'echo', with: { permissions: 'on', flag: 'yes', count: 1, enabled: true, nothing: null, words: 'no way' } },
          ],
        },
      },
    };
  }
  const PERMISSIONS = { permissions: { 'id-token': 'write', 'contents': 'read', 'attestations': 'write' }, reasons: { attestations: 'to store attestations' } };

  function lines(yaml: string, pattern: RegExp): string[] {
    return yaml.split('\n').filter(line => pattern.test(line)).map(line => line.trim());
  }

  test('writes the header, and the release beside each pinned action\'s uses: only', () => {
    // WHEN
    const yaml = toYaml(workflow(), ' Generated', options({ permissions: PERMISSIONS }));

    // THEN
    expect(yaml.startsWith('# Generated\n')).toBe(true);
    expect(lines(yaml, /uses:/)).toEqual([
      `- uses: ${ACTIONS.checkout.ref} # ${DEFAULT_ACTIONS.checkout.release}`,
      '- uses: octo-org/unpinned@v1',
    ]);
    // The same text under another key is not an action.
    expect(lines(yaml, /CHECKOUT:/)).toEqual([`CHECKOUT: ${ACTIONS.checkout.ref}`]);
  });

  test('writes a reason beside a job\'s extra permission only, not the workflow\'s or another key of the same name', () => {
    // WHEN
    const yaml = toYaml(workflow(), ' Generated', options({ permissions: PERMISSIONS }));

    // THEN
    expect(lines(yaml, /attestations:/)).toEqual([
      'attestations: write',
      'attestations: write # to store attestations',
      'attestations: write',
    ]);
    // A permission without a reason gets no comment.
    expect(lines(yaml, /id-token:/)).toEqual(['id-token: write', 'id-token: write']);
  });

  test('without extra permissions, no reason is written', () => {
    const yaml = toYaml(workflow(), ' Generated', options());
    expect(lines(yaml, /#/)).toEqual(['# Generated', `- uses: ${ACTIONS.checkout.ref} # ${DEFAULT_ACTIONS.checkout.release}`]);
  });

  test('quotes a value a YAML 1.1 reader would take for a boolean, never a key, and reads back the same', () => {
    // WHEN
    const yaml = toYaml(workflow(), ' Generated', options());

    // THEN
    expect(lines(yaml, /^ *(on|flag|count|enabled|nothing|words):/)).toEqual([
      'on:',
      'flag: \'yes\'',
      'count: 1',
      'enabled: true',
      'nothing: null',
      'words: no way',
    ]);
    expect(lines(yaml, /permissions: /)).toEqual(['permissions: \'on\'']);
    expect(parseDocument(yaml).toJS()).toEqual(workflow());
  });

  test('each job has its own copy of a shared value, never a YAML alias', () => {
    // GIVEN
    const shared = { contents: 'read' };

    // WHEN
    const yaml = toYaml({ jobs: { a: { permissions: shared }, b: { permissions: shared } } }, ' Generated', options());

    // THEN
    expect(yaml).not.toMatch(/[&*]a\d/);
    expect(lines(yaml, /contents:/)).toEqual(['contents: read', 'contents: read']);
  });
});
