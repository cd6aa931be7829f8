import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SCENARIOS } from '../support/security-scenarios';
import { newTestStack } from '../support/stack';
import { Json, resourcesOfType, templateOf } from '../support/template';

/*
 * Best-practice packs on the example and the other configurations: cdk-nag AwsSolutions,
 * cfn-guard (Control Tower rules and the project's GitHub OIDC trust rule), and aws-cdk-lib's
 * CloudFormation validator, plus its engine for cycles (F3004). Each is also shown to fail on a
 * hand-made bad template or stack.
 */

const GUARD_RULE = path.join(__dirname, 'guard', 'github-oidc-trust.guard');
const THE_ACKNOWLEDGEMENT = 'AwsSolutions-IAM5[Resource::*]';

// aws-cdk-lib's own copy of the engine: its plugin ignores F3004, so cycles are checked here.
const cfnValidate = createRequire(require.resolve('aws-cdk-lib'))('@aws/cloudformation-validate');
let engine: Json;
function engineDiagnostics(template: Json): Array<{ ruleId: string; severity: string; message: string }> {
  engine ??= new cfnValidate.RegoEngine();
  const file = writeTemplate(template);
  const report = engine.validateDetailed(new cfnValidate.TemplateFile(file), {
    severityLevel: 'WARN',
    pseudoParameterOverrides: { accountId: '111122223333', region: 'ap-northeast-1' },
  });
  return report.diagnostics.map((d: Json) => ({ ruleId: d.ruleId, severity: d.severity, message: d.message }));
}

// Made while the file loads: it runs nothing from src/ (no beforeAll, see test/architecture.test.ts).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'security-compliance-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let written = 0;
function writeTemplate(template: Json): string {
  const file = path.join(tmp, `template-${written++}.json`);
  fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
  return file;
}

/**
 * The project rule is written for github.com's condition keys; for a GitHub Enterprise issuer the
 * same rule is run with that issuer's key prefix.
 */
