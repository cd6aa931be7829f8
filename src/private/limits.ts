import { CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/*
 * The AWS quotas the construct checks at synth time, where the deploy would otherwise fail: a
 * role's trust policy size, and CloudFormation's resources and outputs per stack.
 */

/** IAM's default quota for a role trust policy, in characters with whitespace removed. */
export const TRUST_POLICY_QUOTA = 2048;

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

/** The longest partition name, used when the provider ARN is a token. */
const LONGEST_PARTITION = 'aws-us-gov';

/**
 * The length of a trust policy as IAM counts it (whitespace removed), with every unresolved
 * value replaced by the longest provider ARN it can resolve to.
 */
export function estimateTrustPolicyLength(stack: Stack, document: iam.PolicyDocument, issuer: string): number {
  const longestArn = `arn:${LONGEST_PARTITION}:iam::123456789012:oidc-provider/${issuer}`;
  const concrete = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(concrete);
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return longestArn;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, concrete(v)]));
    }
    return value;
  };
  return JSON.stringify(concrete(stack.resolve(document.toJSON()))).length;
}

/**
 * The refusal of a trust policy over IAM's quota, with how to split it; none when it fits.
 * `path` and `name` name the environment, `subjects` counts what it trusts.
 */
export function trustPolicyQuotaProblem(
  stack: Stack, document: iam.PolicyDocument, issuer: string, path: string, name: string, subjects: number,
): string | undefined {
  const length = estimateTrustPolicyLength(stack, document, issuer);
  if (length <= TRUST_POLICY_QUOTA) return undefined;
  return `${path} ('${name}') has a trust policy of about ${length} characters, over IAM's default quota of ${TRUST_POLICY_QUOTA} (whitespace removed), with ${subjects} subjects. Split its subjects over two environments (each gets its own role and repository), or replace exact branches with one GithubSubject.branchPattern()`;
}
