import { mkdtempSync, rmSync } from 'fs';
import { join } from 'path';

/*
 * Every test file gets a temporary directory of its own, removed after its tests: the cdk.outXXXX
 * folder aws-cdk-lib makes for each synthesized App, and the files the tests write, go there
 * instead of staying behind in the system's temporary directory.
 *
 * jest gives each test file a copy of process.env, but the real `os` module, which reads the real
 * environment; so os.tmpdir itself is replaced, before the test file loads aws-cdk-lib (which
 * reads it once per module registry, that is, once per test file), and restored afterwards.
 *
 * The real os.tmpdir and the directories made so far are kept on the `os` module, which outlives
 * the test files of a process: when a run stops before afterAll (jest's bail, as StrykerJS runs
 * jest hundreds of times in one process), the next test file still starts from the real
 * temporary directory, not inside the last one, and removes what the stopped one left.
 */
interface Os { tmpdir: () => string }
interface Kept { readonly tmpdir: () => string; readonly directories: Set<string> }
const KEPT = Symbol.for('cdk-github-oidc-ecr.test.tmpdir');

// The module object itself: an `import * as` namespace has only getters.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const os = require('os') as Os & { [KEPT]?: Kept };
const kept: Kept = os[KEPT] ??= { tmpdir: os.tmpdir, directories: new Set() };

// Test files of one process run one after another, so every directory still listed is a finished file's.
for (const stale of kept.directories) {
  rmSync(stale, { recursive: true, force: true });
  kept.directories.delete(stale);
}

const directory = mkdtempSync(join(kept.tmpdir(), 'cdk-github-oidc-ecr-test-'));
kept.directories.add(directory);
os.tmpdir = () => directory;
process.env.TMPDIR = directory;

afterAll(() => {
  os.tmpdir = kept.tmpdir;
  rmSync(directory, { recursive: true, force: true });
  kept.directories.delete(directory);
});
