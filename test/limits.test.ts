import { CfnOutput, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GithubActionsOidcProvider, GithubIssuer, GithubOidcEcrPipeline, PipelineEnvironment, PipelineEnvironmentProps, PipelineImage } from '../src';
import { ISSUER, expectRefused, newStack, pipelineProps, synthPipeline, trustStatements, unvalidatedStack } from './support/stack';
import { estimateTrustPolicyLength, stackLimitProblems } from '../src/private/limits';

/*
 * The quotas the construct checks before a deploy would fail: CloudFormation's resources and
 * outputs per stack, and IAM's size of a role's trust policy. The stack-limit tests build stacks of
 * up to 500 resources in a Stage, so that Template.fromStack() skips aws-cdk-lib's built-in
 * CloudFormation validator: it checks the templates, not the limits.
 */

const env = (extra: Partial<PipelineEnvironmentProps>) => ({ environments: [{ name: 'dev', branches: ['dev'], ...extra }] });

function environments(n: number, offset = 0): PipelineEnvironmentProps[] {
  return Array.from({ length: n }, (_, i) => ({ name: `e${i + offset}`, branches: [`deploy/e${i + offset}`] }));
}

function otherResources(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) new CfnResource(stack, `Topic${i}`, { type: 'AWS::SNS::Topic' });
}

function otherOutputs(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) new CfnOutput(stack, `Output${i}`, { value: 'x' });
}

function pipeline(stack: Stack, n: number, outputs: boolean, id = 'Pipeline', offset = 0, images?: PipelineImage[]): GithubOidcEcrPipeline {
  return new GithubOidcEcrPipeline(stack, id, {
    githubRepository: 'octo-org/octo-repo',
    repositoryPrefix: id.toLowerCase(),
    environments: environments(n, offset),
    outputs,
    images,
  });
}

/** Two images: each environment has its role and two repositories (and, with outputs, three outputs). */
const TWO_IMAGES: PipelineImage[] = [{ name: 'api', dockerfile: 'api/Dockerfile' }, { name: 'web', dockerfile: 'web/Dockerfile' }];

/** The context that lowers the resource limit, so the tests need a few resources, not 500. */
const resourceLimit = (n: number) => ({ '@aws-cdk/core:stackResourceLimit': n });

