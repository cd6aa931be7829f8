import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { buildIntegApp } from './integ.pipeline';
import { GithubOidcEcrPipeline, GithubOidcEcrPipelineProps } from '../src';
import { EXAMPLE } from './support/security-scenarios';
import { VALIDATION_CONTEXT } from './support/stack';
import { resourcesOfType } from './support/template';

/*
 * Nothing lost on upgrade. A changed logical ID makes CloudFormation replace the resource: a new,
 * empty repository and a role with a new ARN. The IDs are written here by hand, not in a snapshot.
 */
const ROLES = ['PipelineDevRole5C7605D9', 'PipelineProdRole8C4E40B3'];
const REPOSITORIES = ['PipelineDevRepositoryBFDE237D', 'PipelineProdRepository2BE9A534'];
const PROVIDERS = ['GithubActionsOidcProviderF9E986BE'];

describe('the example keeps its logical IDs and retention', () => {
  // Built before each test: not while the file loads, so that a construct that throws fails the
  // tests, and not once before all, which StrykerJS would count as every test's (a static mutant).
  let json: any;
  beforeEach(() => {
    json = Template.fromStack(EXAMPLE.build().stack).toJSON();
  });

  test.each([
    ['AWS::IAM::Role', ROLES],
    ['AWS::ECR::Repository', REPOSITORIES],
    ['AWS::IAM::OIDCProvider', PROVIDERS],
  ])('%s has exactly the logical IDs %j', (type, ids) => {
    expect(Object.keys(resourcesOfType(json, type)).sort()).toEqual([...ids].sort());
  });

  test.each([...REPOSITORIES, ...PROVIDERS])('%s is retained on delete and on replacement', (id) => {
    expect(json.Resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test.each(ROLES)('%s keeps its trust policy and inline push policy', (id) => {
    expect(json.Resources[id].Properties.AssumeRolePolicyDocument.Statement.length).toBeGreaterThan(0);
    expect(json.Resources[id].Properties.Policies.map((p: any) => p.PolicyName)).toEqual(['EcrPush']);
  });
});

describe('integ.pipeline.ts', () => {
  test('synthesizes: the test stack and the assertion stack with its three SDK calls', () => {
    // GIVEN
    const { app, stack } = buildIntegApp(new App({ context: VALIDATION_CONTEXT }));

    // WHEN
    const assembly = app.synth();

    // THEN
    const testStack = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
    testStack.resourceCountIs('AWS::IAM::Role', 1);
    testStack.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    testStack.hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: { Statement: [{ Sid: 'PullFromOtherAccounts' }] } });
    const assertionStack = assembly.stacks.find(s => s.stackName !== stack.stackName)!;
    expect(assertionStack.stackName).toMatch(/^GithubOidcEcrIntegTest/);
    const assertions = Template.fromJSON(assertionStack.template);
    const calls = Object.values<any>(assertions.toJSON().Resources).map(r => r.Type).filter((t: string) => t.startsWith('Custom::DeployAssert@SdkCall'));
    expect(calls.sort()).toEqual(['Custom::DeployAssert@SdkCallECRDescribeRepositories', 'Custom::DeployAssert@SdkCallECRGetRepositoryPolicy', 'Custom::DeployAssert@SdkCallIAMGetRole']);
    expect(assembly.manifest.version).toMatch(/^(5[4-9]|[6-9]\d)\./);
  });

  test('imports the account\'s provider with -c useExistingProvider=true', () => {
    const { app, stack } = buildIntegApp(new App({ context: { ...VALIDATION_CONTEXT, useExistingProvider: 'true' } }));
    app.synth();
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });
});

/*
 * Ordinary changes that replace or delete a repository: a changed logical ID deletes the old
 * resource, a changed RepositoryName replaces it. With DESTROY both delete the images.
 */
describe('changes that would lose images', () => {
  const GITHUB = 'octo-org/octo-repo';
  interface Built {
    /** Each repository's RepositoryName, by logical ID. */
    readonly repositories: Record<string, string>;
    /** Each repository's DeletionPolicy and UpdateReplacePolicy, by logical ID. */
    readonly retention: Record<string, { DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
    readonly warnings: string[];
  }

  function build(props: Partial<GithubOidcEcrPipelineProps>, rename?: (stack: Stack) => void): Built {
    const stack = new Stack(new App({ context: VALIDATION_CONTEXT }), 'Upgrade', { env: { account: '111122223333', region: 'eu-west-1' } });
    rename?.(stack);
    new GithubOidcEcrPipeline(stack, 'Pipeline', { githubRepository: GITHUB, environments: [], ...props });
    const json = Template.fromStack(stack).toJSON();
    const created = Object.entries<any>(resourcesOfType(json, 'AWS::ECR::Repository'));
    const repositories = Object.fromEntries(created.map(([id, r]) => [id, r.Properties.RepositoryName]));
    const retention = Object.fromEntries(created.map(([id, r]) =>
      [id, { DeletionPolicy: r.DeletionPolicy, UpdateReplacePolicy: r.UpdateReplacePolicy }]));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => String(w.entry.data));
    return { repositories, retention, warnings };
  }

  /** The repositories of `before` that `after` deletes (logical ID gone) or replaces (name changed). */
  function lost(before: Built, after: Built): string[] {
    return Object.entries(before.repositories)
      .filter(([id, name]) => after.repositories[id] !== name)
      .map(([id, name]) => `${id} (${name}) ${id in after.repositories ? 'replaced' : 'deleted'}`);
  }

  const destroy = { removalPolicy: RemovalPolicy.DESTROY };

  test('renaming an environment deletes its repository; synth warned beforehand', () => {
    const before = build({ environments: [{ name: 'dev', branches: ['dev'], ...destroy }] });
    const after = build({ environments: [{ name: 'development', branches: ['dev'], ...destroy }] });
    expect(lost(before, after)).toEqual(['PipelineDevRepositoryBFDE237D (octo-repo-dev) deleted']);
    expect(before.warnings.join('\n')).toMatch(/environments\[0\] \('dev'\): removalPolicy DESTROY with the repository name 'octo-repo-dev', derived from the environment name and the GitHub repository name\. Renaming the environment, renaming the GitHub repository.*deletes the repository and every image in it/);
  });

  test('renaming the GitHub repository replaces the repositories named after it', () => {
    const before = build({ environments: [{ name: 'dev', branches: ['dev'], ...destroy }] });
    const after = build({ githubRepository: 'octo-org/octo-service', environments: [{ name: 'dev', branches: ['dev'], ...destroy }] });
    expect(lost(before, after)).toEqual(['PipelineDevRepositoryBFDE237D (octo-repo-dev) replaced']);
    expect(before.warnings.join('\n')).toMatch(/removalPolicy DESTROY/);
  });

  test('dropping repositoryPrefix replaces the repository; the warning names the prefix', () => {
    const before = build({ repositoryPrefix: 'cloudterms', environments: [{ name: 'dev', branches: ['dev'], ...destroy }] });
    const after = build({ environments: [{ name: 'dev', branches: ['dev'], ...destroy }] });
    expect(lost(before, after)).toEqual(['PipelineDevRepositoryBFDE237D (cloudterms-dev) replaced']);
    expect(before.warnings.join('\n')).toMatch(/derived from the environment name and repositoryPrefix\. Renaming the environment, changing or dropping repositoryPrefix/);
  });

  test('passing the created repository back as an existing one deletes it; synth warns then', () => {
    const before = build({ environments: [{ name: 'dev', branches: ['dev'], ...destroy }] });
    const stack = new Stack();
    const after = build({ environments: [{ name: 'dev', branches: ['dev'], repository: ecr.Repository.fromRepositoryName(stack, 'Existing', 'octo-repo-dev') }] });
    expect(lost(before, after)).toEqual(['PipelineDevRepositoryBFDE237D (octo-repo-dev) deleted']);
    expect(after.warnings.join('\n')).toMatch(/the existing repository 'octo-repo-dev' has the name this environment would create.*Deploy once with removalPolicy: RemovalPolicy\.RETAIN/);
  });

  test('no warning with RETAIN or an explicit repositoryName', () => {
    expect(build({ environments: [{ name: 'dev', branches: ['dev'] }] }).warnings.join('\n')).not.toMatch(/DESTROY/);
    expect(build({ environments: [{ name: 'dev', branches: ['dev'], repositoryName: 'octo-dev', ...destroy }] }).warnings.join('\n')).not.toMatch(/DESTROY/);
  });

  /** The warnings other than the one every pipeline without githubOwnerId gets. */
  const otherWarnings = (built: Built) => built.warnings.filter(w => !w.includes('[ack: cdk-github-oidc-ecr:githubIdsMissing]'));

  test('with the default RETAIN, renaming an environment leaves the old repository in the account, without a warning', () => {
    // GIVEN
    const before = build({ environments: [{ name: 'dev', branches: ['dev'] }] });
    // WHEN
    const after = build({ environments: [{ name: 'development', branches: ['dev'] }] });
    // THEN the old logical ID is gone, so CloudFormation deletes the resource, and Retain keeps the repository with its images
    expect(lost(before, after)).toEqual(['PipelineDevRepositoryBFDE237D (octo-repo-dev) deleted']);
    expect('PipelineDevRepositoryBFDE237D' in after.repositories).toBe(false);
    expect(before.retention.PipelineDevRepositoryBFDE237D).toEqual({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(otherWarnings(before)).toEqual([]);
    expect(otherWarnings(after)).toEqual([]);
  });

  test('with the default RETAIN, renaming the GitHub repository leaves the old repository in the account, without a warning', () => {
    // GIVEN
    const before = build({ environments: [{ name: 'dev', branches: ['dev'] }] });
    // WHEN
    const after = build({ githubRepository: 'octo-org/octo-service', environments: [{ name: 'dev', branches: ['dev'] }] });
    // THEN the logical ID stays and the name changes, so CloudFormation replaces the resource, and Retain keeps the old repository with its images
    expect(lost(before, after)).toEqual(['PipelineDevRepositoryBFDE237D (octo-repo-dev) replaced']);
    expect(after.repositories.PipelineDevRepositoryBFDE237D).toBe('octo-service-dev');
    expect(before.retention.PipelineDevRepositoryBFDE237D).toEqual({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(otherWarnings(before)).toEqual([]);
    expect(otherWarnings(after)).toEqual([]);
  });

  test('with the default RETAIN, dropping repositoryPrefix leaves the old repository in the account and pushes to a new one, without a warning', () => {
    // GIVEN
    const before = build({ repositoryPrefix: 'cloudterms', environments: [{ name: 'dev', branches: ['dev'] }] });
    // WHEN
    const after = build({ environments: [{ name: 'dev', branches: ['dev'] }] });
    // THEN the name changes under the same logical ID: replaced, and Retain keeps the old repository
    expect(lost(before, after)).toEqual(['PipelineDevRepositoryBFDE237D (cloudterms-dev) replaced']);
    expect(after.repositories.PipelineDevRepositoryBFDE237D).toBe('octo-repo-dev');
    expect(before.retention.PipelineDevRepositoryBFDE237D).toEqual({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(otherWarnings(before)).toEqual([]);
    expect(otherWarnings(after)).toEqual([]);
  });

  test('with the default RETAIN, passing the created repository back as an existing one keeps it in the account; synth says it leaves the stack', () => {
    // GIVEN
    const before = build({ environments: [{ name: 'dev', branches: ['dev'] }] });
    // WHEN
    const after = build({ environments: [{ name: 'dev', branches: ['dev'], repository: ecr.Repository.fromRepositoryName(new Stack(), 'Existing', 'octo-repo-dev') }] });
    // THEN the resource leaves the stack, Retain keeps the repository, and the role pushes to it by name
    expect(lost(before, after)).toEqual(['PipelineDevRepositoryBFDE237D (octo-repo-dev) deleted']);
    expect(after.repositories).toEqual({});
    expect(before.retention.PipelineDevRepositoryBFDE237D).toEqual({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(otherWarnings(after).join('\n')).toMatch(/the existing repository 'octo-repo-dev' has the name this environment would create\. If this stack created it, it now leaves the stack: with RETAIN it is kept \(and no longer managed\)/);
  });

  test('the documented way: an explicit repositoryName and renameLogicalId keep the repository across an environment rename', () => {
    // GIVEN the environment before, with its name fixed
    const before = build({ environments: [{ name: 'dev', branches: ['dev'], repositoryName: 'octo-repo-dev', ...destroy }] });
    // WHEN it is renamed, mapping the new logical IDs back to the old ones
    const after = build({ environments: [{ name: 'development', branches: ['dev'], repositoryName: 'octo-repo-dev', ...destroy }] }, stack => {
      stack.renameLogicalId('PipelineDevelopmentRepository714E4DA1', 'PipelineDevRepositoryBFDE237D');
      stack.renameLogicalId('PipelineDevelopmentRole4C61C41A', 'PipelineDevRole5C7605D9');
    });
    // THEN nothing is deleted or replaced
    expect(lost(before, after)).toEqual([]);
  });
});
