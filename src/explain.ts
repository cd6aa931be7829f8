/**
 * The claims of a GitHub Actions OIDC token that the roles' trust policies can test.
 *
 * Each field is a claim of the token, under the name GitHub gives it in snake case
 * (`job_workflow_ref`, `repository_id`). A claim left out is absent from the token, and a
 * condition on it fails, as in STS.
 */
export interface TokenClaims {
  /**
   * The `sub` claim, e.g. `repo:octo-org/octo-repo:ref:refs/heads/main`.
   *
   * @default - absent
   */
  readonly sub?: string;

  /**
   * The `aud` claim. configure-aws-credentials asks for `sts.amazonaws.com`.
   *
   * @default - absent
   */
  readonly aud?: string;

  /**
   * The `ref` claim, e.g. `refs/heads/main`.
   *
   * @default - absent
   */
  readonly ref?: string;

  /**
   * The `job_workflow_ref` claim, e.g. `octo-org/octo-repo/.github/workflows/push.yml@refs/heads/main`.
   *
   * @default - absent
   */
  readonly jobWorkflowRef?: string;

  /**
   * The `repository_id` claim: GitHub's numeric ID of the repository, as a string.
   *
   * @default - absent
   */
  readonly repositoryId?: string;

  /**
   * The `repository_owner_id` claim: GitHub's numeric ID of the repository's owner, as a string.
   *
   * @default - absent
   */
  readonly repositoryOwnerId?: string;
}

/**
 * Whether one environment's role admits a token, and if not, why.
 */
export interface RoleVerdict {
  /** The environment's name. */
  readonly environment: string;

  /** Whether the role's trust policy admits the token. */
  readonly admitted: boolean;

  /**
   * The first condition that fails, e.g.
   * `sub is 'repo:o/r:ref:refs/heads/feature' but the role trusts 'repo:o/r:ref:refs/heads/dev'`.
   *
   * @default - none; the role admits the token
   */
  readonly firstFailure?: string;

  /**
   * What would make that condition pass, e.g. `run the workflow on branch dev`.
   *
   * @default - none; the role admits the token
   */
  readonly fix?: string;
}

/**
 * Which environment's role would admit a token, judged by the conditions of the trust policies
 * this construct writes. It is not a general IAM evaluator: STS also checks the token's
 * signature, issuer and expiry.
 */
export interface TrustExplanation {
  /** Whether any role admits the token. */
  readonly admitted: boolean;

  /**
   * The name of the environment whose role admits the token.
   *
   * @default - none; no role admits the token
   */
  readonly environment?: string;

  /** The verdict of each role, in the order of the environments. */
  readonly roles: RoleVerdict[];

  /** The explanation as text for a person, one line per role. */
  readonly report: string;
}
