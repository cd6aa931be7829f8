import { App, Stack } from 'aws-cdk-lib';
import * as signer from 'aws-cdk-lib/aws-signer';
import { ACCOUNT, REGION, VALIDATION_CONTEXT, newTestStack } from './stack';
import { buildExampleApp } from '../../example/app';
import { GithubActionsOidcProvider, GithubIssuer, GithubOidcEcrPipeline, GithubSubject } from '../../src';

/**
 * The configurations the security tests run on: the example app and two others that use every
 * kind of subject, pinned IDs and an imported provider. Each environment lists, by hand, the
 * `sub` suffixes (after `repo:OWNER/REPO:`) a token must carry to be admitted, and look-alikes
 * that only this environment's kind of subject can produce.
 */
export interface Scenario {
  readonly title: string;
  readonly owner: string;
  readonly repo: string;
  readonly githubOwnerId?: string;
  readonly githubRepositoryId?: string;
  /** The issuer's host and path, which prefixes the condition keys; github.com when absent. */
  readonly issuer?: string;
  /**
   * Whether STS evaluates the repository_id key here (AWS documents it for github.com in aws);
   * where it does not, the key is absent from the request.
   * @default true
   */
  readonly repositoryIdEvaluated?: boolean;
  readonly environments: ScenarioEnvironment[];
  /** The signing profile whose ARN the roles may sign with (SignPayload), when the pipeline signs. */
  readonly signingProfileArn?: string;
  build(): { app: App; stack: Stack; pipeline: GithubOidcEcrPipeline };
}

export interface ScenarioEnvironment {
  readonly name: string;
  /** `sub` suffixes this environment admits. */
  readonly allowed: string[];
  /** Extra `sub` suffixes it must refuse, beyond the ones derived from `allowed`. */
  readonly refused?: string[];
  /** Whether `allowed` comes from a pattern (no look-alikes are derived from pattern samples). */
  readonly pattern?: boolean;
}

export const EXAMPLE: Scenario = {
  title: 'example app (shamimice03/push-image-to-ecr)',
  owner: 'shamimice03',
  repo: 'push-image-to-ecr',
  environments: [
    { name: 'dev', allowed: ['ref:refs/heads/dev'] },
    { name: 'prod', allowed: ['ref:refs/heads/main'], refused: ['ref:refs/heads/master', 'ref:refs/heads/prod'] },
  ],
  build: () => buildExampleApp(new App({ context: VALIDATION_CONTEXT })),
};

export const PINNED_IDS: Scenario = {
  title: 'IDs pinned, tag, deployment environment and tag pattern subjects',
  owner: 'octo-org',
  repo: 'octo-repo',
  githubOwnerId: '5551234',
  githubRepositoryId: '987654321',
  signingProfileArn: `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/octo_images`,
  environments: [
    { name: 'staging', allowed: ['ref:refs/heads/develop', 'ref:refs/tags/nightly'] },
    {
      name: 'production',
      allowed: ['environment:production'],
      refused: ['environment:production-preview', 'environment:staging'],
    },
    {
      name: 'releases',
      pattern: true,
      allowed: ['ref:refs/tags/v1.2.3', 'ref:refs/tags/v2', 'ref:refs/tags/v1/rc'],
      refused: ['ref:refs/heads/v1.2.3', 'ref:refs/tags/V1.2.3', 'ref:refs/tags/1.2.3', 'ref:refs/tags/release-v1', 'environment:v1.2.3'],
    },
  ],
  build: () => {
    const { app, stack } = newTestStack();
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: 'octo-org/octo-repo',
      githubOwnerId: '5551234',
      githubRepositoryId: '987654321',
      signingProfile: signer.SigningProfile.fromSigningProfileAttributes(stack, 'ImageSigning', { signingProfileName: 'octo_images', signingProfileVersion: 'v1' }),
      environments: [
        { name: 'staging', branches: ['develop'], subjects: [GithubSubject.tag('nightly')] },
        { name: 'production', subjects: [GithubSubject.environment('production')] },
        { name: 'releases', subjects: [GithubSubject.tagPattern('v*')] },
      ],
    });
    return { app, stack, pipeline };
  },
};

