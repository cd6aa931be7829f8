import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { regionPartition } from './trust';
import { fail } from './validation';
import type { GithubIssuer } from '../issuer';

/**
 * A provider passed in must be the issuer's, in the stack's account and partition: a role may
 * trust only a provider of its own account, and STS sets only the provider's own condition keys,
 * so any other provider locks every workflow out. Only literal parts are compared.
 */
export function checkProviderMatches(provider: iam.IOidcProvider, issuer: GithubIssuer, stack: Stack): void {
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
  const match = /^arn:(.*?):iam::(.*?):oidc-provider\/(.+)$/.exec(arn);
  if (!match) return;
  const [, partition, account, url] = match;
  const literal = (value: string) => !Token.isUnresolved(value);
  if (literal(url) && url.toLowerCase().replace(/\/+$/, '') !== issuer.hostPath.toLowerCase()) {
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

function normalUrl(url: string): string {
  return url.toLowerCase().replace(/\/+$/, '');
}
