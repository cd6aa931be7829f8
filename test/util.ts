import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GithubOidcEcrPipeline, GithubOidcEcrPipelineProps } from '../src';

/** Context every test app runs with: the built-in CloudFormation validator turns findings into errors. */
export const TEST_CONTEXT = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** A stack in its own app, with the built-in validator's findings as errors. */
export function newStack(props: StackProps = {}): Stack {
  return new Stack(new App({ context: TEST_CONTEXT }), 'TestStack', props);
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
