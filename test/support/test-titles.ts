import * as ts from 'typescript';

/*
 * Test titles built from a value's toString() hide the mutants of that toString: the title is
 * computed while the file loads, a mutant that breaks it throws there, and StrykerJS does not
 * count a file that fails to load. Titles are therefore written as literals.
 */

const TEST_FUNCTIONS = new Set(['test', 'it', 'describe']);

/** The name a call's callee starts with: `test` for test(...), test.each(...)(...) and test.skip(...). */
function rootName(callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return rootName(callee.expression);
  if (ts.isCallExpression(callee)) return rootName(callee.expression);
  return undefined;
}

/** Whether an expression calls toString() or String() anywhere inside it. */
function callsToString(node: ts.Node): boolean {
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'toString') return true;
    if (ts.isIdentifier(callee) && callee.text === 'String') return true;
  }
  return ts.forEachChild(node, callsToString) === true;
}

/** The titles in a test file's source that are built with toString() or String(), as `line: title`. */
export function titlesFromToString(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const name = rootName(node.expression);
      const title = node.arguments[0];
      if (name !== undefined && TEST_FUNCTIONS.has(name) && !ts.isArrayLiteralExpression(title) && callsToString(title)) {
        const { line } = file.getLineAndCharacterOfPosition(title.getStart(file));
        found.push(`${fileName}:${line + 1}: ${title.getText(file)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/*
 * StrykerJS's jest runner gives what a beforeAll hook runs to no test: every mutant it reaches is
 * "static" and runs against the whole file (a 10-hour estimate for environment.ts, 47 minutes once
 * the hooks became beforeEach). What a beforeEach or a test body runs is that test's.
 */

/** The beforeAll hooks in a test file's source, as `file:line`. */
export function beforeAllHooks(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && rootName(node.expression) === 'beforeAll') {
      found.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
