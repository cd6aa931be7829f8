import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '..');
const python = '/usr/bin/python3';
const wheelDir = join(root, 'dist', 'python');
const wheels = existsSync(wheelDir) ? readdirSync(wheelDir).filter(f => f.endsWith('.whl')) : [];

describe('Construct Hub metadata', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));

  test('package.json has the keywords Construct Hub and npm search use', () => {
    expect(pkg.keywords).toEqual(expect.arrayContaining(['cdk', 'awscdk', 'aws-cdk', 'github', 'oidc', 'ecr', 'github-actions']));
  });

  test('package.json describes the library in one line', () => {
    expect(pkg.description).toMatch(/GitHub Actions.*ECR/);
    expect(pkg.description).not.toMatch(/\n/);
  });

  test('the rosetta fixture that README and API examples compile against exists', () => {
    expect(readFileSync(join(root, 'rosetta', 'default.ts-fixture'), 'utf-8')).toContain('/// here');
  });
});

// The wheel exists only after `npx projen package:all-offline`, which runs the same check itself,
// so CI always checks it; here the test runs when a wheel is present.
const skipReason = wheels.length === 0
  ? 'no wheel in dist/python; run `npx projen package:all-offline` to build and check it'
  : !existsSync(python) ? `${python} (Debian python) is not installed` : undefined;

(skipReason ? describe.skip : describe)(`Python package${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  test('exposes GithubOidcEcrPipeline, GithubSubject, PipelineEnvironment and GithubActionsOidcProvider with snake_case props', () => {
    const result = spawnSync(python, [join(root, 'scripts', 'check_python_package.py'), join(wheelDir, wheels[0])], { encoding: 'utf-8' });
    expect(result.stdout + result.stderr).toMatch(/^OK: .*repository_prefix.*/m);
    expect(result.status).toBe(0);
  });
});
