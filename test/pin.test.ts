import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { GithubOidcEcrPipeline, GithubSubject } from '../src';
import { ClaimSet, simulateAssume } from './support/security-simulate';
import { ACCOUNT, ISSUER, PROVIDER_ARN, VALIDATION_CONTEXT, expectAccepted, expectRefused, newTestStack, synthPipeline, trustStatements } from './support/stack';
import { templateOf, trustPolicyOf } from './support/template';

/*
 * pinWorkflowFile: each role also requires job_workflow_ref to be the generated workflow file at
 * one of the environment's branches or tags.
 */

const JOB_WORKFLOW_REF = `${ISSUER}:job_workflow_ref`;
/** A stack in the aws partition, where AWS documents STS support for job_workflow_ref. */
const AWS = { env: { region: 'us-east-1' } };

describe('trust policy', () => {
  test('without pinWorkflowFile, no role mentions job_workflow_ref', () => {
    const { template } = synthPipeline();
    expect(JSON.stringify(template.toJSON())).not.toContain('job_workflow_ref');
  });

  test('pins job_workflow_ref with StringEquals to the file at each branch and tag, and no wildcard', () => {
    // WHEN
    const { template } = synthPipeline({
      pinWorkflowFile: 'push.yml',
      environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.tag('v1.0.0'), GithubSubject.environment('production')] }],
    }, AWS);
    // THEN
    const [statement] = trustStatements(template);
    expect(statement.Condition.StringEquals[JOB_WORKFLOW_REF]).toEqual([
      'octo-org/octo-repo/.github/workflows/push.yml@refs/heads/main',
      'octo-org/octo-repo/.github/workflows/push.yml@refs/tags/v1.0.0',
    ]);
    expect(statement.Condition.StringLike).toBeUndefined();
    expect(JSON.stringify(statement)).not.toMatch(/job_workflow_ref[^\]]*\*/);
  });

  test('one branch gives a single value', () => {
    const { template } = synthPipeline({ pinWorkflowFile: 'push.yml' }, AWS);
    expect(trustStatements(template)[0].Condition.StringEquals[JOB_WORKFLOW_REF]).toBe('octo-org/octo-repo/.github/workflows/push.yml@refs/heads/dev');
  });
});

describe('validation', () => {
  test('accepts a file name; fails on a path or another extension', () => {
    expectAccepted({ pinWorkflowFile: 'push-image.yaml' }, AWS);
    expectRefused({ pinWorkflowFile: '.github/workflows/push.yml' }, /^pinWorkflowFile must be a file name \(no directory\).*got '\.github\/workflows\/push\.yml'/, AWS);
    expectRefused({ pinWorkflowFile: 'push.txt' }, /^pinWorkflowFile must be a file name/, AWS);
  });

  test('fails if a pinned environment trusts a pattern or pull requests', () => {
    expectRefused({ pinWorkflowFile: 'push.yml', environments: [{ name: 'r', branches: ['main'], subjects: [GithubSubject.branchPattern('release/*')] }] },
      /environments\[0\] subject cannot be combined with pinWorkflowFile.*got 'branch pattern release\/\*'/, AWS);
    expectRefused({ pinWorkflowFile: 'push.yml', environments: [{ name: 'r', branches: ['main'], subjects: [GithubSubject.pullRequest()] }] },
      /environments\[0\] subject cannot be combined with pinWorkflowFile.*got 'pull request'/, AWS);
  });

  test('fails if a pinned environment has no branch or tag; a deployment environment beside a branch is fine', () => {
    expectRefused({ pinWorkflowFile: 'push.yml', environments: [{ name: 'p', subjects: [GithubSubject.environment('production')] }] },
      /environments\[0\]\.branches must name at least one branch \(or subjects a tag\) with pinWorkflowFile/, AWS);
    expectAccepted({ pinWorkflowFile: 'push.yml', environments: [{ name: 'p', branches: ['main'], subjects: [GithubSubject.environment('production')] }] }, AWS);
  });
});

describe('the workflow', () => {
  test('is rendered and written under the pinned file name', () => {
    // GIVEN
    const { pipeline } = synthPipeline({ pinWorkflowFile: 'push.yml' }, { env: { region: 'eu-west-1' } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pin-'));
    // WHEN
    const file = pipeline.writeWorkflow(dir);
    // THEN
    expect(path.basename(file)).toBe('push.yml');
    expect(pipeline.renderWorkflow({ fileName: 'push.yml' })).toBe(fs.readFileSync(file, 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('fails if fileName differs from the pinned file', () => {
    const { pipeline } = synthPipeline({ pinWorkflowFile: 'push.yml' }, { env: { region: 'eu-west-1' } });
    expect(() => pipeline.renderWorkflow({ fileName: 'other.yml' })).toThrow(/^fileName must be 'push\.yml', the file the roles' trust is pinned to \(pinWorkflowFile\), got 'other\.yml'/);
  });

  test('fails if pipelines of one multi-stack workflow pin different files', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const a = new GithubOidcEcrPipeline(new Stack(app, 'A', { env: { account: '111111111111', region: 'eu-west-1' } }), 'P', {
      githubRepository: 'o/r', pinWorkflowFile: 'a.yml', environments: [{ name: 'dev', branches: ['dev'] }],
    });
    const b = new GithubOidcEcrPipeline(new Stack(app, 'B', { env: { account: '222222222222', region: 'eu-west-1' } }), 'P', {
      githubRepository: 'o/r', pinWorkflowFile: 'b.yml', environments: [{ name: 'prod', branches: ['main'] }],
    });
    // WHEN / THEN
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([a, b])).toThrow(/^pinWorkflowFile must be the same for every pipeline of one workflow/);
  });
});

describe('token matrix with the pin (iam-simulate)', () => {
  const { stack, pipeline } = (() => {
    const built = newTestStack();
    const p = new GithubOidcEcrPipeline(built.stack, 'Pipeline', {
      githubRepository: 'octo-org/octo-repo',
      pinWorkflowFile: 'push-image-to-ecr.yml',
      environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'], subjects: [GithubSubject.tag('v1')] }],
    });
    return { stack: built.stack, pipeline: p };
  })();
  const template = templateOf(stack);
  const file = (ref: string, name = 'push-image-to-ecr.yml', repo = 'octo-org/octo-repo') => `${repo}/.github/workflows/${name}@${ref}`;
  const token = (sub: string, jobWorkflowRef: string | undefined): Record<string, string> => {
    const claims: Record<string, string> = { [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: `repo:octo-org/octo-repo:${sub}` };
    if (jobWorkflowRef !== undefined) claims[JOB_WORKFLOW_REF] = jobWorkflowRef;
    return claims;
  };
  const cases: Array<[string, string, string, string | undefined, 'Allowed' | 'Refused']> = [
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

  test.each(cases)('%s: %s is %s', (envName, label, sub, jobWorkflowRef, expected) => {
    // GIVEN
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
