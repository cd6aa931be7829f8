import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import * as lib from '../../src';
import { GithubIssuer, GithubOidcEcrPipeline, GithubReusableWorkflow, GithubSubject, TokenClaims } from '../../src';
import { DEFAULT_ACTIONS } from '../../src/private/actions';
import { ClaimSet, simulateAssume } from '../support/security-simulate';
import { ACCOUNT, expectAccepted, expectRefused, newStack, pipelineProps, synthPipeline, trustStatements } from '../support/stack';
import { templateOf, trustPolicyOf } from '../support/template';
import { CENTRAL, OWNER_ID, REPO_ID, TOKEN_CONFIGURATIONS, TokenConfiguration, tokenClaimSets } from '../support/token-2026';
import { checkWorkflows } from '../support/workflow-check';

/*
 * GitHub's 2026 token: immutable subjects, subject templates, deployment environments bound to
 * branches, reusable workflows, and the condition keys STS evaluates only in some places.
 */

const MIN_HOSTILE = 40;

describe('the token matrix of the 2026 forms', () => {
  const figures: string[] = [];
  let wrongfulAllows = 0;
  let total = 0;
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`2026 token matrix: ${total} claim sets, ${wrongfulAllows} wrongful allows\n${figures.join('\n')}`);
  });

  test.each(TOKEN_CONFIGURATIONS.map(c => [c.title, c] as const))('%s: each role admits exactly its own tokens', (_title, config) => {
    // GIVEN
    const { stack, pipeline } = config.build();
    const template = templateOf(stack);
    const providerArn = providerArnOf(stack, config);
    for (const env of config.environments) {
      const role = stack.getLogicalId(pipeline.environment(env.name).role.node.defaultChild as any);
      const trust = trustPolicyOf(template, role, providerArn);
      const sets = tokenClaimSets(config, env, providerArn);
      // WHEN
      const verdicts = sets.map(set => ({ set, verdict: simulateAssume(trust, `arn:aws:iam::${ACCOUNT}:role/${env.name}`, set) }));
      // THEN
      const wrong = verdicts.filter(v => v.verdict !== v.set.expect).map(v => `${v.set.label}: expected ${v.set.expect}, got ${v.verdict} for ${JSON.stringify(v.set.claims)}`);
      expect(wrong).toEqual([]);
      const hostile = sets.filter(s => s.expect === 'Refused').length;
      expect(hostile).toBeGreaterThanOrEqual(MIN_HOSTILE);
      wrongfulAllows += verdicts.filter(v => v.set.expect === 'Refused' && v.verdict === 'Allowed').length;
      total += sets.length;
      figures.push(`  ${config.title} / ${env.name}: ${sets.length - hostile} admitted, ${hostile} hostile refused`);
    }
  });

  test.each(TOKEN_CONFIGURATIONS.map(c => [c.title, c] as const))('%s: explain() agrees with iam-simulate on every claim set', (_title, config) => {
    // GIVEN
    const { stack, pipeline } = config.build();
    const template = templateOf(stack);
    const providerArn = providerArnOf(stack, config);
    const roles = config.environments.map(env => ({
      env,
      trust: trustPolicyOf(template, stack.getLogicalId(pipeline.environment(env.name).role.node.defaultChild as any), providerArn),
    }));
    const sets = config.environments.flatMap(env => tokenClaimSets(config, env, providerArn));
    // WHEN
    const disagreements: string[] = [];
    for (const set of sets) {
      const explained = pipeline.explain(claimsOf(set, config));
      roles.forEach(({ env, trust }) => {
        const simulated = simulateAssume(trust, `arn:aws:iam::${ACCOUNT}:role/${env.name}`, set) === 'Allowed';
        const verdict = explained.roles.find(r => r.environment === env.name)!.admitted;
        if (verdict !== simulated) disagreements.push(`${env.name} ${set.label}: simulate ${simulated}, explain ${verdict}`);
      });
    }
    // THEN
    expect(disagreements).toEqual([]);
    expect(sets.length).toBeGreaterThanOrEqual(MIN_HOSTILE * config.environments.length);
  });
});

