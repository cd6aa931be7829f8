import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import * as ts from 'typescript';
import * as lib from '../../src';
import { GithubOidcEcrPipeline, TokenClaims } from '../../src';
import { ClaimSet, simulateAssume } from '../support/security-simulate';
import { ACCOUNT } from '../support/stack';
import { templateOf, trustPolicyOf } from '../support/template';
import { TOKEN_CONFIGURATIONS, TokenConfiguration, tokenClaimSets } from '../support/token-2026';

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
