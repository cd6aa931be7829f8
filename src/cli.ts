#!/usr/bin/env node
import { closeSync, constants, fstatSync, openSync, readSync } from 'fs';
import { CLAIMS, TokenClaims, TrustedRole, explainRoles, isGithubTrustPolicy, statementList } from './explain';
import { environmentOfConstructId, environmentOfRoleOutput } from './private/names';

/*
 * `cdk-github-oidc-ecr explain --template STACK.template.json --claims claims.json`: which
 * environment's role of a synthesized template would admit a token with these claims.
 * Exit code 0 when a role admits it, 1 when every role refuses it, 2 on bad input.
 */

/** Input the command-line entry refuses, with exit code 2. */
export class InputError extends Error {}

/** The largest input file read, in bytes: far above any synthesized template, far below a hang. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

const USAGE = `Usage: cdk-github-oidc-ecr explain --template STACK.template.json --claims CLAIMS.json

Says which environment's role of a synthesized GithubOidcEcrPipeline stack would admit a GitHub
Actions token with these claims, and for each role that refuses it, the first condition that
fails and what would make it pass.

  --template FILE   a synthesized template, e.g. cdk.out/MyStack.template.json
  --claims FILE     a JSON object of the token's claims (sub, aud, ref, job_workflow_ref,
                    repository_id, repository_owner_id); other keys are ignored, so a decoded
                    token payload works.
                    '-' reads standard input.

Each file must be a regular file (or '-') of at most ${MAX_INPUT_BYTES / 1024 / 1024} MiB.

Exit code: 0 admitted, 1 refused, 2 bad input.`;

/** Where the command writes and reads; replaced in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
}

const processIo: CliIo = {
  out: text => process.stdout.write(`${text}\n`),
  err: text => process.stderr.write(`${text}\n`),
  readFile: path => readInputFile(path),
};

/**
 * Read a regular file, or standard input for `-`, of at most `limit` bytes, as UTF-8. A device
 * such as /dev/zero or a FIFO is refused before a byte is read: the file is opened without
 * blocking (a FIFO with no writer would block `open`), and its type checked on the open handle.
 */
export function readInputFile(path: string, limit: number = MAX_INPUT_BYTES): string {
  const stdin = path === '-';
  const fd = stdin ? 0 : openSync(path, constants.O_RDONLY + constants.O_NONBLOCK);
  try {
    if (!stdin) {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new Error('it is not a regular file (a device, FIFO, socket or directory is never read)');
      if (stat.size > limit) throw new Error(`it is ${stat.size} bytes, over the limit of ${limit}`);
    }
    // Read at most limit + 1 bytes, so a file that grows, or endless standard input, stops at the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit + 1 - total));
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        throw e;
      }
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > limit) throw new Error(`it is over the limit of ${limit} bytes`);
    }
    return Buffer.concat(chunks).toString('utf-8');
  } finally {
    if (!stdin) closeSync(fd);
  }
}

/**
 * Run the command with its arguments (without `node` and the script) and return the exit code.
 */
export function main(argv: string[], io: CliIo = processIo): number {
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (command !== 'explain') throw new InputError(command === undefined ? 'no command given' : `unknown command '${command}'`);
    const options = parseOptions(rest);
    if (options === 'help') {
      io.out(USAGE);
      return 0;
    }
    const template = readJson(io, options.template, '--template');
    const claims = claimsFromJson(readJson(io, options.claims, '--claims'));
    const explanation = explainRoles(rolesFromTemplate(template), claims);
    io.out(explanation.report);
    return explanation.admitted ? 0 : 1;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.err(`cdk-github-oidc-ecr: ${e.message}\n\n${USAGE}`);
    return 2;
  }
}

function parseOptions(args: string[]): { template: string; claims: string } | 'help' {
  const values: Record<string, string> = {};
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const [name, inline] = arg.split(/=(.*)/s, 2);
    if (name !== '--template' && name !== '--claims') throw new InputError(`unknown argument '${arg}'`);
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw new InputError(`${name} needs a file name`);
    values[name.slice(2)] = value;
  }
  if (help) return 'help';
  for (const name of ['template', 'claims']) {
    if (values[name] === undefined) throw new InputError(`--${name} is required`);
  }
  return { template: values.template, claims: values.claims };
}