describe('CloudFormation resource limit (500 per stack)', () => {
  test('249 environments fit: 1 provider + 2 per environment = 499 resources', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    // WHEN
    pipeline(stack, 249, false);
    // THEN
    const template = Template.fromStack(stack);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(499);
    template.resourceCountIs('AWS::IAM::Role', 249);
    template.resourceCountIs('AWS::ECR::Repository', 249);
  });

  test('fails if a pipeline has 250 environments, with the construct\'s own error', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    // WHEN / THEN
    expect(() => pipeline(stack, 250, false)).toThrow(
      /^environments: stack 'Stage\/Stack' has 501 resources, over CloudFormation's limit of 500 per stack\. .*adds 2 \(its role and repository\).* 1 other resources .*fits at most 249 environments, and this one has 250\. Use one pipeline per stack.*GithubActionsOidcProvider\.fromAccount/,
    );
  });

  test('counts the stack\'s other resources: with two more, 248 fit', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    otherResources(stack, 2);
    // WHEN / THEN
    expect(() => pipeline(stack, 248, false)).not.toThrow();
  });

  test('fails if the stack\'s other resources leave room for 248 and there are 249', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    otherResources(stack, 2);
    // WHEN / THEN
    expect(() => pipeline(stack, 249, false)).toThrow(/has 501 resources.* 3 other resources .*at most 248 environments, and this one has 249/);
  });

  test('fails at synth if a resource is added to the stack after the pipeline', () => {
    // GIVEN
    const { app, stack } = unvalidatedStack();
    pipeline(stack, 249, false);
    // WHEN
    otherResources(stack, 2);
    // THEN
    expect(() => app.synth()).toThrow(/\[Stage\/Stack\] environments: stack 'Stage\/Stack' has 501 resources, over CloudFormation's limit of 500.*at most 248 environments/);
  });

  test('fails if two pipelines in one stack have 250 environments between them', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    pipeline(stack, 125, false, 'First');
    // WHEN / THEN
    expect(() => pipeline(stack, 125, false, 'Second', 125)).toThrow(/has 501 resources.*at most 249 environments, and this one has 250/);
  });

  test('follows aws-cdk-lib\'s @aws-cdk/core:stackResourceLimit context (0 turns the check off)', () => {
    // GIVEN
    const { stack } = unvalidatedStack({ '@aws-cdk/core:stackResourceLimit': 0 });
    // WHEN / THEN
    expect(() => pipeline(stack, 250, false)).not.toThrow();
  });

  test('a stack of exactly the limit fits; one resource more fails', () => {
    // GIVEN a limit of 3: the provider, and the one environment's role and repository
    const { stack } = unvalidatedStack(resourceLimit(3));
    // WHEN / THEN
    expect(() => pipeline(stack, 1, false)).not.toThrow();
    expect(stack.node.validate()).toEqual([]);
    otherResources(stack, 1);
    expect(stack.node.validate()).toEqual([
      expect.stringMatching(/^environments: stack 'Stage\/Stack' has 4 resources, over CloudFormation's limit of 3 per stack\. .* 2 other resources .*at most 0 environments, and this one has 1\./),
    ]);
  });

  test('counts only the stack\'s own resources: a nested stack\'s are in its own template', () => {
    // GIVEN a limit of 6, and a nested stack of 3 resources: the stack itself holds the nested
    // stack's resource, the provider, and the environment's role and repository (4)
    const { stack } = unvalidatedStack(resourceLimit(6));
    const nested = new NestedStack(stack, 'Nested');
    otherResources(nested, 3);
    // WHEN / THEN, when it is built and at synth
    expect(() => pipeline(stack, 1, false)).not.toThrow();
    expect(stack.node.validate()).toEqual([]);
  });

  test('fails if environments with images are over the limit, counting each one\'s role and repositories', () => {
    // GIVEN a limit of 6: the provider, and two environments of a role and two repositories each (7)
    const { stack } = unvalidatedStack(resourceLimit(6));
    // WHEN / THEN
    expect(() => pipeline(stack, 2, false, 'Pipeline', 0, TWO_IMAGES)).toThrow(
      /^environments: stack 'Stage\/Stack' has 7 resources, over CloudFormation's limit of 6 per stack\. Each GithubOidcEcrPipeline environment adds 3 \(its role and 2 repositories\) and the stack holds 1 other resources .*at most 1 environments, and this one has 2\./,
    );
  });

  test('fails naming the most repositories an environment has, when only one pipeline of the stack has images', () => {
    // GIVEN a limit of 5: the provider, a single-image environment (2) and an environment with two images (3)
    const { stack } = unvalidatedStack(resourceLimit(5));
    pipeline(stack, 1, false, 'Single');
    // WHEN / THEN
    expect(() => pipeline(stack, 1, false, 'Images', 1, TWO_IMAGES)).toThrow(
      /has 6 resources, over CloudFormation's limit of 5 per stack\. Each GithubOidcEcrPipeline environment adds 2\.5 \(its role and 2 repositories\) and the stack holds 1 other resources .*at most 1 environments, and this one has 2\./,
    );
  });

  test('reports nothing for a stack without pipeline environments: aws-cdk-lib reports its resource count itself', () => {
    // GIVEN a stack over a limit of 1, with no pipeline in it
    const { stack } = unvalidatedStack(resourceLimit(1));
    otherResources(stack, 3);
    // WHEN / THEN
    expect(stackLimitProblems(stack, c => c instanceof PipelineEnvironment)).toEqual([]);
  });
});

