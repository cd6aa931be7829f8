import { Stack } from 'aws-cdk-lib';
import { BENCH_REPOSITORY, benchEnvironments } from './scenario';
import { GithubOidcEcrPipeline } from '../src';

/**
 * The benchmark scenario with the construct: one pipeline, N environments of one branch each;
 * with `images`, that many images (`i1`, `i2`, ...), so one repository per image in each environment.
 */
export function buildConstruct(stack: Stack, n: number, outputs: boolean, images?: number): void {
  new GithubOidcEcrPipeline(stack, 'Pipeline', {
    githubRepository: BENCH_REPOSITORY,
    images: images === undefined ? undefined : Array.from({ length: images }, (_, i) => ({
      name: `i${i + 1}`, dockerfile: `services/i${i + 1}/Dockerfile`, buildContext: `services/i${i + 1}`, paths: [`services/i${i + 1}/**`],
    })),
    environments: benchEnvironments(n).map(env => ({ name: env.name, branches: [env.branch] })),
    outputs,
  });
}
