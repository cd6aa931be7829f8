import { Token } from 'aws-cdk-lib';
import { fail } from './private/validation';

/**
 * A change to the rendered workflow, addressed by a JSON Pointer (RFC 6901) into the workflow
 * as an object: `/jobs/dev/timeout-minutes`, `/jobs/prod/steps/0`, `/jobs/dev/steps/-` (after
 * the last step). `~1` stands for `/` in a key and `~0` for `~`.
 *
 * Give patches to `WorkflowOptions.patches`. A patch that would break a rule of the generated
 * workflow (its triggers, permissions, job conditions) is refused when the workflow is rendered.
 *
 * @example
 * declare const pipeline: GithubOidcEcrPipeline;
 * pipeline.renderWorkflow({
 *   patches: [
 *     WorkflowPatch.add('/jobs/dev/timeout-minutes', 15),
 *     WorkflowPatch.add('/concurrency', { 'group': 'push-image', 'cancel-in-progress': false }),
 *   ],
 * });
 */
export class WorkflowPatch {
  /**
   * Add a value: set the key of an object, or insert into an array before the index (`-`
   * appends). The parent must exist.
   *
   * @param path a JSON Pointer to the new value's place
   * @param value the value, of JSON types
   */
  public static add(path: string, value: any): WorkflowPatch {
    return new WorkflowPatch('add', path, value);
  }

  /**
   * Replace a value that exists.
   *
   * @param path a JSON Pointer to the value
   * @param value the new value, of JSON types
   */
  public static replace(path: string, value: any): WorkflowPatch {
    return new WorkflowPatch('replace', path, value);
  }

  /**
   * Remove a value that exists.
   *
   * @param path a JSON Pointer to the value
   */
  public static remove(path: string): WorkflowPatch {
    return new WorkflowPatch('remove', path, undefined);
  }

  /** `add`, `replace` or `remove`. */
  public readonly op: string;

  /** The JSON Pointer the patch applies to. */
  public readonly path: string;

  /**
   * The value added or put in place.
   *
   * @default - none, for `remove`
   */
  public readonly value?: any;

  private constructor(op: string, path: string, value: any) {
    this.op = op;
    this.path = path;
    this.value = value;
  }

  /** As `add /path` and the like, for error messages. */
  public toString(): string {
    return `${this.op} ${this.path}`;
  }
}

/*
 * WorkflowOptions.patches: JSON Pointer changes to the rendered workflow. After each patch the
 * workflow is checked against the rules of the generated one, so no patch can widen what a job
 * runs on or what its token may do.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Apply the patches to a copy of the workflow; throw naming the first patch that breaks a rule. */
export function applyPatches(workflow: Record<string, unknown>, patches: unknown): Record<string, unknown> {
  if (patches === undefined) return workflow;
  if (!Array.isArray(patches)) fail('patches', patches, 'must be a list of WorkflowPatch');
  // The rendered workflow is plain data, so its JSON copies are whole.
  const reference = JSON.parse(JSON.stringify(workflow)) as { [key: string]: Json };
  let patched: Json = JSON.parse(JSON.stringify(workflow));
  patches.forEach((patch: unknown, i) => {
    const at = `patches[${i}]`;
    if (!(patch instanceof WorkflowPatch)) fail(at, patch, 'must be made with WorkflowPatch.add, replace or remove');
    patched = applyOne(at, patched, patch);
    checkRules(at, patch, patched, reference);
  });
  return patched as Record<string, unknown>;
}

/** A patch's value as JSON: `JSON.stringify` gives undefined for undefined, a function or a symbol. */
function copy(at: string, value: unknown): Json {
  const text = JSON.stringify(value);
  if (text === undefined) fail(at, value, 'must have a value of JSON types');
  return JSON.parse(text);
}

