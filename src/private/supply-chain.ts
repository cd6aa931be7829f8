import { Duration } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { fail } from './validation';
import type { JobPermissions } from './workflow-extras';

/*
 * Provenance, SBOM and the lifecycle rules that keep them: plain data in, plain data out. The
 * workflow renderer and the environments call in here; each call site is marked "supply chain".
 * Signing, which needs the constructs, is in src/signing-configuration.ts.
 */

/** `SupplyChainOptions` (src/supply-chain.ts), as the renderer hands them in. */
export interface SupplyChainInput {
  readonly disableProvenance?: boolean;
  readonly sbom?: boolean;
}

/** What the jobs attest. */
export interface SupplyChainPlan {
  readonly provenance: boolean;
  readonly sbom: boolean;
}

/** The permission each attestation step needs beyond the workflow's, with the reason written beside it. */
export const ATTESTATION_PERMISSION = {
  scope: 'attestations',
  reason: 'actions/attest stores the signed provenance (and SBOM) attestations of the pushed image',
};

/**
 * The options, checked. Artifact attestations do not exist on GitHub Enterprise Server, so there
 * the default provenance attestation is left out, and an SBOM attestation cannot be asked for.
 */
export function resolveSupplyChain(value: SupplyChainInput | undefined, enterpriseServer: boolean): SupplyChainPlan {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    fail('supplyChain', value, 'must be an object of supply-chain options');
  }
  const disableProvenance = checkBoolean('supplyChain.disableProvenance', value?.disableProvenance);
  const sbom = checkBoolean('supplyChain.sbom', value?.sbom);
  if (enterpriseServer && sbom) {
    fail('supplyChain.sbom', sbom, 'cannot be true for a pipeline whose issuer is GitHub Enterprise Server: the SBOM is stored as an artifact attestation, which GitHub Enterprise Server does not have');
  }
  return { provenance: !disableProvenance && !enterpriseServer, sbom };
}

function checkBoolean(property: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') fail(property, value, 'must be true or false');
  return value === true;
}

/** A job's permissions with `attestations: write` added, when it attests anything. */
export function withAttestationPermission(
  base: JobPermissions | undefined, plan: SupplyChainPlan, workflowPermissions: Readonly<Record<string, string>>,
): JobPermissions | undefined {
  if (!plan.provenance && !plan.sbom) return base;
  return {
    permissions: { ...(base?.permissions ?? workflowPermissions), [ATTESTATION_PERMISSION.scope]: 'write' },
    reasons: { ...(base?.reasons ?? {}), [ATTESTATION_PERMISSION.scope]: ATTESTATION_PERMISSION.reason },
  };
}

/** What the attestation steps need from the job. */
export interface AttestationInputs {
  readonly plan: SupplyChainPlan;
  /** `uses:` of actions/attest and of anchore/sbom-action. */
  readonly attest: string;
  readonly sbomAction: string;
  /** The image name without tag or digest, `REGISTRY/REPOSITORY`. */
  readonly imageName: string;
  /** The digest the job pushed: the image's, or with several platforms the index's. */
  readonly digest: string;
  /** With several platforms, each platform's image digest, for its SBOM. */
  readonly platformDigests: Array<{ platform: string; digest: string }>;
  /** The condition of the build steps: this run built and pushed the image. */
  readonly built: string;
}

/**
 * The steps after the push. They run only when this run built the image (a re-run that found
 * it pushed attests nothing: it did not build it). Every value is an action input; no expression
 * is spliced into a script.
 */