function readJson(io: CliIo, path: string, option: string): unknown {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (e) {
    throw new InputError(`${option} ${path} cannot be read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${option} ${path} is not JSON: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the inputs: the claims and the template

/** Token claims from JSON as GitHub names them (`job_workflow_ref`, `repository_id`); other keys are ignored. */
export function claimsFromJson(json: unknown): TokenClaims {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new InputError(`the claims must be a JSON object such as {"sub": "repo:OWNER/REPO:ref:refs/heads/main", "aud": "sts.amazonaws.com"}, got ${JSON.stringify(json)}`);
  }
  const claims: Record<string, string> = {};
  for (const { claim, field } of CLAIMS) {
    const value = (json as Record<string, unknown>)[claim];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw new InputError(`the claim ${claim} must be a string, got ${JSON.stringify(value)}`);
    }
    claims[field] = value;
  }
  if (Object.keys(claims).length === 0) {
    throw new InputError(`the claims name none of ${CLAIMS.map(c => c.claim).join(', ')}; give at least sub and aud`);
  }
  return claims as TokenClaims;
}

/**
 * The roles of a synthesized template that GithubOidcEcrPipeline made, named after their
 * environment: from the stack output that describes the role ARN, else from the construct
 * path (`.../Dev/Role/Resource`), else the logical ID.
 */
export function rolesFromTemplate(template: unknown): Array<TrustedRole & { logicalId: string }> {
  const resources = (template as any)?.Resources;
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) {
    throw new InputError('the template has no Resources; give a synthesized CloudFormation template, e.g. cdk.out/STACK.template.json');
  }
  const namesFromOutputs = new Map<string, string>();
  for (const output of Object.values<any>((template as any).Outputs ?? {})) {
    const ref = output?.Value?.['Fn::GetAtt'];
    const name = environmentOfRoleOutput(output?.Description);
    if (Array.isArray(ref) && ref[1] === 'Arn' && name) namesFromOutputs.set(ref[0], name);
  }
  const roles = Object.entries<any>(resources)
    .filter(([, r]) => r?.Type === 'AWS::IAM::Role' && isGithubTrustPolicy(r.Properties?.AssumeRolePolicyDocument))
    .map(([logicalId, r]) => ({
      logicalId,
      environment: namesFromOutputs.get(logicalId) ?? nameFromPath(r.Metadata?.['aws:cdk:path']) ?? logicalId,
      policy: withProviderArns(r.Properties.AssumeRolePolicyDocument, resources),
    }));
  if (roles.length === 0) {
    throw new InputError('the template has no role made by GithubOidcEcrPipeline (an AWS::IAM::Role trusting sts:AssumeRoleWithWebIdentity with GitHub\'s aud and sub conditions)');
  }
  // Two pipelines in one stack may both have a 'dev': tell them apart by logical ID.
  return roles.map(role => roles.filter(r => r.environment === role.environment).length > 1
    ? { ...role, environment: `${role.environment} (${role.logicalId})` }
    : role);
}

/**
 * The policy with each `{"Ref": PROVIDER}` principal of a provider in the same template replaced by
 * an ARN that ends in the provider's URL, so that its condition keys can be checked against it.
 */
function withProviderArns(policy: any, resources: Record<string, any>): unknown {
  const arnOf = (principal: unknown) => {
    const ref = (principal as any)?.Ref;
    const url = typeof ref === 'string' && resources[ref]?.Type === 'AWS::IAM::OIDCProvider' ? resources[ref].Properties?.Url : undefined;
    return typeof url === 'string' ? `arn:aws:iam:::oidc-provider/${url.replace(/^https:\/\//, '').replace(/\/+$/, '')}` : principal;
  };
  return {
    ...policy,
    Statement: statementList(policy).map((st: any) => st?.Principal?.Federated === undefined
      ? st
      : { ...st, Principal: { ...st.Principal, Federated: arnOf(st.Principal.Federated) } }),
  };
}

/**
 * `Stack/Pipeline/Dev/Role/Resource` -> `dev`: the environment whose construct id the path
 * names, when only one name gives it (`PreProd` may be `pre-prod` or `pre_prod`: none).
 */
function nameFromPath(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  // With fewer than three parts, `Role` is not the second to last: undefined.
  const [id, role, resource] = path.split('/').slice(-3);
  return role === 'Role' && resource === 'Resource' ? environmentOfConstructId(id) : undefined;
}

// Stryker disable next-line BlockStatement: as below, the block runs only in a program, and 'runs as a program' fails without it
if (require.main === module) {
  // Stryker disable next-line MethodExpression: run only as a program, which 'runs as a program' in test/cli.test.ts spawns (a child process, where StrykerJS activates no mutant); that test fails if the argv is not sliced
  process.exitCode = main(process.argv.slice(2));
}
