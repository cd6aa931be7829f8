#!/usr/bin/env node
import { readFileSync } from 'fs';
import { InputError, claimsFromJson, explainRoles, rolesFromTemplate } from './private/explain';

/*
 * `cdk-github-oidc-ecr explain --template STACK.template.json --claims claims.json`: which
 * environment's role of a synthesized template would admit a token with these claims.
 * Exit code 0 when a role admits it, 1 when every role refuses it, 2 on bad input.
 */

const USAGE = `Usage: cdk-github-oidc-ecr explain --template STACK.template.json --claims CLAIMS.json

Says which environment's role of a synthesized GithubOidcEcrPipeline stack would admit a GitHub
Actions token with these claims, and for each role that refuses it, the first condition that
fails and what would make it pass.

  --template FILE   a synthesized template, e.g. cdk.out/MyStack.template.json
  --claims FILE     a JSON object of the token's claims (sub, aud, ref, job_workflow_ref,
                    repository_id, repository_owner_id); other keys are ignored, so a decoded
                    token payload works.
                    '-' reads standard input.

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
  readFile: path => readFileSync(path === '-' ? 0 : path, 'utf-8'),
};

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
    if (options.help) {
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

function parseOptions(args: string[]): { template: string; claims: string; help: boolean } {
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
  if (help) return { template: '', claims: '', help };
  for (const name of ['template', 'claims']) {
    if (values[name] === undefined) throw new InputError(`--${name} is required`);
  }
  return { template: values.template, claims: values.claims, help };
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

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
