import { Token } from 'aws-cdk-lib';
import { fail } from './validation';

/*
 * The options that add to each job: build arguments and secrets, steps before the build, runners
 * and permissions. Each is checked here and turned into the values the job renders.
 */

/** A step of `preBuildSteps` as the caller gave it, before any field is checked. */
interface StepInput {
  readonly name?: unknown;
  readonly id?: unknown;
  readonly run?: unknown;
  readonly shell?: unknown;
  readonly workingDirectory?: unknown;
  readonly uses?: unknown;
  readonly with?: unknown;
  readonly env?: unknown;
}

/** A permission of `extraPermissions` as the caller gave it, before any field is checked. */
interface PermissionInput {
  readonly scope?: unknown;
  readonly access?: unknown;
  readonly reason?: unknown;
}

/** Ids of the generated steps that later steps or job outputs read. */
export const LOGIN_STEP_ID = 'login-ecr';
export const BUILD_STEP_ID = 'build';

/** Variables of every job's `env:`, which a step's own variables must not shadow. */
export const JOB_VARIABLES = ['ECR_REPOSITORY', 'IMAGE_TAG', 'EXTRA_IMAGE_TAG'];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXPRESSION = /\$\{\{/;
const READS_SECRETS = /\$\{\{(?:(?!\}\}).)*\bsecrets\b/s;

/** A literal string; single-line unless `multiline`. */
export function checkText(property: string, value: unknown, multiline: boolean = false): asserts value is string {
  if (typeof value !== 'string') fail(property, value, 'must be a string');
  if (Token.isUnresolved(value)) fail(property, value, 'must be a literal, not a token resolved at deploy time');
  // eslint-disable-next-line no-control-regex
  const control = multiline ? /[\x00-\x08\x0b-\x1f\x7f]/ : /[\x00-\x1f\x7f]/;
  if (value.trim().length === 0 || control.test(value)) {
    fail(property, value, multiline ? 'must be a non-empty text without control characters other than line breaks and tabs' : 'must be a non-empty single line');
  }
}

function entries(property: string, value: unknown): Array<[string, unknown]> {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(property, value, 'must be a map of names to strings');
  return Object.entries(value);
}

/**
 * `runs-on`: one label, or a list when the value names several separated by commas.
 */
export function runner(property: string, value: unknown): string | string[] {
  checkText(property, value);
  if (value.includes('${{')) fail(property, value, 'must not contain \'${{\': GitHub would evaluate it as an expression in the workflow');
  const labels = value.split(',').map(label => label.trim());
  if (labels.some(label => label.length === 0)) fail(property, value, 'must be runner labels separated by commas, none of them empty');
  return labels.length === 1 ? labels[0] : labels;
}

/** `platforms`: `OS/ARCH[/VARIANT]` names, separated by commas. */
export function platformList(value: unknown): string[] {
  if (value === undefined) return [];
  checkText('platforms', value);
  const platforms = value.split(',').map(platform => platform.trim());
  for (const platform of platforms) {
    if (!/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/.test(platform)) {
      fail('platforms', value, `must be platforms such as 'linux/amd64,linux/arm64' (OS/ARCH or OS/ARCH/VARIANT, separated by commas), not '${platform}'`);
    }
  }
  const repeated = platforms.find((platform, i) => platforms.indexOf(platform) !== i);
  if (repeated !== undefined) fail('platforms', value, `must name each platform once, not '${repeated}' twice`);
  return platforms;
}

/** build-push-action's `build-args` lines. */
export function buildArgLines(buildArgs: unknown): string[] {
  return entries('buildArgs', buildArgs).map(([name, value]) => {
    if (!ENV_NAME.test(name)) fail('buildArgs', name, 'must have names of letters, digits and \'_\', not starting with a digit');
    checkText(`buildArgs.${name}`, value);
    if (READS_SECRETS.test(value)) {
      fail(`buildArgs.${name}`, value, 'must not read the secrets context: a build argument is kept in the image\'s history; give the secret in buildSecrets');
    }
    return `${name}=${value}`;
  });
}

/** The build step's variables holding the secrets, and its `secret-envs` lines. */
export interface BuildSecrets {
  readonly env: Record<string, string>;
  readonly secretEnvs: string[];
}

export function buildSecrets(value: unknown): BuildSecrets {
  const env: Record<string, string> = {};
  const secretEnvs = entries('buildSecrets', value).map(([id, secret]) => {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(id)) {
      fail('buildSecrets', id, 'must have ids of 1 to 64 letters, digits, \'_\', \'.\' or \'-\', not starting with \'.\' or \'-\'');
    }
    checkText(`buildSecrets.${id}`, secret);
    if (!ENV_NAME.test(secret)) {
      fail(`buildSecrets.${id}`, secret, 'must be the name of a GitHub secret: letters, digits and \'_\', not starting with a digit (the workflow writes ${{ secrets.NAME }}, never the value)');
    }
    if (/^GITHUB_/i.test(secret) && secret.toUpperCase() !== 'GITHUB_TOKEN') {
      fail(`buildSecrets.${id}`, secret, 'must not start with \'GITHUB_\', which GitHub reserves (GITHUB_TOKEN, the job\'s own token, is the one exception)');
    }
    if (JOB_VARIABLES.includes(secret.toUpperCase())) {
      fail(`buildSecrets.${id}`, secret, `must not be named like a variable of the job (${JOB_VARIABLES.join(', ')}), which the build step reads`);
    }
    env[secret] = `\${{ secrets.${secret} }}`;
    return `${id}=${secret}`;
  });
  return { env, secretEnvs };
}

/** The steps before the build, as the job renders them. */
export function preBuildSteps(value: unknown, reserved: string[] = []): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('preBuildSteps', value, 'must be a list of steps');
  const ids = new Set<string>([LOGIN_STEP_ID, BUILD_STEP_ID, ...reserved]);
  return value.map((step: StepInput, i) => {
    const at = `preBuildSteps[${i}]`;
    if (typeof step !== 'object' || step === null) fail(at, step, 'must be a step');
    checkText(`${at}.name`, step.name);
    const rendered: Record<string, unknown> = { name: step.name };
    if (step.id !== undefined) {
      checkText(`${at}.id`, step.id);
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step.id)) fail(`${at}.id`, step.id, 'must be letters, digits, \'_\' or \'-\', starting with a letter or \'_\'');
      if (ids.has(step.id)) fail(`${at}.id`, step.id, `must be unique among the job's steps (taken: ${[...ids].map(id => `'${id}'`).join(', ')})`);
      ids.add(step.id);
      rendered.id = step.id;
    }
    if ((step.run === undefined) === (step.uses === undefined)) {
      fail(at, step.name, 'must give exactly one of run and uses');
    }
    if (step.uses !== undefined) {
      checkText(`${at}.uses`, step.uses);
      const pinned = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+(?:\/[^@\s]+)?@(?:[0-9a-f]{40}|v?[0-9]+\.[0-9]+\.[0-9]+)$/.test(step.uses);
      if (!pinned && !/^\.\/\S*$/.test(step.uses)) {
        fail(`${at}.uses`, step.uses, 'must be OWNER/REPO[/PATH]@REF with a 40-character commit SHA or a full release tag such as \'v1.2.3\' as REF (a major tag such as \'v1\' moves), or a local action \'./PATH\'');
      }
      if (step.shell !== undefined || step.workingDirectory !== undefined) fail(at, step.name, 'must not give shell or workingDirectory with uses: they apply to run');
      rendered.uses = step.uses;
      const inputs = entries(`${at}.with`, step.with);
      for (const [input, text] of inputs) {
        if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(input)) fail(`${at}.with`, input, 'must have input names of letters, digits, \'_\' or \'-\'');
        checkText(`${at}.with.${input}`, text, true);
      }
      if (inputs.length > 0) rendered.with = Object.fromEntries(inputs);
    } else {
      checkText(`${at}.run`, step.run, true);
      if (EXPRESSION.test(step.run!)) {
        fail(`${at}.run`, step.run, 'must not contain an expression (${{ ... }}): a value spliced into a script can inject commands; pass it through env and read it as a shell variable');
      }
      if (step.with !== undefined) fail(at, step.name, 'must not give with without uses: it holds an action\'s inputs');
      if (step.shell !== undefined) {
        checkText(`${at}.shell`, step.shell);
        rendered.shell = step.shell;
      }
      if (step.workingDirectory !== undefined) {
        checkText(`${at}.workingDirectory`, step.workingDirectory);
        rendered['working-directory'] = step.workingDirectory;
      }
      rendered.run = step.run;
    }
    const variables = entries(`${at}.env`, step.env);
    for (const [name, text] of variables) {
      if (!ENV_NAME.test(name)) fail(`${at}.env`, name, 'must have variable names of letters, digits and \'_\', not starting with a digit');
      checkText(`${at}.env.${name}`, text, true);
    }
    if (variables.length > 0) rendered.env = Object.fromEntries(variables);
    return rendered;
  });
}

