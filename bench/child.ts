/**
 * One benchmark sample, run as a whole process: build the app, synthesize it, and print one JSON
 * line with this process's CPU time and peak RSS. The parent reads the template from `outdir`.
 *
 * Usage: node child.js '{"candidate":"construct","n":10,"validation":true,"outputs":false,"outdir":"/tmp/x"}'
 */
import { App, Stack, Stage } from 'aws-cdk-lib';
import { buildConstruct } from './construct';
import { buildHandwritten } from './handwritten';

/** What the parent asks one child to do. */
export interface ChildRequest {
  readonly candidate: 'construct' | 'handwritten';
  readonly n: number;
  /** With aws-cdk-lib's built-in CloudFormation validation (`app.synth()`), or without (`stage.synth()`). */
  readonly validation: boolean;
  readonly outputs: boolean;
  /** The construct with this many images per environment; without it, one image as by default. */
  readonly images?: number;
  readonly outdir: string;
}

/** What one child reports. */
export interface ChildResult {
  readonly ok: boolean;
  readonly error?: string;
  /** User plus system CPU time of this process, from its start to the end of synthesis. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

function main(): void {
  const req = JSON.parse(process.argv[2]) as ChildRequest;
  // The stack sits in a Stage under the App in both modes, so the trees are the same.
  // app.synth() runs the built-in validator on every stack; stage.synth() skips it, because
  // aws-cdk-lib 2.262 only runs it when the root of the synthesis is an App.
  const app = new App({ outdir: req.outdir });
  const stage = new Stage(app, 'Bench');
  const stack = new Stack(stage, 'Stack');
  let error: string | undefined;
  try {
    if (req.candidate === 'construct') buildConstruct(stack, req.n, req.outputs, req.images);
    else buildHandwritten(stack, req.n);
    if (req.validation) app.synth();
    else stage.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const usage = process.resourceUsage();
  const result: ChildResult = {
    ok: error === undefined,
    error,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    maxRssMb: usage.maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
