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

  project.addTask('example:monorepo', {
    description: 'Synthesize the monorepo example app (images api and web, dev and prod, amd64 and arm64) offline',
    cwd: 'example',
    exec: 'cdk synth --app "npx ts-node --transpile-only --project tsconfig.json monorepo.ts" --output cdk.out/monorepo --no-notices --no-version-reporting --quiet && ts-node --transpile-only --project tsconfig.json summary.ts cdk.out/monorepo',
  });
  addDocsAndPackagingTasks(project);
  addLanguageTasks(project);
  addMutationTask(project);
}

/**
 * Mutation testing with StrykerJS (stryker.config.mjs, docs/mutation.md). Too slow for .ci/run.
 * `MUTATION_TESTS=test/subject.test.ts npx projen mutation --mutate src/subject.ts` measures one
 * file with its own tests; without MUTATION_TESTS, jest finds the tests that import the file.
 * `npx projen mutation:all` measures every file with its own tests and prints the table.
 */
function addMutationTask(project: awscdk.AwsCdkConstructLibrary): void {
  project.addTask('mutation', {
    description: 'Mutation testing with StrykerJS; --mutate FILES and MUTATION_TESTS=FILES narrow it (docs/mutation.md)',
    exec: 'stryker run',
    receiveArgs: true,
  });
  project.addTask('mutation:all', {
    description: 'Every src file with its own tests, one incremental StrykerJS run each, then the per-file table (scripts/mutation/run.mjs; names narrow it)',
    exec: 'node scripts/mutation/run.mjs',
    receiveArgs: true,
  });
  project.gitignore.exclude('/reports/', '/.stryker-tmp/');
  project.npmignore?.exclude('/stryker.config.mjs', '/docs/');
}

/**
 * The seed scenario run for real in Python, Java and Go (example/<lang>/), and the README's
 * Python, Java and Go blocks, each compared with the TypeScript example's template and workflow.
 * One task per language, each generating its own bindings; `test:languages` generates all three
 * in one jsii-pacmak run (about a third faster) and shares them between its steps.
 */
function addLanguageTasks(project: awscdk.AwsCdkConstructLibrary): void {
  const languages = ['python', 'java', 'go'];
  for (const lang of languages) {
    project.addTask(`test:${lang}`, {
      description: `Run the example app and the README's ${lang} block in ${lang}, and compare them with the TypeScript example`,
      exec: `bash scripts/languages/run.sh ${lang}`,
    });
  }
  project.addTask('test:languages', {
    description: 'test:python, test:java and test:go, sharing one jsii-pacmak run',
    exec: `bash scripts/languages/run.sh ${languages.join(' ')}`,
  });
}

/** Compiled examples, offline packaging for every jsii language, and the newest-CDK check. */
function addDocsAndPackagingTasks(project: awscdk.AwsCdkConstructLibrary): void {
  // Every example in README.md and in the API docs must compile against rosetta/*.ts-fixture.
  // The old tablet goes first: rosetta reuses its entries as a cache, and a fixture change must
  // recompile every example.
  const rosetta = project.addTask('rosetta:extract', {
    description: 'Compile every README and API doc example with jsii-rosetta (strict)',
    exec: 'rm -f .jsii.tabl.json && jsii-rosetta extract --strict',
  });
  project.postCompileTask.spawn(rosetta);
  // Strict in the assembly too, so jsii-pacmak and Construct Hub also refuse a broken example.
  project.package.file.addOverride('jsii.metadata.jsii.rosetta.strict', true);
  project.gitignore.exclude('.jsii.tabl.json');

  // projen's package:<lang> tasks stay as they are for the release workflow, which has the
  // PyPI, Maven, NuGet and Go toolchains; this one needs only npm and Debian packages.
  project.addTask('package:all-offline', {
    description: 'npm tarball, Python wheel and sdist (checked), Java/.NET/Go sources; offline',
    exec: 'bash scripts/package-all-offline.sh',
  });

  // Build scripts and the README draft are not part of the npm package; rosetta/ is, so that
  // Construct Hub can compile the examples against the same fixtures.
  project.npmignore?.exclude('/scripts/', '/example/', '/bench/', '/.ci/');

  project.addTask('check:latest-cdk', {
    description: 'Synthesize the example against the newest aws-cdk-lib 2.x from npm (lockfile untouched)',
    exec: 'bash scripts/check-latest-cdk.sh',
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
}
