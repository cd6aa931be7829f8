"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * One benchmark sample, run as a whole process: build the app, synthesize it, and print one JSON
 * line with this process's CPU time and peak RSS. The parent reads the template from `outdir`.
 *
 * Usage: node child.js '{"candidate":"construct","n":10,"validation":true,"outputs":false,"outdir":"/tmp/x"}'
 */
const aws_cdk_lib_1 = require("aws-cdk-lib");
const construct_1 = require("./construct");
const handwritten_1 = require("./handwritten");
function main() {
    const req = JSON.parse(process.argv[2]);
    // The stack sits in a Stage under the App in both modes, so the trees are the same.
    // app.synth() runs the built-in validator on every stack; stage.synth() skips it, because
    // aws-cdk-lib 2.262 only runs it when the root of the synthesis is an App.
    const app = new aws_cdk_lib_1.App({ outdir: req.outdir });
    const stage = new aws_cdk_lib_1.Stage(app, 'Bench');
    const stack = new aws_cdk_lib_1.Stack(stage, 'Stack');
    let error;
    try {
        if (req.candidate === 'construct')
            (0, construct_1.buildConstruct)(stack, req.n, req.outputs);
        else
            (0, handwritten_1.buildHandwritten)(stack, req.n);
        if (req.validation)
            app.synth();
        else
            stage.synth();
    }
    catch (e) {
        error = e.message;
    }
    const usage = process.resourceUsage();
    const result = {
        ok: error === undefined,
        error,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        maxRssMb: usage.maxRSS / 1024,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
}
main();
