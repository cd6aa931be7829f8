import * as fc from 'fast-check';
import { globsOverlap } from '../src/private/glob';
import { wildcardMatches } from '../src/private/text';

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
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
  });

  test('fails if two long crafted patterns take more than polynomial time', () => {
    const started = Date.now();
    expect(globsOverlap(`${'*a'.repeat(120)}*b`, `${'a*'.repeat(120)}c`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
