import { awscdk } from 'projen';

/** Tasks of this project that projen does not define itself. */
export function addProjectTasks(project: awscdk.AwsCdkConstructLibrary): void {
  const env = {
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
    CDK_DISABLE_VERSION_CHECK: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
  for (const [k, v] of Object.entries(env)) project.tasks.addEnvironment(k, v);

  project.addTask('example', {
    description: 'Synthesize the example app (the seed scenario) offline',
    cwd: 'example',
    exec: 'cdk synth --no-notices --no-version-reporting --quiet && ts-node --transpile-only --project tsconfig.json summary.ts',
  });

  project.addTask('example:multi-account', {
    description: 'Synthesize the multi-account example app (dev and prod in two accounts, one workflow) offline',
    cwd: 'example',
    exec: 'cdk synth --app "npx ts-node --transpile-only --project tsconfig.json multi-account.ts" --output cdk.out/multi-account --no-notices --no-version-reporting --quiet',
  });
}
