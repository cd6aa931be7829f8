import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { GithubActionsOidcProvider, GithubOidcEcrPipeline } from '../src';

/**
 * An integration test a user can deploy: one environment, its role and repository, and
 * assertions made with the AWS SDK against what CloudFormation created.
 *
 * An account holds one GitHub Actions provider; where it already exists, run with
 * `-c useExistingProvider=true` to import it instead of creating one.
 */
export function buildIntegApp(app: App = new App()): { app: App; stack: Stack; integ: IntegTest } {
  const stack = new Stack(app, 'GithubOidcEcrInteg');
  const useExisting = String(app.node.tryGetContext('useExistingProvider')) === 'true';
  const provider = useExisting
    ? GithubActionsOidcProvider.fromAccount(stack, 'Provider')
    : new GithubActionsOidcProvider(stack, 'GithubActionsOidcProvider', { removalPolicy: RemovalPolicy.DESTROY });
  const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
    githubRepository: 'octo-org/octo-repo',
    provider,
    environments: [{
      name: 'integ',
      branches: ['main'],
      removalPolicy: RemovalPolicy.DESTROY,
      // A repository policy, so that GetRepositoryPolicy has something to return.
      pullAccounts: [stack.account],
    }],
  });
  const env = pipeline.environment('integ');

  const integ = new IntegTest(app, 'GithubOidcEcrIntegTest', { testCases: [stack] });
  integ.assertions.awsApiCall('IAM', 'GetRole', { RoleName: env.role.roleName }).expect(ExpectedResult.objectLike({
    Role: { RoleName: env.role.roleName, MaxSessionDuration: 3600 },
  }));
  integ.assertions.awsApiCall('ECR', 'DescribeRepositories', { repositoryNames: [env.repository.repositoryName] }).expect(ExpectedResult.objectLike({
    repositories: Match.arrayWith([Match.objectLike({
      repositoryName: env.repository.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    })]),
  }));
  integ.assertions.awsApiCall('ECR', 'GetRepositoryPolicy', { repositoryName: env.repository.repositoryName }).expect(ExpectedResult.objectLike({
    repositoryName: env.repository.repositoryName,
    policyText: Match.stringLikeRegexp('PullFromOtherAccounts'),
  }));
  return { app, stack, integ };
}

if (require.main === module) {
  buildIntegApp().app.synth();
}
