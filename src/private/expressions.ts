import { fail } from './validation';

/*
 * The GitHub side of "a job runs exactly on the refs its role trusts": the push filters that
 * start the workflow, and each job's `if:` gate, compiled from the refs an environment trusts.
 * GitHub's filters and expressions read wildcards differently from IAM, so each is translated.
 */

/** A branch or tag an environment trusts, exactly or by pattern. */
export interface TrustedRef {
  /** Which push filter admits it. */
  readonly kind: 'branch' | 'tag';
  /** The branch or tag name, or the pattern (whose only wildcard is `*`). */
  readonly name: string;
  /** The git ref, as the token's `ref` claim gives it: `refs/heads/NAME` or `refs/tags/NAME`. */
  readonly gitRef: string;
  /** Whether `name` is a pattern, in which `*` is any run of characters, `/` included (IAM's reading). */
  readonly pattern: boolean;
  /** The subject as errors show it, e.g. `branch pattern release/*`. */
  readonly shown: string;
}

/** The `push` trigger's `branches` and `tags` filters, each value once, in order. */
export function pushFilters(refs: TrustedRef[]): { branches: string[]; tags: string[] } {
  return {
    branches: unique(refs.filter(r => r.kind === 'branch').map(filterPattern)),
    tags: unique(refs.filter(r => r.kind === 'tag').map(filterPattern)),
  };
}

/**
 * A push filter that admits exactly the refs the role trusts. IAM's `*` also matches `/`, GitHub's
 * `*` does not, so a pattern's `*` becomes `**`; GitHub's other special characters are escaped.
 */
function filterPattern(ref: TrustedRef): string {
  return wildcardParts(ref).map(part => part.replace(/[*?+[\]!\\]/g, '\\$&')).join('**');
}

/** The literal parts of a name between its stars (a run of stars is one star). */
function wildcardParts(ref: TrustedRef): string[] {
  return ref.pattern ? ref.name.replace(/\*+/g, '*').split('*') : [ref.name];
}

/**
 * The job's `if:`, true for exactly the refs its role trusts. GitHub expressions have no wildcard
 * match, so a pattern `P*S` becomes `startsWith(P) && endsWith(S)`, minus the refs shorter than P
 * and S together, in which the two overlap. `property` names the subject in errors.
 */
export function refGate(refs: TrustedRef[], property: string): string {
  return refs.map(ref => {
    // The git ref is the name behind its prefix; the prefix comes from the ref, not a second spelling.
    const prefix = ref.gitRef.slice(0, ref.gitRef.length - ref.name.length);
    const parts = wildcardParts(ref);
    if (parts.length === 1) return `github.ref == ${literal(prefix + parts[0])}`;
    if (parts.length > 2) {
      fail(property, ref.shown,
        'has more than one \'*\', which a job condition cannot match exactly (GitHub expressions have no wildcard match); use a pattern with one \'*\'');
    }
    const [head, tail] = parts;
    if (tail === '') return `startsWith(github.ref, ${literal(prefix + head)})`;
    const terms = [`startsWith(github.ref, ${literal(prefix + head)})`, `endsWith(github.ref, ${literal(tail)})`];
    // Overlaps are counted on the whole ref: the tail may reach back into the prefix, as `heads/x`
    // of `*heads/x` does into `refs/heads/x`, whose branch `x` the role does not trust.
    for (const overlap of overlaps(prefix + head, tail)) terms.push(`github.ref != ${literal(overlap)}`);
    return `(${terms.join(' && ')})`;
  }).join(' || ');
}

/**
 * The `if:` of an image's job when the image has path filters: its environment's gate, and a
 * change to the image's paths. A tag push or a manual run builds every image: GitHub does not
 * evaluate path filters for tag pushes, and neither has a previous commit of a branch to compare
 * with, so a release never misses an image.
 */
export function changedGate(gate: string, changesJob: string, image: string): string {
  return `(${gate}) && (needs.${changesJob}.outputs.${image} == 'true' || startsWith(github.ref, 'refs/tags/') || github.event_name == 'workflow_dispatch')`;
}

/** The gate of a job that has no branch or tag: it is started only by hand. */
export const DISPATCH_GATE = 'github.event_name == \'workflow_dispatch\'';

/** The refs that start with `head` and end with `tail` but are too short to hold both apart. */
function overlaps(head: string, tail: string): string[] {
  const found: string[] = [];
  // Each ref where the last `shared` characters of head are the first of tail, shortest first.
  for (let shared = tail.length; shared >= 1; shared--) {
    if (head.endsWith(tail.slice(0, shared))) found.push(head + tail.slice(shared));
  }
  return found;
}

/** A string literal of GitHub's expression language. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, '\'\'')}'`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
