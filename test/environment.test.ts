import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as signer from 'aws-cdk-lib/aws-signer';
import { GithubOidcEcrPipeline, GithubSubject, PipelineEnvironmentProps } from '../src';
import { PUSH_PULL_ACTIONS as PUSH_PULL } from './support/oracles';
import { newStack, pipelineProps, synthPipeline, testApp, trustStatements } from './support/stack';

function synthEnv(env: Partial<PipelineEnvironmentProps>) {
  return synthPipeline({ environments: [{ name: 'dev', branches: ['dev'], ...env }] });
}

describe('repository defaults', () => {
  test('retained, immutable tags, scan on push, and only images tagged for removal expire', () => {
    // WHEN
    const { template } = synthEnv({});
    // THEN
    template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        EmptyOnDelete: Match.absent(),
      },
    });
    // Every image the workflow pushes is tagged: the only untagged manifests are its attestations
    // and signatures, which a rule on untagged images would expire. The one rule selects a prefix
    // the workflow never tags with (Control Tower's CT.ECR.PR.1 wants a policy).
    const repo: any = Object.values(template.findResources('AWS::ECR::Repository'))[0];
    const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules).toEqual([expect.objectContaining({
      selection: { tagStatus: 'tagged', tagPrefixList: ['expire-'], countType: 'sinceImagePushed', countNumber: 1, countUnit: 'days' },
      action: { type: 'expire' },
    })]);
  });
});

describe('repository props', () => {
  test('repositoryName names the repository', () => {
    synthEnv({ repositoryName: 'team/service' }).template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'team/service' });
  });

  test('imageTagMutability MUTABLE is honoured when asked for', () => {
    synthEnv({ imageTagMutability: ecr.TagMutability.MUTABLE }).template
      .hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'MUTABLE' });
  });

  test('imageScanOnPush false turns scanning off', () => {
    synthEnv({ imageScanOnPush: false }).template
      .hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: false } });
  });

  test('lifecycleRules are the repository\'s rules', () => {
    // WHEN
    const { template } = synthEnv({ lifecycleRules: [{ tagPrefixList: ['pr-'], maxImageAge: Duration.days(3) }] });
    // THEN
    const repo: any = Object.values(template.findResources('AWS::ECR::Repository'))[0];
    const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules).toHaveLength(1);
    expect(rules[0].selection).toEqual(expect.objectContaining({ tagStatus: 'tagged', tagPrefixList: ['pr-'], countNumber: 3 }));
  });

  test('maxImageCount adds a rule that expires any image beyond the count, after lifecycleRules', () => {
    // WHEN
    const alone = synthEnv({ maxImageCount: 30 }).template;
    const after = synthEnv({ maxImageCount: 30, lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(3) }] }).template;
    // THEN
    const rulesOf = (template: Template) => JSON.parse((Object.values(template.findResources('AWS::ECR::Repository'))[0] as any).Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rulesOf(alone)).toEqual([expect.objectContaining({
      selection: expect.objectContaining({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 }),
      action: { type: 'expire' },
    })]);
    const rules = rulesOf(after);
    expect(rules.map((r: any) => r.selection.tagStatus)).toEqual(['untagged', 'any']);
    expect(rules[1].rulePriority).toBeGreaterThan(rules[0].rulePriority);
  });

  test('encryptionKey encrypts the repository with the key', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    // WHEN
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], encryptionKey: key }] }));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
    });
  });

  test('removalPolicy DESTROY deletes and empties the repository', () => {
    synthEnv({ removalPolicy: RemovalPolicy.DESTROY }).template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Delete',
      Properties: { EmptyOnDelete: true },
    });
  });

  test('removalPolicy RETAIN keeps the repository and never empties it', () => {
    synthEnv({ removalPolicy: RemovalPolicy.RETAIN }).template.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      Properties: { EmptyOnDelete: Match.absent() },
    });
  });

  test('pullAccounts get pull, and only pull, through the repository policy', () => {
    // WHEN
    const { template } = synthEnv({ pullAccounts: ['111122223333', '444455556666'] });
    // THEN
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: {
        Statement: [{
          Sid: 'PullFromOtherAccounts',
          Effect: 'Allow',
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Principal: {
            AWS: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444455556666:root']] },
            ],
          },
        }],
      },
    });
  });

  test('an existing repository is used and no repository is created', () => {
    // GIVEN
    const stack = newStack();
    const existing = ecr.Repository.fromRepositoryName(stack, 'Existing', 'legacy-images');
    // WHEN
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], repository: existing }] }));
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECR::Repository', 0);
    expect(pipeline.environment('dev').repository).toBe(existing);
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Resource: { 'Fn::Join': ['', Match.arrayWith([':repository/legacy-images'])] },
          })]),
        },
      }],
    });
  });

  test.each([
    ['repositoryName', { repositoryName: 'other' }],
    ['imageTagMutability', { imageTagMutability: ecr.TagMutability.MUTABLE }],
    ['imageScanOnPush', { imageScanOnPush: false }],
    ['maxImageCount', { maxImageCount: 3 }],
    ['removalPolicy', { removalPolicy: RemovalPolicy.DESTROY }],
    ['pullAccounts', { pullAccounts: ['111122223333'] }],
    ['lifecycleRules', { lifecycleRules: [{ maxImageCount: 5 }] }],
    ['mutableTags', { mutableTags: ['latest'] }],
  ])('fails if %s is set with an existing repository', (key, extra) => {
    // GIVEN
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Existing', 'legacy-images');
    // WHEN / THEN
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      environments: [{ name: 'dev', branches: ['dev'], repository, ...extra }],
    }))).toThrow(new RegExp(`environments\\[0\\]\\.${key} cannot be set together with environments\\[0\\]\\.repository`));
  });
});

