import { Duration, Token } from 'aws-cdk-lib';

/*
 * Every check returns nothing or throws an Error whose message names the property, the value and
 * the rule. Values that are unresolved CDK tokens are not checked: they are only known at deploy time.
 */

/** Throw the construct's standard refusal. */
export function fail(property: string, value: unknown, rule: string): never {
  throw new Error(`${property} ${rule}, got ${quote(value)}`);
}

function quote(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Duration) return value.toString();
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    // A class instance by its class ('a Date'); a plain or prototype-less object as 'an object'.
    const name: unknown = value.constructor?.name;
    return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return JSON.stringify(value) ?? String(value);
}

function isToken(value: unknown): boolean {
  // Stryker disable next-line ConditionalExpression: equivalent for 'true && ...': every caller passes a string (types.ts checks the shapes first); the line's two other ConditionalExpression mutants, disabled with it, were killed in the first run (docs/mutation.md)
  return typeof value === 'string' && Token.isUnresolved(value);
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

/** Split and check a GitHub `owner/repo`. */
export function validateGithubRepository(property: string, value: string): { owner: string; repo: string } {
  if (isToken(value)) {
    fail(property, value, 'must be a literal GitHub \'owner/repo\', not a token resolved at deploy time');
  }
  // Forms copied from a browser or a clone command lock every workflow out: GitHub's sub names 'owner/repo' only.
  // A scheme's authority ([^/]+) takes any user:token@ before the host.
  const url = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/]+\/|git@[^:]+:|(?:www\.)?github\.com\/)(.*?)\/?$/i.exec(value);
  if (url) {
    fail(property, value, `must be the repository as 'owner/repo', not a URL or clone address: use '${url[1].replace(/\.git$/i, '')}'`);
  }
  if (/\.git$/i.test(value) && value.split('/').length === 2) {
    fail(property, value, `must not end in '.git', which GitHub's tokens never carry: use '${value.replace(/\.git$/i, '')}'`);
  }
  const parts = value.split('/');
  if (parts.length !== 2) {
    fail(property, value, 'must be a GitHub repository in the form \'owner/repo\'');
  }
  const [owner, repo] = parts;
  if (!OWNER.test(owner)) {
    fail(property, value, 'must have an owner of 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen');
  }
  if (!REPOSITORY.test(repo) || repo === '.' || repo === '..') {
    fail(property, value, 'must have a repository name of 1 to 100 letters, digits, \'.\', \'_\' or \'-\'');
  }
  return { owner, repo };
}

/** GitHub's numeric owner and repository IDs. */
export function validateNumericId(property: string, value: string | undefined): void {
  if (value === undefined || isToken(value)) return;
  if (!/^[1-9][0-9]{0,19}$/.test(value)) {
    fail(property, value, 'must be GitHub\'s numeric ID as a string of digits, e.g. \'123456789\'');
  }
}

/**
 * Branch and tag names, by git's check-ref-format rules, kept to what fits a trust policy.
 * With `pattern`, `*` is allowed and required; `?` never is, as IAM and GitHub read it differently.
 */
export function validateRefName(property: string, value: string, kind: 'branch' | 'tag', pattern: boolean): void {
  if (isToken(value)) return;
  const rule = (text: string) => fail(property, value, `must be a valid git ${kind} name${pattern ? ' pattern' : ''}: ${text}`);
  if (value.length === 0) rule('it is empty');
  if (value.length > 255) rule('it is longer than 255 characters');
  // GitHub's sub adds the prefix itself, so 'refs/heads/main' would trust refs/heads/refs/heads/main.
  const prefixed = /^refs\/(heads|tags)\/(.+)$/.exec(value);
  if (prefixed) rule(`give the name without 'refs/${prefixed[1]}/', which is added for you: use '${prefixed[2]}'`);
  if (value.includes('?')) rule('\'?\' is not allowed (IAM and GitHub read it differently); use \'*\' in a pattern');
  if (!pattern && value.includes('*')) {
    rule(`'*' is only allowed in GithubSubject.${kind}Pattern(), the explicit way to trust many ${kind === 'branch' ? 'branches' : 'tags'}`);
  }
  if (value.includes('${')) {
    rule('it contains \'${\', which IAM reads as a policy variable in the trust policy and GitHub as the start of an expression (\'${{\') in the workflow');
  }
  // eslint-disable-next-line no-control-regex
  const hidden = /(?![\x00-\x7f])[\p{Cf}\p{Z}\p{Cc}\p{Co}\p{Cn}\p{Cs}]/u.exec(value);
  if (hidden) {
    rule(`it contains ${codePoint(hidden[0])}, an invisible, spacing or text-reordering character (zero-width, bidirectional control, non-ASCII space, private or unassigned) that git accepts but GitHub does not show plainly, so the name would not be the one people see`);
  }
  if (pattern && !value.includes('*')) rule(`a pattern needs at least one '*'; use GithubSubject.${kind}() for an exact name`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:[\\]/.test(value)) rule('it contains a space, a control character or one of ~ ^ : [ \\');
  if (value.includes('..')) rule('it contains \'..\'');
  if (value.includes('@{') || value === '@') rule('it contains \'@{\' or is \'@\'');
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) rule('it starts or ends with \'/\' or contains \'//\'');
  if (value.endsWith('.')) rule('it ends with \'.\'');
  if (value.startsWith('-')) rule('it starts with \'-\'');
  for (const component of value.split('/')) {
    if (component.startsWith('.') || component.endsWith('.lock')) rule('a path component starts with \'.\' or ends with \'.lock\'');
  }
}

