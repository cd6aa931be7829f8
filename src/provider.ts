import { Arn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GithubIssuer } from './issuer';
import { regionPartition, stsAudience } from './private/trust';
import { checkInstance, checkType } from './private/types';


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

  /**
   * Who issues the tokens: github.com, a GitHub Enterprise Server host or a GitHub Enterprise
   * Cloud enterprise. It sets the provider's URL.
   *
   * @default GithubIssuer.githubCom()
   */
  readonly issuer?: GithubIssuer;
}

/**
 * The IAM OIDC identity provider for GitHub Actions (`token.actions.githubusercontent.com`, or a
 * GitHub Enterprise issuer).
 *
 * A native `AWS::IAM::OIDCProvider`: no Lambda and no custom resource. Its client ID is the STS
 * audience of the stack's partition: `sts.amazonaws.com.cn` in aws-cn (which needs a stack with a
 * literal region), `sts.amazonaws.com` elsewhere. An account can hold only one provider for a
 * URL; where it already exists, use `GithubActionsOidcProvider.fromAccount`.
 *
 * @resource AWS::IAM::OIDCProvider
 */
export class GithubActionsOidcProvider extends iam.OidcProviderNative {
  /**
   * Import the GitHub Actions provider that already exists in the stack's account.
   *
   * The ARN is built from the stack's partition and account, so it works in every partition;
   * when the stack's region is a literal, the partition is written literally.
   *
   * @param scope the scope to import into
   * @param id the construct id of the imported provider
   * @param issuer the issuer whose provider to import; github.com when not given
   */
  public static fromAccount(scope: Construct, id: string, issuer?: GithubIssuer): iam.IOidcProvider {
    checkInstance('fromAccount(issuer)', issuer, x => x instanceof GithubIssuer, 'GithubIssuer', true);
    const stack = Stack.of(scope);
    const arn = Arn.format({
      partition: regionPartition(stack.region) ?? stack.partition,
      service: 'iam',
      region: '',
      resource: 'oidc-provider',
      resourceName: (issuer ?? GithubIssuer.githubCom()).hostPath,
    }, stack);
    return iam.OidcProviderNative.fromOidcProviderArn(scope, id, arn);
  }

  /** Who issues the tokens this provider accepts. */
  public readonly issuer: GithubIssuer;

  constructor(scope: Construct, id: string, props: GithubActionsOidcProviderProps = {}) {
    checkType('props', props, 'object', false);
    checkInstance('issuer', props.issuer, x => x instanceof GithubIssuer, 'GithubIssuer', true);
    const issuer = props.issuer ?? GithubIssuer.githubCom();
    super(scope, id, {
      url: issuer.url,
      clientIds: [stsAudience(Stack.of(scope))],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.issuer = issuer;
  }
}