function guard(template: Json, issuer?: string) {
  let rule = GUARD_RULE;
  if (issuer !== undefined) {
    rule = path.join(tmp, `github-oidc-trust-${written++}.guard`);
    fs.writeFileSync(rule, fs.readFileSync(GUARD_RULE, 'utf8').replace(/'token\.actions\.githubusercontent\.com:/g, `'${issuer}:`));
  }
  return new CfnGuardValidator({ rules: [rule] }).validate({ templatePaths: [writeTemplate(template)] } as any);
}

// Built inside the tests, on first use, so that a construct that throws fails a test instead of the file's loading.
const builds = new Map<string, ReturnType<(typeof SCENARIOS)[number]['build']>>();
function builtFor(title: string) {
  if (!builds.has(title)) builds.set(title, SCENARIOS.find(s => s.title === title)!.build());
  return builds.get(title)!;
}
const templates = new Map<string, Json>();
function templateFor(title: string): Json {
  if (!templates.has(title)) templates.set(title, templateOf(builtFor(title).stack));
  return templates.get(title)!;
}
const titles = SCENARIOS.map(s => [s.title] as const);

describe('cdk-nag AwsSolutionsChecks', () => {
  test.each(titles)('%s: no unacknowledged findings', (title) => {
    // GIVEN
    const { stack } = builtFor(title);

    // WHEN
    const report = new AwsSolutionsChecks().validateScope(stack);

    // THEN
    expect(report.violations.map(v => `${v.ruleName}: ${v.violatingResources.map(r => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  test.each(titles)('%s: the only acknowledgement is IAM5 for GetAuthorizationToken on *, with its reason', (title) => {
    // GIVEN
    const { stack } = builtFor(title);
    const template = templateFor(title);

    // WHEN
    const acknowledged = stack.node.findAll().flatMap(c => c.node.metadata
      .filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap(m => Object.entries<string>(m.data).map(([id, reason]) => ({ path: c.node.path, id, reason }))));

    // THEN: on each role, and nowhere else
    const roles = resourcesOfType(template, 'AWS::IAM::Role');
    expect(acknowledged).toHaveLength(Object.keys(roles).length);
    for (const ack of acknowledged) {
      expect(ack.id).toBe(THE_ACKNOWLEDGEMENT);
      expect(ack.path).toMatch(/\/Role$/);
      expect(ack.reason).toMatch(/ecr:GetAuthorizationToken takes no resource/);
    }
    // ...and it hides nothing else: GetAuthorizationToken is the only action on '*'.
    for (const role of Object.values<Json>(roles)) {
      const onStar = role.Properties.Policies.flatMap((p: Json) => p.PolicyDocument.Statement)
        .filter((s: Json) => [s.Resource].flat().includes('*'));
      expect(onStar.map((s: Json) => s.Action)).toEqual(['ecr:GetAuthorizationToken']);
    }
  });

  test('registered through Validations.of(app), the example synthesizes', () => {
    // GIVEN
    const { app } = SCENARIOS[0].build();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // WHEN / THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('negative control: a role with ecr:* on * and a mutable, unscanned repository are reported', () => {
    // GIVEN
    const { stack } = newTestStack();
    badResources(stack);

    // WHEN
    const report = new AwsSolutionsChecks().validateScope(stack);

    // THEN
    expect(report.success).toBe(false);
    expect(report.violations.map(v => v.ruleName)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AwsSolutions-IAM5/),
    ]));
  });
});

describe('cfn-guard: Control Tower rules and the GitHub OIDC trust rule', () => {
  test.each(titles)('%s: compliant', (title) => {
    // WHEN
    const report = guard(templateFor(title), SCENARIOS.find(sc => sc.title === title)!.issuer);

    // THEN
    expect(report.violations.map(v => `${v.ruleName}: ${v.description}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('the project rule applies: it selects every role of the example', () => {
    // GIVEN a template where every trust statement loses its audience
    const template = structuredClone(templateFor(SCENARIOS[0].title));
    for (const role of Object.values<Json>(resourcesOfType(template, 'AWS::IAM::Role'))) {
      for (const s of role.Properties.AssumeRolePolicyDocument.Statement) delete s.Condition.StringEquals['token.actions.githubusercontent.com:aud'];
    }
    // WHEN
    const report = guard(template);
    // THEN
    const failing = report.violations.find(v => v.ruleName === 'GITHUB_OIDC_TRUST_AUD_PINNED');
    expect(failing?.violatingResources.map(r => r.resourceLogicalId).sort()).toEqual(Object.keys(resourcesOfType(template, 'AWS::IAM::Role')).sort());
  });

  const mutations: Array<[string, string, (statement: Json) => void]> = [
    ['audience missing', 'GITHUB_OIDC_TRUST_AUD_PINNED', s => { delete s.Condition.StringEquals['token.actions.githubusercontent.com:aud']; }],
    ['audience wrong', 'GITHUB_OIDC_TRUST_AUD_PINNED', s => { s.Condition.StringEquals['token.actions.githubusercontent.com:aud'] = 'sigstore'; }],
    ['audience only StringLike', 'GITHUB_OIDC_TRUST_AUD_PINNED', s => {
      s.Condition.StringLike = { 'token.actions.githubusercontent.com:aud': s.Condition.StringEquals['token.actions.githubusercontent.com:aud'] };
      delete s.Condition.StringEquals['token.actions.githubusercontent.com:aud'];
    }],
    ['sub missing', 'GITHUB_OIDC_TRUST_SUB_RESTRICTED', s => { delete s.Condition.StringEquals['token.actions.githubusercontent.com:sub']; }],
    ['bare * sub', 'GITHUB_OIDC_TRUST_SUB_RESTRICTED', s => {
      delete s.Condition.StringEquals['token.actions.githubusercontent.com:sub'];
      s.Condition.StringLike = { 'token.actions.githubusercontent.com:sub': '*' };
    }],
    ['wildcard owner', 'GITHUB_OIDC_TRUST_SUB_RESTRICTED', s => {
      delete s.Condition.StringEquals['token.actions.githubusercontent.com:sub'];
      s.Condition.StringLike = { 'token.actions.githubusercontent.com:sub': 'repo:*/push-image-to-ecr:ref:refs/heads/dev' };
    }],
    ['repository wildcard', 'GITHUB_OIDC_TRUST_SUB_RESTRICTED', s => {
      delete s.Condition.StringEquals['token.actions.githubusercontent.com:sub'];
      s.Condition.StringLike = { 'token.actions.githubusercontent.com:sub': ['repo:shamimice03/push-image-to-ecr:ref:refs/heads/dev', 'repo:shamimice03/*'] };
    }],
    ['wildcard in an exact subject', 'GITHUB_OIDC_TRUST_SUB_RESTRICTED', s => {
      s.Condition.StringEquals['token.actions.githubusercontent.com:sub'] = 'repo:shamimice03/push-image-to-ecr:*';
    }],
    ['ForAllValues', 'GITHUB_OIDC_TRUST_NO_FOR_ALL_VALUES', s => {
      s.Condition['ForAllValues:StringLike'] = { 'token.actions.githubusercontent.com:sub': 'repo:shamimice03/push-image-to-ecr:*' };
    }],
  ];
  test.each(mutations)('negative control: %s fails %s', (_what, rule, mutate) => {
    // GIVEN the example with one trust statement broken by hand
    const template = structuredClone(templateFor(SCENARIOS[0].title));
    mutate(template.Resources.PipelineDevRole5C7605D9.Properties.AssumeRolePolicyDocument.Statement[0]);

    // WHEN
    const report = guard(template);

    // THEN
    expect(report.success).toBe(false);
    const violation = report.violations.find(v => v.ruleName === rule);
    expect(violation?.violatingResources.map(r => r.resourceLogicalId)).toEqual(['PipelineDevRole5C7605D9']);
  });

  test('negative control: Control Tower rules fail a mutable, unscanned repository', () => {
    // GIVEN
    const { stack } = newTestStack();
    badResources(stack);

    // WHEN
    const report = new CfnGuardValidator().validate({ templatePaths: [writeTemplate(stack.resolve((stack as any)._toCloudFormation()))] } as any);

    // THEN
    expect(report.success).toBe(false);
    expect(report.violations.map(v => v.ruleName)).toEqual(expect.arrayContaining([expect.stringMatching(/ecr/i)]));
  });
});

describe('aws-cdk-lib CloudFormation validator (default rules, errors fail synth)', () => {
  test.each(titles)('%s: synthesizes with an empty validation report', (title) => {
    // GIVEN
    const { app } = SCENARIOS.find(s => s.title === title)!.build();

    // WHEN
    const assembly = app.synth();

    // THEN
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: Json) => r.violations ?? [])).toEqual([]);
  });

  test('the engine is built once for the jest worker (test/support/shared-validator-environment.js)', () => {
    // WHEN
    const first = new cfnValidate.RegoEngine();
    const second = new cfnValidate.RegoEngine();

    // THEN
    expect(second).toBe(first);
    expect(cfnValidate).toBe((globalThis as Json).__cdkGithubOidcEcrCfnValidate);
  });

  test('every synth still runs the shared engine on its template', () => {
    // GIVEN
    const { app, stack } = newTestStack();
    new ecr.Repository(stack, 'Repo', { imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE });
    const validate = jest.spyOn(new cfnValidate.RegoEngine(), 'validateDetailed');

    // WHEN
    try {
      app.synth();

      // THEN
      expect(validate).toHaveBeenCalledTimes(1);
    } finally {
      validate.mockRestore();
    }
  });

  test('negative control: a role without its required trust policy fails synth', () => {
    // GIVEN
    const { app, stack } = newTestStack();
    new CfnResource(stack, 'Bad', { type: 'AWS::IAM::Role', properties: { Description: 'no AssumeRolePolicyDocument' } });

    // WHEN / THEN
    expect(() => app.synth()).toThrow(/AssumeRolePolicyDocument/);
  });

  test('negative control: an invalid property value is reported (as a warning)', () => {
    // GIVEN
    const { app, stack } = newTestStack();
    new CfnResource(stack, 'Bad', { type: 'AWS::ECR::Repository', properties: { ImageTagMutability: 'SOMETIMES' } });

    // WHEN
    const assembly = app.synth();

    // THEN
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: Json) => r.violations ?? []).map((v: Json) => v.ruleName)).toContain('W3030');
  });
});

describe('no cycles (F3004, through the engine, which aws-cdk-lib\'s plugin skips)', () => {
  test.each(titles)('%s: the engine reports nothing, F3004 included', (title) => {
    expect(engineDiagnostics(templateFor(title))).toEqual([]);
  });

  test('the engine has F3004 among its rules', () => {
    engine ??= new cfnValidate.RegoEngine();
    expect(engine.listRules().map((r: Json) => r.id)).toContain('F3004');
  });

  test('negative control: a hand-made Ref cycle is reported as F3004', () => {
    // GIVEN
    const template = {
      Resources: {
        A: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::GetAtt': ['B', 'TopicName'] } } },
        B: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { Ref: 'A' } } },
      },
    };
    // WHEN / THEN
    expect(engineDiagnostics(template).filter(d => d.ruleId === 'F3004')).toHaveLength(2);
  });

  test('negative control: a role and repository that name each other form a cycle that synth lets through', () => {
    // GIVEN a role whose policy names the repository, and a repository policy that names the role
    const { app, stack } = newTestStack();
    const repository = new ecr.Repository(stack, 'Repo', { imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE });
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      inlinePolicies: {
        Pull: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['ecr:BatchGetImage'], resources: [repository.repositoryArn] })] }),
      },
    });
    repository.addToResourcePolicy(new iam.PolicyStatement({ actions: ['ecr:BatchGetImage'], principals: [new iam.ArnPrincipal(role.roleArn)] }));

    // WHEN: aws-cdk-lib's validator lets it through...
    const template = app.synth().getStackByName(stack.stackName).template;

    // THEN ...and the engine finds the cycle
    expect(engineDiagnostics(template).filter(d => d.ruleId === 'F3004').length).toBeGreaterThan(0);
  });
});

/** Resources that break AwsSolutions and Control Tower rules. */
function badResources(stack: Stack): void {
  new ecr.CfnRepository(stack, 'MutableRepo', { imageTagMutability: 'MUTABLE' });
  new iam.CfnRole(stack, 'WideRole', {
    assumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    policies: [{
      policyName: 'Everything',
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] },
    }],
  });
}
