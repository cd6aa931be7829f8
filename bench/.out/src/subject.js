"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.GithubSubject = exports.GithubSubjectKind = void 0;
/**
 * The kinds of workflow run a GitHub Actions OIDC token can describe in its `sub` claim.
 */
var GithubSubjectKind;
(function (GithubSubjectKind) {
    /** A push or workflow run on a branch: `ref:refs/heads/NAME`. */
    GithubSubjectKind["BRANCH"] = "BRANCH";
    /** A run on a tag: `ref:refs/tags/NAME`. */
    GithubSubjectKind["TAG"] = "TAG";
    /** A job that targets a GitHub deployment environment: `environment:NAME`. */
    GithubSubjectKind["ENVIRONMENT"] = "ENVIRONMENT";
    /** A run triggered by a `pull_request` event: `pull_request`. */
    GithubSubjectKind["PULL_REQUEST"] = "PULL_REQUEST";
})(GithubSubjectKind || (exports.GithubSubjectKind = GithubSubjectKind = {}));
/**
 * A workflow run that a role trusts, as it appears in the `sub` claim of the GitHub Actions token.
 *
 * Exact subjects are matched with `StringEquals`. Only `branchPattern` and `tagPattern` produce a
 * wildcard, matched with `StringLike`.
 */
class GithubSubject {
    /**
     * Workflow runs on exactly this branch.
     *
     * @param name the branch name without `refs/heads/`, e.g. `main`
     */
    static branch(name) {
        return new GithubSubject(GithubSubjectKind.BRANCH, name, false);
    }
    /**
     * Workflow runs on exactly this tag.
     *
     * @param name the tag name without `refs/tags/`, e.g. `v1.2.0`
     */
    static tag(name) {
        return new GithubSubject(GithubSubjectKind.TAG, name, false);
    }
    /**
     * Jobs that target this GitHub deployment environment, from any branch.
     *
     * Such a subject is only as safe as the environment's protection rules on GitHub
     * (required reviewers, deployment branches).
     *
     * @param name the deployment environment's name, e.g. `production`
     */
    static environment(name) {
        return new GithubSubject(GithubSubjectKind.ENVIRONMENT, name, false);
    }
    /**
     * Workflow runs triggered by a `pull_request` event, from any branch or fork the event admits.
     */
    static pullRequest() {
        return new GithubSubject(GithubSubjectKind.PULL_REQUEST, undefined, false);
    }
    /**
     * Workflow runs on any branch matching an IAM wildcard pattern, e.g. `release/*`.
     *
     * Only `*` is allowed. IAM's `*` also matches `/`, so `release/*` admits `release/a/b`.
     *
     * @param pattern a branch name containing at least one `*`
     */
    static branchPattern(pattern) {
        return new GithubSubject(GithubSubjectKind.BRANCH, pattern, true);
    }
    /**
     * Workflow runs on any tag matching an IAM wildcard pattern, e.g. `v*`.
     *
     * Only `*` is allowed.
     *
     * @param pattern a tag name containing at least one `*`
     */
    static tagPattern(pattern) {
        return new GithubSubject(GithubSubjectKind.TAG, pattern, true);
    }
    /**
     * What kind of run this subject describes.
     */
    kind;
    /**
     * The branch, tag or environment name (or pattern).
     *
     * @default - none, for `pullRequest()`
     */
    value;
    /**
     * Whether `value` is a wildcard pattern, matched with `StringLike`.
     */
    isPattern;
    constructor(kind, value, isPattern) {
        this.kind = kind;
        this.value = value;
        this.isPattern = isPattern;
    }
    /**
     * The part of the `sub` claim after `repo:OWNER/REPO:`.
     *
     * @internal
     */
    _render() {
        switch (this.kind) {
            case GithubSubjectKind.BRANCH: return `ref:refs/heads/${this.value}`;
            case GithubSubjectKind.TAG: return `ref:refs/tags/${this.value}`;
            case GithubSubjectKind.ENVIRONMENT: return `environment:${this.value}`;
            case GithubSubjectKind.PULL_REQUEST: return 'pull_request';
        }
    }
    /**
     * A readable form of the subject, e.g. `branch main` or `branch pattern release/*`.
     */
    toString() {
        const kind = this.kind === GithubSubjectKind.PULL_REQUEST ? 'pull request' : this.kind.toLowerCase();
        return this.value === undefined ? kind : `${kind}${this.isPattern ? ' pattern' : ''} ${this.value}`;
    }
}
exports.GithubSubject = GithubSubject;