/** The provider's ARN in the configuration's partition (its stacks name a literal region). */
function providerArnOf(stack: Stack, config: TokenConfiguration): string {
  const partition = stack.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return `arn:${partition}:iam::${ACCOUNT}:oidc-provider/${config.issuer}`;
}

function claimsOf(set: ClaimSet, config: TokenConfiguration): TokenClaims {
  const claim = (name: string) => set.claims[`${config.issuer}:${name}`];
  return { sub: claim('sub'), aud: claim('aud'), repositoryId: claim('repository_id'), jobWorkflowRef: claim('job_workflow_ref') };
}

describe('the README\'s smallest example', () => {
  test('admits a repository created after 2026-07-15: its immutable-form token, and refuses the neighbours', () => {
    // GIVEN the README's first TypeScript block, run as it stands
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = /```ts fixture=app\n([\s\S]*?)```/.exec(readme)![1];
    const created: GithubOidcEcrPipeline[] = [];
    class Recorded extends GithubOidcEcrPipeline {
      constructor(...args: ConstructorParameters<typeof GithubOidcEcrPipeline>) {
        super(...args);
        created.push(this);
      }
    }
    const js = ts.transpileModule(block, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    // The block imports only aws-cdk-lib and the library.
    const modules: Record<string, unknown> = { 'aws-cdk-lib': cdk, 'cdk-github-oidc-ecr': { ...lib, GithubOidcEcrPipeline: Recorded } };
    const requireFor = (name: string) => {
      if (!(name in modules)) throw new Error(`the README's smallest example imports '${name}', which this test does not provide`);
      return modules[name];
    };
    new Function('require', 'exports', js)(requireFor, {});
    expect(created).toHaveLength(1);
    const pipeline = created[0];
    const ownerId = /githubOwnerId: '(\d+)'/.exec(block)![1];
    const repositoryId = /githubRepositoryId: '(\d+)'/.exec(block)![1];
    const repository = pipeline.githubRepository;
    // WHEN a token of the immutable form, as github.com sends it for a new repository
    const [owner, repo] = repository.split('/');
    const immutable = `repo:${owner}@${ownerId}/${repo}@${repositoryId}`;
    const explain = (sub: string, id = repositoryId) => pipeline.explain({ sub, aud: 'sts.amazonaws.com', repositoryId: id });
    // THEN the prod role admits it, on main only, and with the right IDs only
    expect(explain(`${immutable}:ref:refs/heads/main`).environment).toBe('prod');
    expect(explain(`${immutable}:ref:refs/heads/dev`).environment).toBe('dev');
    expect(explain(`${immutable}:ref:refs/heads/feature`).admitted).toBe(false);
    expect(explain(`repo:${owner}@${ownerId}/${repo}@1${repositoryId}:ref:refs/heads/main`, `1${repositoryId}`).admitted).toBe(false);
    expect(explain(`${immutable}:ref:refs/heads/main`, `1${repositoryId}`).admitted).toBe(false);
    // and iam-simulate says the same of the template
    const stack = Stack.of(pipeline);
    const template = templateOf(stack);
    const role = stack.getLogicalId(pipeline.environment('prod').role.node.defaultChild as any);
    const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const set = (sub: string): ClaimSet => ({
      label: sub,
      principal: providerArn,
      expect: 'Allowed',
      claims: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': sub, 'token.actions.githubusercontent.com:repository_id': repositoryId },
    });
    expect(simulateAssume(trustPolicyOf(template, role, providerArn), 'arn:aws:iam::111122223333:role/prod', set(`${immutable}:ref:refs/heads/main`))).toBe('Allowed');
    expect(simulateAssume(trustPolicyOf(template, role, providerArn), 'arn:aws:iam::111122223333:role/prod', set(`${immutable}:ref:refs/heads/dev`))).toBe('Refused');
  });
});

describe('immutable subjects: the warning', () => {
  const warningOf = (stack: lib.GithubOidcEcrPipeline['node']['scope']) => Annotations.fromStack(stack as any);

  test('github.com without IDs: warns, naming the repository, the cutover and the gh command', () => {
    const { stack } = synthPipeline();
    warningOf(stack).hasWarning('/TestStack/Pipeline', Match.stringLikeRegexp(
      "githubRepository 'octo-org/octo-repo' is trusted by name only\\. Since 2026-07-15.*gh api repos/octo-org/octo-repo --jq '\\.owner\\.id, \\.id'.*ack: cdk-github-oidc-ecr:githubIdsMissing"));
  });

  test('GitHub Enterprise Cloud without IDs: warns too', () => {
    const { stack } = synthPipeline({ issuer: GithubIssuer.enterpriseCloud('octo-enterprise') });
    warningOf(stack).hasWarning('/TestStack/Pipeline', Match.stringLikeRegexp('trusted by name only'));
  });

  test('no warning with the IDs, nor for GitHub Enterprise Server, which never sends the immutable form', () => {
    for (const overrides of [{ githubOwnerId: '1', githubRepositoryId: '2' }, { issuer: GithubIssuer.enterpriseServer('github.example.com') }]) {
      const { stack } = synthPipeline(overrides);
      warningOf(stack).hasNoWarning('/TestStack/Pipeline', Match.stringLikeRegexp('trusted by name only'));
    }
  });

  test('upper-case letters in githubRepository warn; lower case does not', () => {
    const { stack } = synthPipeline({ githubRepository: 'Octo-Org/octo-repo' });
    warningOf(stack).hasWarning('/TestStack/Pipeline', Match.stringLikeRegexp("githubRepository 'Octo-Org/octo-repo' has upper-case letters.*case-sensitively"));
    const lower = synthPipeline({ githubRepository: 'octo-org/octo-repo' });
    warningOf(lower.stack).hasNoWarning('/TestStack/Pipeline', Match.stringLikeRegexp('upper-case'));
  });
});

describe('mistakes that would lock every workflow out', () => {
  test('fails if a branch is given with refs/heads/, naming the fix; a name that only looks alike is fine', () => {
    expectRefused({ environments: [{ name: 'dev', branches: ['refs/heads/main'] }] },
      /^environments\[0\]\.branches\[0\] must be a valid git branch name: give the name without 'refs\/heads\/', which is added for you: use 'main', got 'refs\/heads\/main'/);
    expectAccepted({ environments: [{ name: 'dev', branches: ['refs-heads/main'] }] });
    expectAccepted({ environments: [{ name: 'dev', branches: ['xrefs/heads/main'] }] });
  });

  test('fails if a tag is given with refs/tags/; tag patterns too', () => {
    expectRefused({ environments: [{ name: 'dev', subjects: [GithubSubject.tag('refs/tags/v1')] }] }, /use 'v1', got 'refs\/tags\/v1'/);
    expectRefused({ environments: [{ name: 'dev', subjects: [GithubSubject.tagPattern('refs/tags/v*')] }] }, /use 'v\*'/);
    expectAccepted({ environments: [{ name: 'dev', subjects: [GithubSubject.tag('v1')] }] });
  });

  test('fails if githubRepository ends in .git; a name merely containing .git is fine', () => {
    expectRefused({ githubRepository: 'octo-org/octo-repo.git' }, /^githubRepository must not end in '\.git'.*use 'octo-org\/octo-repo', got 'octo-org\/octo-repo\.git'/);
    expectAccepted({ githubRepository: 'octo-org/octo-repo.gitx' });
    expectAccepted({ githubRepository: 'octo-org/.github', repositoryPrefix: 'dotgithub' });
  });

  test.each([
    'https://github.com/octo-org/octo-repo',
    'https://github.com/octo-org/octo-repo.git',
    'https://github.com/octo-org/octo-repo/',
    'git@github.com:octo-org/octo-repo.git',
    'ssh://git@github.com/octo-org/octo-repo',
    'github.com/octo-org/octo-repo',
    'https://github.example.com/octo-org/octo-repo',
  ])('fails if githubRepository is a URL or clone address, naming owner/repo: %s', (url) => {
    expectRefused({ githubRepository: url }, /^githubRepository must be the repository as 'owner\/repo', not a URL or clone address: use 'octo-org\/octo-repo'/);
  });

  test('an owner or repository named like a host is still a repository', () => {
    expectAccepted({ githubRepository: 'github/github.com' });
  });
});

describe('subject templates (subjectClaimKeys)', () => {
  const SUB = 'token.actions.githubusercontent.com:sub';

  test('the default template gives the default sub and resets the repository to it', () => {
    const { template, pipeline } = synthPipeline();
    expect(trustStatements(template)[0].Condition.StringEquals[SUB]).toBe('repo:octo-org/octo-repo:ref:refs/heads/dev');
    expect(pipeline.subjectClaimKeys).toEqual(['repo', 'context']);
    expect(JSON.parse(pipeline.subjectCustomizationBody())).toEqual({ use_default: true });
  });

  test('repo, context, job_workflow_ref: the sub carries the pinned file at the branch, in both forms', () => {
    const { template, pipeline } = synthPipeline({
      githubOwnerId: '1',
      githubRepositoryId: '2',
      pinWorkflowFile: 'push.yml',
      subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'],
    }, { env: { region: 'us-gov-west-1' } });
    expect(trustStatements(template)[0].Condition.StringEquals[SUB]).toEqual([
      'repo:octo-org/octo-repo:ref:refs/heads/dev:job_workflow_ref:octo-org/octo-repo/.github/workflows/push.yml@refs/heads/dev',
      'repo:octo-org@1/octo-repo@2:ref:refs/heads/dev:job_workflow_ref:octo-org/octo-repo/.github/workflows/push.yml@refs/heads/dev',
    ]);
    expect(JSON.parse(pipeline.subjectCustomizationBody())).toEqual({ use_default: false, include_claim_keys: ['repo', 'context', 'job_workflow_ref'] });
  });

  test('repository, repository_owner, repository_id, ref_type and environment render as key:value', () => {
    const { template } = synthPipeline({
      githubOwnerId: '1',
      githubRepositoryId: '2',
      subjectClaimKeys: ['repository_owner', 'repository', 'repository_id', 'ref_type', 'environment', 'ref'],
      environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }],
    });
    expect(trustStatements(template)[0].Condition.StringEquals[SUB])
      .toBe('repository_owner:octo-org:repository:octo-org/octo-repo:repository_id:2:ref_type:branch:environment:production:ref:refs/heads/main');
  });

  test('fails if the list is empty, or names a key twice; two distinct keys are fine', () => {
    expectRefused({ subjectClaimKeys: [] }, /^subjectClaimKeys must list at least one claim key/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'repo'] }, /^subjectClaimKeys\[2\] must be unique; subjectClaimKeys\[0\] is the same, got 'repo'/);
    expectAccepted({ subjectClaimKeys: ['repo', 'context'] });
  });

  test('fails if a key is not one GitHub documents', () => {
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'branch'] }, /^subjectClaimKeys\[2\] must be one of the claims GitHub documents in its OIDC token.*got 'branch'/);
    expectRefused({ subjectClaimKeys: ['repo', 'Context'] }, /^subjectClaimKeys\[1\] must be one of the claims GitHub documents/);
  });

  test.each(['actor', 'workflow', 'event_name', 'sha', 'run_id', 'job_workflow_sha', 'enterprise_id', 'repo_property_team'])('fails if a key varies from run to run: %s', (key) => {
    expectRefused({ subjectClaimKeys: ['repo', 'context', key] }, new RegExp(`^subjectClaimKeys\\[2\\] is a claim whose value varies from run to run or is not known at synth time.*got '${key}'`));
  });

  test('fails if the template does not name the repository, or what a run is for', () => {
    expectRefused({ subjectClaimKeys: ['repository_owner', 'context'] }, /^subjectClaimKeys must include 'repo', 'repository' or 'repository_id'/);
    expectRefused({ subjectClaimKeys: ['repo', 'ref_type'] }, /^subjectClaimKeys must include 'context', 'ref' or 'environment'/);
    expectAccepted({ subjectClaimKeys: ['repository', 'ref'] });
  });

  test('fails if a template cannot express a subject, naming both', () => {
    // GIVEN templates that lack what a subject needs
    expectRefused({ subjectClaimKeys: ['repo', 'ref'], environments: [{ name: 'dev', subjects: [GithubSubject.pullRequest()] }] },
      /^subjectClaimKeys cannot express environments\[0\]'s pull request: the template needs 'context'.*got \["repo","ref"\]/);
    expectRefused({ subjectClaimKeys: ['repo', 'ref'], environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }] },
      /^subjectClaimKeys cannot express environments\[0\]'s environment production on branch main: the template needs 'context' or 'environment'/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'environment'], environments: [{ name: 'dev', branches: ['dev'] }] },
      /cannot express environments\[0\]'s branch dev: the template carries environment, but this run targets no deployment environment/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'repository_id'] }, /the template carries repository_id, so githubRepositoryId must be given/);
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'] }, /the template carries job_workflow_ref, so give pinWorkflowFile or reusableWorkflow/);
    // WHEN / THEN the same subjects are fine where the template can express them
    expectAccepted({ subjectClaimKeys: ['repo', 'context', 'repository_id'], githubOwnerId: '1', githubRepositoryId: '2' });
    expectAccepted({ subjectClaimKeys: ['repo', 'context'], environments: [{ name: 'dev', subjects: [GithubSubject.pullRequest()] }] });
  });

  test('a pattern under a template with ref gives one StringLike sub', () => {
    const { template } = synthPipeline({
      subjectClaimKeys: ['repo', 'context', 'ref'],
      environments: [{ name: 'rel', subjects: [GithubSubject.branchPattern('release/*')] }],
    });
    expect(trustStatements(template)[0].Condition.StringLike[SUB]).toBe('repo:octo-org/octo-repo:ref:refs/heads/release/*:ref:refs/heads/release/*');
  });
});

