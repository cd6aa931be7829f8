import { Arn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GITHUB_ACTIONS_AUDIENCE, GITHUB_ACTIONS_ISSUER } from './private/constants';


/**
 * Properties of a `GithubActionsOidcProvider`.
 */
export interface GithubActionsOidcProviderProps {
  /**
   * What happens to the provider when it leaves the stack. Other stacks and workflows in the
   * account often use the same provider, so it is kept by default.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The IAM OIDC identity provider for GitHub Actions (`token.actions.githubusercontent.com`).
 *
 * A native `AWS::IAM::OIDCProvider`: no Lambda and no custom resource. An account can hold only
 * one provider for this URL; where it already exists, use `GithubActionsOidcProvider.fromAccount`.
 *
 * @resource AWS::IAM::OIDCProvider
 */
export class GithubActionsOidcProvider extends iam.OidcProviderNative {
  /**
   * Import the GitHub Actions provider that already exists in the stack's account.
   *
   * The ARN is built from the stack's partition and account, so it works in every partition.
   *
   * @param scope the scope to import into
   * @param id the construct id of the imported provider
   */
  public static fromAccount(scope: Construct, id: string): iam.IOidcProvider {
    const arn = Arn.format({
      service: 'iam',
      region: '',
      resource: 'oidc-provider',
      resourceName: GITHUB_ACTIONS_ISSUER,
    }, Stack.of(scope));
    return iam.OidcProviderNative.fromOidcProviderArn(scope, id, arn);
  }

  constructor(scope: Construct, id: string, props: GithubActionsOidcProviderProps = {}) {
    super(scope, id, {
      url: `https://${GITHUB_ACTIONS_ISSUER}`,
      clientIds: [GITHUB_ACTIONS_AUDIENCE],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