test('fails if encryptionKey is set with an existing repository', () => {
  // GIVEN
  const stack = newStack();
  const repository = ecr.Repository.fromRepositoryName(stack, 'Existing', 'legacy-images');
  const encryptionKey = new kms.Key(stack, 'Key');
  // WHEN / THEN
  expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
    environments: [{ name: 'dev', branches: ['dev'], repository, encryptionKey }],
  }))).toThrow(/^environments\[0\]\.encryptionKey cannot be set together with environments\[0\]\.repository/);
});

describe('an existing repository with a wildcard', () => {
  const withRepository = (make: (stack: any) => ecr.IRepository) => {
    const stack = newStack();
    const repository = make(stack);
    return () => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], repository }] }));
  };

  test.each([
    ['team/*', 'team/*'],
    ['*', '*'],
    ['image?', 'image?'],
  ])('fails if the name is %s', (_title, name) => {
    expect(withRepository(stack => ecr.Repository.fromRepositoryName(stack, 'E', name)))
      .toThrow(/^environments\[0\]\.repository must name one repository: its repositoryName has a wildcard \('\*' or '\?'\), which would grant push on every repository it matches/);
  });

  test('fails if the ARN has a wildcard; a literal ARN and a name with separators are accepted', () => {
    expect(withRepository(stack => ecr.Repository.fromRepositoryArn(stack, 'E', 'arn:aws:ecr:eu-west-1:111122223333:repository/team/*')))
      .toThrow(/environments\[0\]\.repository must name one repository: its repositoryName has a wildcard/);
    expect(withRepository(stack => ecr.Repository.fromRepositoryAttributes(stack, 'E', {
      repositoryName: 'team', repositoryArn: 'arn:aws:ecr:eu-west-1:*:repository/team',
    }))).toThrow(/environments\[0\]\.repository must name one repository: its repositoryArn has a wildcard.*got 'arn:aws:ecr:eu-west-1:\*:repository\/team'/);
    expect(withRepository(stack => ecr.Repository.fromRepositoryArn(stack, 'E', 'arn:aws:ecr:eu-west-1:111122223333:repository/team/app-1'))).not.toThrow();
    expect(withRepository(stack => ecr.Repository.fromRepositoryName(stack, 'E', 'team/app-1'))).not.toThrow();
  });

  test('an existing repository given by tokens only is accepted', () => {
    expect(withRepository(stack => new ecr.Repository(stack, 'Own'))).not.toThrow();
  });
});

describe('role', () => {
  test('the inline policy grants GetAuthorizationToken on * and push/pull on its own repository, and nothing else', () => {
    // WHEN
    const { template } = synthPipeline({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }] });
    // THEN
    const roles = template.findResources('AWS::IAM::Role');
    const repos = template.findResources('AWS::ECR::Repository');
    for (const [roleId, role] of Object.entries<any>(roles)) {
      const env = roleId.startsWith('PipelineDev') ? 'Dev' : 'Prod';
      const ownRepo = Object.keys(repos).find(id => id.startsWith(`Pipeline${env}Repository`));
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toEqual([{
        PolicyName: 'EcrPush',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'GetAuthorizationToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            { Sid: 'PushPullOwnRepository', Effect: 'Allow', Action: PUSH_PULL, Resource: { 'Fn::GetAtt': [ownRepo, 'Arn'] } },
          ],
        },
      }]);
    }
  });

  test('roleName names the role', () => {
    synthEnv({ roleName: 'github-push-dev' }).template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'github-push-dev' });
  });

  test('without roleName, CloudFormation names the role', () => {
    synthEnv({}).template.hasResourceProperties('AWS::IAM::Role', { RoleName: Match.absent() });
  });

  test('maxSessionDuration sets the session length', () => {
    synthEnv({ maxSessionDuration: Duration.hours(2) }).template.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 7200 });
  });

  test('permissionsBoundary is attached', () => {
    // GIVEN
    const stack = newStack();
    const boundary = iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'ci-boundary');
    // WHEN
    new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], permissionsBoundary: boundary }] }));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      PermissionsBoundary: { 'Fn::Join': ['', Match.arrayWith([':policy/ci-boundary'])] },
    });
  });

  test('the description names the repository and subjects', () => {
    synthEnv({}).template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'GitHub Actions in octo-org/octo-repo (branch dev) pushes images to ECR',
    });
  });
});

test('a description over IAM\'s 1,000 characters counts the subjects instead of listing them', () => {
  // 40 deployment environments: over 1,000 characters listed, yet within the trust policy quota.
  const subjects = Array.from({ length: 40 }, (_, i) => GithubSubject.environment(`deploy-env-${String(i).padStart(2, '0')}`));
  synthPipeline({ githubRepository: 'o/r', environments: [{ name: 'dev', subjects }] }).template.hasResourceProperties('AWS::IAM::Role', {
    Description: 'GitHub Actions in o/r (40 subjects) pushes images to ECR',
  });
});

test('characters IAM refuses in a description, which git allows in branch names, become ?', () => {
  synthEnv({ branches: ['feature/日本'] }).template.hasResourceProperties('AWS::IAM::Role', {
    Description: 'GitHub Actions in octo-org/octo-repo (branch feature/??) pushes images to ECR',
  });
});

describe('grantPull', () => {
  test('grants a principal pull on the environment repository only', () => {
    // GIVEN
    const stack = newStack();
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps());
    const taskRole = new iam.Role(stack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    // WHEN
    const grant = pipeline.environment('dev').grantPull(taskRole);
    // THEN
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TaskRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineDevRepository'), 'Arn'] },
        })]),
      },
    });
  });
});

