// @ts-check
/*
 * Lists the mutants a run left alive, with their place and what they changed, so each can be
 * killed by a test (or shown equivalent):
 *
 *   node scripts/mutation/survivors.mjs trust     (a run's name, as in run.mjs)
 */
import { readFileSync } from 'node:fs';

const name = process.argv[2];
if (!name) {
  console.error('usage: node scripts/mutation/survivors.mjs NAME');
  process.exit(2);
}
const report = JSON.parse(readFileSync(`reports/mutation/${name}.json`, 'utf-8'));
for (const [path, file] of Object.entries(report.files)) {
  const lines = /** @type {string} */ (file.source).split('\n');
  for (const m of /** @type {any[]} */ (file.mutants)) {
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    const { start, end } = m.location;
    const line = lines[start.line - 1];
    const mutated = start.line === end.line
      ? line.slice(0, start.column - 1) + m.replacement + line.slice(end.column - 1)
      : `${line.slice(0, start.column - 1)}${m.replacement} …`;
    console.log(`${path}:${start.line}:${start.column} ${m.status} ${m.mutatorName}`);
    console.log(`  - ${line.trim()}`);
    console.log(`  + ${mutated.trim()}`);
  }
}