export const RELEASE_PATTERN: Scenario = {
  title: 'imported provider, branchPattern(\'release/*\') and pull requests',
  owner: 'acme',
  repo: 'web.app',
  environments: [
    { name: 'dev', allowed: ['ref:refs/heads/dev', 'ref:refs/heads/feature-x'] },
    {
      name: 'release',
      pattern: true,
      // IAM's '*' also matches '/', so release/a/b is admitted (GitHub's filter is narrower).
      allowed: ['ref:refs/heads/release/1.2', 'ref:refs/heads/release/2.0.1', 'ref:refs/heads/release/a/b'],
      refused: [
        'ref:refs/heads/release-1.2', 'ref:refs/heads/release', 'ref:refs/heads/Release/1.2',
        'ref:refs/heads/prerelease/1.2', 'ref:refs/heads/x/release/1.2', 'ref:refs/tags/release/1.2',
        'environment:release/1.2', 'ref:refs/heads/release_1.2',
      ],
    },
    {
      name: 'preview',
      allowed: ['pull_request'],
      refused: ['pull_request_target', 'Pull_Request', 'pull_requests', 'pull_request ', 'ref:refs/pull/1/merge', 'ref:refs/heads/pull_request'],
    },
  ],
  build: () => {
    const { app, stack } = newTestStack();
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: 'acme/web.app',
      provider: GithubActionsOidcProvider.fromAccount(stack, 'Provider'),
      repositoryPrefix: 'acme-web',
      environments: [
        { name: 'dev', branches: ['dev', 'feature-x'] },
        { name: 'release', subjects: [GithubSubject.branchPattern('release/*')] },
        { name: 'preview', subjects: [GithubSubject.pullRequest()] },
      ],
    });
    return { app, stack, pipeline };
  },
};

export const ENTERPRISE_SERVER: Scenario = {
  title: 'GitHub Enterprise Server issuer, IDs pinned',
  owner: 'platform',
  repo: 'api',
  githubOwnerId: '12',
  githubRepositoryId: '345',
  issuer: 'github.example.com/_services/token',
  repositoryIdEvaluated: false,
  environments: [
    { name: 'dev', allowed: ['ref:refs/heads/dev'] },
    // A role that trusts a deployment environment admits only its tokens; main only gates the job.
    { name: 'prod', allowed: ['environment:production'], refused: ['ref:refs/heads/main'] },
  ],
  build: () => {
    const { app, stack } = newTestStack();
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: 'platform/api',
      githubOwnerId: '12',
      githubRepositoryId: '345',
      issuer: GithubIssuer.enterpriseServer('github.example.com'),
      environments: [
        { name: 'dev', branches: ['dev'] },
        { name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] },
      ],
    });
    return { app, stack, pipeline };
  },
};

export const ENTERPRISE_CLOUD: Scenario = {
  title: 'GitHub Enterprise Cloud issuer with a tag pattern',
  owner: 'octo-org',
  repo: 'web',
  issuer: 'token.actions.githubusercontent.com/octo-enterprise',
  environments: [
    { name: 'staging', allowed: ['ref:refs/heads/main'] },
    {
      name: 'releases',
      pattern: true,
      allowed: ['ref:refs/tags/v1', 'ref:refs/tags/v2.0.0'],
      refused: ['ref:refs/heads/v1', 'ref:refs/tags/x1'],
    },
  ],
  build: () => {
    const { app, stack } = newTestStack();
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: 'octo-org/web',
      issuer: GithubIssuer.enterpriseCloud('octo-enterprise'),
      environments: [
        { name: 'staging', branches: ['main'] },
        { name: 'releases', subjects: [GithubSubject.tagPattern('v*')] },
      ],
    });
    return { app, stack, pipeline };
  },
};

export const SCENARIOS: Scenario[] = [EXAMPLE, PINNED_IDS, RELEASE_PATTERN, ENTERPRISE_SERVER, ENTERPRISE_CLOUD];
