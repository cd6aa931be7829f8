import * as fc from 'fast-check';
import { globsOverlap, wildcardMatches } from '../src/private/glob';
import { TrustedClaim, firstOverlap } from '../src/private/trust';

/** The regular-expression reading of a glob, as the oracle: right, but backtracking. */
function oracle(pattern: string, value: string, questionMark: boolean): boolean {
  const source = [...pattern].map(ch => ch === '*' ? '[\\s\\S]*' : ch === '?' && questionMark ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${source}$`).test(value);
}

const small = (units: string[], maxLength: number) => fc.string({ unit: fc.constantFrom(...units), maxLength });

describe('wildcardMatches', () => {
  test('agrees with the regular-expression oracle for * patterns over a small alphabet', () => {
    fc.assert(fc.property(small(['a', 'b', '*'], 8), small(['a', 'b'], 10), (pattern, value) => {
      expect(wildcardMatches(pattern, value)).toBe(oracle(pattern, value, false));
    }), { numRuns: 3000 });
  });

  test('agrees with the oracle with questionMark, and reads ? as itself without it', () => {
    fc.assert(fc.property(small(['a', 'b', '*', '?'], 8), small(['a', 'b', '?'], 10), (pattern, value) => {
      expect(wildcardMatches(pattern, value, { questionMark: true })).toBe(oracle(pattern, value, true));
      expect(wildcardMatches(pattern, value)).toBe(oracle(pattern, value, false));
    }), { numRuns: 3000 });
  });

  test('boundaries: empty star, star across /, head and tail that would overlap, case', () => {
    expect(wildcardMatches('release/*', 'release/')).toBe(true);
    expect(wildcardMatches('release/*', 'release/a/b')).toBe(true);
    expect(wildcardMatches('release/*', 'Release/1')).toBe(false);
    expect(wildcardMatches('ab*ba', 'aba')).toBe(false);
    expect(wildcardMatches('ab*ba', 'abba')).toBe(true);
    expect(wildcardMatches('a*a*a', 'aa')).toBe(false);
    expect(wildcardMatches('a*a*a', 'aaa')).toBe(true);
    expect(wildcardMatches('v?', 'v1', { questionMark: true })).toBe(true);
    expect(wildcardMatches('v?', 'v12', { questionMark: true })).toBe(false);
    expect(wildcardMatches('v?', 'v1')).toBe(false);
    expect(wildcardMatches('a.b+(c)', 'a.b+(c)')).toBe(true);
    expect(wildcardMatches('a.b', 'axb')).toBe(false);
    expect(wildcardMatches('', '')).toBe(true);
    expect(wildcardMatches('*', '')).toBe(true);
    expect(wildcardMatches('', 'a')).toBe(false);
  });

  test('a piece whose partial match must fall back: *aabb* is not in aababb, *aaab* is in aaaab', () => {
    // Knuth-Morris-Pratt's failure table: a missing or inverted fallback finds 'aabb' in 'aababb'
    // and misses 'aaab' in 'aaaab'.
    expect(wildcardMatches('*aabb*', 'aababb')).toBe(false);
    expect(wildcardMatches('*aabb*', 'aabaabb')).toBe(true);
    expect(wildcardMatches('*aaab*', 'aaaab')).toBe(true);
    expect(wildcardMatches('x*aaab*y', 'xaaaaby')).toBe(true);
  });

  test('fails if a crafted pattern makes the matcher read the value more than linearly often', () => {
    // A backtracking matcher reads these values billions of times (minutes of CPU); this one
    // reads each character a few times. The count, not the clock, is asserted.
    const stars = '*a'.repeat(120) + '*';
    expect(readsOf('a'.repeat(60), value => wildcardMatches(stars, value), 4 * (stars.length + 60))).toBe(false);
    expect(readsOf('a'.repeat(120), value => wildcardMatches(stars, value), 4 * (stars.length + 120))).toBe(true);
    const aabb = '*' + 'aab*'.repeat(30);
    expect(readsOf('aab'.repeat(29) + 'aa', value => wildcardMatches(aabb, value), 4 * (aabb.length + 89))).toBe(false);
    expect(readsOf('a'.repeat(100_000), value => wildcardMatches('a*'.repeat(8) + 'b', value), 10)).toBe(false);
    // With questionMark, a piece holding ? is compared position by position: at most
    // length(pattern) x length(value) reads.
    const question = '*a?'.repeat(40) + '*';
    expect(readsOf('a'.repeat(60), value => wildcardMatches(question, value, { questionMark: true }), question.length * 60)).toBe(false);
    // With questionMark but no ? in a piece, the piece is still found in linear time: a long
    // piece compared position by position would read the value about 50 x 1,000 times.
    const long = '*' + 'a'.repeat(49) + 'b*';
    expect(readsOf('a'.repeat(1_000), value => wildcardMatches(long, value, { questionMark: true }), 4 * (long.length + 1_000))).toBe(false);
  });

  test('the read counter itself stops a matcher that reads more than its budget', () => {
    // The same count for a deliberately quadratic scan: the check above would catch one.
    const quadratic = (value: string) => {
      let found = false;
      for (let i = 0; i < value.length; i++) for (let j = i; j < value.length; j++) found = found || value[j] === 'b';
      return found;
    };
    expect(() => readsOf('a'.repeat(200), quadratic, 4 * 200)).toThrow(/read more than 800 times/);
  });
});

/**
 * Runs `match` on a string that counts how often its characters are read, and throws as soon as
 * the count passes `budget`: a matcher that backtracks is stopped at once, instead of hanging.
 */
function readsOf<T>(text: string, match: (value: string) => T, budget: number): T {
  let reads = 0;
  const target = new String(text);
  const counting = new Proxy(target, {
    get(t, key) {
      if (typeof key === 'string' && /^\d+$/.test(key) && ++reads > budget) {
        throw new Error(`read more than ${budget} times`);
      }
      const value = Reflect.get(t, key) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
  return match(counting as unknown as string);
}

/**
 * The brute-force oracle: a common string, if there is one, needs at most one character per
 * literal of the two patterns, and only characters of the patterns plus one other.
 */
function bruteForce(a: string, b: string): boolean {
  const alphabet = [...new Set((a + b + 'z').replace(/\*/g, ''))];
  const longest = a.replace(/\*/g, '').length + b.replace(/\*/g, '').length;
  let layer = [''];
  for (let length = 0; length <= longest; length++) {
    if (layer.some(s => wildcardMatches(a, s) && wildcardMatches(b, s))) return true;
    layer = layer.flatMap(s => alphabet.map(c => s + c));
  }
  return false;
}

const glob = fc.string({ unit: fc.constantFrom('a', 'b', '*'), maxLength: 5 });

describe('globsOverlap', () => {
  test('agrees with a brute-force search over a two-letter alphabet', () => {
    fc.assert(fc.property(glob, glob, (a, b) => {
      expect(globsOverlap(a, b)).toBe(bruteForce(a, b));
    }), { numRuns: 2000 });
  });

  test('is symmetric, and an exact string overlaps a pattern iff the pattern matches it', () => {
    fc.assert(fc.property(glob, glob, fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 6 }), (a, b, exact) => {
      expect(globsOverlap(a, b)).toBe(globsOverlap(b, a));
      expect(globsOverlap(a, exact)).toBe(wildcardMatches(a, exact));
    }), { numRuns: 2000 });
  });

  test.each([
    ['release/*', 'release/prod*', true],
    ['release/*', 'release-*', false],
    ['*-prod', 'eu-*', true],
    ['a*b', 'b*a', false],
    ['*', '', true],
    ['ab*', 'a', false],
    ['a*', 'a', true],
    ['x*y*z', '*yy*', true],
    ['v1.*', 'v2.*', false],
    // A star left over at the end of one pattern, with the other used up, consumes nothing more.
    ['a*a', 'a', false],
    ['a*', 'ab*', true],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
  });

  test('fails if two long crafted patterns make the search read them more than length(a) x length(b) times', () => {
    // Each state (i, j) of the product reads a[i] and b[j] a few times, and is visited once.
    const a = `${'*a'.repeat(120)}*b`;
    const b = `${'a*'.repeat(120)}c`;
    const budget = 6 * (a.length + 1) * (b.length + 1);
    expect(readsOf(a, counted => readsOf(b, other => globsOverlap(counted, other), budget), budget)).toBe(false);
  });
});

describe('firstOverlap', () => {
  const claim = (value: string, pattern: boolean, path: string): TrustedClaim => ({ claim: value, pattern, path, subject: `subject ${path}` });

  test('two exact claims overlap only when equal, and the example is the claim', () => {
    const mine = claim('repo:o/r:ref:refs/heads/main', false, 'environments[0]');
    const same = claim('repo:o/r:ref:refs/heads/main', false, 'environments[1]');
    const other = claim('repo:o/r:ref:refs/heads/dev', false, 'environments[1]');
    expect(firstOverlap([mine], [other])).toBeUndefined();
    expect(firstOverlap([mine], [other, same])).toEqual({ mine, theirs: same, example: '\'repo:o/r:ref:refs/heads/main\'' });
  });

  test('an exact claim against a pattern: the example is the exact claim, on either side', () => {
    const exact = claim('repo:o/r:ref:refs/heads/release/1', false, 'environments[0]');
    const pattern = claim('repo:o/r:ref:refs/heads/release/*', true, 'environments[1]');
    expect(firstOverlap([exact], [pattern])).toEqual({ mine: exact, theirs: pattern, example: '\'repo:o/r:ref:refs/heads/release/1\'' });
    expect(firstOverlap([pattern], [exact])).toEqual({ mine: pattern, theirs: exact, example: '\'repo:o/r:ref:refs/heads/release/1\'' });
    expect(firstOverlap([claim('repo:o/r:ref:refs/heads/main', false, 'e')], [pattern])).toBeUndefined();
  });

  test('two patterns: the example describes a sub matching both', () => {
    const a = claim('repo:o/r:ref:refs/heads/release/*', true, 'environments[0]');
    const b = claim('repo:o/r:ref:refs/heads/release/prod*', true, 'environments[1]');
    const c = claim('repo:o/r:ref:refs/tags/*', true, 'environments[1]');
    expect(firstOverlap([a], [c])).toBeUndefined();
    expect(firstOverlap([a], [c, b])).toEqual({
      mine: a, theirs: b, example: 'a sub matching both \'repo:o/r:ref:refs/heads/release/*\' and \'repo:o/r:ref:refs/heads/release/prod*\'',
    });
  });

  test('a pattern claim is read as a pattern, an exact one as itself even with a star', () => {
    // An exact claim never holds a '*' (branch names cannot), but if one did it would not be a wildcard.
    const star = claim('repo:o/r:ref:refs/heads/a*', false, 'environments[0]');
    const exact = claim('repo:o/r:ref:refs/heads/ab', false, 'environments[1]');
    expect(firstOverlap([star], [exact])).toBeUndefined();
    expect(firstOverlap([{ ...star, pattern: true }], [exact])).toBeDefined();
  });

  test('no claims, no overlap', () => {
    expect(firstOverlap([], [claim('x', false, 'e')])).toBeUndefined();
    expect(firstOverlap([claim('x', false, 'e')], [])).toBeUndefined();
  });
});
