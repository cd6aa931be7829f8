import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { buildConstruct } from '../bench/construct';
import { buildHandwritten } from '../bench/handwritten';
import { CANDIDATES, Candidate, OUTPUT_LIMIT, Probe, RESOURCE_LIMIT, TemplateStats, renderLimitsTable, renderTemplateTable, templateStatsOf } from '../bench/run';
import { buildExampleApp } from '../example/app';
import { summarize } from '../example/summary';
import * as lib from '../src';
import { GithubOidcEcrPipeline } from '../src';
import { main as cli } from '../src/cli';
import { SCENARIOS } from './support/security-scenarios';
import { claimSetsFor } from './support/security-simulate';
import { ISSUER, providerArnFor, VALIDATION_CONTEXT } from './support/stack';
import { TOKEN_CONFIGURATIONS, tokenClaimSets } from './support/token-2026';

/*
 * The docs cannot drift from the code: every block between `<!-- checked: NAME -->` and
 * `<!-- /checked: NAME -->` in the README and docs/ is compared with what the code produces now,
 * and the README is checked to name every workflow option and synth warning.
 */

const ROOT = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const README = 'README.md';
const DOCS = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map(f => `docs/${f}`)];

/** The text between a file's markers of NAME; there must be exactly one pair. */
function checked(file: string, name: string): string {
  const text = read(file);
  const blocks = [...text.matchAll(new RegExp(`<!-- checked: ${name} -->\\n([\\s\\S]*?)<!-- /checked: ${name} -->`, 'g'))];
  expect([file, name, blocks.length]).toEqual([file, name, 1]);
  return blocks[0][1];
}

/** The content of the one fenced block of `lang` in `text`. */
function fenced(text: string, lang: string): string {
  const blocks = [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))];
  expect([lang, blocks.length]).toEqual([lang, 1]);
  return blocks[0][1];
}

/** The rows of the markdown tables in `text`. */
const tableRows = (text: string) => text.split('\n').filter(line => line.startsWith('|'));

