import { Token } from 'aws-cdk-lib';
import { GITHUB_ACTIONS_ISSUER, IssuerKind } from './private/constants';
import { fail } from './private/validation';

/** A DNS label: 1 to 63 lower-case letters, digits or inner hyphens. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A GitHub Enterprise Cloud enterprise slug, as it appears in the issuer URL. */
const ENTERPRISE_SLUG = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,99}$/;

/**
 * Who issues the GitHub Actions OIDC tokens the roles trust: github.com, a GitHub Enterprise
 * Server host, or a GitHub Enterprise Cloud enterprise with its own issuer.
 *
 * The issuer sets the provider URL, the prefix of every trust condition key
 * (`ISSUER:sub`, `ISSUER:aud`) and the ARN `GithubActionsOidcProvider.fromAccount` imports.
 */
export class GithubIssuer {
  /**
   * Tokens from github.com, issued by `https://token.actions.githubusercontent.com`.
   */
  public static githubCom(): GithubIssuer {
    return new GithubIssuer('github.com', GITHUB_ACTIONS_ISSUER);
  }

  /**
   * Tokens from a GitHub Enterprise Server host, issued by `https://HOST/_services/token`.
   *
   * @param host the server's DNS name, without scheme, port or path, e.g. `github.example.com`
   */
  public static enterpriseServer(host: string): GithubIssuer {
    const property = 'GithubIssuer.enterpriseServer(host)';
    if (typeof host !== 'string' || Token.isUnresolved(host)) {
      fail(property, host, 'must be a literal DNS name, not a token resolved at deploy time');
    }
    if (/[:/]/.test(host)) {
      fail(property, host, 'must be a DNS name without scheme, port or path, e.g. \'github.example.com\'');
    }
    const labels = host.split('.');
    if (host.length > 253 || labels.length < 2 || !labels.every(label => DNS_LABEL.test(label)) || /^[0-9]+$/.test(labels[labels.length - 1])) {
      fail(property, host, 'must be a fully qualified DNS name of lower-case labels (letters, digits, inner hyphens; 1 to 63 characters each, at most 253 in all), e.g. \'github.example.com\'');
    }
    if (host === 'github.com' || host === GITHUB_ACTIONS_ISSUER) {
      fail(property, host, 'must be a GitHub Enterprise Server host; for github.com use GithubIssuer.githubCom()');
    }
    return new GithubIssuer('enterprise-server', `${host}/_services/token`);
  }

  /**
   * Tokens from a GitHub Enterprise Cloud enterprise that uses a unique issuer URL,
   * `https://token.actions.githubusercontent.com/SLUG`.
   *
   * @param slug the enterprise's slug, e.g. `octo-enterprise`
   */
  public static enterpriseCloud(slug: string): GithubIssuer {
    const property = 'GithubIssuer.enterpriseCloud(slug)';
    if (typeof slug !== 'string' || Token.isUnresolved(slug)) {
      fail(property, slug, 'must be a literal enterprise slug, not a token resolved at deploy time');
    }
    if (!ENTERPRISE_SLUG.test(slug)) {
      fail(property, slug, 'must be an enterprise slug of 1 to 100 lower-case letters, digits or single hyphens, not starting or ending with a hyphen');
    }
    return new GithubIssuer('enterprise-cloud', `${GITHUB_ACTIONS_ISSUER}/${slug}`);
  }

  /**
   * The issuer's host and path, without `https://`. It prefixes every trust condition key and
   * ends the provider's ARN.
   */
  public readonly hostPath: string;

  /** The issuer URL, the provider's URL. */
  public readonly url: string;

  /**
   * Which kind of GitHub issues the tokens.
   * @internal
   */
  public readonly _kind: IssuerKind;

  private constructor(kind: IssuerKind, hostPath: string) {
    this._kind = kind;
    this.hostPath = hostPath;
    this.url = `https://${hostPath}`;
  }

  /** The issuer URL. */
  public toString(): string {
    return this.url;
  }
}

