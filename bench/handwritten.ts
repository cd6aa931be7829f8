import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BENCH_REPOSITORY, benchEnvironments } from './scenario';

/**
 * The benchmark scenario written by hand with aws-cdk-lib: what a careful user writes without the
 * construct. Same provider, same trust conditions, same repository settings; the push permissions
 * come from `grantPullPush`, which adds an `AWS::IAM::Policy` per role.
 */
export function buildHandwritten(stack: Stack, n: number): void {
  const provider = new iam.OidcProviderNative(stack, 'GithubProvider', {
    url: 'https://token.actions.githubusercontent.com',
    clientIds: ['sts.amazonaws.com'],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const [owner, repo] = BENCH_REPOSITORY.split('/');
  for (const env of benchEnvironments(n)) {
    const role = new iam.Role(stack, `${env.name}Role`, {
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': `repo:${owner}/${repo}:ref:refs/heads/${env.branch}`,
        },
      }),
    });
    const repository = new ecr.Repository(stack, `${env.name}Repository`, {
      repositoryName: `${repo}-${env.name}`,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{
        description: 'Expire untagged images 14 days after they were pushed',
        tagStatus: ecr.TagStatus.UNTAGGED,
        maxImageAge: Duration.days(14),
      }],
    });
    repository.grantPullPush(role);
  }
}