export function attestationSteps(inputs: AttestationInputs): Array<Record<string, unknown>> {
  const steps: Array<Record<string, unknown>> = [];
  // Attestations go to GitHub's store and, as OCI referrers of the digest, to the repository.
  // No storage record: that needs artifact-metadata: write, for an organization's artifact list.
  const attestWith = (digest: string, extra: Record<string, string> = {}) => ({
    'subject-name': inputs.imageName,
    'subject-digest': digest,
    ...extra,
    'push-to-registry': true,
    'create-storage-record': false,
  });
  if (inputs.plan.provenance) {
    steps.push({
      name: 'Attest the build provenance',
      if: inputs.built,
      uses: inputs.attest,
      with: attestWith(inputs.digest),
    });
  }
  if (inputs.plan.sbom) {
    // An SBOM describes one file system: with several platforms, one for each platform's image.
    const targets = inputs.platformDigests.length > 0 ? inputs.platformDigests : [{ platform: undefined, digest: inputs.digest }];
    for (const { platform, digest } of targets) {
      const file = `\${{ runner.temp }}/sbom${platform !== undefined ? `-${platform.replace(/\//g, '-')}` : ''}.spdx.json`;
      const label = platform !== undefined ? ` of the ${platform} image` : '';
      steps.push({
        name: `Generate the SBOM${label}`,
        if: inputs.built,
        uses: inputs.sbomAction,
        with: {
          'image': `${inputs.imageName}@${digest}`,
          'format': 'spdx-json',
          'output-file': file,
          // The attestation keeps it; no workflow artifact, no release asset, no dependency snapshot.
          'upload-artifact': false,
          'upload-release-assets': false,
        },
      });
      steps.push({
        name: `Attest the SBOM${label}`,
        if: inputs.built,
        uses: inputs.attest,
        with: attestWith(digest, { 'sbom-path': file }),
      });
    }
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle rules and referrers

/** Images tagged with this prefix are the only ones the default lifecycle rule expires. */
export const REMOVAL_TAG_PREFIX = 'expire-';

/**
 * The default rule, when neither lifecycleRules nor maxImageCount is given: it expires the images
 * someone tagged for removal, and nothing the workflow pushes (a SHA, SHA-OS-ARCH, or an
 * extraImageTag, which may not take the prefix). A repository needs a lifecycle policy for
 * Control Tower's CT.ECR.PR.1, and a rule on untagged images would expire attestations and
 * signatures, the only untagged manifests the workflow leaves.
 */
export function defaultLifecycleRules(): ecr.LifecycleRule[] {
  return [{
    description: `Expire images tagged ${REMOVAL_TAG_PREFIX}* a day after they were pushed`,
    tagStatus: ecr.TagStatus.TAGGED,
    tagPrefixList: [REMOVAL_TAG_PREFIX],
    maxImageAge: Duration.days(1),
  }];
}

/** The default rule, which selects no manifest the workflow tags. */
export function isRemovalRule(rule: LifecycleRuleJson): boolean {
  const { tagStatus, tagPrefixList, tagPatternList } = rule.selection ?? {};
  return tagStatus === 'tagged' && tagPatternList === undefined && tagPrefixList?.length === 1 && tagPrefixList[0] === REMOVAL_TAG_PREFIX;
}

/** The workflow's moving tag must not be one the default rule expires. */
export function checkRemovalTag(extraImageTag: string): void {
  if (extraImageTag.startsWith(REMOVAL_TAG_PREFIX)) {
    fail('extraImageTag', extraImageTag, `must not start with '${REMOVAL_TAG_PREFIX}': the repositories' default lifecycle rule expires images tagged so`);
  }
}

/** A rule of a lifecycle policy, as ECR reads it. */
export interface LifecycleRuleJson {
  readonly rulePriority?: number;
  readonly description?: string;
  readonly selection?: {
    readonly tagStatus?: string;
    readonly countType?: string;
    readonly tagPrefixList?: string[];
    readonly tagPatternList?: string[];
  };
}

/**
 * The first rule that could expire an attestation or signature while the image it refers to is
 * kept. These referrers are untagged manifests, pushed after their image.
 *
 * What rests on ECR's documentation: rules select by tag status only (no selection by artifact
 * type); a higher-priority rule's tag selection shields those images from lower rules; and ECR
 * deletes an image's referrers within 24 hours of deleting the image. What ECR does not document
 * is whether a rule on untagged images spares referrers, so this assumes it does not:
 * - `untagged` is unsafe: it selects the referrers of tagged images it never selects;
 * - `tagged` is safe: it never selects a referrer, which goes with its image;
 * - `any` is safe when no earlier rule shields tagged images from it (it would still select their
 *   referrers) and it counts by push time, in which a referrer is never older than its image.
 */
export function unsafeReferrerRule(rules: LifecycleRuleJson[]): LifecycleRuleJson | undefined {
  let shielded = false;
  for (const rule of [...rules].sort((a, b) => (a.rulePriority ?? 0) - (b.rulePriority ?? 0))) {
    const { tagStatus, countType } = rule.selection ?? {};
    if (tagStatus === 'tagged') {
      shielded = true;
      continue;
    }
    if (tagStatus !== 'any' || shielded) return rule;
    if (countType !== 'imageCountMoreThan' && countType !== 'sinceImagePushed') return rule;
  }
  return undefined;
}

/**
 * Refuse a repository whose lifecycle rules (as ECR reads them; `undefined` for one not defined in
 * the app) could expire the referrers `what` pushes.
 */
export function checkReferrerLifecycle(
  environment: string, rules: LifecycleRuleJson[] | undefined, property: string, value: unknown, what: string,
): void {
  const unsafe = rules && unsafeReferrerRule(rules);
  if (unsafe === undefined) return;
  const status = unsafe.selection?.tagStatus;
  fail(property, value,
    `needs repositories whose lifecycle rules cannot expire ${what} while the image is kept: they are untagged manifests that refer to the image (OCI referrers), and ECR does not document that a rule spares them; environment '${environment}' has rule ${unsafe.rulePriority} ('${unsafe.description ?? ''}') ${status === undefined ? 'with no selection.tagStatus' : `on ${status} images`}${status === 'any' ? ' after a rule on tagged images, or counted by something other than push time' : ''} (keep rules on tagged images only, or one rule on any images counted by push time, e.g. maxImageCount alone)`);
}
