import { App, BootstraplessSynthesizer, Stack } from 'aws-cdk-lib';
import { GithubOidcEcrPipeline } from '../src';

/**
 * The seed's repository as a monorepo: two services, `api` and `web`, each with its own
 * Dockerfile and paths, pushed to dev and prod for amd64 and arm64. Each environment has one role
 * and one repository per image; each image's job runs only when its paths change (a tag push or
 * a manual run builds both).
 */
export function buildMonorepoApp(app: App = new App()): { app: App; stack: Stack; pipeline: GithubOidcEcrPipeline } {
  const stack = new Stack(app, 'PushImagesToEcr', {
    env: { region: 'ap-northeast-1' },
    synthesizer: new BootstraplessSynthesizer(),
  });
  const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
    githubRepository: 'shamimice03/push-image-to-ecr',
    repositoryPrefix: 'cloudterms',
    images: [
      { name: 'api', dockerfile: 'services/api/Dockerfile', buildContext: 'services/api', paths: ['services/api/**'] },
      { name: 'web', dockerfile: 'services/web/Dockerfile', buildContext: 'services/web', paths: ['services/web/**'] },
    ],
    environments: [
      { name: 'dev', branches: ['dev'] },
      { name: 'prod', branches: ['main'] },
    ],
  });
  return { app, stack, pipeline };
}

/** The workflow options of the example: both architectures, through QEMU. */
export const MONOREPO_WORKFLOW = { platforms: 'linux/amd64,linux/arm64' };

if (require.main === module) {
  const { app, pipeline } = buildMonorepoApp();
  const assembly = app.synth();
  // The workflow goes next to the template; in an application repository, into .github/workflows.
  pipeline.writeWorkflow(assembly.directory, MONOREPO_WORKFLOW);
}
