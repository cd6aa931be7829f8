import { App, BootstraplessSynthesizer, Stack } from 'aws-cdk-lib';
import { GithubOidcEcrPipeline } from '../src';

/**
 * The seed scenario: shamimice03/push-image-to-ecr pushes `dev` to cloudterms-dev and `main` to
 * cloudterms-prod. The stack has no assets, so it needs no `cdk bootstrap`.
 */
export function buildExampleApp(app: App = new App()): { app: App; stack: Stack; pipeline: GithubOidcEcrPipeline } {
  const stack = new Stack(app, 'PushImageToEcr', {
    env: { region: 'ap-northeast-1' },
    synthesizer: new BootstraplessSynthesizer(),
  });
  const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
    githubRepository: 'shamimice03/push-image-to-ecr',
    repositoryPrefix: 'cloudterms',
    environments: [
      { name: 'dev', branches: ['dev'] },
      { name: 'prod', branches: ['main'] },
    ],
  });
  return { app, stack, pipeline };
}

if (require.main === module) {
  const { app, pipeline } = buildExampleApp();
  const assembly = app.synth();
  // The workflow goes next to the template; in an application repository, into .github/workflows.
  pipeline.writeWorkflow(assembly.directory);
}
