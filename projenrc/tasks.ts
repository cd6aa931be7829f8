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
    exec: 'cdk synth --no-notices --no-version-reporting --quiet && ts-node --transpile-only --project ../test/tsconfig.json summary.ts',
  });

  // Synth cost and template economy against hand-written aws-cdk-lib; writes bench/results/.
  project.addTask('bench', {
    description: 'Benchmark synth cost and template economy against hand-written aws-cdk-lib (writes bench/results/)',
    steps: [
      { exec: 'tsc -p bench/tsconfig.json' },
      { exec: 'node bench/.out/bench/run.js' },
    ],
  });
  project.gitignore.exclude('/bench/.out/');
  project.addPackageIgnore('/bench/');
}
