import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, PROVIDER_ARN, REGION } from './stack';

/*
 * Helpers shared by the security tests: synthesize through the public API and read what the
 * template says, not what the TypeScript meant.
 */

export type Json = any;

/** All resources of a type, by logical ID. */
export function resourcesOfType(template: Json, type: string): Record<string, Json> {
  return Object.fromEntries(Object.entries<Json>(template.Resources ?? {}).filter(([, r]) => r.Type === type));
}

/**
 * Replace every CloudFormation intrinsic that CDK left in a policy with a concrete value:
 * the provider reference (a `Ref`, or the partition-aware `Fn::Join` of `fromAccount`) becomes
 * `providerArn`, a repository's `Fn::GetAtt [.., Arn]` becomes its ARN in the test account.
 */
export function concretize(value: Json, template: Json, providerArn: string = PROVIDER_ARN): Json {
  if (Array.isArray(value)) return value.map(v => concretize(v, template, providerArn));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && value['Fn::GetAtt'][1] === 'Arn') {
    const resource = template.Resources[value['Fn::GetAtt'][0]];
    if (resource?.Type === 'AWS::ECR::Repository') return repositoryArn(resource.Properties.RepositoryName);
    throw new Error(`no concrete ARN for ${JSON.stringify(value)}`);
  }
  if (keys.length === 1 && keys[0] === 'Ref') {
    const resource = template.Resources[value.Ref];
    if (resource?.Type === 'AWS::IAM::OIDCProvider') return providerArn;
    throw new Error(`no concrete value for ${JSON.stringify(value)}`);
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const joined = JSON.stringify(value);
    if (joined.includes(':oidc-provider/')) return providerArn;
    // A literal ARN in the stack's partition, e.g. an imported signing profile's.
    const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT };
    const [separator, parts] = value['Fn::Join'];
    if (parts.every((p: Json) => typeof p === 'string' || (p?.Ref !== undefined && PSEUDO[p.Ref] !== undefined))) {
      return parts.map((p: Json) => typeof p === 'string' ? p : PSEUDO[p.Ref]).join(separator);
    }
    throw new Error(`no concrete value for ${joined}`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, concretize(v, template, providerArn)]));
}

/** The ARN of a repository in the test account and region. */
export function repositoryArn(name: string, account = ACCOUNT, region = REGION): string {
  return `arn:aws:ecr:${region}:${account}:repository/${name}`;
}

/** The trust policy of a role, with concrete ARNs. */
export function trustPolicyOf(template: Json, roleLogicalId: string, providerArn: string = PROVIDER_ARN): Json {
  return concretize(template.Resources[roleLogicalId].Properties.AssumeRolePolicyDocument, template, providerArn);
}

/** The inline policies of a role, with concrete ARNs. */
export function inlinePoliciesOf(template: Json, roleLogicalId: string): Array<{ name: string; policy: Json }> {
  return (template.Resources[roleLogicalId].Properties.Policies ?? []).map((p: Json) => ({
    name: p.PolicyName,
    policy: concretize(p.PolicyDocument, template),
  }));
}

/** Synthesize a stack into a template; aws-cdk-lib's validator runs and fails on errors. */
export function templateOf(stack: Stack): Json {
  return Template.fromStack(stack).toJSON();
}

/**
 * The template of a stack without synthesizing the app (no validator, a few ms): for the
 * property tests, which build thousands of stacks.
 */
export function resolvedTemplateOf(stack: Stack): Json {
  return stack.resolve((stack as any)._toCloudFormation());
}
