'use strict';
/*
 * jest's test environment, with aws-cdk-lib's CloudFormation validator engine built once per jest
 * worker instead of once per test file.
 *
 * aws-cdk-lib validates every synthesized App with `@aws/cloudformation-validate`'s RegoEngine.
 * It keeps one engine per module registry, and jest gives each test file a registry of its own, so
 * every test file compiled the engine's WebAssembly and rules again: 4 to 5 s of CPU and about
 * 400 MB each. This module is loaded once per worker (outside the test files' sandboxes), so its
 * engines outlive a test file. Each test file gets them through the global below, which
 * test/support/cfn-validate.ts (mapped in for `@aws/cloudformation-validate`) hands to aws-cdk-lib.
 * Every synth still runs the engine on its templates, only the engine is not rebuilt.
 *
 * It also hands the test files the workflow checker's thread (workflow-checker-thread.js), for
 * the same reason: started once per worker, it outlives a test file.
 *
 * Plain JavaScript: StrykerJS's jest runner loads a custom environment with Node's `require`,
 * which has no TypeScript transform.
 */
const { createRequire } = require('module');
const { TestEnvironment } = require('jest-environment-node');
const workflowChecker = require('./workflow-checker-thread');

/** Where test/support/cfn-validate.ts finds the shared module. */
const GLOBAL_NAME = '__cdkGithubOidcEcrCfnValidate';

let module_;
/** aws-cdk-lib's own copy of the validator, loaded on first use (a test file that never synthesizes an App pays nothing). */
function validatorModule() {
  module_ ??= createRequire(require.resolve('aws-cdk-lib'))('@aws/cloudformation-validate');
  return module_;
}

/** One engine per configuration (aws-cdk-lib asks for `{}`), for the whole worker. */
const engines = new Map();
function sharedEngine(config) {
  const key = JSON.stringify(config ?? {});
  let engine = engines.get(key);
  if (engine === undefined) {
    const inner = new (validatorModule().RegoEngine)(config);
    engine = {
      validateStandard: (template, options) => inner.validateStandard(template, options),
      validateDetailed: (template, options) => inner.validateDetailed(template, options),
      listRules: () => inner.listRules(),
      engineName: () => inner.engineName(),
      // Shared by every later test file of this worker, so a test cannot free it.
      free: () => undefined,
    };
    engines.set(key, engine);
  }
  return engine;
}

/** `@aws/cloudformation-validate` as the test files see it: its RegoEngine is the shared one, the rest is the module's own. */
const shared = new Proxy({}, {
  get(_target, property) {
    if (property === 'RegoEngine') {
      // Called with `new`: a constructor that returns an object yields that object.
      return function RegoEngine(config) { return sharedEngine(config); };
    }
    return validatorModule()[property];
  },
});

class SharedValidatorEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global[GLOBAL_NAME] = shared;
    // test/support/workflow-check.ts's checkWorkflows.
    this.global.__cdkGithubOidcEcrCheckWorkflows = workflowChecker.check;
  }
}

module.exports = SharedValidatorEnvironment;
