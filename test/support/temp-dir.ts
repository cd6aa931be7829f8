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
 */
// The module object itself: an `import * as` namespace has only getters.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const os = require('os') as { tmpdir: () => string };
const original = os.tmpdir;
const directory = mkdtempSync(join(original(), 'cdk-github-oidc-ecr-test-'));
os.tmpdir = () => directory;
process.env.TMPDIR = directory;

afterAll(() => {
  os.tmpdir = original;
  rmSync(directory, { recursive: true, force: true });
});
