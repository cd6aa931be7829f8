"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BENCH_REPOSITORY = void 0;
exports.benchEnvironments = benchEnvironments;
/** The GitHub repository of the benchmark scenario. */
exports.BENCH_REPOSITORY = 'octo-org/octo-repo';
/** N environments, `e001`, `e002`, ..., each pushed to from its own branch. */
function benchEnvironments(n) {
    return Array.from({ length: n }, (_, i) => {
        const name = `e${String(i + 1).padStart(3, '0')}`;
        return { name, branch: `deploy/${name}` };
    });
}
