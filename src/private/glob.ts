/*
 * The wildcard patterns of IAM's StringLike, whose `*` is any run of characters (`/` too): does a
 * pattern match a value, and do two patterns share a value. Both in polynomial time, with no
 * backtracking, since patterns come from the user's props and from templates.
 */

/** How `wildcardMatches` reads a pattern. */
export interface WildcardOptions {
  /** Whether `?` matches any one character (IAM's `StringLike`), rather than only itself. */
  readonly questionMark?: boolean;
}

/**
 * Whether `value` matches `pattern`, in which `*` is any run of characters (`/` too) and, with
 * `questionMark`, `?` is any one character. Case-sensitive, like IAM's `StringLike`.
 *
 * No backtracking: the pieces between stars are matched leftmost-first, which is optimal because
 * a star can absorb whatever lies before a later match. Without `?`, each piece is found with
 * Knuth-Morris-Pratt, so the time is linear in the pattern and value together; pieces with `?`
 * are compared position by position, which is at most length(pattern) x length(value).
 */
export function wildcardMatches(pattern: string, value: string, options: WildcardOptions = {}): boolean {
  const any = options.questionMark === true;
  const pieces = pattern.split('*');
  if (pieces.length === 1) return value.length === pattern.length && matchesAt(pattern, value, 0, any);
  const head = pieces[0];
  const tail = pieces[pieces.length - 1];
  const end = value.length - tail.length;
  if (end < head.length || !matchesAt(head, value, 0, any) || !matchesAt(tail, value, end, any)) return false;
  let position = head.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const found = indexOfPiece(piece, value, position, end, any);
    if (found < 0) return false;
    position = found + piece.length;
  }
  return true;
}

function matchesAt(piece: string, value: string, at: number, any: boolean): boolean {
  for (let i = 0; i < piece.length; i++) {
    if (!(any && piece[i] === '?') && piece[i] !== value[at + i]) return false;
  }
  return true;
}

/** The first index `i >= from` with `piece` at `value[i..]` and ending at or before `end`, or -1. */
function indexOfPiece(piece: string, value: string, from: number, end: number, any: boolean): number {
  if (any && piece.includes('?')) {
    for (let i = from; i + piece.length <= end; i++) if (matchesAt(piece, value, i, true)) return i;
    return -1;
  }
  // Knuth-Morris-Pratt: `fail[k]` is the length of the longest proper border of piece[0..k].
  const fail = new Array<number>(piece.length).fill(0);
  // Stryker disable next-line EqualityOperator: equivalent for 'k <= piece.length': the extra step writes fail[piece.length], which the search never reads (it returns when matched reaches piece.length)
  for (let k = 1, b = 0; k < piece.length; k++) {
    while (b > 0 && piece[k] !== piece[b]) b = fail[b - 1];
    if (piece[k] === piece[b]) b++;
    fail[k] = b;
  }
  for (let i = from, matched = 0; i < end; i++) {
    while (matched > 0 && value[i] !== piece[matched]) matched = fail[matched - 1];
    if (value[i] === piece[matched]) matched++;
    if (matched === piece.length) return i - piece.length + 1;
  }
  return -1;
}

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
    // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent for 'i <= a.length' and for 'true && j < b.length': at i = a.length, a[i] is undefined, so no branch below visits a state inside the table; the line's other operator mutants and 'i < a.length && true', disabled with them, fail test/glob.test.ts (checked by hand)
    if (i < a.length && j < b.length) {
      if (starA && !starB) visit(i, j + 1);
      else if (starB && !starA) visit(i + 1, j);
      else if (!starA && a[i] === b[j]) visit(i + 1, j + 1);
    }
  }
  return false;
}