describe('CloudFormation output limit (200 per stack)', () => {
  test('100 environments with outputs fit: 2 outputs each = 200', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    // WHEN
    pipeline(stack, 100, true);
    // THEN
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).toHaveLength(200);
  });

  test('fails if 101 environments have outputs, naming the limit and the outputs switch', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    // WHEN / THEN
    expect(() => pipeline(stack, 101, true)).toThrow(
      /^outputs: stack 'Stage\/Stack' has 202 outputs, over CloudFormation's limit of 200 outputs per stack\. With `outputs` on \(the default\), each GithubOidcEcrPipeline environment adds 2 .*at most 100 environments with outputs, and this one has 101\. Set `outputs: false` on the pipeline/,
    );
  });

  test('101 environments fit with outputs off', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    // WHEN / THEN
    expect(() => pipeline(stack, 101, false)).not.toThrow();
  });

  test('fails if the stack\'s other outputs leave room for 99 environments and there are 100', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    new CfnOutput(stack, 'Other', { value: 'x' });
    // WHEN / THEN
    expect(() => pipeline(stack, 100, true)).toThrow(/has 201 outputs.* 1 other outputs, so one stack fits at most 99 environments with outputs/);
  });

  test('fails with both errors past both limits', () => {
    // GIVEN
    const { stack } = unvalidatedStack();
    // WHEN / THEN
    expect(() => pipeline(stack, 250, true)).toThrow(/environments: .*at most 249 environments[\s\S]*\noutputs: .*at most 100 environments with outputs/);
  });

  test('fails naming a single-image environment\'s outputs: its role ARN and repository URI', () => {
    // GIVEN 199 other outputs
    const { stack } = unvalidatedStack();
    otherOutputs(stack, 199);
    // WHEN / THEN
    expect(() => pipeline(stack, 1, true)).toThrow(
      /^outputs: stack 'Stage\/Stack' has 201 outputs, over CloudFormation's limit of 200 outputs per stack\. With `outputs` on \(the default\), each GithubOidcEcrPipeline environment adds 2 \(its role ARN and repository URI\) and the stack holds 199 other outputs, so one stack fits at most 0 environments with outputs, and this one has 1\./,
    );
  });

  test('fails naming an environment\'s outputs with images: its role ARN and each repository\'s URI', () => {
    // GIVEN 198 other outputs
    const { stack } = unvalidatedStack();
    otherOutputs(stack, 198);
    // WHEN / THEN
    expect(() => pipeline(stack, 1, true, 'Pipeline', 0, TWO_IMAGES)).toThrow(
      /^outputs: stack 'Stage\/Stack' has 201 outputs, .*each GithubOidcEcrPipeline environment adds 3 \(its role ARN and 2 repository URIs\) and the stack holds 198 other outputs, so one stack fits at most 0 environments with outputs, and this one has 1\./,
    );
  });

  test('counts only the environments with outputs: those of a pipeline with outputs off are not in the advice', () => {
    // GIVEN a pipeline of 3 environments without outputs, and 199 other outputs
    const { stack } = unvalidatedStack();
    pipeline(stack, 3, false, 'Quiet');
    otherOutputs(stack, 199);
    // WHEN / THEN one environment with outputs makes 201
    expect(() => pipeline(stack, 1, true, 'Loud', 3)).toThrow(
      /has 201 outputs, .*each GithubOidcEcrPipeline environment adds 2 \(its role ARN and repository URI\) and the stack holds 199 other outputs, so one stack fits at most 0 environments with outputs, and this one has 1\./,
    );
  });

  test('does not refuse a stack over the output limit by its own outputs when the pipeline adds none', () => {
    // GIVEN 201 outputs that are not the pipeline's
    const { stack } = unvalidatedStack();
    otherOutputs(stack, 201);
    // WHEN / THEN, when it is built and at synth: `outputs: false` is already set, so there is no advice to give
    expect(() => pipeline(stack, 1, false)).not.toThrow();
    expect(stack.node.validate()).toEqual([]);
  });
});