/** GitHub deployment environment names. */
export function validateDeploymentEnvironment(property: string, value: string): void {
  if (isToken(value)) return;
  if (!/^[A-Za-z0-9._-](?:[A-Za-z0-9 ._/-]{0,253}[A-Za-z0-9._-])?$/.test(value)) {
    fail(property, value, 'must be a GitHub deployment environment name of 1 to 255 letters, digits, spaces, \'.\', \'_\', \'-\' or \'/\', with no wildcard and no leading or trailing space');
  }
}

/**
 * Environment names become construct ids, default repository names, workflow job ids and
 * GitHub variable names, so they are kept to what is valid for all four.
 */
export function validateEnvironmentName(property: string, value: string): void {
  if (isToken(value)) fail(property, value, 'must be a literal string, not a token');
  if (!/^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/.test(value) || value.length > 32) {
    fail(property, value, 'must be 1 to 32 lower-case letters, digits and single \'-\' or \'_\' separators, starting with a letter (it names workflow jobs, GitHub variables and ECR repositories)');
  }
}

const ECR_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const ECR_NAME_RULE = 'lower-case letters and digits, separated by single \'.\', \'_\', \'-\' or \'/\'';

/** ECR repository names: 2 to 256 characters of ECR's pattern. */
export function validateEcrRepositoryName(property: string, value: string): void {
  if (isToken(value)) return;
  if (value.length < 2 || value.length > 256) {
    fail(property, value, 'must be an ECR repository name of 2 to 256 characters');
  }
  if (!ECR_NAME.test(value)) fail(property, value, `must be an ECR repository name: ${ECR_NAME_RULE}`);
}

/** A prefix of ECR repository names, returned once checked: ECR's pattern; the length is checked on the whole name. */
export function validateEcrRepositoryPrefix(property: string, value: string): string {
  if (isToken(value)) fail(property, value, 'must be a literal string, not a token');
  if (!ECR_NAME.test(value)) fail(property, value, `must be the start of an ECR repository name: ${ECR_NAME_RULE}`);
  return value;
}

/** IAM role names. */
export function validateRoleName(property: string, value: string | undefined): void {
  // Stryker disable next-line ConditionalExpression: equivalent for 'false || isToken(value)': the role name pattern accepts the text 'undefined' that test(undefined) reads; the line's two other ConditionalExpression mutants, disabled with it, were killed in the first run (docs/mutation.md)
  if (value === undefined || isToken(value)) return;
  if (!/^[\w+=,.@-]{1,64}$/.test(value)) {
    fail(property, value, 'must be an IAM role name of 1 to 64 letters, digits or + = , . @ _ -');
  }
}

/** AWS account IDs. */
export function validateAccountId(property: string, value: string): void {
  if (isToken(value)) return;
  if (!/^[0-9]{12}$/.test(value)) fail(property, value, 'must be a 12-digit AWS account ID');
}

/** STS allows role sessions of 1 to 12 hours. */
export function validateSessionDuration(property: string, value: Duration | undefined): void {
  if (value === undefined || value.isUnresolved()) return;
  const seconds = value.toSeconds();
  if (seconds < 3600 || seconds > 43200) fail(property, value, 'must be between 1 and 12 hours');
}

/** Positive integers, such as an image count. */
export function validatePositiveInteger(property: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < 1) fail(property, value, 'must be a whole number of at least 1');
}

/** `U+200B`, for a character that cannot be shown in a message. */
export function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The non-ASCII characters of a name, e.g. `U+0430 'а'`, or none. Such a character may look like an
 * ASCII one (Cyrillic 'а' beside Latin 'a'), so a trusted branch may not be the one it seems.
 */
export function nonAsciiCharacters(value: string): string[] {
  return [...new Set([...value].filter(ch => ch.codePointAt(0)! > 0x7f))].map(ch => `${codePoint(ch)} '${ch}'`);
}
