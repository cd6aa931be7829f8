/** `dev-eu_1` → `DevEu1`, for construct ids: words split at `-` and `_`. */
export function pascalCase(name: string): string {
  return name.split(/[-_]/).map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

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
  // Stryker disable next-line StringLiteral: equivalent, includes('') sends every piece to the position-by-position loop, which gives the same answers, only slower
  if (any && piece.includes('?')) {
    for (let i = from; i + piece.length <= end; i++) if (matchesAt(piece, value, i, true)) return i;
    return -1;
  }
  // Knuth-Morris-Pratt: `fail[k]` is the length of the longest proper border of piece[0..k].
  const fail = new Array<number>(piece.length).fill(0);
  // Stryker disable next-line EqualityOperator: equivalent for '<=', which only writes fail[piece.length], never read (a full match returns first); '>=', disabled with it, breaks the table and fails the fallback test (checked by hand)
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
