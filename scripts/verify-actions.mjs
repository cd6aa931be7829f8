#!/usr/bin/env node
// Checks every default action pin in src/private/actions.ts against the action's own repository:
// the release tag resolves to the pinned commit, its action.yml runs on the recorded Node version,
// and no newer full release exists.
//
//   node scripts/verify-actions.mjs                 # reads each repository from github.com
//   node scripts/verify-actions.mjs --mirrors DIR   # reads bare git dirs DIR/OWNER+NAME/repo instead
//
// Exits 1 and names the pin when a check fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = readFileSync(join(root, 'src/private/actions.ts'), 'utf8');
const PIN = /^\s*(\w+): \{ repository: '([^']+)', commit: '([0-9a-f]{40})', release: '([^']+)', runs: '([^']+)' \},$/gm;
const pins = [...source.matchAll(PIN)].map(([, key, repository, commit, release, runs]) => ({ key, repository, commit, release, runs }));
if (pins.length === 0) throw new Error('found no pin in src/private/actions.ts');

const mirrors = process.argv.indexOf('--mirrors') >= 0 ? process.argv[process.argv.indexOf('--mirrors') + 1] : undefined;
const git = (gitDir, ...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8' }).trim();
const semver = tag => tag.slice(1).split('.').map(Number);
const newer = (a, b) => { const [x, y] = [semver(a), semver(b)]; for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i]; return false; };

let failed = 0;
for (const pin of pins) {
  let gitDir = mirrors && join(mirrors, pin.repository.replace('/', '+'), 'repo');
  let scratch;
  if (!gitDir) {
    scratch = mkdtempSync(join(tmpdir(), 'verify-actions-'));
    gitDir = scratch;
    execFileSync('git', ['init', '--bare', '--quiet', gitDir]);
    git(gitDir, 'fetch', '--quiet', '--depth=1', `https://github.com/${pin.repository}.git`, `refs/tags/${pin.release}:refs/tags/${pin.release}`);
  }
  const problems = [];
  const tags = mirrors
    ? git(gitDir, 'tag', '--list').split('\n')
    : execFileSync('git', ['ls-remote', '--tags', '--refs', `https://github.com/${pin.repository}.git`], { encoding: 'utf8' })
      .split('\n').map(line => line.split('refs/tags/')[1]).filter(Boolean);
  const releases = tags.filter(tag => /^v\d+\.\d+\.\d+$/.test(tag));
  const newest = releases.reduce((a, b) => (newer(b, a) ? b : a), pin.release);
  if (newest !== pin.release) problems.push(`a newer release exists: ${newest}`);
  const commit = git(gitDir, 'rev-parse', `${pin.release}^{commit}`);
  if (commit !== pin.commit) problems.push(`${pin.release} is commit ${commit}, not ${pin.commit}`);
  let actionYml;
  for (const name of ['action.yml', 'action.yaml']) {
    try { actionYml = git(gitDir, 'show', `${pin.release}:${name}`); break; } catch { /* try the other name */ }
  }
  const using = /^runs:\s*\n(?:\s+.*\n)*?\s+using:\s*['"]?([\w-]+)/m.exec(actionYml ?? '')?.[1];
  if (using !== pin.runs) problems.push(`runs.using is ${using}, not ${pin.runs}`);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${pin.repository}@${pin.commit} # ${pin.release} (${using})${problems.map(p => `\n     ${p}`).join('')}`);
  if (problems.length > 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
