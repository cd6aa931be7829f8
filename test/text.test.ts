import * as fc from 'fast-check';
import { pascalCase, wildcardMatches } from '../src/private/text';

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

  test('fails if a crafted pattern takes more than linear time (120 stars against a 60-character miss)', () => {
    // A backtracking matcher needs minutes for this; a linear one, microseconds.
    const started = process.hrtime.bigint();
    expect(wildcardMatches('*a'.repeat(120) + '*b', 'a'.repeat(60))).toBe(false);
    expect(wildcardMatches('*a'.repeat(120) + '?b', 'a'.repeat(60), { questionMark: true })).toBe(false);
    expect(wildcardMatches('a*'.repeat(8) + 'b', 'a'.repeat(100_000))).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});

describe('pascalCase', () => {
  test('dev-eu_1 becomes DevEu1: words split at - and _, each capitalized', () => {
    expect(pascalCase('dev-eu_1')).toBe('DevEu1');
    expect(pascalCase('prod')).toBe('Prod');
    expect(pascalCase('a_b-c')).toBe('ABC');
  });
});
