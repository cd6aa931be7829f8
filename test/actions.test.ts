import * as fs from 'fs';
import * as path from 'path';
import { testApp } from './support/stack';
import { buildExampleApp } from '../example/app';
import { MONOREPO_WORKFLOW, buildMonorepoApp } from '../example/monorepo';
import { WorkflowOptions } from '../src';
import { DEFAULT_ACTIONS, VERSION_OPTIONS } from '../src/private/actions';

/*
 * The default actions live in src/private/actions.ts, one line each. These tests tie every other
 * place that names a pin (the rendered comment, the @default docs, the README, the verify
 * script) to that line, so a bump that misses one fails here.
 */

const ROOT = path.join(__dirname, '..');
const PINS = Object.entries(DEFAULT_ACTIONS);

/** The example's workflow; with two platforms it uses every default action, QEMU too. */
function exampleWorkflow(options: WorkflowOptions = {}): string {
  return buildExampleApp(testApp()).pipeline.renderWorkflow(options);
}
const EVERY_ACTION: WorkflowOptions = { platforms: 'linux/amd64,linux/arm64', supplyChain: { sbom: true } };

/** Every default action: the example's workflow on two platforms, and the monorepo's, whose changes job uses the paths filter. */
function everyActionWorkflow(): string {
  const monorepo = buildMonorepoApp(testApp()).pipeline;
  return exampleWorkflow(EVERY_ACTION) + monorepo.renderWorkflow(MONOREPO_WORKFLOW);
}

describe('the default pins', () => {
  test.each(PINS)('%s is a full commit SHA and a full release that runs on node24', (_, action) => {
    expect(action.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(action.release).toMatch(/^v\d+\.\d+\.\d+$/);
    // Runners force actions that target node20 onto Node 24; no default may target it.
    expect(action.runs).toBe('node24');
  });

  test('each action is pinned once', () => {
    expect(new Set(PINS.map(([, a]) => a.repository)).size).toBe(PINS.length);
    expect(Object.keys(VERSION_OPTIONS).sort()).toEqual(Object.keys(DEFAULT_ACTIONS).sort());
  });

  test('the rendered workflow writes each pin with its release beside it', () => {
    const workflow = everyActionWorkflow();
    for (const [, action] of PINS) {
      expect(workflow).toContain(`uses: ${action.repository}@${action.commit} # ${action.release}\n`);
    }
  });

  test('every release comment in the rendered workflow is the release of the commit beside it', () => {
    const lines = [...everyActionWorkflow().matchAll(/uses: ([^@\s]+)@([0-9a-f]{40}) # (\S+)$/gm)];
    expect(lines.length).toBeGreaterThanOrEqual(2 * PINS.length);
    for (const [, repository, commit, comment] of lines) {
      const action = PINS.map(([, a]) => a).find(a => a.repository === repository);
      expect({ repository, commit, comment }).toEqual({ repository, commit: action?.commit, comment: action?.release });
    }
  });

  test('the @default of each version option names the pinned commit and release', () => {
    for (const [key, action] of PINS) {
      // WorkflowOptions' own options are in src/workflow.ts, those of supplyChain in src/supply-chain.ts.
      const [file, option] = VERSION_OPTIONS[key as keyof typeof VERSION_OPTIONS].startsWith('supplyChain.')
        ? ['src/supply-chain.ts', VERSION_OPTIONS[key as keyof typeof VERSION_OPTIONS].slice('supplyChain.'.length)]
        : ['src/workflow.ts', VERSION_OPTIONS[key as keyof typeof VERSION_OPTIONS]];
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const doc = new RegExp(`@default ([^\\n]*)\\n\\s*\\*/\\n\\s*readonly ${option}\\?: string;`).exec(source);
      expect([option, doc?.[1]]).toEqual([option, `- commit ${action.commit}, release ${action.release}`]);
    }
  });

  test('the README\'s workflow is the example\'s, with the current pins', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /This is the workflow for the example at the top of this page:\n\n```yaml\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(exampleWorkflow());
    for (const [, action] of PINS) expect(readme).toContain(`| \`${action.repository}\` ${action.release} | \`${action.commit}\` |`);
  });

  // This test reads the source's text, which StrykerJS rewrites with its mutant switches
  // (stryMutAct_9fa48) in its sandbox: there it would test the instrumentation, so it is skipped.
  const source = fs.readFileSync(path.join(ROOT, 'src/private/actions.ts'), 'utf8');
  const textTest = source.includes('stryMutAct_9fa48') ? test.skip : test;
  textTest('scripts/verify-actions.mjs reads every pin', () => {
    // The script's pattern, as it parses src/private/actions.ts.
    const script = fs.readFileSync(path.join(ROOT, 'scripts/verify-actions.mjs'), 'utf8');
    const pattern = /^const PIN = \/(.*)\/gm;$/m.exec(script)![1];
    const found = [...source.matchAll(new RegExp(pattern, 'gm'))].map(match => match[1]);
    expect(found).toEqual(Object.keys(DEFAULT_ACTIONS));
  });
});
