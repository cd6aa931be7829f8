import { Lazy } from 'aws-cdk-lib';
import { GithubReusableWorkflow } from '../src';

/*
 * src/reusable-workflow.ts: the reference a role pins as job_workflow_ref. The pipeline's use of
 * it is in token-2026.test.ts and workflow.test.ts.
 */

const SHA = '0123456789abcdef0123456789abcdef01234567';
const refuse = (reference: unknown) => () => GithubReusableWorkflow.fromReference(reference as string);

describe('GithubReusableWorkflow.fromReference', () => {
  test('keeps the parts, and gives the reference and the uses: value', () => {
    // WHEN
    const tagged = GithubReusableWorkflow.fromReference('octo-org/ci/.github/workflows/build.yml@refs/tags/v1');
    const pinned = GithubReusableWorkflow.fromReference(`octo-org/ci/.github/workflows/build.yaml@${SHA}`);
    // THEN
    expect([tagged.repository, tagged.file, tagged.ref]).toEqual(['octo-org/ci', 'build.yml', 'refs/tags/v1']);
    expect(tagged.reference).toBe('octo-org/ci/.github/workflows/build.yml@refs/tags/v1');
    expect(String(tagged)).toBe('octo-org/ci/.github/workflows/build.yml@refs/tags/v1');
    expect(tagged._uses()).toBe('octo-org/ci/.github/workflows/build.yml@v1');
    expect(GithubReusableWorkflow.fromReference('octo-org/ci/.github/workflows/build.yml@refs/heads/main')._uses())
      .toBe('octo-org/ci/.github/workflows/build.yml@main');
    expect(pinned._uses()).toBe(`octo-org/ci/.github/workflows/build.yaml@${SHA}`);
  });

  test('fails if the reference is not a literal string, naming the factory', () => {
    expect(refuse(42)).toThrow(/^GithubReusableWorkflow\.fromReference\(reference\) must be a literal string, not a token resolved at deploy time, got 42$/);
    expect(refuse(Lazy.string({ produce: () => 'octo-org/ci/.github/workflows/build.yml@refs/tags/v1' })))
      .toThrow(/^GithubReusableWorkflow\.fromReference\(reference\) must be a literal string, not a token/);
  });

  test('fails if anything comes before OWNER/REPO or after the ref, a line break included', () => {
    const form = /^GithubReusableWorkflow\.fromReference\(reference\) must be OWNER\/REPO\/\.github\/workflows\/FILE@REF/;
    expect(refuse('x/octo-org/ci/.github/workflows/build.yml@refs/tags/v1')).toThrow(form);
    expect(refuse('octo-org/ci/.github/workflows/build.yml@refs/tags/v1\nmore')).toThrow(form);
  });

  test('fails if the file name starts with a dot or does not end in .yml or .yaml', () => {
    const file = /^GithubReusableWorkflow\.fromReference\(reference\) file must be a workflow file name/;
    expect(refuse('octo-org/ci/.github/workflows/.build.yml@refs/tags/v1')).toThrow(file);
    expect(refuse('octo-org/ci/.github/workflows/build.yml.bak@refs/tags/v1')).toThrow(file);
    expect(refuse('octo-org/ci/.github/workflows/build.json@refs/tags/v1')).toThrow(file);
  });

  test('fails if the ref is not refs/heads/, refs/tags/ or exactly 40 hex digits', () => {
    const ref = /^GithubReusableWorkflow\.fromReference\(reference\) ref must be refs\/heads\/BRANCH, refs\/tags\/TAG or a 40-character commit SHA/;
    expect(refuse('octo-org/ci/.github/workflows/build.yml@x/refs/heads/main')).toThrow(ref);
    expect(refuse(`octo-org/ci/.github/workflows/build.yml@x${SHA}`)).toThrow(ref);
    expect(refuse(`octo-org/ci/.github/workflows/build.yml@${SHA}x`)).toThrow(ref);
    expect(refuse(`octo-org/ci/.github/workflows/build.yml@${SHA.slice(1)}`)).toThrow(ref);
    expect(refuse(`octo-org/ci/.github/workflows/build.yml@${SHA.toUpperCase()}`)).toThrow(ref);
  });

  test('checks a named ref by git\'s rules, as a branch or a tag', () => {
    expect(refuse('octo-org/ci/.github/workflows/build.yml@refs/heads/a..b'))
      .toThrow(/^GithubReusableWorkflow\.fromReference\(reference\) ref must be a valid git branch name: it contains '\.\.'/);
    expect(refuse('octo-org/ci/.github/workflows/build.yml@refs/tags/v1..2'))
      .toThrow(/^GithubReusableWorkflow\.fromReference\(reference\) ref must be a valid git tag name: it contains '\.\.'/);
  });

  test('fails on a wildcard, and checks the repository part as a GitHub repository', () => {
    expect(refuse('octo-org/ci/.github/workflows/*.yml@refs/tags/v1')).toThrow(/must name one workflow file at one ref, with no wildcard/);
    expect(refuse('octo--org/ci/.github/workflows/build.yml@refs/tags/v1'))
      .toThrow(/^GithubReusableWorkflow\.fromReference\(reference\) repository must have an owner of 1 to 39/);
  });
});
