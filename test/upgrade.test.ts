import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildIntegApp } from './integ.pipeline';
import { EXAMPLE } from './support/security-scenarios';
import { STRICT_VALIDATION_CONTEXT, resourcesOfType } from './support/security-template';

/*
 * Nothing lost on upgrade. A changed logical ID makes CloudFormation replace the resource: a new,
 * empty repository and a role with a new ARN. The IDs are written here by hand, not in a snapshot.
 */
const ROLES = ['PipelineDevRole5C7605D9', 'PipelineProdRole8C4E40B3'];
const REPOSITORIES = ['PipelineDevRepositoryBFDE237D', 'PipelineProdRepository2BE9A534'];
const PROVIDERS = ['GithubActionsOidcProviderF9E986BE'];

describe('the example keeps its logical IDs and retention', () => {
  // Built in beforeAll, not while the file loads, so that a construct that throws fails the tests.
  let json: any;
  beforeAll(() => {
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
    const { app, stack } = buildIntegApp(new App({ context: STRICT_VALIDATION_CONTEXT }));

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
    const { app, stack } = buildIntegApp(new App({ context: { ...STRICT_VALIDATION_CONTEXT, useExistingProvider: 'true' } }));
    app.synth();
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });
});