describe('deployment environments', () => {
  const SUB = 'token.actions.githubusercontent.com:sub';

  test('a role that trusts a deployment environment admits only its tokens; its branches gate the job', () => {
    // GIVEN / WHEN
    const { template, pipeline } = synthPipeline({
      environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }],
    }, { env: { region: 'eu-west-1' } });
    // THEN
    expect(trustStatements(template)[0].Condition.StringEquals[SUB]).toBe('repo:octo-org/octo-repo:environment:production');
    const workflow = pipeline.renderWorkflow();
    expect(workflow).toContain('if: github.ref == \'refs/heads/main\'');
    expect(workflow).toContain('environment: production');
  });

  test('with the default template, a deployment environment beside branches warns that it is unbound', () => {
    const { stack } = synthPipeline({ environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Pipeline', Match.stringLikeRegexp(
      "environments\\[0\\] \\('prod'\\): its role admits every job that targets the deployment environment 'production', from any branch.*subjectClaimKeys: \\['repo', 'context', 'ref'\\]"));
  });

  test('bound with repo, context, ref: the sub names the environment and each branch; no warning', () => {
    const { template, stack } = synthPipeline({
      subjectClaimKeys: ['repo', 'context', 'ref'],
      environments: [{ name: 'prod', branches: ['main', 'hotfix'], subjects: [GithubSubject.environment('production')] }],
    });
    expect(trustStatements(template)[0].Condition.StringEquals[SUB]).toEqual([
      'repo:octo-org/octo-repo:environment:production:ref:refs/heads/main',
      'repo:octo-org/octo-repo:environment:production:ref:refs/heads/hotfix',
    ]);
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Pipeline', Match.stringLikeRegexp('unbound|admits every job'));
  });

  test('fails if a bound deployment environment has no branch or tag to bind to; with one it is fine', () => {
    expectRefused({ subjectClaimKeys: ['repo', 'context', 'ref'], environments: [{ name: 'prod', subjects: [GithubSubject.environment('production')] }] },
      /^environments\[0\]\.branches must name the branches \(or subjects the tags\) that 'production' is bound to, because subjectClaimKeys carries 'ref'/);
    expectAccepted({ subjectClaimKeys: ['repo', 'context', 'ref'], environments: [{ name: 'prod', subjects: [GithubSubject.environment('production'), GithubSubject.tag('v1')] }] });
  });

  test('fails if a deployment environment is combined with pull requests', () => {
    expectRefused({ environments: [{ name: 'prod', subjects: [GithubSubject.environment('production'), GithubSubject.pullRequest()] }] },
      /^environments\[0\]\.subjects cannot combine GithubSubject\.pullRequest\(\) with a deployment environment/);
    expectAccepted({ environments: [{ name: 'prod', subjects: [GithubSubject.environment('production')] }, { name: 'pr', subjects: [GithubSubject.pullRequest()] }] });
  });
});

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

