import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importCycles, importGraph, reachable } from './support/import-graph';
import { beforeAllHooks, titlesFromToString } from './support/test-titles';

/*
 * The shape of src/: no import cycle, and src/private/ holds leaves that import nothing outside
 * src/private/ (not even a type), so a public module is never reached back into. The command-line
 * entry loads no aws-cdk-lib. Each rule is also shown to fail on a small tree built for it.
 */

const SRC = path.join(__dirname, '..', 'src');
/** A RegExp built at run time, from a string. */
const RUNTIME_REGEXP = /\bRegExp\s*\(/;

/** The files of `src/private/` that import a file outside it, as `file -> import`. */
function privateReachingOut(files: Map<string, string[]>): string[] {
  return [...files].filter(([file]) => file.startsWith('private/'))
    .flatMap(([file, imports]) => imports.filter(to => !to.startsWith('private/')).map(to => `${file} -> ${to}`));
}

describe('src/', () => {
  const { files, packages } = importGraph(SRC);

  test('the graph is read: every module, and the imports of the pipeline', () => {
    expect(files.size).toBeGreaterThanOrEqual(20);
    expect(files.get('pipeline.ts')).toEqual(expect.arrayContaining(['environment.ts', 'provider.ts', 'workflow.ts', 'private/trust.ts']));
    expect(files.get('index.ts')).toHaveLength(12);
  });

  test('has no import cycle, type-only imports included', () => {
    expect(importCycles(files)).toEqual([]);
  });

  test('src/private/ imports nothing outside src/private/', () => {
    expect(privateReachingOut(files)).toEqual([]);
  });

  test('one \'*\' matcher: no module builds a regular expression at run time, and the explain CLI reaches src/private/glob.ts', () => {
    // A pattern turned into a RegExp backtracks (a crafted branchPattern hung synth for minutes);
    // every '*' pattern goes through glob.ts's linear-time wildcardMatches and globsOverlap.
    const built = [...files.keys()].filter(file => RUNTIME_REGEXP.test(fs.readFileSync(path.join(SRC, file), 'utf8')));
    expect(built).toEqual([]);
    expect(reachable(files, 'cli.ts')).toEqual(expect.arrayContaining(['explain.ts', 'private/glob.ts']));
    expect(reachable(files, 'pipeline.ts')).toEqual(expect.arrayContaining(['private/glob.ts', 'private/trust.ts']));
    // the rule can fail
    expect(['new RegExp(pattern)', 'RegExp(`^${p}$`)', '/^a*$/.test(x)'].map(text => RUNTIME_REGEXP.test(text))).toEqual([true, true, false]);
  });

  test('the command-line entry loads no aws-cdk-lib or constructs, so npx starts at once', () => {
    const loaded = reachable(files, 'cli.ts').flatMap(file => packages.get(file)!.map(p => `${file}: ${p}`));
    expect(loaded.filter(p => /: (aws-cdk-lib|constructs)$/.test(p))).toEqual([]);
  });
});

describe('the rules can fail', () => {
  let root: string;
  beforeAll(() => {
    // GIVEN a tree with a cycle through a type-only import, and a private module importing a public one
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'import-graph-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('index.ts', 'export { A } from \'./a\';\n');
    write('a.ts', 'import { B } from \'./b\';\nexport class A { b?: B; }\n');
    write('b.ts', 'import type { A } from \'./a\';\nexport class B { a?: A; }\n');
    write('c.ts', 'import { x } from \'./private/x\';\nexport const c = x;\n');
    write('private/x.ts', 'import { c } from \'../c\';\nimport * as cdk from \'aws-cdk-lib\';\nexport const x = 1;\nexport const y = [c, cdk];\n');
    write('private/leaf.ts', 'export const leaf = require(\'./x\');\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a cycle is found, through a type-only import too', () => {
    const { files } = importGraph(root);
    expect(importCycles(files)).toEqual([['a.ts', 'b.ts'], ['c.ts', 'private/x.ts']]);
  });

  test('a private module importing a public one is found', () => {
    expect(privateReachingOut(importGraph(root).files)).toEqual(['private/x.ts -> c.ts']);
  });

  test('a package reached through require() and imports is found', () => {
    const { files, packages } = importGraph(root);
    expect(reachable(files, 'private/leaf.ts').sort()).toEqual(['c.ts', 'private/leaf.ts', 'private/x.ts']);
    expect(packages.get('private/x.ts')).toEqual(['aws-cdk-lib']);
  });

  test('a self-import is a cycle; an acyclic tree has none', () => {
    expect(importCycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts']]);
    expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', []]]))).toEqual([]);
  });
});

describe('test titles', () => {
  const TEST = __dirname;
  const testFiles = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? testFiles(path.join(dir, entry.name)) : /\.test\.ts$/.test(entry.name) ? [path.join(dir, entry.name)] : []);

  test('no test, describe or it title is built with toString() or String()', () => {
    const files = testFiles(TEST);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(file => titlesFromToString(path.relative(TEST, file), fs.readFileSync(file, 'utf8')))).toEqual([]);
  });

  test('no beforeAll hook, whose work StrykerJS counts as every test\'s, outside the files that say why', () => {
    // Not measured against src/: architecture builds a temporary tree, docs the example and the
    // benchmark. (workflow.test.ts builds its scenarios in each test; its linter thread starts once.)
    const ALLOWED = ['architecture.test.ts', 'docs.test.ts'];
    const hooks = testFiles(TEST).filter(file => !ALLOWED.includes(path.relative(TEST, file)))
      .flatMap(file => beforeAllHooks(path.relative(TEST, file), fs.readFileSync(file, 'utf8')));
    expect(hooks).toEqual([]);
  });

  test('the hook rule finds beforeAll at any depth, and not beforeEach', () => {
    const source = ['beforeAll(() => {});', "describe('d', () => { beforeAll(() => {}); beforeEach(() => {}); });"].join('\n');
    expect(beforeAllHooks('sample.test.ts', source)).toEqual(['sample.test.ts:1', 'sample.test.ts:2']);
  });

  test('the rule finds such a title in test(), describe(), test.each()() and it.skip(), and not a literal or a table', () => {
    const source = [
      "test(`${GithubSubject.branch('main').toString()} is admitted`, () => {});",
      'describe(String(subject), () => {});',
      'test.each([1])(`%s ${x.toString()}`, () => {});',
      "it.skip('a ' + value.toString(), () => {});",
      "test('a literal title', () => {});",
      'test(`a template with ${name}`, () => {});',
      "test.each([[subject.toString()]])('%s', () => {});",
      "expect(value.toString()).toBe('x');",
    ].join('\n');
    expect(titlesFromToString('sample.test.ts', source)).toEqual([
      "sample.test.ts:1: `${GithubSubject.branch('main').toString()} is admitted`",
      'sample.test.ts:2: String(subject)',
      'sample.test.ts:3: `%s ${x.toString()}`',
      "sample.test.ts:4: 'a ' + value.toString()",
    ]);
  });
});
