import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * The tests leave nothing behind in the temporary directory: a test file's cdk.outXXXX folders
 * (one per synthesized App) go into a directory of its own, removed after its tests
 * (test/support/temp-dir.ts). Shown on a real jest run in a child process, with a temporary
 * directory of its own to look into afterwards.
 */

const ROOT = path.join(__dirname, '..');

test('a test file that synthesizes leaves no cdk.out folder or directory of its own in the temporary directory', () => {
  // GIVEN an empty temporary directory for the child jest (its own cache goes there too)
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hygiene-'));
  // WHEN jest runs the test that synthesizes an App without outdir
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '--coverage=false',
    'test/pipeline.test.ts', '-t', 'an App without outdir synthesizes'], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' });
  // THEN that test ran and passed (it asserts that the assembly was in the file's own directory)
  expect(run.status).toBe(0);
  expect(run.stderr).toMatch(/Tests: +\d+ skipped, 1 passed/);
  // and nothing of it is left (with the removal in temp-dir.ts taken out, its directory stays here)
  expect(fs.readdirSync(tmp).filter(name => /^(cdk\.out|cdk-github-oidc-ecr-test-)/.test(name))).toEqual([]);
}, 300_000);
