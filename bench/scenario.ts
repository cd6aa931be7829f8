/** The GitHub repository of the benchmark scenario. */
export const BENCH_REPOSITORY = 'octo-org/octo-repo';

/** One environment of the scenario: its name and the one branch that may push to it. */
export interface BenchEnvironment {
  readonly name: string;
  readonly branch: string;
}

/** N environments, `e001`, `e002`, ..., each pushed to from its own branch. */
export function benchEnvironments(n: number): BenchEnvironment[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `e${String(i + 1).padStart(3, '0')}`;
    return { name, branch: `deploy/${name}` };
  });
}
