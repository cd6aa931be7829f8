import * as fc from 'fast-check';
import { checkWorkflows } from './support/workflow-check';
import { DISPATCH_GATE, TrustedRef, changedGate, literal, pushFilters, refGate } from '../src/private/expressions';

/*
 * The push filters and job gates, compiled from plain data: no stack. The oracles are written
 * from GitHub's and IAM's documentation, not from the compiler: GitHub's filter cheat sheet
 * (`*` stops at `/`, `**` does not, `\` escapes a special character) and IAM's StringLike (`*` is
 * any run of characters, `/` included). GitHub's own expression evaluator runs the gates.
 */

const branch = (name: string, pattern = name.includes('*')): TrustedRef => ({
  kind: 'branch', name, gitRef: `refs/heads/${name}`, pattern, shown: `branch${pattern ? ' pattern' : ''} ${name}`,
});
const tag = (name: string, pattern = name.includes('*')): TrustedRef => ({
  kind: 'tag', name, gitRef: `refs/tags/${name}`, pattern, shown: `tag${pattern ? ' pattern' : ''} ${name}`,
});

/** IAM's StringLike over the name (the role trusts `ref:refs/heads/NAME`): `*` is any run of characters. */
function iamAdmits(ref: TrustedRef, name: string): boolean {
  if (!ref.pattern) return ref.name === name;
  const source = ref.name.split('*').map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${source}$`).test(name);
}

/** GitHub's branch and tag filter, for the characters the compiler writes: literals, `\x`, `*` and `**`. */
function filterAdmits(filter: string, name: string): boolean {
  let source = '';
  const escape = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i];
    if (ch === '\\') {
      source += escape(filter[++i]);
    } else if (ch === '*' && filter[i + 1] === '*') {
      source += '[\\s\\S]*';
      i++;
    } else if (ch === '*') {
      source += '[^/]*';
    } else if ('?+[!'.includes(ch)) {
      throw new Error(`the filter '${filter}' has an unescaped special character '${ch}'`);
    } else {
      source += escape(ch);
    }
  }
  return new RegExp(`^${source}$`).test(name);
}

describe('push filters', () => {
  test('an exact branch or tag is its name; a pattern\'s * becomes **, which also matches /', () => {
    expect(pushFilters([branch('dev'), branch('release/*'), tag('v*')])).toEqual({ branches: ['dev', 'release/**'], tags: ['v**'] });
  });

  test('GitHub\'s special characters in a name are escaped; a run of stars is one star', () => {
    expect(pushFilters([branch('it\'s+x!'), branch('a**b'), branch('[x]'), branch('a?b', false)]).branches)
      .toEqual(['it\'s\\+x\\!', 'a**b', '\\[x\\]', 'a\\?b']);
  });

  test('each filter once, branches and tags apart, in the order given', () => {
    expect(pushFilters([tag('v1'), branch('main'), branch('dev'), branch('main'), tag('v1')])).toEqual({ branches: ['main', 'dev'], tags: ['v1'] });
    expect(pushFilters([])).toEqual({ branches: [], tags: [] });
  });

  test('admit exactly the names the role trusts (GitHub\'s filter against IAM\'s StringLike)', () => {
    const unit = fc.constantFrom('a', 'b', '/', '+', '.', '!', ']');
    const name = fc.string({ unit, minLength: 1, maxLength: 6 });
    const pattern = fc.tuple(fc.string({ unit, maxLength: 3 }), fc.string({ unit, maxLength: 3 }), fc.boolean())
      .map(([head, tail, two]) => two ? `${head}*${tail}*` : `${head}*${tail}`);
    fc.assert(fc.property(fc.oneof(name, pattern), fc.array(name, { minLength: 1, maxLength: 8 }), (trusted, candidates) => {
      const ref = branch(trusted);
      const [filter] = pushFilters([ref]).branches;
      for (const candidate of [...candidates, trusted.replace(/\*/g, ''), trusted.replace(/\*/g, 'a/b')]) {
        expect([trusted, candidate, filterAdmits(filter, candidate)]).toEqual([trusted, candidate, iamAdmits(ref, candidate)]);
      }
    }), { numRuns: 1000 });
  });
});

describe('job gates', () => {
  test('an exact ref is compared whole', () => {
    expect(refGate([branch('dev')], 'p')).toBe('github.ref == \'refs/heads/dev\'');
    expect(refGate([branch('main'), tag('v1.0.0')], 'p')).toBe('github.ref == \'refs/heads/main\' || github.ref == \'refs/tags/v1.0.0\'');
  });

  test('a pattern ending in * is a prefix; P*S is a prefix and a suffix, minus the names too short to hold both', () => {
    expect(refGate([branch('release/*')], 'p')).toBe('startsWith(github.ref, \'refs/heads/release/\')');
    expect(refGate([tag('rc-*')], 'p')).toBe('startsWith(github.ref, \'refs/tags/rc-\')');
    expect(refGate([branch('ab*b')], 'p')).toBe('(startsWith(github.ref, \'refs/heads/ab\') && endsWith(github.ref, \'b\') && github.ref != \'refs/heads/ab\')');
    expect(refGate([branch('*-prod')], 'p')).toBe('(startsWith(github.ref, \'refs/heads/\') && endsWith(github.ref, \'-prod\'))');
  });

  test('a suffix that reaches back into refs/heads/ does not admit the shorter branch: *heads/x refuses x', () => {
    // The role trusts refs/heads/*heads/x, so branch x (refs/heads/x) is not trusted, though that
    // ref starts with refs/heads/ and ends with heads/x.
    expect(refGate([branch('*heads/x')], 'p'))
      .toBe('(startsWith(github.ref, \'refs/heads/\') && endsWith(github.ref, \'heads/x\') && github.ref != \'refs/heads/x\')');
    expect(refGate([tag('*tags/v1')], 'p'))
      .toBe('(startsWith(github.ref, \'refs/tags/\') && endsWith(github.ref, \'tags/v1\') && github.ref != \'refs/tags/v1\')');
    expect(refGate([branch('*eads/x')], 'p'))
      .toBe('(startsWith(github.ref, \'refs/heads/\') && endsWith(github.ref, \'eads/x\') && github.ref != \'refs/heads/x\')');
    // A suffix that cannot reach back needs no exclusion.
    expect(refGate([branch('*x/y')], 'p')).toBe('(startsWith(github.ref, \'refs/heads/\') && endsWith(github.ref, \'x/y\'))');
  });

  test('quotes are doubled inside a literal', () => {
    expect(literal('it\'s')).toBe('\'it\'\'s\'');
    expect(refGate([branch('it\'s')], 'p')).toBe('github.ref == \'refs/heads/it\'\'s\'');
  });

  test('fails if a pattern has more than one *, naming the property and the subject; one * is accepted', () => {
    expect(() => refGate([branch('a*b*')], 'environment \'dev\' subject'))
      .toThrow(/^environment 'dev' subject has more than one '\*', which a job condition cannot match exactly.*got 'branch pattern a\*b\*'/);
    expect(() => refGate([branch('a*b')], 'p')).not.toThrow();
  });

  test('a job without a branch or tag runs only when started by hand', () => {
    expect(DISPATCH_GATE).toBe('github.event_name == \'workflow_dispatch\'');
  });

  test('an image with paths runs on a change to them within its environment\'s gate; a tag push or a manual run builds it anyway', () => {
    // GIVEN the gate of an environment trusting branch main and tags v*, and the api image's change output
    const gate = changedGate(refGate([branch('main'), tag('v*')], 'p'), 'changes', 'api');
    const cases: Array<[ref: string, event: string, changed: string, expected: boolean]> = [
      ['refs/heads/main', 'push', 'true', true],
      ['refs/heads/main', 'push', 'false', false],
      // GitHub evaluates no path filter for a tag push, and a manual run has no commit to compare with.
      ['refs/tags/v1', 'push', 'false', true],
      ['refs/heads/main', 'workflow_dispatch', 'false', true],
      // The environment's gate still holds: a change, a tag or a manual run on an untrusted ref runs nothing.
      ['refs/heads/dev', 'push', 'true', false],
      ['refs/tags/x1', 'push', 'true', false],
      ['refs/heads/dev', 'workflow_dispatch', 'true', false],
    ];
    // WHEN
    const { evaluations } = checkWorkflows([], cases.map(([ref, event_name, changed]) => ({
      expression: gate, github: { ref, event_name }, needs: { changes: { outputs: { api: changed } } },
    })));
    // THEN
    expect(cases.map(([ref, event, changed], i) => [ref, event, changed, evaluations[i]])).toEqual(cases);
  });

  test('GitHub\'s evaluator finds each gate true for exactly the refs the role trusts', () => {
    // GIVEN gates of exact names and one-star patterns, and refs around them. A name holds at
    // most one quote: @actions/expressions 0.3.61 turns only the first '' of a literal into '.
    // 'heads/' lets a pattern's suffix reach back into the refs/heads/ prefix (*heads/x against branch x).
    const unit = fc.constantFrom('a', 'b', '/', '.', 'heads/', 's/');
    const withQuote = (value: string, at: number | null) => at === null ? value : value.slice(0, at % (value.length + 1)) + '\'' + value.slice(at % (value.length + 1));
    const name = fc.tuple(fc.string({ unit, minLength: 1, maxLength: 5 }), fc.option(fc.nat(), { freq: 3 })).map(([n, at]) => withQuote(n, at));
    const part = fc.string({ unit, maxLength: 3 });
    const trusted = fc.oneof(name, fc.tuple(part, part, fc.option(fc.nat(), { freq: 3 })).map(([h, t, at]) => `${withQuote(h, at)}*${t}`));
    const cases = fc.sample(fc.tuple(fc.uniqueArray(trusted, { minLength: 1, maxLength: 3 }), fc.array(name, { minLength: 4, maxLength: 8 })),
      { numRuns: 150, seed: 20261202 });
    const evaluations = cases.flatMap(([names, candidates]) => {
      const refs = names.map(n => branch(n));
      const gate = refGate(refs, 'p');
      // ...and each non-empty end of a pattern's suffix, which the ref's prefix may complete (x against *heads/x).
      const ends = (n: string) => n.includes('*') ? [...n.slice(n.lastIndexOf('*') + 1)].map((_, i, all) => all.slice(i).join('')) : [];
      const around = names.flatMap(n => [n.replace(/\*/g, ''), n.replace(/\*/g, 'a/b'), `${n.replace(/\*/g, '')}a`, ...ends(n)]);
      return [...candidates, ...around].flatMap(candidate => [
        { refs, candidate: `refs/heads/${candidate}`, expected: refs.some(r => iamAdmits(r, candidate)), expression: gate },
        // A tag of the same name is another ref: a branch gate never admits it.
        { refs, candidate: `refs/tags/${candidate}`, expected: false, expression: gate },
      ]);
    });
    // ...and a deliberately wrong gate, which the check must catch: it admits devx, which 'dev' does not.
    const control = { expression: 'startsWith(github.ref, \'refs/heads/dev\')', candidate: 'refs/heads/devx', expected: false };
    // WHEN
    const { evaluations: results } = checkWorkflows([], [...evaluations, control].map(e => ({ expression: e.expression, github: { ref: e.candidate, event_name: 'push' } })));
    // THEN
    const wrong = [...evaluations, control].map((e, i) => ({ ...e, got: results[i] })).filter(e => e.got !== e.expected)
      .map(e => `${e.expression} on ${e.candidate}: ${e.got}, expected ${e.expected}`);
    expect(wrong).toEqual([`${control.expression} on ${control.candidate}: true, expected false`]);
    expect(evaluations.filter(e => e.expected).length).toBeGreaterThan(100);
  });
});
