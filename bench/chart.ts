/** The benchmark chart: synth CPU time and resources against N, as a plain SVG. */

interface Point {
  readonly n: number;
  readonly value: number;
}

interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: Point[];
}

interface SummaryLike {
  readonly candidate: string;
  readonly n: number;
  readonly validation: boolean;
  readonly cpuMedianMs?: number;
}

const COLORS: Record<string, string> = { construct: '#1f77b4', handwritten: '#d62728' };
const LABELS: Record<string, string> = { construct: 'construct', handwritten: 'hand-written' };
const WIDTH = 380;
const HEIGHT = 300;
const PAD = { left: 60, right: 15, top: 40, bottom: 45 };

/** Three panels: median CPU with validation, median CPU without, and resources, each against N. */
export function renderChart(
  summaries: SummaryLike[],
  ns: number[],
  templates: Map<string, { resources: number }>,
  largest: Record<string, number>,
  resourceLimit: number,
): string {
  const candidates = Object.keys(COLORS);
  const cpu = (validation: boolean): Series[] => candidates.map(c => ({
    name: LABELS[c],
    color: COLORS[c],
    points: summaries
      .filter(s => s.candidate === c && s.validation === validation && s.cpuMedianMs !== undefined)
      .sort((a, b) => a.n - b.n)
      .map(s => ({ n: s.n, value: s.cpuMedianMs! })),
  }));
  const resources: Series[] = candidates.map(c => ({
    name: LABELS[c],
    color: COLORS[c],
    points: ns.filter(n => templates.has(`${c}:${n}`)).map(n => ({ n, value: templates.get(`${c}:${n}`)!.resources })),
  }));
  const maxN = Math.max(...ns, ...Object.values(largest));
  const body = [
    panel(0, 'Synth CPU, median (ms), with validation', cpu(true), maxN),
    panel(WIDTH, 'Synth CPU, median (ms), without validation', cpu(false), maxN),
    panel(2 * WIDTH, 'Resources in the stack', resources, maxN, resourceLimit),
  ].join('\n');
  const legend = candidates.map((c, i) =>
    `<g transform="translate(${PAD.left + i * 150},${HEIGHT + 10})"><line x1="0" y1="0" x2="24" y2="0" stroke="${COLORS[c]}" stroke-width="2.5"/>`
    + `<text x="30" y="4" font-size="12">${LABELS[c]}</text></g>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${3 * WIDTH}" height="${HEIGHT + 25}" viewBox="0 0 ${3 * WIDTH} ${HEIGHT + 25}" font-family="sans-serif">`,
    '<rect width="100%" height="100%" fill="white"/>',
    body,
    legend,
    '</svg>',
    '',
  ].join('\n');
}

function panel(x0: number, title: string, series: Series[], maxN: number, limit?: number): string {
  const values = series.flatMap(s => s.points.map(p => p.value)).concat(limit ?? 0);
  const maxY = niceCeiling(Math.max(1, ...values) * 1.05);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (n: number) => x0 + PAD.left + (n / maxN) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / maxY) * plotH;
  const out: string[] = [];
  out.push(`<text x="${x0 + WIDTH / 2}" y="20" font-size="13" text-anchor="middle" font-weight="bold">${title}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (maxY / 4) * i;
    out.push(`<line x1="${x(0)}" y1="${y(v)}" x2="${x(maxN)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${x(0) - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${Math.round(v)}</text>`);
  }
  for (const n of niceTicks(maxN)) {
    out.push(`<text x="${x(n)}" y="${y(0) + 16}" font-size="11" text-anchor="middle">${n}</text>`);
  }
  out.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(maxN)}" y2="${y(0)}" stroke="black"/>`);
  out.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(maxY)}" stroke="black"/>`);
  out.push(`<text x="${x(maxN / 2)}" y="${y(0) + 34}" font-size="12" text-anchor="middle">N environments</text>`);
  if (limit !== undefined) {
    out.push(`<line x1="${x(0)}" y1="${y(limit)}" x2="${x(maxN)}" y2="${y(limit)}" stroke="#555" stroke-dasharray="5,4"/>`);
    out.push(`<text x="${x(maxN) - 4}" y="${y(limit) - 5}" font-size="11" text-anchor="end">CloudFormation limit ${limit}</text>`);
  }
  for (const s of series) {
    if (s.points.length === 0) continue;
    const path = s.points.map(p => `${x(p.n).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2.5"/>`);
    for (const p of s.points) {
      out.push(`<circle cx="${x(p.n).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3.5" fill="${s.color}"><title>${s.name}, N=${p.n}: ${Math.round(p.value)}</title></circle>`);
    }
  }
  return `<g>\n${out.join('\n')}\n</g>`;
}

/** The smallest round number at or above v that splits into four round intervals. */
function niceCeiling(v: number): number {
  const step = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.6, 2, 2.4, 3.2, 4, 6, 8, 10]) if (m * step >= v) return m * step;
  return 10 * step;
}

function niceTicks(maxN: number): number[] {
  const step = maxN > 100 ? 50 : maxN > 20 ? 10 : maxN > 5 ? 2 : 1;
  const ticks: number[] = [];
  for (let n = 0; n <= maxN; n += step) ticks.push(n);
  return ticks;
}
