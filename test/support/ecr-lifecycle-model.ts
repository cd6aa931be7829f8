/** A rule of a lifecycle policy, as ECR reads it (the model's own reading, apart from the code's). */
export interface LifecycleRuleJson {
  readonly rulePriority: number;
  readonly description?: string;
  readonly selection: {
    readonly tagStatus: string;
    readonly countType: string;
    readonly tagPrefixList?: string[];
    readonly tagPatternList?: string[];
  };
}

/**
 * A model of how ECR applies a lifecycle policy to a repository, for tests only. No AWS account
 * is reachable here, so this is what the construct's rules are checked against.
 *
 * From ECR's documentation ("Lifecycle policy evaluation rules", Amazon ECR User Guide):
 * - an image is expired by exactly one or zero rules;
 * - an image that matches the tagging requirements of a higher-priority rule cannot be expired by
 *   a rule with a lower priority;
 * - `tagPrefixList` / `tagPatternList` match when every listed prefix (pattern) matches one of
 *   the image's tags;
 * - `imageCountMoreThan` sorts the rule's images from youngest to oldest by push time and expires
 *   those past the count; `sinceImagePushed` expires those pushed more than N days ago;
 * - and, from "Sign images in Amazon ECR": ECR deletes the referrers (signatures, attestations)
 *   of an image within 24 hours of deleting the image.
 *
 * Not documented, so modelled at its worst: a referrer is evaluated like any untagged image.
 */
export interface ModelImage {
  readonly digest: string;
  readonly tags: string[];
  /** Push time, in days. */
  readonly pushedAt: number;
  /** The digest of the image this one refers to (an attestation or a signature). */
  readonly subject?: string;
}

export interface Evaluation {
  /** Digests expired by a rule. */
  readonly expired: Set<string>;
  /** Digests gone after ECR's clean-up of the expired images' referrers. */
  readonly gone: Set<string>;
}

export function evaluateLifecycle(rules: LifecycleRuleJson[], images: ModelImage[], now: number): Evaluation {
  const sorted = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const expired = new Set<string>();
  const higher: LifecycleRuleJson[] = [];
  for (const rule of sorted) {
    const candidates = images
      .filter(image => matchesTagging(rule, image) && !higher.some(h => matchesTagging(h, image)))
      .sort((a, b) => b.pushedAt - a.pushedAt);
    const count = (rule.selection as any).countNumber as number;
    const selected = rule.selection.countType === 'imageCountMoreThan'
      ? candidates.slice(count)
      : candidates.filter(image => now - image.pushedAt > count);
    for (const image of selected) expired.add(image.digest);
    higher.push(rule);
  }
  // Referrers of deleted images follow them, transitively.
  const gone = new Set(expired);
  let grew = true;
  while (grew) {
    grew = false;
    for (const image of images) {
      if (image.subject !== undefined && gone.has(image.subject) && !gone.has(image.digest)) {
        gone.add(image.digest);
        grew = true;
      }
    }
  }
  return { expired, gone };
}

function matchesTagging(rule: LifecycleRuleJson, image: ModelImage): boolean {
  const { tagStatus, tagPrefixList, tagPatternList } = rule.selection;
  if (tagStatus === 'any') return true;
  if (tagStatus === 'untagged') return image.tags.length === 0;
  const prefixes = tagPrefixList ?? [];
  const patterns = tagPatternList ?? [];
  return image.tags.length > 0
    && prefixes.every(prefix => image.tags.some(tag => tag.startsWith(prefix)))
    && patterns.every(pattern => image.tags.some(tag => globMatch(pattern, tag)));
}

function globMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(value);
}

/** Referrers that are gone while the image they refer to is kept. */
export function orphanedReferrers(images: ModelImage[], evaluation: Evaluation): string[] {
  return images
    .filter(image => image.subject !== undefined && evaluation.gone.has(image.digest) && !evaluation.gone.has(image.subject))
    .map(image => image.digest);
}

/**
 * What the generated workflow leaves in a repository after `runs` pushes, one a day: each commit's
 * image tagged with its SHA (with several platforms, each platform's image tagged SHA-OS-ARCH and
 * an index tagged SHA), then its provenance attestation on the pushed digest, an SBOM on each
 * image, and a signature from ECR managed signing on every pushed manifest; every referrer is
 * pushed after its image, and untagged.
 */
export interface HistoryOptions {
  readonly platforms?: number;
  readonly sbom?: boolean;
  readonly signed?: boolean;
  readonly extraTag?: string;
}

export function workflowHistory(runs: number, options: HistoryOptions = {}): ModelImage[] {
  const images: ModelImage[] = [];
  for (let day = 0; day < runs; day++) {
    const sha = `c${day}`;
    const manifests: ModelImage[] = [];
    const platforms = options.platforms ?? 1;
    if (platforms > 1) {
      for (let p = 0; p < platforms; p++) manifests.push({ digest: `${sha}-p${p}`, tags: [`${sha}-p${p}`], pushedAt: day + p * 0.001 });
      manifests.push({ digest: `${sha}-index`, tags: [sha], pushedAt: day + 0.01 });
    } else {
      manifests.push({ digest: `${sha}-image`, tags: [sha], pushedAt: day });
    }
    images.push(...manifests);
    const pushed = manifests[manifests.length - 1];
    images.push({ digest: `${sha}-provenance`, tags: [], pushedAt: day + 0.02, subject: pushed.digest });
    if (options.sbom) {
      for (const image of platforms > 1 ? manifests.slice(0, -1) : manifests) {
        images.push({ digest: `${image.digest}-sbom`, tags: [], pushedAt: day + 0.03, subject: image.digest });
      }
    }
    if (options.signed) {
      for (const image of manifests) {
        images.push({ digest: `${image.digest}-signature`, tags: [], pushedAt: image.pushedAt + 0.0001, subject: image.digest });
      }
    }
  }
  // A moving tag is on the newest image only.
  if (options.extraTag !== undefined && runs > 0) {
    const newest = images.filter(i => i.tags.length > 0 && i.subject === undefined).sort((a, b) => b.pushedAt - a.pushedAt)[0];
    (newest.tags as string[]).push(options.extraTag);
  }
  return images;
}