describe('mutableTags', () => {
  test('keeps every other tag immutable and lets the listed patterns move', () => {
    // WHEN
    const { template } = synthEnv({ mutableTags: ['latest', 'stable-*'] });
    // THEN
    template.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' },
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'stable-*' },
      ],
    });
  });

  test('without mutableTags the repository has no exclusion filters', () => {
    // WHEN
    const { template } = synthEnv({});
    // THEN
    template.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE',
      ImageTagMutabilityExclusionFilters: Match.absent(),
    });
  });

  test('accepts imageTagMutability IMMUTABLE_WITH_EXCLUSION beside it', () => {
    expect(() => synthEnv({ mutableTags: ['latest'], imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION })).not.toThrow();
  });

  test('fails if imageTagMutability says otherwise', () => {
    expect(() => synthEnv({ mutableTags: ['latest'], imageTagMutability: ecr.TagMutability.MUTABLE }))
      .toThrow(/^environments\[0\]\.imageTagMutability cannot be set together with environments\[0\]\.mutableTags.*got 'MUTABLE'/);
    expect(() => synthEnv({ mutableTags: ['latest'], imageTagMutability: ecr.TagMutability.IMMUTABLE }))
      .toThrow(/^environments\[0\]\.imageTagMutability cannot be set together/);
  });

  test('fails if there are not 1 to 5 patterns', () => {
    expect(() => synthEnv({ mutableTags: [] })).toThrow(/^environments\[0\]\.mutableTags must list 1 to 5 tag patterns.*got \[\]/);
    expect(() => synthEnv({ mutableTags: ['a', 'b', 'c', 'd', 'e', 'f'] })).toThrow(/must list 1 to 5 tag patterns/);
    expect(() => synthEnv({ mutableTags: ['a', 'b', 'c', 'd', 'e'] })).not.toThrow();
  });

  test('fails if a pattern is not an ECR tag filter', () => {
    expect(() => synthEnv({ mutableTags: ['latest', 'a/b'] })).toThrow(/^environments\[0\]\.mutableTags\[1\] must be an ECR tag filter.*got 'a\/b'/);
    expect(() => synthEnv({ mutableTags: ['x'.repeat(129)] })).toThrow(/must be an ECR tag filter/);
    expect(() => synthEnv({ mutableTags: [''] })).toThrow(/must be an ECR tag filter/);
    expect(() => synthEnv({ mutableTags: ['x'.repeat(128)] })).not.toThrow();
    expect(() => synthEnv({ mutableTags: ['Stable_1.2-*'] })).not.toThrow();
  });

  test('fails if a pattern may match a commit SHA', () => {
    expect(() => synthEnv({ mutableTags: ['*'] })).toThrow(/^environments\[0\]\.mutableTags\[0\] must not match a 40-character commit SHA.*got '\*'/);
    expect(() => synthEnv({ mutableTags: ['abc*'] })).toThrow(/must not match a 40-character commit SHA/);
    expect(() => synthEnv({ mutableTags: ['0'.repeat(40)] })).toThrow(/must not match a 40-character commit SHA/);
    expect(() => synthEnv({ mutableTags: ['0'.repeat(39)] })).not.toThrow();
    expect(() => synthEnv({ mutableTags: ['0'.repeat(41) + '*'] })).not.toThrow();
    expect(() => synthEnv({ mutableTags: ['latest*'] })).not.toThrow();
  });

  test('fails if 40 hex digits and a star may match a commit SHA (the star matching nothing); 41 may not', () => {
    const hex40 = '0123456789abcdef0123456789abcdef01234567';
    expect(() => synthEnv({ mutableTags: [`${hex40}*`] })).toThrow(/^environments\[0\]\.mutableTags\[0\] must not match a 40-character commit SHA/);
    expect(() => synthEnv({ mutableTags: [`*${hex40}`] })).toThrow(/must not match a 40-character commit SHA/);
    expect(() => synthEnv({ mutableTags: [`${hex40.slice(0, 20)}*${hex40.slice(20)}`] })).toThrow(/must not match a 40-character commit SHA/);
    expect(() => synthEnv({ mutableTags: [`${hex40}8*`] })).not.toThrow();
    // Upper-case hex is not what git prints, so it never matches a SHA tag.
    expect(() => synthEnv({ mutableTags: [`${hex40.toUpperCase()}*`] })).not.toThrow();
  });

  test('fails if a mutable tag is a token', () => {
    expect(() => synthEnv({ mutableTags: [Lazy.string({ produce: () => 'latest' })] })).toThrow(/^environments\[0\]\.mutableTags\[0\] must be a literal tag pattern/);
  });

  test('fails if a pattern is listed twice', () => {
    expect(() => synthEnv({ mutableTags: ['latest', 'latest'] })).toThrow(/^environments\[0\]\.mutableTags\[1\] must be unique; environments\[0\]\.mutableTags\[0\] is the same/);
  });

  test('fails if given with an existing repository', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Existing', 'existing');
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], repository, mutableTags: ['latest'] }] })))
      .toThrow(/^environments\[0\]\.mutableTags cannot be set together with environments\[0\]\.repository/);
  });
});

