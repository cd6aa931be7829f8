/**
 * The kinds of workflow run a GitHub Actions OIDC token can describe in its `sub` claim.
 */
export enum GithubSubjectKind {
  /** A push or workflow run on a branch: `ref:refs/heads/NAME`. */
  BRANCH = 'BRANCH',
  /** A run on a tag: `ref:refs/tags/NAME`. */
  TAG = 'TAG',
  /** A job that targets a GitHub deployment environment: `environment:NAME`. */
  ENVIRONMENT = 'ENVIRONMENT',
  /** A run triggered by a `pull_request` event: `pull_request`. */
  PULL_REQUEST = 'PULL_REQUEST',
}

/** The git ref of a branch or tag is its name behind this prefix; other kinds have no ref. */
const GIT_REF_PREFIXES: Partial<Record<GithubSubjectKind, string>> = {
  [GithubSubjectKind.BRANCH]: 'refs/heads/',
  [GithubSubjectKind.TAG]: 'refs/tags/',
};

/** The `context` of GitHub's default `sub` template, by kind: `ref:GITREF`, `environment:NAME`, `pull_request`. */
const REF_CONTEXT = 'ref:';
const ENVIRONMENT_CONTEXT = 'environment:';
const PULL_REQUEST_CONTEXT = 'pull_request';

/** A name as the default template carries it: `:` separates the claims, so a name holds none. */
const CONTEXT_NAME = /^[^:]+$/;

/**
 * A workflow run that a role trusts, as it appears in the `sub` claim of the GitHub Actions token.
 *
 * Exact subjects are matched with `StringEquals`. Only `branchPattern` and `tagPattern` produce a
 * wildcard, matched with `StringLike`.
 */
export class GithubSubject {
  /**
   * Workflow runs on exactly this branch.
   *
   * @param name the branch name without `refs/heads/`, e.g. `main`
   */
  public static branch(name: string): GithubSubject {
    return new GithubSubject(GithubSubjectKind.BRANCH, name, false);
  }

  /**
   * Workflow runs on exactly this tag.
   *
   * @param name the tag name without `refs/tags/`, e.g. `v1.2.0`
   */
  public static tag(name: string): GithubSubject {
    return new GithubSubject(GithubSubjectKind.TAG, name, false);
  }

  /**
   * Jobs that target this GitHub deployment environment.
   *
   * An environment that trusts a deployment environment admits only that deployment
   * environment's tokens; its branches and tags then gate the generated job. With GitHub's
   * default subject template such a token names no branch, so the subject is only as safe as the
   * environment's protection rules on GitHub (required reviewers, deployment branches). Bind it to
   * the branches in the role itself with `subjectClaimKeys: ['repo', 'context', 'ref']`.
   *
   * @param name the deployment environment's name, e.g. `production`
   */
  public static environment(name: string): GithubSubject {
    return new GithubSubject(GithubSubjectKind.ENVIRONMENT, name, false);
  }

  /**
   * Workflow runs triggered by a `pull_request` event, from any branch or fork the event admits.
   */
  public static pullRequest(): GithubSubject {
    return new GithubSubject(GithubSubjectKind.PULL_REQUEST, undefined, false);
  }

  /**
   * Workflow runs on any branch matching an IAM wildcard pattern, e.g. `release/*`.
   *
   * Only `*` is allowed. IAM's `*` also matches `/`, so `release/*` admits `release/a/b`.
   *
   * @param pattern a branch name containing at least one `*`
   */
  public static branchPattern(pattern: string): GithubSubject {
    return new GithubSubject(GithubSubjectKind.BRANCH, pattern, true);
  }

  /**
   * Workflow runs on any tag matching an IAM wildcard pattern, e.g. `v*`.
   *
   * Only `*` is allowed.
   *
   * @param pattern a tag name containing at least one `*`
   */
  public static tagPattern(pattern: string): GithubSubject {
    return new GithubSubject(GithubSubjectKind.TAG, pattern, true);
  }

  /**
   * The subject a run's `sub` names after `repo:OWNER/REPO:` in GitHub's default template, read
   * back: `_render()` the other way round. A ref is read as a pattern when `pattern` is true.
   *
   * @internal
   */
  public static _fromContext(context: string, pattern: boolean = false): GithubSubject | undefined {
    if (context === PULL_REQUEST_CONTEXT) return GithubSubject.pullRequest();
    if (context.startsWith(ENVIRONMENT_CONTEXT)) {
      const name = context.slice(ENVIRONMENT_CONTEXT.length);
      return CONTEXT_NAME.test(name) ? GithubSubject.environment(name) : undefined;
    }
    if (!context.startsWith(REF_CONTEXT)) return undefined;
    const ref = context.slice(REF_CONTEXT.length);
    for (const [kind, prefix] of Object.entries(GIT_REF_PREFIXES) as Array<[GithubSubjectKind, string]>) {
      const name = ref.slice(prefix.length);
      if (ref.startsWith(prefix) && CONTEXT_NAME.test(name)) return new GithubSubject(kind, name, pattern);
    }
    return undefined;
  }

  /**
   * What kind of run this subject describes.
   */
  public readonly kind: GithubSubjectKind;

  /**
   * The branch, tag or environment name (or pattern).
   *
   * @default - none, for `pullRequest()`
   */
  public readonly value?: string;

  /**
   * Whether `value` is a wildcard pattern, matched with `StringLike`.
   */
  public readonly isPattern: boolean;

  /**
   * The git ref of the runs, as the token's `ref` claim gives it: `refs/heads/NAME` for a
   * branch, `refs/tags/NAME` for a tag (with the pattern's `*`, for a pattern).
   *
   * @default - none, for deployment environments and pull requests, whose runs are on any ref
   */
  public readonly gitRef?: string;

  private constructor(kind: GithubSubjectKind, value: string | undefined, isPattern: boolean) {
    if (kind !== GithubSubjectKind.PULL_REQUEST && typeof value !== 'string') {
      const factory = `${kind.toLowerCase()}${isPattern ? 'Pattern' : ''}`;
      throw new Error(`GithubSubject.${factory}(${isPattern ? 'pattern' : 'name'}) must be a string, got ${value === null ? 'null' : typeof value} ${JSON.stringify(value)}`);
    }
    this.kind = kind;
    this.value = value;
    this.isPattern = isPattern;
    const prefix = GIT_REF_PREFIXES[kind];
    if (prefix !== undefined) this.gitRef = `${prefix}${value}`;
  }

  /**
   * The part of the `sub` claim after `repo:OWNER/REPO:`.
   *
   * @internal
   */
  public _render(): string {
    switch (this.kind) {
      case GithubSubjectKind.BRANCH:
      case GithubSubjectKind.TAG:
        return `${REF_CONTEXT}${this.gitRef}`;
      case GithubSubjectKind.ENVIRONMENT: return `${ENVIRONMENT_CONTEXT}${this.value}`;
      case GithubSubjectKind.PULL_REQUEST: return PULL_REQUEST_CONTEXT;
    }
  }

  /**
   * A readable form of the subject, e.g. `branch main` or `branch pattern release/*`.
   */
  public toString(): string {
    const kind = this.kind === GithubSubjectKind.PULL_REQUEST ? 'pull request' : this.kind.toLowerCase();
    return this.value === undefined ? kind : `${kind}${this.isPattern ? ' pattern' : ''} ${this.value}`;
  }
}
