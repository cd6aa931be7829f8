"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildConstruct = buildConstruct;
const scenario_1 = require("./scenario");
const src_1 = require("../src");
/** The benchmark scenario with the construct: one pipeline, N environments of one branch each. */
function buildConstruct(stack, n, outputs) {
    new src_1.GithubOidcEcrPipeline(stack, 'Pipeline', {
        repository: scenario_1.BENCH_REPOSITORY,
        environments: (0, scenario_1.benchEnvironments)(n).map(env => ({ name: env.name, branches: [env.branch] })),
        outputs,
    });
}
