// @ts-check
/*
 * StrykerJS, run by `npx projen mutation` (docs/mutation.md). Not part of .ci/run: too slow.
 *
 *   MUTATION_TESTS=test/subject.test.ts npx projen mutation --mutate src/subject.ts
 *
 * measures one source file with its own tests. `--mutate` (Stryker's own flag) takes a comma
 * separated list of files or globs; MUTATION_TESTS a comma or space separated list of test files.
 * Without MUTATION_TESTS, jest's findRelatedTests runs every test that imports a mutated file.
 * `--concurrency 2` runs two jest workers; the default, 1, suits a shared 2-core machine.
 */
const tests = (process.env.MUTATION_TESTS ?? '').split(/[\s,]+/).filter(Boolean);
// MUTATION_NAME names one run's reports, so runs of different files keep their results apart:
// reports/mutation/NAME.json and .html, and the incremental file reports/incremental/NAME.json.
const name = process.env.MUTATION_NAME ?? 'mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'jest',
  coverageAnalysis: 'perTest',
  // No typescript checker: it made src/private/text.ts take 20 minutes instead of 1 (docs/mutation.md).
  // Stryker marks the instrumented files @ts-nocheck, so a mutant that does not type-check still runs.
  mutate: ['src/**/*.ts', '!src/index.ts'],
  jest: {
    projectType: 'custom',
    enableFindRelatedTests: tests.length === 0,
    config: {
      collectCoverage: false,
      reporters: ['default'],
      ...(tests.length > 0 ? { testMatch: tests.map(file => `<rootDir>/${file}`) } : {}),
    },
  },
  concurrency: 1,
  // Synths are slow on a loaded machine; a mutant that loops forever still ends.
  timeoutMS: 10_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  // With --incremental, a later run reuses the results of mutants whose code and tests did not change.
  incrementalFile: `reports/incremental/${name}.json`,
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // What the tests never read: build output, packages, other runs' results.
  ignorePatterns: ['/lib', '/dist', '/coverage', '/test-reports', '/.ci-out', '/.languages', '/bench/.out', 'cdk.out', '/.jsii', '/.jsii.tabl.json'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

export default config;