describe('names the environment gives', () => {
  test('GitHub variables of a hyphenated name: upper case, - becomes _', () => {
    // WHEN
    const { pipeline } = synthPipeline({ environments: [{ name: 'eu-west_2', branches: ['dev'] }] });
    // THEN
    expect(pipeline.environment('eu-west_2').roleArnVariable).toBe('AWS_ROLE_ARN_EU_WEST_2');
    expect(pipeline.environment('eu-west_2').repositoryVariable).toBe('ECR_REPOSITORY_EU_WEST_2');
  });

  test.each([
    ['roleName', { roleName: 'a b' }, /^environments\[1\]\.roleName must be an IAM role name/],
    ['maxSessionDuration', { maxSessionDuration: Duration.minutes(30) }, /^environments\[1\]\.maxSessionDuration must be between 1 and 12 hours/],
    ['maxImageCount', { maxImageCount: 0 }, /^environments\[1\]\.maxImageCount must be a whole number of at least 1/],
    ['pullAccounts', { pullAccounts: ['123456789012', '12345'] }, /^environments\[1\]\.pullAccounts\[1\] must be a 12-digit AWS account ID, got '12345'/],
  ])('fails if %s is wrong, naming the environment\'s property', (_title, extra, message) => {
    const stack = newStack();
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'], ...extra }],
    }))).toThrow(message);
  });
});

describe('outputs', () => {
  test('by default each environment outputs its role ARN and repository URI, naming the GitHub variable to set', () => {
    // WHEN
    const { template } = synthPipeline({ environments: [{ name: 'eu-west', branches: ['dev'] }] });
    // THEN
    const descriptions = Object.values<any>(template.findOutputs('*')).map(o => o.Description).sort();
    expect(descriptions).toEqual([
      'Repository for eu-west; set its name as the GitHub Actions variable ECR_REPOSITORY_EU_WEST',
      'Role for eu-west; set it as the GitHub Actions variable AWS_ROLE_ARN_EU_WEST',
    ]);
  });

  test('outputs: false leaves them out', () => {
    const { template } = synthPipeline({ outputs: false });
    expect(template.findOutputs('*')).toEqual({});
  });
});

describe('the role\'s trust statements and acknowledgement', () => {
  test('exact subjects and a pattern get two statements, both for AssumeRoleWithWebIdentity by the provider', () => {
    // WHEN
    const { template } = synthEnv({ branches: ['main'], subjects: [GithubSubject.branchPattern('release/*')] });
    // THEN
    const statements = trustStatements(template);
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(statement.Principal).toEqual({ Federated: { Ref: expect.stringMatching(/^GithubActionsOidcProvider/) } });
    }
    expect(statements[1].Condition.StringLike).toEqual({ 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:ref:refs/heads/release/*' });
  });

  test('the role acknowledges cdk-nag\'s AwsSolutions-IAM5 for GetAuthorizationToken on *, with the reason', () => {
    // WHEN
    const { pipeline } = synthEnv({});
    // THEN
    const role = pipeline.environment('dev').role.node;
    const acknowledged = role.metadata.filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map(m => m.data);
    expect(acknowledged).toEqual([{
      'AwsSolutions-IAM5[Resource::*]': expect.stringMatching(/^ecr:GetAuthorizationToken takes no resource, so it can only be granted on \*/),
    }]);
  });
});

