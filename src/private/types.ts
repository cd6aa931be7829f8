import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { fail } from './validation';
import type { PipelineEnvironmentProps } from '../environment';
import { GithubIssuer } from '../issuer';
import type { GithubOidcEcrPipelineProps } from '../pipeline';
import { GithubSubject } from '../subject';

/*
 * Shape checks for callers that bypass TypeScript: plain JavaScript, JSON-loaded props, and jsii
 * languages that pass null. Each refusal names the property, as the value checks do, instead of
 * a TypeError from deep inside aws-cdk-lib.
 */

type Kind = 'string' | 'boolean' | 'number' | 'object' | 'function';

/** `value` must be of `kind`, or undefined when `optional`. */
export function checkType(property: string, value: unknown, kind: Kind, optional: boolean): void {
  if (value === undefined && optional) return;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (actual !== kind) fail(property, value, `must be ${article(kind)}${optional ? ' or left out' : ''}, not ${article(actual)}`);
}

/** `value` must be an array of `kind`, or undefined when `optional`. */
export function checkArray(property: string, value: unknown, kind: Kind | undefined, optional: boolean): void {
  if (value === undefined && optional) return;
  if (!Array.isArray(value)) {
    const actual = value === null ? 'null' : typeof value;
    fail(property, value, `must be an array${optional ? ' or left out' : ''}, not ${article(actual)}${typeof value === 'string' ? ` (write [${JSON.stringify(value)}])` : ''}`);
  }
  if (kind !== undefined) value.forEach((item, i) => checkType(`${property}[${i}]`, item, kind, false));
}

/** `value` must pass `isInstance` (an `instanceof` test), or be undefined when `optional`. */
export function checkInstance(property: string, value: unknown, isInstance: (value: unknown) => boolean, name: string, optional: boolean): void {
  if (value === undefined && optional) return;
  if (!isInstance(value)) fail(property, value, `must be ${article(name)}${optional ? ' or left out' : ''}`);
}

function article(kind: string): string {
  if (kind === 'null' || kind === 'undefined') return kind;
  return /^[aeiou]/i.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** The shape of the pipeline's props and of each environment's, before any value is read. */
export function checkPipelinePropTypes(props: GithubOidcEcrPipelineProps): void {
  checkType('props', props, 'object', false);
  checkType('githubRepository', props.githubRepository, 'string', false);
  checkArray('environments', props.environments, undefined, false);
  for (const key of ['repositoryPrefix', 'githubOwnerId', 'githubRepositoryId', 'pinWorkflowFile'] as const) {
    checkType(key, props[key], 'string', true);
  }
  checkType('outputs', props.outputs, 'boolean', true);
  checkType('provider', props.provider, 'object', true);
  checkInstance('issuer', props.issuer, x => x instanceof GithubIssuer, 'GithubIssuer', true);
  props.environments.forEach((env, i) => checkEnvironmentPropTypes(`environments[${i}]`, env));
}

function checkEnvironmentPropTypes(path: string, env: PipelineEnvironmentProps): void {
  checkType(path, env, 'object', false);
  checkType(`${path}.name`, env.name, 'string', false);
  checkArray(`${path}.branches`, env.branches, 'string', true);
  checkArray(`${path}.subjects`, env.subjects, undefined, true);
  (env.subjects ?? []).forEach((subject, j) => checkInstance(`${path}.subjects[${j}]`, subject, x => x instanceof GithubSubject, 'GithubSubject (from GithubSubject.branch(), .tag(), ...)', false));
  checkArray(`${path}.mutableTags`, env.mutableTags, 'string', true);
  checkArray(`${path}.pullAccounts`, env.pullAccounts, 'string', true);
  checkArray(`${path}.lifecycleRules`, env.lifecycleRules, 'object', true);
  for (const key of ['repositoryName', 'roleName', 'imageTagMutability'] as const) checkType(`${path}.${key}`, env[key], 'string', true);
  checkType(`${path}.imageScanOnPush`, env.imageScanOnPush, 'boolean', true);
  checkType(`${path}.maxImageCount`, env.maxImageCount, 'number', true);
  for (const key of ['repository', 'encryptionKey', 'permissionsBoundary'] as const) checkType(`${path}.${key}`, env[key], 'object', true);
  checkInstance(`${path}.maxSessionDuration`, env.maxSessionDuration, x => x instanceof Duration, 'Duration', true);
  if (env.removalPolicy !== undefined && !Object.values(RemovalPolicy).includes(env.removalPolicy)) {
    fail(`${path}.removalPolicy`, env.removalPolicy, `must be one of RemovalPolicy ${Object.values(RemovalPolicy).join(', ')}`);
  }
}