describe('condition keys STS evaluates only in some places', () => {
  const KEY = (k: string, issuer = 'token.actions.githubusercontent.com') => `${issuer}:${k}`;
  const conditionKeys = (template: Template) => Object.keys(trustStatements(template)[0].Condition.StringEquals);

  test.each([
    ['aws (us-east-1)', 'us-east-1', true],
    ['aws (ap-northeast-1)', 'ap-northeast-1', true],
    ['aws-cn (cn-north-1)', 'cn-north-1', false],
    ['aws-us-gov (us-gov-west-1)', 'us-gov-west-1', false],
    ['region unknown at synth', undefined, false],
  ])('github.com in %s: repository_id pinned: %s', (_title, region, pinned) => {
    const { template } = synthPipeline({ githubOwnerId: '1', githubRepositoryId: '2' }, region ? { env: { region } } : {});
    expect(conditionKeys(template).includes(KEY('repository_id'))).toBe(pinned);
    // The immutable form still pins the IDs in the sub.
    expect(trustStatements(template)[0].Condition.StringEquals[KEY('sub')]).toContain('repo:octo-org@1/octo-repo@2:ref:refs/heads/dev');
  });

  test.each([
    ['GitHub Enterprise Server', GithubIssuer.enterpriseServer('github.example.com')],
    ['GitHub Enterprise Cloud', GithubIssuer.enterpriseCloud('octo-enterprise')],
  ])('%s in aws: repository_id is not pinned, and pinWorkflowFile fails with the reason', (_title, issuer) => {
    const { template } = synthPipeline({ issuer, githubOwnerId: '1', githubRepositoryId: '2' }, { env: { region: 'us-east-1' } });
    expect(conditionKeys(template).some(k => k.endsWith(':repository_id'))).toBe(false);
    expect(() => new GithubOidcEcrPipeline(newStack({ env: { region: 'us-east-1' } }), 'Pipeline', pipelineProps({ issuer, pinWorkflowFile: 'push.yml' })))
      .toThrow(/^pinWorkflowFile needs the job_workflow_ref condition key, which AWS documents for github\.com tokens in the aws partition only/);
  });

  test('pinWorkflowFile in aws-cn fails; in aws it pins; with job_workflow_ref in the template it works anywhere', () => {
    expect(() => new GithubOidcEcrPipeline(newStack({ env: { region: 'cn-north-1' } }), 'Pipeline', pipelineProps({ pinWorkflowFile: 'push.yml' })))
      .toThrow(/^pinWorkflowFile needs the job_workflow_ref condition key/);
    const aws = synthPipeline({ pinWorkflowFile: 'push.yml' }, { env: { region: 'us-east-1' } });
    expect(conditionKeys(aws.template)).toContain(KEY('job_workflow_ref'));
    const cn = synthPipeline({ pinWorkflowFile: 'push.yml', subjectClaimKeys: ['repo', 'context', 'job_workflow_ref'] }, { env: { region: 'cn-north-1' } });
    expect(conditionKeys(cn.template)).not.toContain(KEY('job_workflow_ref'));
  });
});

