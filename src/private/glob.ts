/**
 * Whether some string matches both `a` and `b`, patterns whose only wildcard is `*` (any run of
 * characters, including none). Exact, in time length(a) x length(b).
 *
 * It searches the product of the two patterns' automata. A state (i, j) means: `a[..i]` and
 * `b[..j]` have been matched by the same prefix of some string. A star may be skipped, since it
 * matches nothing; a literal of one side may be consumed by a star of the other; two literals
 * advance together when they are the same character. The patterns overlap iff (length(a),
 * length(b)) can be reached.
 */
export function globsOverlap(a: string, b: string): boolean {
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const stack: number[] = [0];
  seen[0] = 1;
  const visit = (i: number, j: number) => {
    const k = i * width + j;
    if (seen[k] === 0) {
      seen[k] = 1;
      stack.push(k);
    }
  };
  while (stack.length > 0) {
    const k = stack.pop()!;
    const i = Math.floor(k / width);
    const j = k % width;
    if (i === a.length && j === b.length) return true;
    const starA = a[i] === '*';
    const starB = b[j] === '*';
    if (starA) visit(i + 1, j);
    if (starB) visit(i, j + 1);
    // Stryker disable next-line EqualityOperator: equivalent for 'i <= a.length': at i = a.length, a[i] is undefined, so no branch below visits a state inside the table; the other three operator mutants of this line, disabled with it, fail test/glob.test.ts (checked by hand)
    if (i < a.length && j < b.length) {
      if (starA && !starB) visit(i, j + 1);
      else if (starB && !starA) visit(i + 1, j);
      else if (!starA && a[i] === b[j]) visit(i + 1, j + 1);
    }
  }
  return false;
}

/** A `sub` value a role trusts, and where it was given. */
export interface TrustedClaim {
  readonly claim: string;
  readonly pattern: boolean;
  /** Where the subject was given, e.g. `environments[1] subject 0`. */
  readonly path: string;
  readonly subject: string;
}

/** Two claims some `sub` matches both of, and that `sub` in words. */
export interface Overlap {
  readonly mine: TrustedClaim;
  readonly theirs: TrustedClaim;
  readonly example: string;
}

/** The first pair of claims, one from each list, that some token's `sub` matches both of, with that `sub` in words. */
export function firstOverlap(mine: TrustedClaim[], theirs: TrustedClaim[]): Overlap | undefined {
  for (const a of mine) {
    for (const b of theirs) {
      // globsOverlap reads a claim without '*' as itself: exact claims never hold one.
      const overlap = !a.pattern && !b.pattern ? a.claim === b.claim : globsOverlap(a.claim, b.claim);
      if (overlap) return { mine: a, theirs: b, example: !a.pattern ? `'${a.claim}'` : !b.pattern ? `'${b.claim}'` : `a sub matching both '${a.claim}' and '${b.claim}'` };
    }
  }
  return undefined;
}

