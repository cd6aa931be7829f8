import { App, BootstraplessSynthesizer, Stack } from 'aws-cdk-lib';
import { GithubOidcEcrPipeline } from '../src';

/** The accounts of the example: dev and prod apart, as AWS recommends. */
export const ACCOUNTS = { dev: '111111111111', prod: '222222222222' };

/**
 * The seed's repository with dev and prod in different AWS accounts: one stack, one provider and
 * one pipeline per account, and one workflow whose jobs each assume the role in their own account.
 * Fixed role names make the role ARNs literal in the workflow, so no GitHub variable is needed.
 */
export function buildMultiAccountApp(app: App = new App()): { app: App; stacks: Stack[]; pipelines: GithubOidcEcrPipeline[] } {
  const stacks: Stack[] = [];
  const pipelines = (['dev', 'prod'] as const).map(name => {
    const stack = new Stack(app, `PushImageToEcr-${name}`, {
      env: { account: ACCOUNTS[name], region: 'ap-northeast-1' },
      synthesizer: new BootstraplessSynthesizer(),
    });
    stacks.push(stack);
    return new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: 'shamimice03/push-image-to-ecr',
      repositoryPrefix: 'cloudterms',
      environments: [{ name, branches: [name === 'prod' ? 'main' : 'dev'], roleName: `cloudterms-push-${name}` }],
    });
  });
  return { app, stacks, pipelines };
}

if (require.main === module) {
  const { app, pipelines } = buildMultiAccountApp();
  const assembly = app.synth();
  // The workflow goes next to the templates; in an application repository, into .github/workflows.
  const file = GithubOidcEcrPipeline.writeMultiStackWorkflow(pipelines, assembly.directory);
  process.stderr.write(`Wrote ${file}\n`);
}
