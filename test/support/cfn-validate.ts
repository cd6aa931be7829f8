/*
 * `@aws/cloudformation-validate` inside a test file (jest's moduleNameMapper points the name here):
 * the module the test environment, test/support/shared-validator-environment.js, built once for
 * this jest worker, so aws-cdk-lib's validator does not compile its engine again in every file.
 */
const shared: unknown = (globalThis as Record<string, unknown>).__cdkGithubOidcEcrCfnValidate;
if (shared === undefined) {
  throw new Error('@aws/cloudformation-validate is mapped to test/support/cfn-validate.ts, which needs jest\'s testEnvironment test/support/shared-validator-environment.js');
}
export = shared;
