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
    if (i < a.length && j < b.length) {
      if (starA && !starB) visit(i, j + 1);
      else if (starB && !starA) visit(i + 1, j);
      else if (!starA && a[i] === b[j]) visit(i + 1, j + 1);
    }
  }
  return false;
}