describe('trust policy size, as the environment checks it', () => {
  const LONGEST_ARN = 'arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

  /** Branches whose trust policy, with the longest provider ARN, is `target` characters long (whitespace removed). */
  function branchesOfLength(target: number): string[] {
    const branches = Array.from({ length: 16 }, (_, i) => `team/b${String(i).padStart(2, '0')}`);
    const document = trustStatements(synthEnv({ branches }).template).map((st: any) => ({ ...st, Principal: { Federated: LONGEST_ARN } }));
    const pad = target - JSON.stringify({ Statement: document, Version: '2012-10-17' }).length;
    return branches.map((b, i) => b + 'y'.repeat(Math.floor(pad / branches.length) + (i < pad % branches.length ? 1 : 0)));
  }

  test('2,048 characters are accepted; 2,049 fail, naming the environment and how to split it', () => {
    expect(() => synthEnv({ branches: branchesOfLength(2048) })).not.toThrow();
    expect(() => synthEnv({ branches: branchesOfLength(2049) })).toThrow(
      /^environments\[0\] \('dev'\) has a trust policy of about 2049 characters, over IAM's default quota of 2048 \(whitespace removed\), with 16 subjects\. Split its subjects over two environments/);
  });
});

describe('repository details', () => {
  test('the lifecycle rules say what they do', () => {
    const descriptions = (props: Partial<PipelineEnvironmentProps>) => {
      const repo: any = Object.values(synthEnv(props).template.findResources('AWS::ECR::Repository'))[0];
      return JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules.map((r: any) => r.description);
    };
    expect(descriptions({})).toEqual(['Expire images tagged expire-* a day after they were pushed']);
    // maxImageCount alone replaces the default rule.
    expect(descriptions({ maxImageCount: 30 })).toEqual(['Keep at most 30 images']);
  });
});

describe('the role description at IAM\'s 1,000 characters', () => {
  /** Deployment environment subjects whose listed description is `length` characters long. */
  function subjectsForDescription(length: number): GithubSubject[] {
    const names = Array.from({ length: 35 }, (_, i) => `deploy-env-${String(i).padStart(2, '0')}`);
    const listed = (ns: string[]) => `GitHub Actions in o/r (${ns.map(n => `environment ${n}`).join(', ')}) pushes images to ECR`.length;
    names[names.length - 1] += 'z'.repeat(length - listed(names));
    return names.map(n => GithubSubject.environment(n));
  }

  test('exactly 1,000 characters are listed, subjects separated by commas; 1,001 are counted instead', () => {
    const at = synthPipeline({ githubRepository: 'o/r', environments: [{ name: 'dev', subjects: subjectsForDescription(1000) }] });
    const role: any = Object.values(at.template.findResources('AWS::IAM::Role'))[0];
    expect(role.Properties.Description).toHaveLength(1000);
    expect(role.Properties.Description).toMatch(/^GitHub Actions in o\/r \(environment deploy-env-00, environment deploy-env-01, /);
    synthPipeline({ githubRepository: 'o/r', environments: [{ name: 'dev', subjects: subjectsForDescription(1001) }] })
      .template.hasResourceProperties('AWS::IAM::Role', { Description: 'GitHub Actions in o/r (35 subjects) pushes images to ECR' });
  });
});

describe('what an environment hands the workflow renderer', () => {
  /** `_workflow()` of the one environment of a pipeline built in a fresh stack. */
  type Configure = (stack: Stack) => Partial<PipelineEnvironmentProps>;
  const handed = (env: Partial<PipelineEnvironmentProps>, stackProps = {}, configure: Configure = () => ({})) => {
    const stack = newStack(stackProps);
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev-eu', branches: ['dev'], ...env, ...configure(stack) }] }));
    const environment = pipeline.environment('dev-eu');
    return { stack, environment, workflow: () => environment._workflow() };
  };
  const ENV = { env: { account: '111122223333', region: 'eu-west-1' } };

  test('by default: the branch refs, the variables, the literal repository name, immutable tags and the default rule; no role ARN without roleName', () => {
    // WHEN
    const workflow = handed({}).workflow();
    // THEN
    expect(workflow).toEqual({
      name: 'dev-eu',
      refs: [GithubSubject.branch('dev')],
      deploymentEnvironments: [],
      roleArnVariable: 'AWS_ROLE_ARN_DEV_EU',
      repositoryVariable: 'ECR_REPOSITORY_DEV_EU',
      role: undefined,
      repositoryName: 'octo-repo-dev-eu',
      tags: { mutability: 'IMMUTABLE', exclusions: [] },
      lifecycleRules: [expect.objectContaining({ selection: expect.objectContaining({ tagStatus: 'tagged', tagPrefixList: ['expire-'] }) })],
      images: undefined,
    });
    expect(workflow.lifecycleRules).toHaveLength(1);
  });

  test('refs are the branch and tag subjects only; deployment environments are listed by name; pull requests neither', () => {
    // WHEN
    const workflow = handed({ branches: [], subjects: [GithubSubject.tag('v1'), GithubSubject.branch('main'), GithubSubject.environment('production')] }).workflow();
    // THEN
    expect(workflow.refs.map(String)).toEqual(['tag v1', 'branch main']);
    expect(workflow.deploymentEnvironments).toEqual(['production']);
    const pr = handed({ branches: ['dev'], subjects: [GithubSubject.pullRequest()] }).workflow();
    expect(pr.refs.map(String)).toEqual(['branch dev']);
    expect(pr.deploymentEnvironments).toEqual([]);
  });

  test('the role is known when its name, path and account are literal; the partition only when the stack\'s is literal', () => {
    // a literal account and role name: the ARN's parts, with the default path '/'; aws-cdk-lib's
    // Stack.partition is a token even with a literal region (the renderer takes the region's)
    expect(handed({ roleName: 'push-dev' }, ENV).workflow().role).toEqual({ account: '111122223333', path: '/', name: 'push-dev', partition: undefined });
    // an environment-agnostic stack: the account is a token
    expect(handed({ roleName: 'push-dev' }).workflow().role).toBeUndefined();
    // without roleName, CloudFormation names the role
    expect(handed({}, ENV).workflow().role).toBeUndefined();
    // a stack class whose partition is literal hands it over
    class ChinaStack extends Stack {
      public get partition(): string { return 'aws-cn'; }
    }
    const stack = new ChinaStack(testApp(), 'China', { env: { account: '111122223333', region: 'cn-north-1' } });
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], roleName: 'push-dev' }] }));
    expect(pipeline.environment('dev')._workflow().role).toEqual({ account: '111122223333', path: '/', name: 'push-dev', partition: 'aws-cn' });
  });

  test('the role\'s path is the one its resource holds; a token path or name leaves the role unknown', () => {
    // GIVEN roles whose resource was changed after the pipeline made it
    const withRole = (change: (role: iam.CfnRole) => void) => {
      const built = handed({ roleName: 'push-dev' }, ENV);
      change(built.environment.role.node.defaultChild as iam.CfnRole);
      return built.workflow().role;
    };
    // WHEN / THEN
    expect(withRole(role => { role.path = '/ci/'; })).toEqual({ account: '111122223333', path: '/ci/', name: 'push-dev', partition: undefined });
    expect(withRole(role => { role.path = Lazy.string({ produce: () => '/ci/' }); })).toBeUndefined();
    expect(withRole(role => { role.roleName = Lazy.string({ produce: () => 'push-dev' }); })).toBeUndefined();
  });

  test('mutableTags are handed over as the exclusion filters of an IMMUTABLE_WITH_EXCLUSION repository', () => {
    expect(handed({ mutableTags: ['latest', 'edge-*'] }).workflow().tags).toEqual({ mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusions: ['latest', 'edge-*'] });
    expect(handed({ imageTagMutability: ecr.TagMutability.MUTABLE }).workflow().tags).toEqual({ mutability: 'MUTABLE', exclusions: [] });
  });

  test('exclusion filters not known at synth time are left out, one by one or all together', () => {
    // GIVEN repositories whose filters were changed after the pipeline made them
    const withFilters = (filters: any) => {
      const built = handed({ mutableTags: ['latest'] });
      (built.environment.repository.node.defaultChild as ecr.CfnRepository).imageTagMutabilityExclusionFilters = filters;
      return built.workflow().tags;
    };
    const filter = (value: string) => ({ imageTagMutabilityExclusionFilterType: 'WILDCARD', imageTagMutabilityExclusionFilterValue: value });
    // WHEN / THEN
    expect(withFilters([filter('latest'), filter(Lazy.string({ produce: () => 'edge' }))])?.exclusions).toEqual(['latest']);
    expect(withFilters(Lazy.any({ produce: () => [filter('latest')] }))?.exclusions).toEqual([]);
    // a filter without a value, or with a number, from an escape hatch in plain JavaScript
    expect(withFilters([{ imageTagMutabilityExclusionFilterType: 'WILDCARD' }, filter(42 as any), filter('edge')])?.exclusions).toEqual(['edge']);
  });

  test('lifecycle rules are read from the policy text; none when its text is not known at synth time, [] when it has no rules', () => {
    // GIVEN
    const withPolicy = (policy: any) => {
      const built = handed({});
      (built.environment.repository.node.defaultChild as ecr.CfnRepository).lifecyclePolicy = policy;
      return built.workflow().lifecycleRules;
    };
    // WHEN / THEN
    expect(handed({ maxImageCount: 7 }).workflow().lifecycleRules).toEqual([expect.objectContaining({ rulePriority: 1, selection: expect.objectContaining({ tagStatus: 'any', countNumber: 7 }) })]);
    expect(withPolicy({ lifecyclePolicyText: Lazy.string({ produce: () => '{}' }) })).toEqual([]);
    expect(withPolicy({ lifecyclePolicyText: JSON.stringify({ rules: [{ rulePriority: 3 }] }) })).toEqual([{ rulePriority: 3 }]);
    expect(withPolicy({ lifecyclePolicyText: '{}' })).toEqual([]);
    expect(withPolicy({ registryId: '111122223333' })).toBeUndefined();
    expect(withPolicy(undefined)).toBeUndefined();
  });

  test('an existing repository: its literal name, no tags or rules (they are not the stack\'s); a token name is read from the variable', () => {
    expect(handed({}, {}, stack => ({ repository: ecr.Repository.fromRepositoryName(stack, 'Existing', 'legacy-images') })).workflow())
      .toEqual(expect.objectContaining({ repositoryName: 'legacy-images', tags: undefined, lifecycleRules: undefined }));
    expect(handed({}, {}, stack => ({ repository: ecr.Repository.fromRepositoryName(stack, 'Existing', Lazy.string({ produce: () => 'legacy' })) })).workflow().repositoryName)
      .toBeUndefined();
  });

  test('a created repository whose name was made a token is read from the variable', () => {
    // GIVEN
    const built = handed({});
    (built.environment.repository.node.defaultChild as ecr.CfnRepository).repositoryName = Lazy.string({ produce: () => 'octo-repo-dev-eu' });
    // WHEN / THEN
    expect(built.workflow().repositoryName).toBeUndefined();
    expect(built.workflow().tags).toEqual({ mutability: 'IMMUTABLE', exclusions: [] });
  });

  test('with images: one entry per image, in order, with its own variable, literal name, tags and rules', () => {
    // GIVEN
    const stack = newStack();
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      images: [{ name: 'api', dockerfile: 'api/Dockerfile' }, { name: 'web', dockerfile: 'web/Dockerfile' }],
      environments: [{ name: 'dev-eu', branches: ['dev'], imageRepositoryNames: { web: 'site' } }],
    }));
    // WHEN
    const workflow = pipeline.environment('dev-eu')._workflow();
    // THEN
    expect(workflow.repositoryName).toBe('octo-repo-api-dev-eu');
    const summary = (i: any) => ({
      image: i.image, variable: i.repositoryVariable, name: i.repositoryName, tags: i.tags, rules: i.lifecycleRules?.length,
    });
    expect(workflow.images?.map(summary))
      .toEqual([
        { image: 'api', variable: 'ECR_REPOSITORY_DEV_EU_API', name: 'octo-repo-api-dev-eu', tags: { mutability: 'IMMUTABLE', exclusions: [] }, rules: 1 },
        { image: 'web', variable: 'ECR_REPOSITORY_DEV_EU_WEB', name: 'site', tags: { mutability: 'IMMUTABLE', exclusions: [] }, rules: 1 },
      ]);
  });
});