/**
 * The scopes that take `read` and `write` in both GitHub's workflow schema and actionlint (which
 * does not know the newer `artifact-metadata` and `models`); `id-token` is always `write`.
 */
const SCOPES = [
  'actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'issues', 'packages', 'pages',
  'pull-requests', 'repository-projects', 'security-events', 'statuses',
];

/** The workflow's own permissions, which every job has. */
export const BASE_PERMISSIONS: Readonly<Record<string, string>> = { 'id-token': 'write', 'contents': 'read' };

/** A job's permissions with the extra ones, and the reason for each scope that has one. */
export interface JobPermissions {
  readonly permissions: Record<string, string>;
  readonly reasons: Record<string, string>;
}

export function jobPermissions(value: unknown): JobPermissions | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail('extraPermissions', value, 'must be a list of permissions');
  if (value.length === 0) return undefined;
  const permissions: Record<string, string> = { ...BASE_PERMISSIONS };
  const reasons: Record<string, string> = {};
  const seen = new Set<string>();
  value.forEach((permission: PermissionInput, i) => {
    const at = `extraPermissions[${i}]`;
    if (typeof permission !== 'object' || permission === null) fail(at, permission, 'must be a permission');
    const { scope, access, reason } = permission;
    checkText(`${at}.scope`, scope);
    if (scope === 'id-token') fail(`${at}.scope`, scope, 'must not be id-token: the workflow already grants id-token: write, which the role needs');
    if (!SCOPES.includes(scope)) fail(`${at}.scope`, scope, `must be a GITHUB_TOKEN permission scope: ${SCOPES.join(', ')}`);
    if (seen.has(scope)) fail(`${at}.scope`, scope, 'must be given once');
    seen.add(scope);
    if (access !== 'read' && access !== 'write') fail(`${at}.access`, access, 'must be \'read\' or \'write\' (an extra permission only adds)');
    if (scope === 'contents' && access === 'read') fail(`${at}.access`, access, 'must be \'write\' for contents: every job already has contents: read');
    if (reason !== undefined) {
      checkText(`${at}.reason`, reason);
      reasons[scope] = reason;
    } else if (access === 'write') {
      fail(at, `${scope}: ${access}`, 'needs a reason, saying which step needs to write and why: the workflow\'s only write is otherwise id-token, and a write scope lets every step of the job write through the GITHUB_TOKEN');
    }
    permissions[scope] = access;
  });
  return { permissions, reasons };
}
