import { Stack } from 'aws-cdk-lib';
import { BENCH_REPOSITORY, benchEnvironments } from './scenario';
import { GithubOidcEcrPipeline } from '../src';

/** The benchmark scenario with the construct: one pipeline, N environments of one branch each. */
export function buildConstruct(stack: Stack, n: number, outputs: boolean): void {
  new GithubOidcEcrPipeline(stack, 'Pipeline', {
    githubRepository: BENCH_REPOSITORY,
    environments: benchEnvironments(n).map(env => ({ name: env.name, branches: [env.branch] })),
    outputs,
  });
}