function parsePointer(at: string, path: unknown): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    fail(`${at}.path`, path, 'must be a JSON Pointer into the workflow, starting with \'/\' (e.g. \'/jobs/dev/timeout-minutes\')');
  }
  if (/~(?![01])/.test(path)) fail(`${at}.path`, path, 'must write \'~\' as \'~0\' and \'/\' in a key as \'~1\'');
  return path.slice(1).split('/').map(token => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyOne(at: string, document: Json, patch: WorkflowPatch): Json {
  const tokens = parsePointer(at, patch.path);
  const last = tokens.pop()!;
  let parent: Json = document;
  tokens.forEach((token, depth) => {
    const child = childOf(parent, token);
    if (child === undefined) fail(`${at}.path`, patch.path, `names '${tokens.slice(0, depth + 1).join('/')}', which the workflow does not have`);
    parent = child;
  });
  const missing = (): never => fail(`${at}.path`, patch.path, `must name a value that exists to ${patch.op} it`);
  if (typeof parent !== 'object' || parent === null) fail(`${at}.path`, patch.path, 'must lead to an object or a list');
  if (Array.isArray(parent)) {
    const length = parent.length;
    // '-' is past the end, which only add may name (the limit below).
    const index = last === '-' ? length : /^(0|[1-9][0-9]*)$/.test(last) ? Number(last) : -1;
    const limit = patch.op === 'add' ? length : length - 1;
    if (index < 0 || index > limit) fail(`${at}.path`, patch.path, `must end in an index of the list (0 to ${limit}${patch.op === 'add' ? ', or \'-\' to append' : ''})`);
    if (patch.op === 'add') parent.splice(index, 0, copy(`${at}.value`, patch.value));
    else if (patch.op === 'replace') parent[index] = copy(`${at}.value`, patch.value);
    else parent.splice(index, 1);
  } else {
    const exists = Object.prototype.hasOwnProperty.call(parent, last);
    if (patch.op === 'add') parent[last] = copy(`${at}.value`, patch.value);
    else if (!exists) missing();
    else if (patch.op === 'replace') parent[last] = copy(`${at}.value`, patch.value);
    else delete parent[last];
  }
  return document;
}

function childOf(parent: Json, token: string): Json | undefined {
  if (Array.isArray(parent)) return /^(0|[1-9][0-9]*)$/.test(token) ? parent[Number(token)] : undefined;
  if (typeof parent === 'object' && parent !== null && Object.prototype.hasOwnProperty.call(parent, token)) return parent[token];
  return undefined;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function equal(a: Json | undefined, b: Json | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(key => Object.prototype.hasOwnProperty.call(b, key) && equal(a[key], b[key]));
  }
  return a === b;
}

function checkRules(at: string, patch: WorkflowPatch, patched: Json, reference: { [key: string]: Json }): void {
  const refuse: (rule: string) => never = rule => fail(at, patch.toString(), rule);
  if (!isObject(patched) || !isObject(patched.jobs)) refuse('must leave the workflow an object with jobs');
  const workflow = patched as { [key: string]: Json };
  const on = workflow.on;
  const events = isObject(on) ? Object.keys(on) : Array.isArray(on) ? on.map(String) : [String(on)];
  const forbidden = events.find(event => event === 'pull_request' || event === 'pull_request_target');
  if (forbidden) {
    refuse(`must not add the ${forbidden} trigger: a pull_request run's token has the sub repo:OWNER/REPO:pull_request, which the roles refuse, and pull_request_target runs a fork's code with the base repository's token and secrets`);
  }
  if (!equal(on, reference.on)) refuse('must not change the triggers (on): they admit exactly the refs the roles trust; change the environments\' branches and tags instead');
  if (!equal(workflow.permissions, reference.permissions)) {
    refuse('must not change the workflow\'s permissions (id-token: write, contents: read); give a step\'s extra permission in extraPermissions');
  }
  const jobs = workflow.jobs as { [key: string]: Json };
  const generated = reference.jobs as { [key: string]: Json };
  for (const [id, original] of Object.entries(generated)) {
    const job = jobs[id];
    if (!isObject(job) || !isObject(original)) refuse(`must not remove the job '${id}'; leave out its environment instead`);
    for (const key of ['if', 'needs', 'environment', 'permissions']) {
      if (!equal(job[key], original[key])) {
        refuse(`must not change ${key} of the job '${id}': the job must run exactly on the refs its role trusts, with the permissions the options give`);
      }
    }
  }
  for (const [id, job] of Object.entries(jobs)) {
    if (!isObject(job)) refuse(`must leave the job '${id}' an object`);
    if (!(id in generated)) checkAddedPermissions(refuse, id, job.permissions);
    // A job that calls a reusable workflow has no steps.
    if (Array.isArray(job.steps)) {
      job.steps.forEach((step, i) => {
        if (isObject(step) && typeof step.run === 'string' && /\$\{\{/.test(step.run)) {
          refuse(`must not put an expression into the run script of step ${i} of the job '${id}': pass the value through env and read it as a shell variable`);
        }
      });
    }
  }
  const token = findToken(workflow);
  if (token !== undefined) refuse(`must not write an unresolved CDK token into the workflow (at ${token}); give a literal value`);
}

function checkAddedPermissions(refuse: (rule: string) => never, id: string, permissions: Json | undefined): void {
  if (permissions === undefined || permissions === 'read-all' || permissions === null) return;
  if (!isObject(permissions)) refuse(`must not give the job '${id}' the permissions ${JSON.stringify(permissions)}: list scopes, with no write but id-token`);
  for (const [scope, access] of Object.entries(permissions)) {
    if (access === 'write' && scope !== 'id-token') {
      refuse(`must not give the job '${id}' ${scope}: write: the workflow's only write is id-token (extraPermissions gives a write, with a reason, to the generated jobs)`);
    }
  }
}

/** The JSON Pointer of the first unresolved token in the workflow (an object, so never the root). */
function findToken(value: Json, path: string = ''): string | undefined {
  if (typeof value === 'string') return Token.isUnresolved(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findToken(item, `${path}/${i}`);
      if (found !== undefined) return found;
    }
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findToken(item, `${path}/${key}`) ?? (Token.isUnresolved(key) ? `${path}/${key}` : undefined);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
