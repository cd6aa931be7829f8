import { Arn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { GithubIssuer } from './issuer';
import { GITHUB_ACTIONS_ISSUER } from './private/constants';
import { pascalCase } from './private/names';
import { regionPartition, stsAudience } from './private/trust';
import { checkInstance, checkType } from './private/types';
import { fail } from './private/validation';

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

  /**
   * The provider that the pipelines of the stack of `scope` share for `issuer`, created by the
   * first of them: one per stack and issuer, found in the construct tree under the issuer's
   * well-known id. An account holds one provider per URL, so a stack is refused when another
   * stack of the same literal account already has a `GithubActionsOidcProvider` for the issuer,
   * whether its pipelines created it or the user did.
   *
   * @internal
   */
  public static _forStack(scope: IConstruct, issuer: GithubIssuer): iam.IOidcProvider {
    const stack = Stack.of(scope);
    const id = providerIdOf(issuer);
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof GithubActionsOidcProvider && existing.issuer.hostPath === issuer.hostPath) return existing;
    if (existing !== undefined) {
      throw new Error(`provider was not given, and the stack already has a construct '${id}' that is not a GithubActionsOidcProvider for ${issuer.url}; pass provider explicitly`);
    }
    const same = providersByUrl(stack).get(normalUrl(issuer.url)) ?? [];
    if (same.length > 0) {
      throw new Error(`provider was not given, so the pipeline would create a GitHub Actions provider for ${issuer.url} in stack '${stack.node.path}', but the stack already has one for that URL at '${same[0].node.path}', and an account holds only one per URL (CloudFormation fails with EntityAlreadyExists); pass that one as provider`);
    }
    if (!Token.isUnresolved(stack.account)) {
      // One in this stack was found above, by its id or by its URL, so this finds another stack's.
      const other = stack.node.root.node.findAll().find((c): c is GithubActionsOidcProvider => c instanceof GithubActionsOidcProvider
        && c.issuer.hostPath === issuer.hostPath && Stack.of(c).account === stack.account);
      if (other !== undefined) {
        const otherStack = Stack.of(other).node.path;
        const importCall = issuer._kind === 'github.com'
          ? 'GithubActionsOidcProvider.fromAccount(this, \'GithubProvider\')'
          : 'GithubActionsOidcProvider.fromAccount(this, \'GithubProvider\', issuer)';
        throw new Error(`provider was not given in stack '${stack.node.path}', but stack '${otherStack}' already creates the GitHub Actions provider in account ${stack.account} for ${issuer.url}, and an account can hold only one; in '${stack.node.path}' pass provider: ${importCall}, and deploy '${otherStack}' first`);
      }
    }
    return new GithubActionsOidcProvider(stack, id, { issuer });
  }

  /**
   * A provider passed to a pipeline must be the issuer's, in the stack's account and partition:
   * a role may trust only a provider of its own account, and STS sets only the provider's own
   * condition keys, so any other provider locks every workflow out.
   *
   * @internal
   */
  public static _checkPassedIn(provider: iam.IOidcProvider, issuer: GithubIssuer, stack: Stack): void {
    checkProviderMatches(provider, issuer, stack);
  }

  /**
   * What is wrong with the stack's providers at synth: two for one URL, which an account cannot
   * hold (a provider may be added after the pipelines). One message per URL.
   *
   * @internal
   */
  public static _stackProblems(stack: Stack): string[] {
    return [...providersByUrl(stack).values()].filter(group => group.length > 1).map(group =>
      `provider: stack '${stack.node.path}' has ${group.length} IAM OIDC providers for ${group[0].url} (${group.map(c => `'${c.node.path}'`).join(' and ')}), and an account holds only one per URL (CloudFormation fails with EntityAlreadyExists); keep one and pass it as provider to every GithubOidcEcrPipeline`);
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

/**
 * The construct id of the provider that the pipelines of a stack share for an issuer. github.com's
 * is the id it always had, so its logical id is stable; the others add the host or the slug.
 */
function providerIdOf(issuer: GithubIssuer): string {
  switch (issuer._kind) {
    case 'github.com':
      return 'GithubActionsOidcProvider';
    case 'enterprise-server':
      // Stryker disable next-line Regex: equivalent without '$': enterpriseServer() refuses a host with '/', so hostPath is HOST/_services/token and its only '/_services/token' is at the end
      return `GithubEnterpriseServerOidcProvider${pascalCase(issuer.hostPath.replace(/\/_services\/token$/, '').split('.').join('-'))}`;
    case 'enterprise-cloud':
      return `GithubEnterpriseCloudOidcProvider${pascalCase(issuer.hostPath.slice(`${GITHUB_ACTIONS_ISSUER}/`.length))}`;
  }
}

/** The stack's own AWS::IAM::OIDCProvider resources with a literal URL, by normalized URL. */
function providersByUrl(stack: Stack): Map<string, iam.CfnOIDCProvider[]> {
  const byUrl = new Map<string, iam.CfnOIDCProvider[]>();
  for (const c of stack.node.findAll()) {
    if (!(c instanceof iam.CfnOIDCProvider) || Stack.of(c) !== stack || typeof c.url !== 'string' || Token.isUnresolved(c.url)) continue;
    const url = normalUrl(c.url);
    byUrl.set(url, [...byUrl.get(url) ?? [], c]);
  }
  return byUrl;
}

/** An issuer URL or host path as IAM compares it: case-insensitive, without trailing slashes. */
function normalUrl(url: string): string {
  return url.toLowerCase().replace(/\/+$/, '');
}

/**
 * A provider passed in must be the issuer's, in the stack's account and partition: a role may
 * trust only a provider of its own account, and STS sets only the provider's own condition keys,
 * so any other provider locks every workflow out. Only literal parts are compared.
 */
function checkProviderMatches(provider: iam.IOidcProvider, issuer: GithubIssuer, stack: Stack): void {
  // A GithubActionsOidcProvider of another issuer is refused here, by its resource's URL.
  const cfn = provider.node.defaultChild;
  if (cfn instanceof iam.CfnOIDCProvider && typeof cfn.url === 'string' && !Token.isUnresolved(cfn.url)
    && normalUrl(cfn.url) !== normalUrl(issuer.url)) {
    fail('provider', cfn.url, `must be a provider for the pipeline's issuer '${issuer.url}' (set issuer to the provider's issuer, or pass a provider for this one)`);
  }
  const arn = provider.oidcProviderArn;
  if (typeof arn !== 'string') fail('provider.oidcProviderArn', arn, 'must be a string');
  if (!Token.isUnresolved(arn) && !/^arn:[^:]+:iam::[^:]*:oidc-provider\/.+$/.test(arn)) {
    fail('provider', arn, 'must have an IAM OIDC provider ARN, arn:PARTITION:iam::ACCOUNT:oidc-provider/URL');
  }
  // A token ARN is read only from a literal 'arn:' on; its URL runs to the end ('s': newlines too).
  const match = /^arn:(.*?):iam::(.*?):oidc-provider\/(.+)/s.exec(arn);
  if (!match) return;
  const [, partition, account, url] = match;
  const literal = (value: string) => !Token.isUnresolved(value);
  if (literal(url) && normalUrl(url) !== normalUrl(issuer.hostPath)) {
    fail('provider', arn, `must be the provider for the pipeline's issuer '${issuer.url}': STS would set only ${url}'s condition keys, so no token would pass the trust policy's ${issuer.hostPath} conditions (set issuer, or pass that issuer to GithubActionsOidcProvider.fromAccount)`);
  }
  if (literal(account) && literal(stack.account) && account !== stack.account) {
    fail('provider', arn, `must be in the stack's account ${stack.account}: a role can trust only an OIDC provider of its own account`);
  }
  const stackPartition = literal(stack.partition) ? stack.partition : regionPartition(stack.region);
  if (literal(partition) && stackPartition !== undefined && partition !== stackPartition) {
    fail('provider', arn, `must be in the stack's partition ${stackPartition}`);
  }
}
