/**
 * `npm run bench`: synth cost and template economy of the construct against hand-written
 * aws-cdk-lib, one stack, one provider and N environments. Writes bench/results/.
 *
 * Every sample is a whole child process (child.ts) that builds the app and synthesizes it. The
 * candidates are interleaved (A B, then B A) over BENCH_ROUNDS rounds after a warm-up.
 * BENCH_ROUNDS (default 7) and BENCH_NS (e.g. "1,2") make a quick run while developing.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import { dirname, join } from 'path';
import { renderChart } from './chart';
import type { ChildRequest, ChildResult } from './child';

export type Candidate = ChildRequest['candidate'];
export const CANDIDATES: Candidate[] = ['construct', 'handwritten'];
const MODES = [false, true]; // without, then with the built-in CloudFormation validation
export const RESOURCE_LIMIT = 500;
export const OUTPUT_LIMIT = 200;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const RESULTS = join(__dirname, '..', '..', 'results');
const CHILD = join(__dirname, 'child.js');
let childCpuMs = 0;

/** Template figures of one candidate at one N. */
export interface TemplateStats {
  readonly resources: number;
  readonly outputs: number;
  readonly templateBytes: number;
  readonly longestTrustPolicy: number;
}

interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly maxRssMb: number;
}

interface Summary {
  readonly candidate: Candidate;
  readonly n: number;
  readonly validation: boolean;
  readonly samples: Sample[];
  cpuMinMs?: number;
  cpuMedianMs?: number;
  wallMinMs?: number;
  wallMedianMs?: number;
  maxRssMb?: number;
}

export interface Probe {
  readonly what: string;
  readonly candidate: Candidate;
  readonly n: number;
  readonly outputs: boolean;
  /** Images per environment, when the construct has `images`. */
  readonly images?: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly stats?: TemplateStats;
}

