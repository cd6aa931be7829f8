import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/*
 * The import graph of a source tree, read with the TypeScript compiler's parser: every
 * `import` and `export ... from` (type-only ones too, since they tie modules together as much),
 * `import x = require()`, and `require()` or `import()` of a literal. Relative specifiers are
 * resolved to files of the tree; the others are packages.
 */

export interface ImportGraph {
  /** Each file, relative to the root, and the files of the tree it imports. */
  readonly files: Map<string, string[]>;
  /** Each file and the packages it imports (`aws-cdk-lib/aws-iam` as `aws-cdk-lib`). */
  readonly packages: Map<string, string[]>;
}

export function importGraph(root: string): ImportGraph {
  const files = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const local: string[] = [];
    const external: string[] = [];
    for (const specifier of specifiers(file)) {
      if (specifier.startsWith('.')) {
        local.push(resolve(root, path.dirname(file), specifier));
      } else {
        const parts = specifier.split('/');
        external.push(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
      }
    }
    files.set(relative, [...new Set(local)]);
    packages.set(relative, [...new Set(external)]);
  }
  return { files, packages };
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)
      && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `./private/trust` from `src/` → `private/trust.ts`; a directory's `index.ts`. */
function resolve(root: string, from: string, specifier: string): string {
  const target = path.resolve(from, specifier);
  const file = [`${target}.ts`, path.join(target, 'index.ts')].find(candidate => fs.existsSync(candidate));
  if (file === undefined) throw new Error(`cannot resolve '${specifier}' from ${from}`);
  return path.relative(root, file).split(path.sep).join('/');
}

/** The import cycles: each strongly connected component of more than one file, or a file that imports itself (Tarjan). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const to of graph.get(file) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file)!, index.get(to)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return cycles;
}

/** The files `from` imports, directly or through others. */
export function reachable(graph: Map<string, string[]>, from: string): string[] {
  const seen = new Set<string>([from]);
  const queue = [from];
  while (queue.length > 0) {
    for (const to of graph.get(queue.shift()!) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return [...seen];
}
