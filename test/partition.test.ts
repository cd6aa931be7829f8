import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { GithubActionsOidcProvider, GithubOidcEcrPipeline } from '../src';
import { ACCOUNT, ISSUER, newStack, pipelineProps } from './support/stack';
import { stepsOf } from './support/workflow-check';

/** The partitions the construct writes for: region, partition, STS audience. */
const PARTITIONS: Array<[string, string, string]> = [
  ['us-east-1', 'aws', 'sts.amazonaws.com'],
  ['cn-north-1', 'aws-cn', 'sts.amazonaws.com.cn'],
  ['us-gov-west-1', 'aws-us-gov', 'sts.amazonaws.com'],
];

describe('partitions', () => {
  test.each(PARTITIONS)('in %s (%s) the provider and the trust policy use the audience %s', (region, _partition, audience) => {
    // GIVEN
    const stack = newStack({ env: { account: ACCOUNT, region } });
    // WHEN
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps());
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: `https://${ISSUER}`, ClientIdList: [audience] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: { StringEquals: Match.objectLike({ [`${ISSUER}:aud`]: audience }) },
          Principal: { Federated: { Ref: Match.stringLikeRegexp('^GithubActionsOidcProvider') } },
        })],
      },
    });
  });

  test.each(PARTITIONS)('in %s fromAccount imports the provider with the literal partition %s', (region, partition) => {
    // GIVEN
    const stack = newStack({ env: { account: ACCOUNT, region } });
    // WHEN
    const provider = GithubActionsOidcProvider.fromAccount(stack, 'Provider');
    // THEN
    expect(stack.resolve(provider.oidcProviderArn)).toBe(`arn:${partition}:iam::${ACCOUNT}:oidc-provider/${ISSUER}`);
  });

  test.each(PARTITIONS)('in %s (%s) the workflow asks for the audience %s', (region, partition, audience) => {
    // GIVEN
    const stack = newStack({ env: { account: ACCOUNT, region } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], roleName: 'push-dev' }] }));
    // WHEN
    const step = stepsOf(parse(pipeline.renderWorkflow()).jobs.dev).credentials;
    // THEN
    expect(step.with['role-to-assume']).toBe(`arn:${partition}:iam::${ACCOUNT}:role/push-dev`);
    // configure-aws-credentials defaults to sts.amazonaws.com; only China needs it spelled out.
    expect(step.with.audience).toBe(audience === 'sts.amazonaws.com' ? undefined : audience);
  });

  test('without a literal region the audience is sts.amazonaws.com and the ARN partition a token', () => {
    // GIVEN
    const stack = newStack({ env: { account: ACCOUNT } });
    // WHEN
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps());
    const provider = GithubActionsOidcProvider.fromAccount(stack, 'Provider');
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::OIDCProvider', { ClientIdList: ['sts.amazonaws.com'] });
    expect(stack.resolve(provider.oidcProviderArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:oidc-provider/${ISSUER}`]],
    });
  });

  test('fails if the workflow is rendered for China from a stack without a literal region', () => {
    // GIVEN
    const stack = newStack();
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps());
    // WHEN / THEN
    expect(() => pipeline.renderWorkflow({ awsRegion: 'cn-north-1' }))
      .toThrow(/^awsRegion is in a partition whose STS audience is 'sts.amazonaws.com.cn'.*give the stack env.region 'cn-north-1'.*got 'cn-north-1'/);
    expect(() => pipeline.renderWorkflow({ awsRegion: 'us-gov-west-1' })).not.toThrow();
  });

  test('the trust policy of a China stack names the aws-cn audience only', () => {
    // GIVEN
    const stack = new Stack(undefined, 'China', { env: { region: 'cn-northwest-1' } });
    // WHEN
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps());
    // THEN
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(json).toContain('"sts.amazonaws.com.cn"');
    expect(json).not.toContain('"sts.amazonaws.com"');
  });
});