/** Run one child; the template stays in `outdir` until the caller removes it. */
function runChild(req: Omit<ChildRequest, 'outdir'>): { result: ChildResult; wallMs: number; outdir: string } {
  const outdir = mkdtempSync(join(os.tmpdir(), 'bench-'));
  const start = process.hrtime.bigint();
  const proc = spawnSync(process.execPath, [CHILD, JSON.stringify({ ...req, outdir })], {
    encoding: 'utf-8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const line = proc.stdout.trim().split('\n').pop() ?? '';
  childCpuMs += line.startsWith('{') ? (JSON.parse(line) as ChildResult).cpuMs : 0;
  if (proc.status !== 0 || !line.startsWith('{')) {
    throw new Error(`child ${JSON.stringify(req)} exited with ${proc.status}: ${proc.stderr.slice(-2000)}`);
  }
  return { result: JSON.parse(line) as ChildResult, wallMs, outdir };
}

function templateStats(outdir: string): TemplateStats {
  const dir = join(outdir, 'assembly-Bench');
  const file = readdirSync(dir).find(f => f.endsWith('.template.json'))!;
  return templateStatsOf(JSON.parse(readFileSync(join(dir, file), 'utf-8')));
}

/** The figures of a synthesized template; test/docs.test.ts recomputes the docs' tables with it. */
export function templateStatsOf(template: any): TemplateStats {
  const resources = Object.values<{ Type: string; Properties?: Record<string, unknown> }>(template.Resources ?? {});
  const trust = resources
    .filter(r => r.Type === 'AWS::IAM::Role')
    .map(r => JSON.stringify(r.Properties?.AssumeRolePolicyDocument).length);
  return {
    resources: resources.length,
    outputs: Object.keys(template.Outputs ?? {}).length,
    templateBytes: Buffer.byteLength(JSON.stringify(template)),
    longestTrustPolicy: Math.max(0, ...trust),
  };
}

/** Synthesize once, without validation, for the template's figures or the error it fails with. */
function probe(what: string, candidate: Candidate, n: number, outputs = false, images?: number): Probe {
  const { result, outdir } = runChild({ candidate, n, validation: false, outputs, images });
  try {
    return { what, candidate, n, outputs, images, ok: result.ok, error: result.error, stats: result.ok ? templateStats(outdir) : undefined };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function machine(): Record<string, string | number> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf-8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const cdkPackage = join(dirname(require.resolve('aws-cdk-lib')), 'package.json');
  return {
    nproc: os.availableParallelism(),
    cpu: model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    awsCdkLib: JSON.parse(readFileSync(cdkPackage, 'utf-8')).version,
    os: `${os.type()} ${os.release()}`,
  };
}

function main(): void {
  const started = Date.now();
  const loadBefore = os.loadavg();
  log(`machine: ${JSON.stringify(machine())}, load ${loadBefore.map(l => l.toFixed(2)).join(' ')}`);

  // Per-environment cost by computation from N = 1 and N = 2, then the largest N under the limit.
  const stats = new Map<string, TemplateStats>();
  const key = (c: Candidate, n: number) => `${c}:${n}`;
  const largest = {} as Record<Candidate, number>;
  const perEnv = {} as Record<Candidate, number>;
  for (const candidate of CANDIDATES) {
    const one = probe('stats', candidate, 1).stats!;
    const two = probe('stats', candidate, 2).stats!;
    perEnv[candidate] = two.resources - one.resources;
    const fixed = one.resources - perEnv[candidate];
    largest[candidate] = Math.floor((RESOURCE_LIMIT - fixed) / perEnv[candidate]);
    log(`${candidate}: ${perEnv[candidate]} resources per environment + ${fixed}; largest N = ${largest[candidate]}`);
  }
  const ns = process.env.BENCH_NS
    ? process.env.BENCH_NS.split(',').map(Number)
    : [...new Set([1, 2, 10, 50, ...Object.values(largest)])].sort((a, b) => a - b);
  const fits = (c: Candidate, n: number) => n <= largest[c];

  // Verify the computed limits by synthesis, on both sides, and the output limit with outputs on.
  const probes: Probe[] = [];
  for (const candidate of CANDIDATES) {
    probes.push(probe('largest N fits', candidate, largest[candidate]));
    probes.push(probe('largest N + 1 fails', candidate, largest[candidate] + 1));
  }
  const outputsFit = Math.floor(OUTPUT_LIMIT / 2);
  probes.push(probe('outputs on: largest N fits', 'construct', outputsFit, true));
  probes.push(probe('outputs on: largest N + 1 fails', 'construct', outputsFit + 1, true));
  const threeImages = imageCase(THREE_IMAGES, ns);
  for (const p of probes) log(`probe ${p.candidate} N=${p.n}${p.outputs ? ' (outputs on)' : ''}: ${p.ok ? 'synthesized' : `failed: ${p.error?.split('\n').slice(0, 3).join(' ')}`}`);

  const summaries: Summary[] = [];
  const summary = (c: Candidate, n: number, validation: boolean) => {
    let s = summaries.find(x => x.candidate === c && x.n === n && x.validation === validation);
    if (!s) summaries.push(s = { candidate: c, n, validation, samples: [] });
    return s;
  };

  // Warm-up: one discarded sample of each candidate in each mode (disk cache, lazy module loads).
  for (const validation of MODES) for (const candidate of CANDIDATES) runChild({ candidate, n: 1, validation, outputs: false });

  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? CANDIDATES : [...CANDIDATES].reverse();
    for (const validation of MODES) {
      for (const n of ns) {
        for (const candidate of order) {
          if (!fits(candidate, n)) continue;
          const { result, wallMs, outdir } = runChild({ candidate, n, validation, outputs: false });
          if (!result.ok) throw new Error(`${candidate} N=${n} failed: ${result.error}`);
          if (!stats.has(key(candidate, n))) stats.set(key(candidate, n), templateStats(outdir));
          rmSync(outdir, { recursive: true, force: true });
          summary(candidate, n, validation).samples.push({ cpuMs: result.cpuMs, wallMs, maxRssMb: result.maxRssMb });
        }
      }
    }
    log(`round ${round + 1}/${ROUNDS} done, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  for (const s of summaries) {
    s.cpuMinMs = Math.min(...s.samples.map(x => x.cpuMs));
    s.cpuMedianMs = median(s.samples.map(x => x.cpuMs));
    s.wallMinMs = Math.min(...s.samples.map(x => x.wallMs));
    s.wallMedianMs = median(s.samples.map(x => x.wallMs));
    s.maxRssMb = Math.max(...s.samples.map(x => x.maxRssMb));
  }

  const results = {
    date: new Date().toISOString(),
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf-8' }).stdout?.trim() || 'unknown',
    machine: machine(),
    loadAverageBefore: loadBefore,
    loadAverageAfter: os.loadavg(),
    rounds: ROUNDS,
    childCpuSeconds: Math.round(childCpuMs / 1000),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    limits: { resources: RESOURCE_LIMIT, outputs: OUTPUT_LIMIT },
    resourcesPerEnvironment: perEnv,
    largestN: largest,
    threeImages,
    ns,
    templates: Object.fromEntries(stats),
    probes,
    summaries,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'results.json'), `${JSON.stringify(results, undefined, 2)}\n`);
  render(results);
  log(`wrote ${RESULTS}/results.{md,json} and synth-time.svg in ${results.durationSeconds} s`);
}

/** Write results.md and the chart from the results. */
function render(results: Results): void {
  writeFileSync(join(RESULTS, 'results.md'), renderMarkdown(results));
  const templates = new Map(Object.entries(results.templates));
  writeFileSync(join(RESULTS, 'synth-time.svg'), renderChart(results.summaries, results.ns, templates, results.largestN, RESOURCE_LIMIT));
}

export type Results = {
  date: string;
  commit: string;
  machine: Record<string, string | number>;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  rounds: number;
  childCpuSeconds: number;
  durationSeconds: number;
  resourcesPerEnvironment: Record<Candidate, number>;
  largestN: Record<Candidate, number>;
  threeImages?: ImageCase;
  /** When the figures that do not depend on the machine were recomputed after the timed run (`--templates`). */
  templatesRecomputed?: { date: string; commit: string };
  ns: number[];
  templates: Record<string, TemplateStats>;
  probes: Probe[];
  summaries: Summary[];
};

function renderMarkdown(r: Results): string {
  const m = r.machine;
  const find = (c: Candidate, n: number, validation: boolean) => r.summaries.find(s => s.candidate === c && s.n === n && s.validation === validation);
  const lines: string[] = [];
  lines.push('# Benchmark: synth cost and template economy', '');
  lines.push(`Measured ${r.date.slice(0, 10)} at commit ${r.commit} with \`npm run bench\` (${r.durationSeconds} s): ${m.nproc} CPUs (${m.cpu}), ${m.memoryGb} GB, ${m.os}, Node ${m.node}, aws-cdk-lib ${m.awsCdkLib}. `
    + `Load average before/after: ${r.loadAverageBefore[0].toFixed(2)} / ${r.loadAverageAfter[0].toFixed(2)} (other work on the machine inflates wall times more than CPU times).`, '');
  if (r.templatesRecomputed) {
    lines.push(`The template, limit and image figures (which do not depend on the machine) were recomputed ${r.templatesRecomputed.date.slice(0, 10)} at commit ${r.templatesRecomputed.commit} with \`npm run bench -- --templates\`; the times are from the run above.`, '');
  }
  lines.push('Scenario: one stack, one `AWS::IAM::OIDCProvider`, N environments of one GitHub repository, each with its own branch, role and repository. '
    + '*construct* is `GithubOidcEcrPipeline` with `outputs: false`; *hand-written* is `iam.OidcProviderNative`, `iam.Role` with a `WebIdentityPrincipal` (same conditions), `ecr.Repository` (same settings) and `grantPullPush`.', '');
  lines.push(`Method: each sample is a whole \`node\` process that builds the app and synthesizes it (bench/child.ts, compiled once with tsc). After one warm-up sample per candidate and mode, ${r.rounds} rounds interleave the candidates (A B, then B A). `
    + 'CPU = user + system time of the child process (`process.resourceUsage()`, from process start to the end of synthesis); wall = spawn to exit, measured by the parent; RSS = the highest peak RSS over the samples. '
    + '"with validation" is `app.synth()`, which runs aws-cdk-lib\'s built-in CloudFormation validator; "without" is `stage.synth()` on the Stage that holds the stack (see bench/README.md for why).', '');

  lines.push('## Template economy', '');
  lines.push(...renderTemplateTable(r), '');

  if (r.threeImages) lines.push(...renderImageCase(r.threeImages));

  lines.push('## Synth cost', '');
  lines.push('CPU and wall in ms, min / median; peak RSS in MB.', '');
  lines.push('| candidate | N | CPU, with validation | wall, with validation | RSS, with | CPU, without validation | wall, without validation | RSS, without |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of r.ns) {
    for (const c of CANDIDATES) {
      const on = find(c, n, true);
      const off = find(c, n, false);
      if (!on && !off) {
        lines.push(`| ${c} | ${n} | does not fit | | | | | |`);
        continue;
      }
      const cell = (s: Summary | undefined, k: 'cpu' | 'wall') => (s ? `${fmt(s[`${k}MinMs`])} / ${fmt(s[`${k}MedianMs`])}` : '—');
      lines.push(`| ${c} | ${n} | ${cell(on, 'cpu')} | ${cell(on, 'wall')} | ${fmt(on?.maxRssMb)} | ${cell(off, 'cpu')} | ${cell(off, 'wall')} | ${fmt(off?.maxRssMb)} |`);
    }
  }
  lines.push('', '![synth time and resources against N](synth-time.svg)', '');

  lines.push('## Limits, verified by synthesis', '');
  lines.push(...renderLimitsTable(r.probes), '');

  lines.push('## Targets', '');
  for (const t of targets(r)) lines.push(`- ${t}`);
  lines.push('');
  return lines.join('\n');
}

const fmt = (v: number | undefined) => (v === undefined ? '—' : Math.round(v).toLocaleString('en-US'));

/** The template economy table: the figures that do not depend on the machine. */
export function renderTemplateTable(r: Pick<Results, 'ns' | 'templates' | 'resourcesPerEnvironment'>): string[] {
  const lines = [
    '| candidate | N | resources | outputs | fits 500 | template bytes (minified) | bytes per extra environment | longest trust policy (chars) |',
    '|---|---:|---:|---:|:---:|---:|---:|---:|',
  ];
  for (const c of CANDIDATES) {
    const base = r.templates[`${c}:1`];
    for (const n of r.ns) {
      const t = r.templates[`${c}:${n}`];
      if (!t) {
        lines.push(`| ${c} | ${n} | ${1 + r.resourcesPerEnvironment[c] * n} (computed) | — | no | — | — | — |`);
        continue;
      }
      const perEnvBytes = n > 1 && base ? fmt((t.templateBytes - base.templateBytes) / (n - 1)) : '—';
      lines.push(`| ${c} | ${n} | ${t.resources} | ${t.outputs} | ${t.resources <= RESOURCE_LIMIT ? 'yes' : 'no'} | ${fmt(t.templateBytes)} | ${perEnvBytes} | ${t.longestTrustPolicy} |`);
    }
  }
  return lines;
}

/** The limits table: what synthesis does at and past each largest N. */
export function renderLimitsTable(probes: Probe[]): string[] {
  const lines = ['| candidate | N | outputs | result |', '|---|---:|:---:|---|'];
  for (const p of probes.filter(x => x.what !== 'stats')) {
    const result = p.ok ? `synthesizes: ${p.stats!.resources} resources, ${p.stats!.outputs} outputs` : `fails: ${oneLine(p.error!)}`;
    lines.push(`| ${p.candidate} | ${p.n} | ${p.outputs ? 'on' : 'off'} | ${result} |`);
  }
  return lines;
}

/** The issue's targets, each with the figure that decides it. */
function targets(r: Results): string[] {
  const out: string[] = [];
  const c = r.templates;
  const per = r.resourcesPerEnvironment;
  const fixed = (cand: Candidate) => c[`${cand}:1`].resources - per[cand];
  out.push(`${per.construct <= 2 && fixed('construct') <= 1 ? 'Met' : 'Not met'}: at most 2 resources per environment plus 1 for the provider. Construct: ${per.construct} per environment + ${fixed('construct')}; hand-written: ${per.handwritten} + ${fixed('handwritten')}.`);
  out.push(`${r.largestN.construct >= 240 ? 'Met' : 'Not met'}: at least 240 environments in one stack. Construct: ${r.largestN.construct}; hand-written: ${r.largestN.handwritten}.`);
  const both = r.ns.filter(n => r.summaries.some(s => s.candidate === 'handwritten' && s.n === n));
  const more: string[] = [];
  let beyondNoise = false;
  for (const validation of MODES) {
    for (const n of both) {
      const a = r.summaries.find(s => s.candidate === 'construct' && s.n === n && s.validation === validation);
      const b = r.summaries.find(s => s.candidate === 'handwritten' && s.n === n && s.validation === validation);
      if (!a || !b || a.cpuMedianMs! <= b.cpuMedianMs!) continue;
      // Noise: the larger relative median absolute deviation of the two candidates' samples.
      const noise = Math.max(relativeMad(a), relativeMad(b));
      const excess = a.cpuMedianMs! / b.cpuMedianMs! - 1;
      beyondNoise ||= excess > noise;
      more.push(`N=${n} ${validation ? 'with' : 'without'} validation, ${Math.round(a.cpuMedianMs!)} vs ${Math.round(b.cpuMedianMs!)} ms (+${(100 * excess).toFixed(1)} %, ${excess > noise ? 'beyond' : 'within'} the samples' spread of ${(100 * noise).toFixed(1)} %)`);
    }
  }
  const verdict = more.length === 0 ? 'Met' : beyondNoise ? 'Not met' : 'Met within noise';
  out.push(`${verdict}: median synth CPU no more than the hand-written version's at every N where both fit (${both.join(', ')}), with and without validation.${more.length ? ` The construct's median is higher at ${more.join('; ')}.` : ''}`);
  const bytesPerEnv = (cand: Candidate) => {
    const top = Math.max(...r.ns.filter(n => c[`${cand}:${n}`]));
    return { top, bytes: (c[`${cand}:${top}`].templateBytes - c[`${cand}:1`].templateBytes) / (top - 1) };
  };
  const con = bytesPerEnv('construct');
  const hand = bytesPerEnv('handwritten');
  out.push(`${con.bytes <= 1126 ? 'Met' : 'Not met'}: an environment costs at most about 1.1 KB of minified template. Construct: ${Math.round(con.bytes)} bytes (N=1 to ${con.top}); hand-written: ${Math.round(hand.bytes)} bytes (N=1 to ${hand.top}).`);
  const over = r.probes.find(p => p.candidate === 'construct' && p.what === 'largest N + 1 fails');
  const ownError = over && !over.ok && /GithubOidcEcrPipeline|environments fit/.test(over.error ?? '') && !/greater than allowed maximum/.test(over.error ?? '');
  out.push(`${ownError ? 'Met' : 'Not met'}: past the largest N (${r.largestN.construct}), synth fails with the construct's own error, not aws-cdk-lib's generic one.`);
  const outs = r.probes.find(p => p.what === 'outputs on: largest N + 1 fails');
  const outsOk = r.probes.find(p => p.what === 'outputs on: largest N fits');
  out.push(`${outs && !outs.ok && /outputs/.test(outs.error ?? '') && outsOk?.ok ? 'Met' : 'Not met'}: with outputs on, ${outsOk?.n} environments synthesize and ${outs?.n} fail with the construct's error naming the 200-output limit and \`outputs\`.`);
  return out;
}

const THREE_IMAGES = 3;

/** The template figures of the construct with several images per environment (a monorepo). */
interface ImageCase {
  readonly images: number;
  readonly resourcesPerEnvironment: number;
  readonly fixed: number;
  readonly largestN: number;
  readonly outputsPerEnvironment: number;
  readonly templates: Record<string, TemplateStats>;
  readonly probes: Probe[];
}

/** Per-environment resources and template bytes with `images` images, and the limits verified on both sides. */
function imageCase(images: number, ns: number[]): ImageCase {
  const one = probe('stats', 'construct', 1, false, images).stats!;
  const two = probe('stats', 'construct', 2, false, images).stats!;
  const perEnv = two.resources - one.resources;
  const fixed = one.resources - perEnv;
  const largestN = Math.floor((RESOURCE_LIMIT - fixed) / perEnv);
  const outputsPerEnvironment = probe('stats', 'construct', 1, true, images).stats!.outputs;
  const templates: Record<string, TemplateStats> = {};
  for (const n of [...new Set([1, 2, ...ns.filter(x => x < largestN), largestN])].sort((a, b) => a - b)) {
    templates[String(n)] = n === 1 ? one : n === 2 ? two : probe('stats', 'construct', n, false, images).stats!;
  }
  const outputsFit = Math.floor(OUTPUT_LIMIT / outputsPerEnvironment);
  const probes = [
    probe(`${images} images: largest N fits`, 'construct', largestN, false, images),
    probe(`${images} images: largest N + 1 fails`, 'construct', largestN + 1, false, images),
    probe(`${images} images, outputs on: largest N fits`, 'construct', outputsFit, true, images),
    probe(`${images} images, outputs on: largest N + 1 fails`, 'construct', outputsFit + 1, true, images),
  ];
  log(`construct with ${images} images: ${perEnv} resources per environment + ${fixed}; largest N = ${largestN}; ${outputsPerEnvironment} outputs per environment`);
  return { images, resourcesPerEnvironment: perEnv, fixed, largestN, outputsPerEnvironment, templates, probes };
}

function renderImageCase(c: ImageCase): string[] {
  const base = c.templates['1'];
  const lines = [`## ${c.images} images per environment`, '',
    `The construct with \`images\` of ${c.images} images (a monorepo): each environment has one role and ${c.images} repositories, `
    + `${c.resourcesPerEnvironment} resources per environment plus ${c.fixed}, so at most ${c.largestN} environments fit one stack; with outputs on, each environment adds ${c.outputsPerEnvironment} outputs.`, '',
    '| N | resources | fits 500 | template bytes (minified) | bytes per extra environment | longest trust policy (chars) |',
    '|---:|---:|:---:|---:|---:|---:|'];
  for (const [n, t] of Object.entries(c.templates)) {
    const perEnvBytes = Number(n) > 1 ? fmt((t.templateBytes - base.templateBytes) / (Number(n) - 1)) : '—';
    lines.push(`| ${n} | ${t.resources} | ${t.resources <= RESOURCE_LIMIT ? 'yes' : 'no'} | ${fmt(t.templateBytes)} | ${perEnvBytes} | ${t.longestTrustPolicy} |`);
  }
  lines.push('', '| N | outputs | result |', '|---:|:---:|---|');
  for (const p of c.probes) {
    lines.push(`| ${p.n} | ${p.outputs ? 'on' : 'off'} | ${p.ok ? `synthesizes: ${p.stats!.resources} resources, ${p.stats!.outputs} outputs` : `fails: ${oneLine(p.error!)}`} |`);
  }
  lines.push('');
  return lines;
}

/** Median absolute deviation of the CPU samples, relative to their median. */
function relativeMad(s: Summary): number {
  const cpu = s.samples.map(x => x.cpuMs);
  const m = median(cpu);
  return median(cpu.map(v => Math.abs(v - m))) / m;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * Recompute the figures that do not depend on the machine (per-environment resources, the largest N,
 * the limit probes, the template sizes and the image case) into results.json, keeping its times.
 */
function recomputeTemplates(): void {
  const results = JSON.parse(readFileSync(join(RESULTS, 'results.json'), 'utf-8')) as Results;
  const largest = {} as Record<Candidate, number>;
  const perEnv = {} as Record<Candidate, number>;
  const templates: Record<string, TemplateStats> = {};
  for (const candidate of CANDIDATES) {
    const one = probe('stats', candidate, 1).stats!;
    const two = probe('stats', candidate, 2).stats!;
    perEnv[candidate] = two.resources - one.resources;
    largest[candidate] = Math.floor((RESOURCE_LIMIT - (one.resources - perEnv[candidate])) / perEnv[candidate]);
    for (const n of results.ns) if (n <= largest[candidate]) templates[`${candidate}:${n}`] = probe('stats', candidate, n).stats!;
  }
  const probes: Probe[] = [];
  for (const candidate of CANDIDATES) {
    probes.push(probe('largest N fits', candidate, largest[candidate]));
    probes.push(probe('largest N + 1 fails', candidate, largest[candidate] + 1));
  }
  const outputsFit = Math.floor(OUTPUT_LIMIT / 2);
  probes.push(probe('outputs on: largest N fits', 'construct', outputsFit, true));
  probes.push(probe('outputs on: largest N + 1 fails', 'construct', outputsFit + 1, true));
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf-8' }).stdout?.trim() || 'unknown';
  const updated: Results = {
    ...results,
    resourcesPerEnvironment: perEnv,
    largestN: largest,
    templates,
    probes,
    threeImages: imageCase(THREE_IMAGES, results.ns),
    templatesRecomputed: { date: new Date().toISOString(), commit },
  };
  writeFileSync(join(RESULTS, 'results.json'), `${JSON.stringify(updated, undefined, 2)}\n`);
  render(updated);
  log(`recomputed the template figures at ${commit}; times kept from ${results.commit}`);
}

// `node run.js --render` redraws results.md and the chart from results.json, without measuring;
// `--templates` recomputes the figures that do not depend on the machine, and keeps the times.
if (require.main === module) {
  if (process.argv[2] === '--render') render(JSON.parse(readFileSync(join(RESULTS, 'results.json'), 'utf-8')) as Results);
  else if (process.argv[2] === '--templates') recomputeTemplates();
  else main();
}
