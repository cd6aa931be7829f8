// @ts-check
/*
 * Measures every file under src/ with its own tests, one StrykerJS run per file, and prints the
 * per-file table that docs/mutation.md publishes.
 *
 *   node scripts/mutation/run.mjs                 every file, then the table
 *   node scripts/mutation/run.mjs trust subject   only these runs (names below), then the table
 *   node scripts/mutation/run.mjs --table         only the table, from the reports already made
 *   node scripts/mutation/run.mjs trust --force   every mutant again, ignoring the incremental file
 *
 * Each run is incremental (reports/incremental/NAME.json): a mutant whose code and covering tests
 * did not change keeps its last result, so a second run after adding a test takes seconds.
 * `npx projen mutation:all` runs this script.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Each source file and the tests that are its own: the file named after it, and where its rules are tested. */
export const RUNS = [
  ['subject', 'src/subject.ts', ['test/subject.test.ts']],
  ['issuer', 'src/issuer.ts', ['test/issuer.test.ts']],
  ['provider', 'src/provider.ts', ['test/provider.test.ts']],
  // Much of environment.ts is the trust, images and upgrade behaviour an environment carries.
  ['environment', 'src/environment.ts', ['test/environment.test.ts', 'test/validation.test.ts', 'test/trust.test.ts', 'test/image.test.ts', 'test/upgrade.test.ts']],
  // The pipeline's rules across its environments are also tested with what they guard: claim keys
  // and overlaps with the trust, images, reusable workflows and explain, and the provider it is
  // given with the provider (measured 2026-12-03 with the first two only: 144 of 499 mutants had no
  // coverage, reached only by the others).
  ['pipeline', 'src/pipeline.ts', ['test/pipeline.test.ts', 'test/validation.test.ts', 'test/trust.test.ts', 'test/image.test.ts', 'test/reusable-workflow.test.ts', 'test/explain.test.ts', 'test/provider.test.ts']],
  ['image', 'src/image.ts', ['test/image.test.ts']],
  // The workflow's options are also tested where they are made: images, the central reusable
  // workflow, the build job's extras, the supply chain, and writing the file.
  ['workflow', 'src/workflow.ts', ['test/workflow.test.ts', 'test/workflow-options.test.ts', 'test/image.test.ts', 'test/reusable-workflow.test.ts', 'test/workflow-extras.test.ts', 'test/supply-chain.test.ts', 'test/write.test.ts']],
  ['workflow-patch', 'src/workflow-patch.ts', ['test/workflow-patch.test.ts']],
  ['reusable-workflow', 'src/reusable-workflow.ts', ['test/reusable-workflow.test.ts']],
  ['explain', 'src/explain.ts', ['test/explain.test.ts', 'test/explain-evaluator.test.ts']],
  ['cli', 'src/cli.ts', ['test/cli.test.ts']],
  ['supply-chain', 'src/supply-chain.ts', ['test/supply-chain.test.ts']],
  ['signing-configuration', 'src/signing-configuration.ts', ['test/supply-chain.test.ts', 'test/signing-configuration.test.ts']],
  ['trust', 'src/private/trust.ts', ['test/trust.test.ts']],
  ['validation', 'src/private/validation.ts', ['test/validation.test.ts']],
  ['types', 'src/private/types.ts', ['test/validation.test.ts']],
  ['expressions', 'src/private/expressions.ts', ['test/expressions.test.ts']],
  ['workflow-jobs', 'src/private/workflow-jobs.ts', ['test/workflow-jobs.test.ts', 'test/workflow.test.ts']],
  ['workflow-extras', 'src/private/workflow-extras.ts', ['test/workflow-extras.test.ts']],
  ['names', 'src/private/names.ts', ['test/names.test.ts']],
  ['glob', 'src/private/glob.ts', ['test/glob.test.ts']],
  ['limits', 'src/private/limits.ts', ['test/limits.test.ts']],
  ['private-supply-chain', 'src/private/supply-chain.ts', ['test/supply-chain.test.ts']],
  ['actions', 'src/private/actions.ts', ['test/actions.test.ts']],
  ['write', 'src/private/write.ts', ['test/write.test.ts']],
  ['constants', 'src/private/constants.ts', ['test/environment.test.ts', 'test/trust.test.ts']],
];

const args = process.argv.slice(2);
const tableOnly = args.includes('--table');
// --force runs every mutant again: an incremental run keeps a static mutant's (a module-level
// constant's) last result even when tests were added that would kill it.
const force = args.includes('--force');
const wanted = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--concurrency');
const unknown = wanted.filter(name => !RUNS.some(([n]) => n === name));
if (unknown.length > 0) {
  console.error(`unknown run(s): ${unknown.join(', ')}; known: ${RUNS.map(([n]) => n).join(', ')}`);
  process.exit(2);
}

if (!tableOnly) {
  for (const [name, source, tests] of RUNS) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    console.log(`\n== ${name}: ${source} with ${tests.join(', ')}`);
    const run = spawnSync('npx', ['stryker', 'run', '--mutate', source, '--incremental', ...(force ? ['--force'] : []), ...concurrency()], {
      stdio: 'inherit',
      env: { ...process.env, MUTATION_NAME: name, MUTATION_TESTS: tests.join(',') },
    });
    if (run.status !== 0) console.error(`${name}: stryker exited ${run.status}`);
  }
}
console.log(table());

function concurrency() {
  const i = process.argv.indexOf('--concurrency');
  return i > 0 ? ['--concurrency', process.argv[i + 1]] : [];
}

/** The markdown table: one row per source file, from its run's JSON report (mutation-testing-report-schema). */
function table() {
  const rows = ['| file | tests | mutants | killed | timeout | survived | no coverage | score |', '|---|---|---:|---:|---:|---:|---:|---:|'];
  let totalKilled = 0;
  let totalValid = 0;
  for (const [name, source, tests] of RUNS) {
    const file = `reports/mutation/${name}.json`;
    if (!existsSync(file)) {
      rows.push(`| \`${source}\` | ${tests.map(t => `\`${t}\``).join(', ')} | not measured | | | | | |`);
      continue;
    }
    const report = JSON.parse(readFileSync(file, 'utf-8'));
    const mutants = Object.values(report.files).flatMap(f => /** @type {any[]} */ (f.mutants));
    const count = (/** @type {string} */ status) => mutants.filter(m => m.status === status).length;
    const killed = count('Killed');
    const timeout = count('Timeout');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    const valid = killed + timeout + survived + noCoverage;
    totalKilled += killed + timeout;
    totalValid += valid;
    const score = valid === 0 ? 'no mutants' : `${(100 * (killed + timeout) / valid).toFixed(1)} %`;
    rows.push(`| \`${source}\` | ${tests.map(t => `\`${t}\``).join(', ')} | ${valid} | ${killed} | ${timeout} | ${survived} | ${noCoverage} | ${score} |`);
  }
  if (totalValid > 0) rows.push(`| all | | ${totalValid} | | | | | ${(100 * totalKilled / totalValid).toFixed(1)} % |`);
  return rows.join('\n');
}
