import { CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** CloudFormation's quota of resources per stack (aws-cdk-lib's `@aws-cdk/core:stackResourceLimit` can change it). */
export const STACK_RESOURCE_LIMIT = 500;

/** CloudFormation's quota of outputs per stack. */
export const STACK_OUTPUT_LIMIT = 200;

const RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';
/**
 * What is over CloudFormation's resource or output quota in this stack, one message each, in
 * terms of the pipelines' environments (`isEnvironment` tells them); empty when it fits.
 * aws-cdk-lib's own check only reports the resource count by type, and nothing checks outputs
 * before the deploy fails. The pipeline checks it when it is built, and again at synth.
 */
export function stackLimitProblems(stack: Stack, isEnvironment: (c: IConstruct) => boolean): string[] {
  const own = (c: IConstruct) => Stack.of(c) === stack;
  const all = stack.node.findAll().filter(own);
  const environments = all.filter(isEnvironment);
  if (environments.length === 0) return [];

  const isResource = (c: IConstruct) => CfnResource.isCfnResource(c);
  const isOutput = (c: IConstruct) => c instanceof CfnOutput;
  const under = (env: IConstruct, test: (c: IConstruct) => boolean) => env.node.findAll().filter(c => test(c) && own(c)).length;
  const problems: string[] = [];
  // With images, each environment has one repository per image.
  const isRepository = (c: IConstruct) => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::ECR::Repository';
  const repositories = Math.max(...environments.map(env => under(env, isRepository)));

  const resourceLimit = resourceLimitOf(stack);
  const resources = all.filter(isResource).length;
  if (resourceLimit > 0 && resources > resourceLimit) {
    const envResources = environments.reduce((sum, env) => sum + under(env, isResource), 0);
    const perEnv = envResources / environments.length;
    const other = resources - envResources;
    const fit = Math.max(0, Math.floor((resourceLimit - other) / perEnv));
    problems.push(
      `environments: stack '${stack.node.path}' has ${resources} resources, over CloudFormation's limit of ${resourceLimit} per stack. `
      + `Each GithubOidcEcrPipeline environment adds ${round(perEnv)} (${repositories > 1 ? `its role and ${repositories} repositories` : 'its role and repository'}) and the stack holds ${other} other resources (such as the OIDC provider), `
      + `so one stack fits at most ${fit} environments, and this one has ${environments.length}. `
      + `Use one pipeline per stack, with at most ${fit} environments each, and in every stack but the first pass `
      + '`provider: GithubActionsOidcProvider.fromAccount(this, \'Provider\')`, because an account has only one GitHub Actions OIDC provider.',
    );
  }

  const outputs = all.filter(isOutput).length;
  const withOutputs = environments.filter(env => under(env, isOutput) > 0);
  if (outputs > STACK_OUTPUT_LIMIT && withOutputs.length > 0) {
    const envOutputs = withOutputs.reduce((sum, env) => sum + under(env, isOutput), 0);
    const perEnv = envOutputs / withOutputs.length;
    const other = outputs - envOutputs;
    const fit = Math.max(0, Math.floor((STACK_OUTPUT_LIMIT - other) / perEnv));
    problems.push(
      `outputs: stack '${stack.node.path}' has ${outputs} outputs, over CloudFormation's limit of ${STACK_OUTPUT_LIMIT} outputs per stack. `
      + `With \`outputs\` on (the default), each GithubOidcEcrPipeline environment adds ${round(perEnv)} (${repositories > 1 ? `its role ARN and ${repositories} repository URIs` : 'its role ARN and repository URI'}) and the stack holds ${other} other outputs, `
      + `so one stack fits at most ${fit} environments with outputs, and this one has ${withOutputs.length}. `
      + `Set \`outputs: false\` on the pipeline, or use one pipeline per stack, with at most ${fit} environments each.`,
    );
  }
  return problems;
}

function resourceLimitOf(stack: Stack): number {
  const context = stack.node.tryGetContext(RESOURCE_LIMIT_CONTEXT);
  return context === undefined ? STACK_RESOURCE_LIMIT : Number(context);
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
