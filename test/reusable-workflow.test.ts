import * as fs from 'fs';
import * as path from 'path';
import { Lazy } from 'aws-cdk-lib';
import { GithubIssuer, GithubOidcEcrPipeline, GithubReusableWorkflow } from '../src';
import { expectAccepted, expectRefused, newStack, synthPipeline, trustStatements } from './support/stack';
import { CENTRAL } from './support/token-2026';
import { checkWorkflows } from './support/workflow-check';
import { DEFAULT_ACTIONS } from '../src/private/actions';

/*
 * A central reusable workflow: GithubReusableWorkflow.fromReference, the roles that pin its
 * job_workflow_ref, the calling jobs, and the README's section, whose workflows must lint clean.
 */

describe('reusable workflows', () => {
  const JWR = 'token.actions.githubusercontent.com:job_workflow_ref';
  const SUB = 'token.actions.githubusercontent.com:sub';

  test('in aws, every role pins job_workflow_ref to the central file at its ref', () => {
    const { template } = synthPipeline({ reusableWorkflow: GithubReusableWorkflow.fromReference(CENTRAL) }, { env: { region: 'eu-west-1' } });
    expect(trustStatements(template)[0].Condition.StringEquals[JWR]).toBe(CENTRAL);
    expect(trustStatements(template)[0].Condition.StringEquals[SUB]).toBe('repo:octo-org/octo-repo:ref:refs/heads/dev');
  });

  test('the workflow\'s jobs call the central workflow with the role, region and repository', () => {
    const { pipeline } = synthPipeline({ reusableWorkflow: GithubReusableWorkflow.fromReference(CENTRAL) }, { env: { region: 'eu-west-1' } });
    const workflow = pipeline.renderWorkflow();
    expect(workflow).toContain('uses: octo-org/ci/.github/workflows/build.yml@v1');
    expect(workflow).toContain('role-to-assume: ${{ vars.AWS_ROLE_ARN_DEV }}');
    expect(workflow).toContain('aws-region: eu-west-1');
    expect(workflow).toContain('ecr-repository: octo-repo-dev');
    expect(workflow).not.toContain('runs-on');
  });

  test('where STS does not evaluate job_workflow_ref, it fails unless the sub template carries it', () => {
    const reusableWorkflow = GithubReusableWorkflow.fromReference(CENTRAL);
    const server = GithubIssuer.enterpriseServer('github.example.com');
    expectRefused({ reusableWorkflow, issuer: server }, /^reusableWorkflow needs the job_workflow_ref condition key, which AWS documents/);
    expectAccepted({ reusableWorkflow, issuer: server, subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'] });
  });

  test('fails if combined with pinWorkflowFile', () => {
    expectRefused({ reusableWorkflow: GithubReusableWorkflow.fromReference(CENTRAL), pinWorkflowFile: 'push.yml' },
      /^pinWorkflowFile cannot be combined with reusableWorkflow/);
  });

  test.each([
    'octo-org/ci/.github/workflows/build.yml@refs/tags/v1',
    'octo-org/ci/.github/workflows/build.yaml@refs/heads/main',
    'octo-org/ci/.github/workflows/build.yml@0123456789abcdef0123456789abcdef01234567',
  ])('accepts a reference to one file at one ref: %s', (reference) => {
    expect(GithubReusableWorkflow.fromReference(reference).reference).toBe(reference);
  });

  test.each([
    ['octo-org/*/.github/workflows/build.yml@refs/tags/v1', /with no wildcard/],
    ['octo-org/ci/.github/workflows/*.yml@refs/tags/v1', /with no wildcard/],
    ['octo-org/ci/.github/workflows/build.yml@refs/tags/v*', /with no wildcard/],
    ['octo-org/ci/.github/workflows/build.yml@v1', /ref must be refs\/heads\/BRANCH, refs\/tags\/TAG or a 40-character commit SHA/],
    ['octo-org/ci/.github/workflows/build.yml@0123456789abcdef0123456789abcdef0123456', /ref must be refs\/heads\/BRANCH/],
    ['octo-org/ci/workflows/build.yml@refs/tags/v1', /must be OWNER\/REPO\/\.github\/workflows\/FILE@REF/],
    ['octo-org/ci/.github/workflows/build.txt@refs/tags/v1', /file must be a workflow file name/],
    ['octo-org/ci/.github/workflows/build.yml', /must be OWNER\/REPO/],
    ['-octo/ci/.github/workflows/build.yml@refs/tags/v1', /repository must have an owner/],
    ['octo-org/ci/.github/workflows/build.yml@refs/heads/a..b', /must be a valid git branch name/],
  ])('fails if the reference is not one file at one pinned ref: %s', (reference, message) => {
    expect(() => GithubReusableWorkflow.fromReference(reference as string)).toThrow(message as RegExp);
  });
});

describe('the README\'s reusable-workflow section', () => {
  const readme = () => fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = () => readme().split('## Reusable workflows')[1].split('\n## ')[0];
  const yamlBlocks = () => [...section().matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1]);

  test('the caller shown is what renderWorkflow() writes, and both workflows lint clean', () => {
    // GIVEN the README's pipeline, in eu-west-1
    const stack = newStack({ env: { region: 'eu-west-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: 'octo-org/octo-service',
      githubOwnerId: '123456789',
      githubRepositoryId: '987654321',
      environments: [{ name: 'prod', branches: ['main'] }],
      reusableWorkflow: GithubReusableWorkflow.fromReference('octo-org/ci/.github/workflows/build.yml@refs/tags/v1'),
    });
    // WHEN
    const caller = pipeline.renderWorkflow();
    const [shownCaller, central] = yamlBlocks();
    // THEN
    expect(section()).toContain('GithubReusableWorkflow.fromReference(\'octo-org/ci/.github/workflows/build.yml@refs/tags/v1\')');
    expect(caller).toContain(shownCaller);
    const result = checkWorkflows([{ name: 'caller.yml', content: caller }, { name: 'build.yml', content: central }]);
    expect(result.workflows.map(w => [w.name, w.actionlint.map(f => f.message), w.parser])).toEqual([
      ['caller.yml', [], []],
      ['build.yml', [], []],
    ]);
  });

  test('the central workflow pins the same action releases as the generated workflow', () => {
    const central = yamlBlocks()[1];
    const pins = [...central.matchAll(/uses: ([^@\s]+)@([0-9a-f]{40}) # (\S+)/g)].map(m => [m[1], m[2], m[3]]);
    expect(pins.length).toBe(5);
    const defaults = Object.values(DEFAULT_ACTIONS).map(a => [a.repository, a.commit, a.release]);
    for (const pin of pins) expect(defaults).toContainEqual(pin);
  });

  test('the lint fails on a caller broken by hand (a calling job cannot have steps)', () => {
    const broken = 'on: push\njobs:\n  prod:\n    uses: octo-org/ci/.github/workflows/build.yml@v1\n    steps:\n      - run: echo\n';
    const result = checkWorkflows([{ name: 'broken.yml', content: broken }]);
    expect(result.workflows[0].actionlint.length + result.workflows[0].parser.length).toBeGreaterThan(0);
  });
});

// From the mutation runs (docs/mutation.md).

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
