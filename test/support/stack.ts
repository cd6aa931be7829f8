import { App, BootstraplessSynthesizer, Stack, StackProps, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GithubOidcEcrPipeline, GithubOidcEcrPipelineProps } from '../../src';

/*
 * The stacks the tests build, and the values they share. Every app runs aws-cdk-lib's built-in
 * CloudFormation validator with its findings as errors, unless a test skips it on purpose.
 */

/** Context every test app runs with: the built-in CloudFormation validator turns findings into errors. */
export const VALIDATION_CONTEXT = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** The account and region of the stacks that pin them, so ARNs can be made concrete. */
export const ACCOUNT = '111122223333';
export const REGION = 'ap-northeast-1';

/** github.com's issuer, without `https://`: the prefix of its condition keys. */
export const ISSUER = 'token.actions.githubusercontent.com';
export const PROVIDER_ARN = providerArnFor(ISSUER);

/** The ARN of the provider for an issuer (host and path) in the test account. */
export function providerArnFor(issuer: string): string {
  return `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}`;
}

/** An app with the built-in validator's findings as errors, and more context if given. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...VALIDATION_CONTEXT, ...context } });
}

/** A stack in its own app, with the built-in validator's findings as errors. */
export function newStack(props: StackProps = {}): Stack {
  return new Stack(testApp(), 'TestStack', props);
}

/** A stack like the example's: pinned account and region, no bootstrap. */
export function newTestStack(): { app: App; stack: Stack } {
  const app = testApp();
  const stack = new Stack(app, 'Test', {
    env: { account: ACCOUNT, region: REGION },
    synthesizer: new BootstraplessSynthesizer(),
  });
  return { app, stack };
}

/**
 * A stack in a Stage, whose synth (Template.fromStack) skips the built-in validator: for tests of
 * large stacks, where the validator costs seconds per synth and checks nothing the test measures.
 */
export function unvalidatedStack(context?: Record<string, unknown>): { app: App; stack: Stack } {
  const app = new App({ context });
  const stack = new Stack(new Stage(app, 'Stage'), 'Stack');
  return { app, stack };
}

/** The smallest valid props, with overrides. */
export function pipelineProps(overrides: Partial<GithubOidcEcrPipelineProps> = {}): GithubOidcEcrPipelineProps {
  return {
    githubRepository: 'octo-org/octo-repo',
    environments: [{ name: 'dev', branches: ['dev'] }],
    ...overrides,
  };
}

/** Build a pipeline in a fresh stack and synthesize it. */
export function synthPipeline(overrides: Partial<GithubOidcEcrPipelineProps> = {}, stackProps: StackProps = {}) {
  const stack = newStack(stackProps);
  const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps(overrides));
  return { stack, pipeline, template: Template.fromStack(stack) };
}

/** Expect the constructor to refuse the props with a message matching `message`. */
export function expectRefused(overrides: Partial<GithubOidcEcrPipelineProps>, message: RegExp, stackProps: StackProps = {}): void {
  const stack = newStack(stackProps);
  expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps(overrides))).toThrow(message);
}

/** Expect the constructor to accept the props. */
export function expectAccepted(overrides: Partial<GithubOidcEcrPipelineProps>, stackProps: StackProps = {}): void {
  const stack = newStack(stackProps);
  expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps(overrides))).not.toThrow();
}

/** The AssumeRolePolicyDocument statements of the only role in a template. */
export function trustStatements(template: Template): any[] {
  const roles = Object.values(template.findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return (roles[0] as any).Properties.AssumeRolePolicyDocument.Statement;
}
