/**
 * What the workflow records about each image it pushes, beyond the image itself: a signed build
 * provenance attestation (on by default) and an SBOM attestation (opt-in), both stored in the
 * repository as OCI referrers of the image's digest and in GitHub's attestation store.
 *
 * Signing with AWS Signer is not a workflow option: ECR signs on push, through the registry's
 * signing configuration (`EcrSigningConfiguration`) and the pipeline's `signingProfile`.
 */
export interface SupplyChainOptions {
  /**
   * Turn off the build provenance attestation.
   *
   * By default each job attests the digest it pushed with `actions/attest`: a SLSA build
   * provenance statement, signed with a short-lived Sigstore certificate that names the
   * repository, the workflow file and the ref, stored in GitHub's attestation store and pushed
   * to the ECR repository as a referrer of the image. The job then needs `attestations: write`.
   * Artifact attestations need a public repository, or GitHub Enterprise Cloud for a private or
   * internal one; on a private repository of another plan, set this to `true`. GitHub Enterprise
   * Server has none, so a pipeline whose issuer is an Enterprise Server attests nothing.
   *
   * @default false
   */
  readonly disableProvenance?: boolean;

  /**
   * Also attest an SBOM of each pushed image: `anchore/sbom-action` lists the image's packages
   * as SPDX JSON, and `actions/attest` signs it and pushes it as a referrer of the image (of each
   * platform's image, with several `platforms`).
   *
   * @default false
   */
  readonly sbom?: boolean;

  /**
   * The version of `actions/attest`: a 40-character commit SHA or a full release tag such as
   * `v4.2.2`.
   *
   * @default - commit 1e69f48acb82d1966a394da916b4c1698aa569d6, release v4.2.2
   */
  readonly attestVersion?: string;

  /**
   * The version of `anchore/sbom-action`, used when `sbom` is `true`: a 40-character commit SHA
   * or a full release tag such as `v0.24.0`.
   *
   * @default - commit e22c389904149dbc22b58101806040fa8d37a610, release v0.24.0
   */
  readonly sbomActionVersion?: string;
}