describe('explain() for the 2026 forms', () => {
  const AUD = 'sts.amazonaws.com';

  test('an immutable-form token against roles that trust names only: says so and gives the IDs to set', () => {
    const { pipeline } = synthPipeline();
    const result = pipeline.explain({ sub: `repo:octo-org@${OWNER_ID}/octo-repo@${REPO_ID}:ref:refs/heads/dev`, aud: AUD, repositoryId: REPO_ID, repositoryOwnerId: OWNER_ID });
    expect(result.admitted).toBe(false);
    expect(result.roles[0].fix).toBe(`the token uses GitHub's immutable subject form (repo:octo-org@${OWNER_ID}/octo-repo@${REPO_ID}), which github.com sends for repositories created, renamed or transferred since 2026-07-15, and the role trusts the name form only: set githubOwnerId: '${OWNER_ID}' and githubRepositoryId: '${REPO_ID}' on the pipeline and deploy again`);
  });

  test('says when the claims disagree with the sub\'s IDs', () => {
    const { pipeline } = synthPipeline();
    const result = pipeline.explain({ sub: `repo:octo-org@${OWNER_ID}/octo-repo@${REPO_ID}:ref:refs/heads/dev`, aud: AUD, repositoryId: '1', repositoryOwnerId: OWNER_ID });
    expect(result.roles[0].fix).toMatch(/repository_id '1' disagree with its sub/);
  });

  test('says when token and role differ only in case', () => {
    const { pipeline } = synthPipeline({ githubRepository: 'octo-org/octo-repo' });
    const repository = pipeline.explain({ sub: 'repo:Octo-Org/Octo-Repo:ref:refs/heads/dev', aud: AUD });
    expect(repository.roles[0].fix).toBe('the sub differs from the trusted \'repo:octo-org/octo-repo:ref:refs/heads/dev\' only in upper and lower case, and IAM compares case-sensitively: set githubRepository to \'Octo-Org/Octo-Repo\', the repository\'s spelling on GitHub');
    const branch = pipeline.explain({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/Dev', aud: AUD });
    expect(branch.roles[0].fix).toMatch(/only in upper and lower case.*use the branch, tag or environment name exactly as GitHub spells it/);
  });

  test('with a template, names the first claim that differs', () => {
    const { pipeline } = synthPipeline({
      subjectClaimKeys: ['repo', 'context', 'ref'],
      environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }],
    });
    const other = pipeline.explain({ sub: 'repo:octo-org/octo-repo:environment:production:ref:refs/heads/feature', aud: AUD });
    expect(other.roles[0].fix).toBe('run the workflow in a job with `environment: production` on branch main; its ref is \'refs/heads/feature\' where the role trusts \'refs/heads/main\'');
    const unbound = pipeline.explain({ sub: 'repo:octo-org/octo-repo:environment:production', aud: AUD });
    expect(unbound.roles[0].fix).toMatch(/has nothing where the role's template has 'ref': set subjectClaimKeys to the repository's template/);
  });

  test('a reusable workflow at another ref: names the central file and ref', () => {
    const { pipeline } = synthPipeline({ reusableWorkflow: GithubReusableWorkflow.fromReference(CENTRAL) }, { env: { region: 'us-east-1' } });
    const result = pipeline.explain({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/dev', aud: AUD, jobWorkflowRef: CENTRAL.replace('v1', 'v2') });
    expect(result.roles[0].firstFailure).toBe(`job_workflow_ref is '${CENTRAL.replace('v1', 'v2')}' but the role trusts '${CENTRAL}'`);
    expect(result.roles[0].fix).toBe('run the job from the workflow file .github/workflows/build.yml of octo-org/ci at refs/tags/v1; another workflow file or ref is refused');
  });
});

describe('the README\'s reusable-workflow section', () => {
  const readme = () => fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
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