/** Runs the README's smallest example, the first ```ts fixture=app block, and returns its pipeline. */
function readmeExample(): GithubOidcEcrPipeline {
  const block = /```ts fixture=app\n([\s\S]*?)```/.exec(read(README))![1];
  const created: GithubOidcEcrPipeline[] = [];
  class Recorded extends GithubOidcEcrPipeline {
    constructor(...args: ConstructorParameters<typeof GithubOidcEcrPipeline>) {
      super(...args);
      created.push(this);
    }
  }
  const js = ts.transpileModule(block, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const modules: Record<string, unknown> = { 'aws-cdk-lib': cdk, 'cdk-github-oidc-ecr': { ...lib, GithubOidcEcrPipeline: Recorded } };
  new Function('require', 'exports', js)((name: string) => modules[name], {});
  expect(created).toHaveLength(1);
  return created[0];
}

describe('the README\'s example blocks are what the code produces', () => {
  // The example app as `npm run example` synthesizes it: cdk.json's context, path metadata on
  // (the CLI turns it on), version reporting off (--no-version-reporting).
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-example-'));
  let template: any;
  beforeAll(() => {
    const app = new App({ outdir, analyticsReporting: false, context: { ...VALIDATION_CONTEXT, 'aws:cdk:enable-path-metadata': true } });
    const { stack, pipeline } = buildExampleApp(app);
    const assembly = app.synth();
    pipeline.writeWorkflow(assembly.directory);
    template = assembly.getStackByName(stack.stackName).template;
  });

  test('the workflow block is the workflow of the README\'s smallest example and of example/app.ts', () => {
    const shown = fenced(checked(README, 'example-workflow'), 'yaml');
    expect(shown).toBe(readmeExample().renderWorkflow());
    expect(shown).toBe(buildExampleApp().pipeline.renderWorkflow());
  });

  test('the output block is what `npm run example` prints', () => {
    const shown = fenced(checked(README, 'example-output'), 'text');
    const summary = summarize(outdir, 'example/cdk.out');
    expect(summary.errors).toEqual([]);
    expect(shown).toBe(`${summary.lines.join('\n')}\n`);
  });

  test('the trust policy block is the dev role\'s statement in the example template', () => {
    const shown = JSON.parse(fenced(checked(README, 'example-trust-policy'), 'json'));
    const dev = Object.entries<any>(template.Resources).find(([id]) => id.startsWith('PipelineDevRole'))![1];
    expect(dev.Properties.AssumeRolePolicyDocument.Statement).toEqual([shown]);
  });

  test('the explain command\'s report is what the command prints for the claims shown', () => {
    const block = checked(README, 'explain-cli');
    const files: Record<string, string> = { 'template.json': JSON.stringify(template), 'claims.json': fenced(block, 'json') };
    const out: string[] = [];
    const code = cli(['explain', '--template', 'template.json', '--claims', 'claims.json'], {
      out: text => out.push(text), err: text => out.push(text), readFile: file => files[file],
    });
    expect(code).toBe(1);
    expect(fenced(block, 'text')).toBe(`${out.join('\n')}\n`);
  });

  test('the variable names the deploy walkthrough quotes are the example\'s output descriptions', () => {
    const descriptions = Object.values<any>(template.Outputs).map(o => o.Description);
    const quoted = [...read(README).matchAll(/'(Role for \w+; set it as the GitHub Actions variable \w+)'/g)].map(m => m[1]);
    expect(quoted.length).toBeGreaterThan(0);
    for (const description of quoted) expect(descriptions).toContain(description);
  });
});

/** A scenario of the benchmark, synthesized as the bench's child does it, without the validator. */
function benchTemplate(candidate: Candidate, n: number, outputs = false): { stats?: TemplateStats; error?: string } {
  const app = new App({ analyticsReporting: false });
  const stage = new Stage(app, 'Bench');
  const stack = new Stack(stage, 'Stack');
  try {
    if (candidate === 'construct') buildConstruct(stack, n, outputs);
    else buildHandwritten(stack, n);
    return { stats: templateStatsOf(stage.synth().getStackByName(stack.stackName).template) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('the benchmark\'s deterministic figures are what the code produces', () => {
  const results = JSON.parse(read('bench/results/results.json'));
  const resultsMd = read('bench/results/results.md');
  const section = (title: string) => resultsMd.split(`## ${title}\n`)[1].split('\n## ')[0];
  // Computed as bench/run.ts computes them: per environment from N = 1 and 2, then the limit.
  const perEnvironment = {} as Record<Candidate, number>;
  const largest = {} as Record<Candidate, number>;
  const templates: Record<string, TemplateStats> = {};
  beforeAll(() => {
    for (const candidate of CANDIDATES) {
      const [one, two] = [benchTemplate(candidate, 1).stats!, benchTemplate(candidate, 2).stats!];
      perEnvironment[candidate] = two.resources - one.resources;
      largest[candidate] = Math.floor((RESOURCE_LIMIT - (one.resources - perEnvironment[candidate])) / perEnvironment[candidate]);
      for (const n of results.ns as number[]) {
        if (n <= largest[candidate]) templates[`${candidate}:${n}`] = benchTemplate(candidate, n).stats!;
      }
    }
  });

  test('the resources per environment and the largest N', () => {
    expect({ perEnvironment, largest }).toEqual({ perEnvironment: results.resourcesPerEnvironment, largest: results.largestN });
  });

  test('the template economy table, in bench/results/results.md and docs/benchmarks.md', () => {
    const expected = renderTemplateTable({ ns: results.ns, templates, resourcesPerEnvironment: perEnvironment });
    expect(tableRows(section('Template economy'))).toEqual(expected);
    expect(tableRows(checked('docs/benchmarks.md', 'bench-template-economy'))).toEqual(expected);
  });

  test('the limits table: the largest N synthesizes, one more fails with the construct\'s error', () => {
    const probe = (what: string, candidate: Candidate, n: number, outputs = false): Probe => {
      const { stats, error } = benchTemplate(candidate, n, outputs);
      return { what, candidate, n, outputs, ok: error === undefined, error, stats };
    };
    const outputsFit = Math.floor(OUTPUT_LIMIT / 2);
    const probes = [
      ...CANDIDATES.flatMap(c => [probe('largest N fits', c, largest[c]), probe('largest N + 1 fails', c, largest[c] + 1)]),
      probe('outputs on: largest N fits', 'construct', outputsFit, true),
      probe('outputs on: largest N + 1 fails', 'construct', outputsFit + 1, true),
    ];
    const expected = renderLimitsTable(probes);
    expect(tableRows(section('Limits, verified by synthesis'))).toEqual(expected);
    expect(tableRows(checked('docs/benchmarks.md', 'bench-limits'))).toEqual(expected);
  });

  test('docs/benchmarks.md shows the timings and targets of the run in bench/results/, and says when it ran', () => {
    expect(tableRows(checked('docs/benchmarks.md', 'bench-synth-cost'))).toEqual(tableRows(section('Synth cost')));
    const targets = (text: string) => text.split('\n').filter(line => line.startsWith('- '));
    expect(targets(checked('docs/benchmarks.md', 'bench-targets'))).toEqual(targets(section('Targets')));
    const run = checked('docs/benchmarks.md', 'bench-run');
    expect(run).toContain(`Run: ${results.date.slice(0, 10)}, commit \`${results.commit}\``);
    expect(run).toContain(`Node ${results.machine.node}; aws-cdk-lib ${results.machine.awsCdkLib}`);
    expect(run).toContain(`${results.loadAverageBefore[0].toFixed(2)} before and ${results.loadAverageAfter[0].toFixed(2)} after`);
  });

  test('the README\'s limits', () => {
    const text = checked(README, 'limits').replace(/\s+/g, ' ');
    const outputsPerEnvironment = benchTemplate('construct', 1, true).stats!.outputs;
    expect(text).toContain(`Each environment adds ${perEnvironment.construct} resources`);
    expect(text).toContain(`with \`outputs\` on, ${outputsPerEnvironment} outputs`);
    expect(text).toContain(`the stack's OIDC provider is ${templates['construct:1'].resources - perEnvironment.construct} more resource`);
    expect(text).toContain(`allows ${RESOURCE_LIMIT} resources and ${OUTPUT_LIMIT} outputs per stack`);
    expect(text).toContain(`fits at most ${largest.construct} environments, or ${Math.floor(OUTPUT_LIMIT / outputsPerEnvironment)} with \`outputs\` on`);
  });
});

describe('the security suites\' counts in docs/security.md are the oracles\'', () => {
  const rows = () => Object.fromEntries(tableRows(checked('docs/security.md', 'security-figures')).slice(2)
    .map(row => row.split('|').slice(1, -1).map(cell => cell.trim()))
    .map(([suite, ...figures]) => [suite, figures]));
  const number = (n: number) => n.toLocaleString('en-US');

  test('the token matrix', () => {
    const sets = SCENARIOS.flatMap(s => s.environments.map(env => claimSetsFor(s, env).length));
    expect(rows()['token matrix']).toEqual([SCENARIOS.length, sets.length, sets.reduce((a, b) => a + b), Math.min(...sets)].map(number));
  });

  test('GitHub\'s 2026 token', () => {
    const sets = TOKEN_CONFIGURATIONS.flatMap(c => c.environments.map(env => tokenClaimSets(c, env, 'arn:aws:iam::111122223333:oidc-provider/x')));
    const hostile = sets.map(s => s.filter(set => set.expect === 'Refused').length);
    expect(rows()['GitHub\'s 2026 token']).toEqual([
      number(TOKEN_CONFIGURATIONS.length), number(sets.length), number(sets.reduce((n, s) => n + s.length, 0)), `${Math.min(...hostile)} hostile`,
    ]);
  });

  test('explain against iam-simulate', () => {
    // As test/explain.test.ts builds them: the matrix's claim sets for the pipeline's own provider
    // and issuer, plus 500 generated ones (its EXPLAIN_GENERATED_CLAIM_SETS default) per configuration.
    const generated = 500;
    const handMade = SCENARIOS.map(s => {
      const issuer = s.issuer ?? ISSUER;
      return s.environments.flatMap(env => claimSetsFor(s, env))
        .filter(c => c.principal === providerArnFor(issuer) && Object.keys(c.claims).every(k => k.startsWith(`${issuer}:`))).length;
    });
    const environments = SCENARIOS.reduce((n, s) => n + s.environments.length, 0);
    expect(rows()['explain against iam-simulate']).toEqual([
      number(SCENARIOS.length), number(environments), number(handMade.reduce((a, b) => a + b) + generated * SCENARIOS.length), '—',
    ]);
  });
});

/** The TypeScript files under a directory. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap(e => e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

describe('the README covers the API', () => {
  const index = path.join(ROOT, 'src', 'index.ts');
  let program: ts.Program | undefined;
  /** The property names of an interface that src/index.ts exports, read with the compiler. */
  function propertiesOf(name: string): string[] {
    // Only the library's own files: the props' types from aws-cdk-lib are not needed for their names.
    program ??= ts.createProgram(sources(path.join(ROOT, 'src')), { noResolve: true, noLib: true, types: [], noEmit: true });
    const checker = program.getTypeChecker();
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index)!)!).find(s => s.name === name)!;
    // SymbolFlags is a bit set.
    // eslint-disable-next-line no-bitwise
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    return checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map(p => p.name);
  }

  test('every WorkflowOptions field has a row in the workflow options table', () => {
    const table = read(README).split('### Workflow options\n')[1].split('\n#')[0];
    const documented = tableRows(table).slice(2).flatMap(row => [...row.split('|')[1].matchAll(/`(\w+)`/g)].map(m => m[1]));
    const fields = propertiesOf('WorkflowOptions');
    expect(fields.length).toBeGreaterThan(10);
    expect(fields.filter(f => !documented.includes(f))).toEqual([]);
    expect(documented.filter(f => !fields.includes(f))).toEqual([]);
  });

  test('every prop of the pipeline and of an environment is named in the README', () => {
    const readme = read(README);
    for (const type of ['GithubOidcEcrPipelineProps', 'PipelineEnvironmentProps']) {
      const props = propertiesOf(type);
      expect(props.length).toBeGreaterThan(5);
      expect([type, props.filter(p => !readme.includes(`\`${p}\``) && !readme.includes(`${p}:`))]).toEqual([type, []]);
    }
  });

  test('every synth warning id in src/ is in the README\'s table of synth warnings', () => {
    const ids = [...new Set(sources(path.join(ROOT, 'src')).flatMap(file =>
      // Added directly (addWarningV2) or planned by an environment ({ id, message }).
      [...fs.readFileSync(file, 'utf8').matchAll(/(?:addWarningV2\(\s*|id: )'(cdk-github-oidc-ecr:\w+)'/g)].map(m => m[1])))].sort();
    const table = read(README).split('### Synth warnings\n')[1].split('\n#')[0];
    const documented = tableRows(table).slice(2).map(row => /`(cdk-github-oidc-ecr:\w+)`/.exec(row)?.[1]).sort();
    expect(ids.length).toBeGreaterThan(3);
    expect(documented).toEqual(ids);
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6} (.*)$/gm)) {
    const base = heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

test.each(DOCS)('every relative link in %s points to a file that exists, and to a heading there', (file) => {
  const text = read(file).replace(/^```[\s\S]*?^```$/gm, '');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]).filter(link => !/^[a-z]+:/.test(link));
  expect(file === README ? links.length : 1).toBeGreaterThan(0);
  const broken = links.filter(link => {
    const [target, anchor] = link.split('#');
    const resolved = target === '' ? path.join(ROOT, file) : path.join(ROOT, path.dirname(file), target);
    if (!fs.existsSync(resolved)) return true;
    return anchor !== undefined && resolved.endsWith('.md') && !anchors(fs.readFileSync(resolved, 'utf8')).has(anchor);
  });
  expect(broken).toEqual([]);
});