describe('environment rules, each on both sides', () => {
  const TWO = (second: Partial<PipelineEnvironmentProps>) => [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'], ...second }];
  /** The warnings of a synthesized pipeline, without the one every pipeline without githubOwnerId gets. */
  const warningsOf = (overrides: Parameters<typeof synthPipeline>[0]) => {
    const { stack } = synthPipeline(overrides);
    return Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map(w => String(w.entry.data))
      .filter(w => !w.includes('[ack: cdk-github-oidc-ecr:githubIdsMissing]'));
  };

  test.each([
    ['lifecycleRules', { lifecycleRules: 'keep 5' }, /^environments\[1\]\.lifecycleRules must be an array/],
    ['repositoryName', { repositoryName: 42 }, /^environments\[1\]\.repositoryName must be a string/],
    ['roleName', { roleName: 42 }, /^environments\[1\]\.roleName must be a string/],
    ['imageTagMutability', { imageTagMutability: 1 }, /^environments\[1\]\.imageTagMutability must be a string/],
    ['imageScanOnPush', { imageScanOnPush: 'yes' }, /^environments\[1\]\.imageScanOnPush must be a boolean/],
    ['repository', { repository: 'legacy' }, /^environments\[1\]\.repository must be an object/],
    ['encryptionKey', { encryptionKey: 'alias/x' }, /^environments\[1\]\.encryptionKey must be an object/],
    ['permissionsBoundary', { permissionsBoundary: 'arn' }, /^environments\[1\]\.permissionsBoundary must be an object/],
    ['imageRepositoryNames', { imageRepositoryNames: 'x' }, /^environments\[1\]\.imageRepositoryNames must be an object/],
    ['removalPolicy', { removalPolicy: 'keep' }, /^environments\[1\]\.removalPolicy must be one of RemovalPolicy destroy, retain, snapshot, retain-on-update-or-delete, got 'keep'/],
  ])('fails if %s has the wrong type, naming the environment\'s property', (_key, second, message) => {
    expect(() => synthPipeline({ environments: TWO(second as any) })).toThrow(message);
  });

  test('fails if neither branches nor subjects name a run, showing the branches given', () => {
    expect(() => synthPipeline({ environments: [{ name: 'dev' }] })).toThrow(/^environments\[0\]\.branches must name at least one branch, or environments\[0\]\.subjects at least one subject, got \[\]$/);
    expect(() => synthPipeline({ environments: [{ name: 'dev', branches: [] }] })).toThrow(/, got \[\]$/);
    expect(() => synthPipeline({ environments: [{ name: 'dev', subjects: [GithubSubject.branch('dev')] }] })).not.toThrow();
  });

  test('fails if two environments share an existing repository, showing the repository, not a name it was never given', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Existing', 'legacy-images');
    let message = '';
    try {
      new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: TWO({ repository }).map(e => ({ ...e, repository })) }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^environments\[1\]\.repository must differ from every other environment's repository; .* uses the same one, got an? [A-Za-z]+$/);
    // not the default name the environment would have created, which it was never given
    expect(message).not.toContain('octo-repo-prod');
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline2', pipelineProps({ environments: TWO({ repository }), repositoryPrefix: 'p2' }))).not.toThrow();
  });

  test('an environment\'s claims are checked when it is planned, before the next environment\'s props', () => {
    // GIVEN a template that cannot express the first environment's pull request, and a bad second environment
    expect(() => synthPipeline({
      subjectClaimKeys: ['repo', 'ref'],
      environments: [{ name: 'dev', subjects: [GithubSubject.pullRequest()] }, { name: 'prod', branches: ['main'], roleName: 'a b' }],
    })).toThrow(/^subjectClaimKeys cannot express environments\[0\]'s pull request/);
  });

  test('pinWorkflowFile: fails for a pattern, a pull request, or no branch or tag; a branch and a tag are pinned', () => {
    const pinned = (env: Partial<PipelineEnvironmentProps>) => () => synthPipeline({ pinWorkflowFile: 'push.yml', environments: [{ name: 'dev', ...env }] }, { env: { account: '111122223333', region: 'eu-west-1' } });
    expect(pinned({ subjects: [GithubSubject.branchPattern('release/*')] }))
      .toThrow(/^environments\[0\] subject cannot be combined with pinWorkflowFile: its job_workflow_ref would need a wildcard \(patterns\) or names a pull request merge ref, got 'branch pattern release\/\*'/);
    expect(pinned({ branches: ['dev'], subjects: [GithubSubject.pullRequest()] }))
      .toThrow(/^environments\[0\] subject cannot be combined with pinWorkflowFile: .*, got 'pull request'/);
    expect(pinned({ subjects: [GithubSubject.environment('production')] }))
      .toThrow(/^environments\[0\]\.branches must name at least one branch \(or subjects a tag\) with pinWorkflowFile: job_workflow_ref is pinned to the workflow file at those refs, got \[\]$/);
    expect(pinned({ branches: ['dev'] })).not.toThrow();
    expect(pinned({ subjects: [GithubSubject.tag('v1')] })).not.toThrow();
  });

  test('ref_type in the template binds a deployment environment to the environment\'s refs, naming each run\'s ref type', () => {
    // GIVEN
    const keys = ['repo', 'context', 'ref_type'];
    // WHEN
    const { template } = synthPipeline({ subjectClaimKeys: keys, environments: [{ name: 'prod', subjects: [GithubSubject.environment('production'), GithubSubject.tag('v1'), GithubSubject.branch('main')] }] });
    // THEN each run's sub carries its ref type, and no unbound warning is given
    expect(JSON.stringify(trustStatements(template))).toContain('repo:octo-org/octo-repo:environment:production:ref_type:tag');
    expect(JSON.stringify(trustStatements(template))).toContain('repo:octo-org/octo-repo:environment:production:ref_type:branch');
    expect(warningsOf({ subjectClaimKeys: keys, environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('production')] }] })).toEqual([]);
    // and without a ref to bind to, it fails, naming every deployment environment
    expect(() => synthPipeline({ subjectClaimKeys: keys, environments: [{ name: 'prod', subjects: [GithubSubject.environment('a'), GithubSubject.environment('b')] }] }))
      .toThrow(/^environments\[0\]\.branches must name the branches \(or subjects the tags\) that 'a' and 'b' is bound to, because subjectClaimKeys carries 'ref'.*, got \[\]$/);
  });

  test('the unbound-environment warning: deployment environments gated by branches or tags, each named; none for a pull request beside a branch', () => {
    expect(warningsOf({ environments: [{ name: 'prod', branches: ['main'], subjects: [GithubSubject.environment('a'), GithubSubject.environment('b')] }] }).join('\n'))
      .toMatch(/environments\[0\] \('prod'\): its role admits every job that targets the deployment environment 'a', 'b', from any branch/);
    expect(warningsOf({ environments: [{ name: 'prod', subjects: [GithubSubject.tag('v1'), GithubSubject.environment('a')] }] }).join('\n'))
      .toMatch(/deployment environment 'a', from any branch/);
    // not gated: no branch or tag; and no deployment environment at all
    expect(warningsOf({ environments: [{ name: 'prod', subjects: [GithubSubject.environment('a')] }] })).toEqual([]);
    expect(warningsOf({ environments: [{ name: 'dev', branches: ['dev'], subjects: [GithubSubject.pullRequest()] }] })).toEqual([]);
  });

  test('the non-ASCII warning: branches and branch or tag subjects, every such character listed, beside a pull request or a deployment environment; not ASCII', () => {
    expect(warningsOf({ environments: [{ name: 'dev', branches: ['dev'] }] })).toEqual([]);
    expect(warningsOf({ environments: [{ name: 'dev', branches: ['d\u0435v\u0430'] }] }).join('\n'))
      .toMatch(/^environments\[0\]\.branches\[0\] 'd\u0435v\u0430' has characters outside ASCII \(U\+0435 '\u0435', U\+0430 '\u0430'\), which may look like ASCII letters/);
    expect(warningsOf({ environments: [{ name: 'dev', subjects: [GithubSubject.pullRequest(), GithubSubject.tag('v\u0430')] }] }).join('\n'))
      .toMatch(/^environments\[0\]\.subjects\[1\] 'v\u0430' has characters outside ASCII \(U\+0430 '\u0430'\)/);
    expect(warningsOf({ environments: [{ name: 'dev', subjects: [GithubSubject.environment('prod'), GithubSubject.branch('r\u00e9')] }] }).join('\n'))
      .toMatch(/^environments\[0\]\.subjects\[1\] 'r\u00e9' has characters outside ASCII \(U\+00E9 '\u00e9'\)/);
  });

  test('the DESTROY warnings: derived image repositories, each named, from the prefix or the GitHub name; none with RETAIN or a literal non-default existing repository', () => {
    const images = [{ name: 'api', dockerfile: 'api/Dockerfile' }, { name: 'web', dockerfile: 'web/Dockerfile' }];
    const destroy = { name: 'dev', branches: ['dev'], removalPolicy: RemovalPolicy.DESTROY };
    expect(warningsOf({ images, environments: [destroy] }).join('\n'))
      .toMatch(/removalPolicy DESTROY with the repository names 'octo-repo-api-dev', 'octo-repo-web-dev', derived from the image and environment names and the GitHub repository name\. Renaming the environment or an image, or renaming the GitHub repository, deletes/);
    expect(warningsOf({ images, repositoryPrefix: 'shop', environments: [destroy] }).join('\n'))
      .toMatch(/'shop-api-dev', 'shop-web-dev', derived from the image and environment names and repositoryPrefix\. Renaming the environment or an image, or changing or dropping repositoryPrefix, deletes/);
    expect(warningsOf({ images, environments: [{ name: 'dev', branches: ['dev'] }] })).toEqual([]);
    const existing = (name: string) => {
      const stack = newStack();
      const repository = ecr.Repository.fromRepositoryName(stack, 'Existing', name);
      new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ environments: [{ name: 'dev', branches: ['dev'], repository }] }));
      return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('existingRepositoryWasDefault')).length;
    };
    expect(existing('octo-repo-dev')).toBe(1);
    expect(existing('legacy-images')).toBe(0);
    expect(existing(Lazy.string({ produce: () => 'octo-repo-dev' }))).toBe(0);
  });

  test('imageRepository and grantPull with images: the first image is found, a non-string name fails, every image is granted', () => {
    // GIVEN
    const stack = newStack();
    const pipeline = new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ images: [{ name: 'api', dockerfile: 'api/Dockerfile' }, { name: 'web', dockerfile: 'web/Dockerfile' }] }));
    const env = pipeline.environment('dev');
    // WHEN / THEN
    expect(env.imageRepository('api')).toBe(env.repositories[0]);
    expect(env.imageRepository('web')).toBe(env.repositories[1]);
    expect(() => env.imageRepository(42 as any)).toThrow(/^imageRepository\(name\) must be a string, not a number, got 42/);
    expect(() => env.imageRepository(undefined as any)).toThrow(/^imageRepository\(name\) must be a string/);
    const grant = env.grantPull(new iam.Role(stack, 'Consumer', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.success).toBe(true);
    expect(JSON.stringify(stack.resolve(grant.principalStatements.map(s => s.toStatementJson())))).toMatch(/PipelineDevApiRepository.*PipelineDevWebRepository/);
  });

  test('with the pipeline\'s signingProfile the push policy lets the role sign with it; without, it has only the two ECR statements', () => {
    const sids = (signed: boolean) => {
      const stack = newStack({ env: { account: '111122223333', region: 'eu-west-1' } });
      const signingProfile = signed
        ? signer.SigningProfile.fromSigningProfileAttributes(stack, 'Profile', { signingProfileName: 'octo_images', signingProfileVersion: 'v1' })
        : undefined;
      new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({ signingProfile }));
      const role: any = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
      return role.Properties.Policies[0].PolicyDocument.Statement.map((s: any) => s.Sid ?? s.Action);
    };
    expect(sids(false)).toEqual(['GetAuthorizationToken', 'PushPullOwnRepository']);
    const signed = sids(true);
    expect(signed).toHaveLength(3);
    expect(signed.slice(0, 2)).toEqual(['GetAuthorizationToken', 'PushPullOwnRepository']);
  });

  test('_trustPolicy is the role\'s trust policy as the template holds it', () => {
    const { pipeline, template } = synthPipeline();
    const role: any = Object.values(template.findResources('AWS::IAM::Role'))[0];
    expect(pipeline.environment('dev')._trustPolicy()).toEqual(role.Properties.AssumeRolePolicyDocument);
  });
});