describe('IAM trust policy size (2,048 characters)', () => {
  const LONGEST_ARN = 'arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

  /** Branches whose trust policy, with the longest ARN, is exactly `target` characters long. */
  function branchesOfLength(target: number): string[] {
    const branches = Array.from({ length: 20 }, (_, i) => `feature/b${String(i).padStart(2, '0')}`);
    const { template } = synthPipeline(env({ branches }));
    const withLongestArn = (doc: any) => ({ ...doc, Statement: doc.Statement.map((s: any) => ({ ...s, Principal: { Federated: LONGEST_ARN } })) });
    const minified = (t: any) => JSON.stringify(withLongestArn(trustDoc(t))).length;
    const base = minified(template);
    // Lengthening a branch by one character lengthens the policy by one: spread the difference.
    const pad = target - base;
    return branches.map((b, i) => b + 'x'.repeat(Math.floor(pad / branches.length) + (i < pad % branches.length ? 1 : 0)));
  }

  function trustDoc(template: any): any {
    const role: any = Object.values(template.findResources('AWS::IAM::Role'))[0];
    return role.Properties.AssumeRolePolicyDocument;
  }

  test('a trust policy of exactly 2,048 characters synthesizes; 2,049 fails with splitting advice', () => {
    // GIVEN
    const fits = branchesOfLength(2048);
    const over = branchesOfLength(2049);
    // WHEN / THEN
    const { template } = synthPipeline(env({ branches: fits }));
    expect(trustStatements(template)).toHaveLength(1);
    expectRefused(env({ branches: over }),
      /environments\[0\] \('dev'\) has a trust policy of about 2049 characters, over IAM's default quota of 2048 \(whitespace removed\), with 20 subjects\. Split its subjects over two environments/);
  });

  test('with an imported provider whose ARN is an Fn::Join, the estimate uses the longest ARN: 2,048 fits, 2,049 fails', () => {
    // GIVEN fromAccount in a stack without env: the ARN is Fn::Join over the partition and account
    const fits = branchesOfLength(2048);
    const over = branchesOfLength(2049);
    const build = (branches: string[]) => () => {
      const stack = newStack();
      const provider = GithubActionsOidcProvider.fromAccount(stack, 'Provider');
      expect(JSON.stringify(stack.resolve(provider.oidcProviderArn))).toContain('Fn::Join');
      return new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ provider, ...env({ branches }) }));
    };
    // WHEN / THEN
    expect(build(fits)).not.toThrow();
    expect(build(over)).toThrow(/has a trust policy of about 2049 characters, over IAM's default quota of 2048/);
  });

  test('the estimate replaces only a lone Ref or Fn:: object, and measures null, empty and other objects as written', () => {
    // GIVEN a policy with a Ref to replace, and values that are not tokens
    const stack = newStack();
    const document = iam.PolicyDocument.fromJson({
      Statement: [{
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: { Ref: 'Provider' } },
        Condition: { Null: { 'token.actions.githubusercontent.com:sub': null }, StringEquals: {}, StringLike: { 'Ref': 'a', 'Fn::b': 'c' } },
      }],
    });
    const written = JSON.stringify(stack.resolve(document.toJSON()));
    expect(written).toContain('null');
    // WHEN
    const length = estimateTrustPolicyLength(stack, document, ISSUER);
    // THEN the Ref becomes the longest ARN, in quotes; everything else counts as written
    expect(length).toBe(written.length - JSON.stringify({ Ref: 'Provider' }).length + JSON.stringify(LONGEST_ARN).length);
  });

  test('the estimate counts the immutable subject form too', () => {
    const branches = branchesOfLength(2048);
    expectRefused({ githubOwnerId: '1', githubRepositoryId: '2', ...env({ branches }) }, /has a trust policy of about \d+ characters, over IAM's default quota/);
  });

  test('the trust-size estimate uses the issuer: a long issuer refuses sooner', () => {
    // GIVEN: subjects that fit under github.com
    const branches = Array.from({ length: 25 }, (_, i) => `release-branch-${i}`);
    const props = pipelineProps({ environments: [{ name: 'dev', branches }] });
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(newStack(), 'Pipeline', props)).not.toThrow();
    const longHost = `${'h'.repeat(60)}.${'e'.repeat(60)}.example.com`;
    expect(() => new GithubOidcEcrPipeline(newStack(), 'Pipeline', { ...props, issuer: GithubIssuer.enterpriseServer(longHost) }))
      .toThrow(/has a trust policy of about \d+ characters, over IAM's default quota of 2048/);
  });
});
