import { Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Document, Scalar, isPair, isScalar, visit } from 'yaml';
import { starPattern } from './text';
import { audienceOfPartition, stsAudience } from './trust';
import { fail } from './validation';
import type { PipelineEnvironment } from '../environment';
import type { GithubReusableWorkflow } from '../reusable-workflow';
import { GithubSubject, GithubSubjectKind } from '../subject';
import type { WorkflowOptions } from '../workflow';

/** An action the workflow uses, pinned by commit; the release is written beside it as a comment. */
interface PinnedAction {
  readonly repository: string;
  readonly commit: string;
  readonly release: string;
}

/*
 * Pinned by commit SHA, because a tag (even a full release tag) can be moved by whoever controls the
 * action's repository, and these actions handle the role's credentials.
 */
export const DEFAULT_ACTIONS = {
  checkout: { repository: 'actions/checkout', commit: '08c6903cd8c0fde910a37f88322edcfb5dd907a8', release: 'v5.0.0' },
  configureAwsCredentials: { repository: 'aws-actions/configure-aws-credentials', commit: 'a03048d87541d1d9fcf2ecf528a4a65ba9bd7838', release: 'v5.0.0' },
  amazonEcrLogin: { repository: 'aws-actions/amazon-ecr-login', commit: '062b18b96a7aff071d4dc91bc00c4c1a7945b076', release: 'v2.0.1' },
  setupBuildx: { repository: 'docker/setup-buildx-action', commit: 'e468171a9de216ec08956ac3ada2f0791b6bd435', release: 'v3.11.1' },
  buildPush: { repository: 'docker/build-push-action', commit: '263435318d21b8e681c14492fe198d362a7d2c83', release: 'v6.18.0' },
} satisfies Record<string, PinnedAction>;

export const DEFAULT_FILE_NAME = 'push-image-to-ecr.yml';
const DEFAULT_WORKFLOW_NAME = 'Push image to ECR';
const LOGIN_STEP_ID = 'login-ecr';

/** What the renderer needs from the pipeline. */
export interface WorkflowSource {
  readonly stack: Stack;
  /** The pipeline's construct path, named in the header comment. */
  readonly path: string;
  readonly environments: PipelineEnvironment[];
  /** The central workflow the jobs call, when the pipeline trusts one. */
  readonly reusableWorkflow?: GithubReusableWorkflow;
}

/** The validated options with their defaults filled in. */
interface ResolvedOptions {
  readonly workflowName: string;
  readonly fileName: string;
  readonly dockerfile: string;
  readonly buildContext: string;
  readonly extraImageTag?: string;
  readonly actions: { readonly [K in keyof typeof DEFAULT_ACTIONS]: Uses };
  readonly layerCache: boolean;
  readonly runsOn: string;
  readonly workflowDispatch: boolean;
}

/** A `uses:` value and the comment that goes beside it. */
interface Uses {
  readonly ref: string;
  readonly comment?: string;
}

/** The file name the workflow is written to. */
export function workflowFileName(options: WorkflowOptions = {}, property: string = 'fileName'): string {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  checkText(property, fileName);
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.ya?ml$/.test(fileName)) {
    fail(property, fileName, 'must be a file name (no directory) of letters, digits, \'.\', \'_\' or \'-\' ending in \'.yml\' or \'.yaml\'');
  }
  return fileName;
}

/**
 * Render the workflow: one push job per environment that has branches, tags or a deployment
 * environment, over the environments of one or more pipelines (in one or more stacks and accounts).
 */
export function renderWorkflow(sources: WorkflowSource[], options: WorkflowOptions = {}): string {
  const opts = resolveOptions(options);
  const regions = new Map(sources.map(source => [source, resolveRegion(source.stack, options.awsRegion, sources.length > 1)]));
  const jobs = sources.flatMap(source => source.environments.map(env => planJob(env, source, regions.get(source)!)))
    .filter((job): job is JobPlan => job !== undefined);
  if (jobs.length === 0) {
    throw new Error('renderWorkflow() found no environment with a branch, tag or deployment environment subject; environments that trust only pull requests get no push job (a pull_request run\'s token has the sub \'repo:OWNER/REPO:pull_request\'), so there is nothing to render');
  }
  const dispatchOnly = jobs.filter(job => job.refs.length === 0);
  if (dispatchOnly.length > 0 && !opts.workflowDispatch) {
    fail('workflowDispatch', options.workflowDispatch,
      `must be true when an environment trusts deployment environments but no branch or tag (${dispatchOnly.map(j => `'${j.env.name}'`).join(', ')}): its job can only be started by hand`);
  }
  if (opts.extraImageTag !== undefined) {
    for (const job of jobs) checkMutableTags(job.env, opts.extraImageTag);
  }
  const paths = sources.map(source => source.path);

  const doc = new Document({
    name: opts.workflowName,
    on: triggers(jobs, opts.workflowDispatch),
    permissions: { 'id-token': 'write', 'contents': 'read' },
    jobs: Object.fromEntries(jobs.map(job => [job.env.name, renderJob(job, opts)])),
  });
  doc.commentBefore = [
    ` Generated by cdk-github-oidc-ecr from ${paths.join(', ')}; regenerate it instead of editing it.`,
    ' Each job assumes its environment\'s role through GitHub\'s OIDC provider and pushes the image',
    ' tagged with the commit SHA. It runs on push, never on pull_request: a pull_request run\'s token',
    ' has the sub repo:OWNER/REPO:pull_request, which the branch-scoped roles refuse.',
  ].join('\n');
  annotate(doc, opts);
  return doc.toString({ lineWidth: 0, indent: 2, indentSeq: true });
}

interface JobPlan {
  readonly env: PipelineEnvironment;
  readonly stack: Stack;
  /** The region of the environment's repository. */
  readonly region: string;
  /** The audience configure-aws-credentials asks for, when not its default `sts.amazonaws.com`. */
  readonly audience?: string;
  /** The branch and tag subjects, which gate the job and make the push trigger. */
  readonly refs: GithubSubject[];
  /** The deployment environment the job targets, if the role trusts one. */
  readonly deploymentEnvironment?: string;
  readonly reusableWorkflow?: GithubReusableWorkflow;
}

function planJob(env: PipelineEnvironment, source: WorkflowSource, region: string): JobPlan | undefined {
  const refs = env.subjects.filter(s => s.kind === GithubSubjectKind.BRANCH || s.kind === GithubSubjectKind.TAG);
  const deploymentEnvironment = env.subjects.find(s => s.kind === GithubSubjectKind.ENVIRONMENT)?.value;
  if (refs.length === 0 && deploymentEnvironment === undefined) return undefined;
  for (const subject of [...refs, ...env.subjects.filter(s => s.kind === GithubSubjectKind.ENVIRONMENT)]) {
    if (Token.isUnresolved(subject.value)) {
      fail(`environment '${env.name}' subject`, subject.value, 'must be a literal to be rendered into the workflow, not a token');
    }
  }
  // The roles trust the audience of the stack's partition; the job must ask for that one.
  const trusted = stsAudience(source.stack);
  const wanted = audienceOfPartition(RegionInfo.get(region).partition);
  if (trusted !== wanted) {
    fail('awsRegion', region, `is in a partition whose STS audience is '${wanted}', but stack '${source.stack.stackName}' has no literal region, so its roles trust '${trusted}'; give the stack env.region '${region}'`);
  }
  return { env, stack: source.stack, region, refs, deploymentEnvironment, reusableWorkflow: source.reusableWorkflow, audience: wanted === trusted && wanted !== 'sts.amazonaws.com' ? wanted : undefined };
}

function resolveOptions(options: WorkflowOptions): ResolvedOptions {
  const fileName = workflowFileName(options);
  const workflowName = options.workflowName ?? DEFAULT_WORKFLOW_NAME;
  checkText('workflowName', workflowName);
  const runsOn = options.runsOn ?? 'ubuntu-latest';
  checkText('runsOn', runsOn);
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  checkText('dockerfile', dockerfile);
  const buildContext = options.buildContext ?? '.';
  checkText('buildContext', buildContext);
  if (options.extraImageTag !== undefined) {
    checkText('extraImageTag', options.extraImageTag);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(options.extraImageTag)) {
      fail('extraImageTag', options.extraImageTag, 'must be a Docker tag: 1 to 128 letters, digits, \'_\', \'.\' or \'-\', not starting with \'.\' or \'-\'');
    }
  }
  return {
    workflowName,
    fileName,
    dockerfile,
    buildContext,
    extraImageTag: options.extraImageTag,
    actions: {
      checkout: pin('checkoutVersion', DEFAULT_ACTIONS.checkout, options.checkoutVersion),
      configureAwsCredentials: pin('configureAwsCredentialsVersion', DEFAULT_ACTIONS.configureAwsCredentials, options.configureAwsCredentialsVersion),
      amazonEcrLogin: pin('amazonEcrLoginVersion', DEFAULT_ACTIONS.amazonEcrLogin, options.amazonEcrLoginVersion),
      setupBuildx: pin('setupBuildxVersion', DEFAULT_ACTIONS.setupBuildx, options.setupBuildxVersion),
      buildPush: pin('buildPushVersion', DEFAULT_ACTIONS.buildPush, options.buildPushVersion),
    },
    layerCache: !checkBoolean('disableLayerCache', options.disableLayerCache),
    runsOn,
    workflowDispatch: checkBoolean('workflowDispatch', options.workflowDispatch),
  };
}

function checkBoolean(property: string, value: boolean | undefined): boolean {
  if (value !== undefined && typeof value !== 'boolean') fail(property, value, 'must be true or false');
  return value ?? false;
}

function checkText(property: string, value: string): void {
  if (typeof value !== 'string') fail(property, value, 'must be a string');
  if (Token.isUnresolved(value)) fail(property, value, 'must be a literal, not a token resolved at deploy time');
  // eslint-disable-next-line no-control-regex
  if (value.trim().length === 0 || /[\x00-\x1f\x7f]/.test(value)) fail(property, value, 'must be a non-empty single line');
}

function resolveRegion(stack: Stack, given: string | undefined, several: boolean): string {
  const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
  if (given === undefined) {
    if (stackRegion === undefined) {
      fail('awsRegion', given, `must be given to renderWorkflow() when the stack's region is not known at synth time (stack '${stack.stackName}' has no env.region)`);
    }
    return stackRegion;
  }
  checkText('awsRegion', given);
  if (!/^[a-z]{2,4}(?:-[a-z]+)+-[0-9]+$/.test(given)) fail('awsRegion', given, 'must be an AWS region such as \'ap-northeast-1\'');
  // With several stacks, awsRegion is the region of those whose region is not known at synth time.
  if (stackRegion !== undefined && several) return stackRegion;
  if (stackRegion !== undefined && stackRegion !== given) {
    fail('awsRegion', given, `must be the stack's region '${stackRegion}', where the repositories are`);
  }
  return given;
}

function pin(property: string, action: PinnedAction, version: string | undefined): Uses {
  if (version === undefined) return { ref: `${action.repository}@${action.commit}`, comment: ` ${action.release}` };
  checkText(property, version);
  if (!/^[0-9a-f]{40}$/.test(version) && !/^v?[0-9]+\.[0-9]+\.[0-9]+$/.test(version)) {
    fail(property, version, 'must be a 40-character commit SHA or a full release tag such as \'v1.2.3\' (a major tag such as \'v1\' moves)');
  }
  return { ref: `${action.repository}@${version}` };
}

/** A tag pushed on every run would be refused by an immutable repository from the second run on. */
function checkMutableTags(env: PipelineEnvironment, tag: string): void {
  const cfn = env.repository.node.defaultChild;
  if (!(cfn instanceof ecr.CfnRepository)) return;
  const mutability = cfn.imageTagMutability;
  const filters = exclusionPatterns(cfn);
  const excluded = filters.some(pattern => starPattern(pattern).test(tag));
  const immutable = mutability === ecr.TagMutability.IMMUTABLE
    || (mutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION && !excluded)
    || (mutability === ecr.TagMutability.MUTABLE_WITH_EXCLUSION && excluded);
  if (immutable) {
    const how = mutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION
      ? `imageTagMutability IMMUTABLE_WITH_EXCLUSION, and no exclusion filter (${filters.map(f => `'${f}'`).join(', ')}) matches it (add it to mutableTags, or drop extraImageTag)`
      : mutability === ecr.TagMutability.MUTABLE_WITH_EXCLUSION
        ? 'imageTagMutability MUTABLE_WITH_EXCLUSION with an exclusion filter that matches it (drop extraImageTag, or change the filters)'
        : `imageTagMutability IMMUTABLE (set mutableTags: ['${tag}'] on it, or drop extraImageTag)`;
    fail('extraImageTag', tag, `needs a repository with mutable tags, because every push moves it; environment '${env.name}' has ${how}`);
  }
}

/** The wildcard values of a repository's tag-mutability exclusion filters. */
function exclusionPatterns(cfn: ecr.CfnRepository): string[] {
  const filters = cfn.imageTagMutabilityExclusionFilters;
  if (!Array.isArray(filters)) return [];
  return filters.flatMap(filter => {
    const value = (filter as ecr.CfnRepository.ImageTagMutabilityExclusionFilterProperty).imageTagMutabilityExclusionFilterValue;
    return typeof value === 'string' && !Token.isUnresolved(value) ? [value] : [];
  });
}


// ---------------------------------------------------------------------------------------------
// Triggers and job gates

const REF_PREFIX = { [GithubSubjectKind.BRANCH]: 'refs/heads/', [GithubSubjectKind.TAG]: 'refs/tags/' } as Record<GithubSubjectKind, string>;

function triggers(jobs: JobPlan[], workflowDispatch: boolean): Record<string, unknown> {
  const branches = unique(jobs.flatMap(job => job.refs.filter(s => s.kind === GithubSubjectKind.BRANCH).map(filterPattern)));
  const tags = unique(jobs.flatMap(job => job.refs.filter(s => s.kind === GithubSubjectKind.TAG).map(filterPattern)));
  const on: Record<string, unknown> = {};
  if (branches.length > 0 || tags.length > 0) {
    const push: Record<string, string[]> = {};
    if (branches.length > 0) push.branches = branches;
    if (tags.length > 0) push.tags = tags;
    on.push = push;
  }
  if (workflowDispatch) on.workflow_dispatch = {};
  return on;
}

/**
 * A push filter that admits exactly the refs the role trusts. IAM's `*` also matches `/`, GitHub's
 * `*` does not, so a pattern's `*` becomes `**`; GitHub's other special characters are escaped.
 */
function filterPattern(subject: GithubSubject): string {
  return wildcardParts(subject).map(part => part.replace(/[*?+[\]!\\]/g, '\\$&')).join('**');
}

function wildcardParts(subject: GithubSubject): string[] {
  const value = subject.value!;
  return subject.isPattern ? value.replace(/\*+/g, '*').split('*') : [value];
}

/**
 * The job's `if:`, true for exactly the refs its role trusts. GitHub expressions have no wildcard
 * match, so a pattern `P*S` becomes `startsWith(P) && endsWith(S)`, minus the refs shorter than P
 * and S together, in which the two overlap.
 */
function refGate(env: PipelineEnvironment, refs: GithubSubject[]): string {
  return refs.map(subject => {
    const prefix = REF_PREFIX[subject.kind];
    const parts = wildcardParts(subject);
    if (parts.length === 1) return `github.ref == ${literal(prefix + parts[0])}`;
    if (parts.length > 2) {
      fail(`environment '${env.name}' subject`, subject.toString(),
        'has more than one \'*\', which a job condition cannot match exactly (GitHub expressions have no wildcard match); use a pattern with one \'*\'');
    }
    const [head, tail] = parts;
    if (tail === '') return `startsWith(github.ref, ${literal(prefix + head)})`;
    const terms = [`startsWith(github.ref, ${literal(prefix + head)})`, `endsWith(github.ref, ${literal(tail)})`];
    for (const overlap of overlaps(head, tail)) terms.push(`github.ref != ${literal(prefix + overlap)}`);
    return `(${terms.join(' && ')})`;
  }).join(' || ');
}

/** The names that start with `head` and end with `tail` but are too short to hold both apart. */
function overlaps(head: string, tail: string): string[] {
  const found: string[] = [];
  for (let length = Math.max(head.length, tail.length, 1); length < head.length + tail.length; length++) {
    const name = head + tail.slice(head.length + tail.length - length);
    if (name.length === length && name.startsWith(head) && name.endsWith(tail)) found.push(name);
  }
  return found;
}

/** A string literal of GitHub's expression language. */
function literal(value: string): string {
  return `'${value.replace(/'/g, '\'\'')}'`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

// ---------------------------------------------------------------------------------------------
// Jobs

function renderJob(job: JobPlan, opts: ResolvedOptions): Record<string, unknown> {
  const env = job.env;
  const repository = repositoryName(env);
  const rendered: Record<string, unknown> = { name: `Push the ${env.name} image` };
  // A job with no branch or tag is started only by hand; the deployment environment's rules gate it.
  rendered.if = job.refs.length > 0 ? refGate(env, job.refs) : 'github.event_name == \'workflow_dispatch\'';
  if (job.reusableWorkflow !== undefined) return renderCallerJob(job, rendered, repository);
  rendered['runs-on'] = opts.runsOn;
  if (job.deploymentEnvironment !== undefined) rendered.environment = job.deploymentEnvironment;
  rendered.env = {
    ECR_REPOSITORY: repository ?? `\${{ vars.${env.repositoryVariable} }}`,
    IMAGE_TAG: '${{ github.sha }}',
    ...(opts.extraImageTag !== undefined ? { EXTRA_IMAGE_TAG: opts.extraImageTag } : {}),
  };
  const registry = `\${{ steps.${LOGIN_STEP_ID}.outputs.registry }}`;
  const tags = [`${registry}/\${{ env.ECR_REPOSITORY }}:\${{ env.IMAGE_TAG }}`];
  if (opts.extraImageTag !== undefined) tags.push(`${registry}/\${{ env.ECR_REPOSITORY }}:\${{ env.EXTRA_IMAGE_TAG }}`);
  // One scope per environment, so two environments' jobs never overwrite each other's cache.
  const cache = opts.layerCache
    ? { 'cache-from': `type=gha,scope=${env.name}`, 'cache-to': `type=gha,mode=max,scope=${env.name}` }
    : {};
  rendered.steps = [
    {
      name: 'Check out the repository',
      uses: opts.actions.checkout.ref,
      with: { 'persist-credentials': false },
    },
    {
      name: `Assume the ${env.name} role`,
      uses: opts.actions.configureAwsCredentials.ref,
      with: {
        'role-to-assume': roleArn(job.stack, env, job.region) ?? `\${{ vars.${env.roleArnVariable} }}`,
        'aws-region': job.region,
        ...(job.audience !== undefined ? { audience: job.audience } : {}),
      },
    },
    {
      name: 'Log in to Amazon ECR',
      id: LOGIN_STEP_ID,
      uses: opts.actions.amazonEcrLogin.ref,
    },
    {
      // The gha cache needs a BuildKit builder; the runner's default docker driver cannot export a cache.
      name: 'Set up Docker Buildx',
      uses: opts.actions.setupBuildx.ref,
    },
    {
      name: 'Build and push the image',
      uses: opts.actions.buildPush.ref,
      // Values are action inputs, never spliced into a shell script.
      with: {
        context: opts.buildContext,
        file: opts.dockerfile,
        push: true,
        tags: tags.join('\n'),
        // One plain manifest per SHA: with an attestation, ECR would hold an index whose untagged
        // attestation manifest the untagged-image lifecycle rule could expire.
        provenance: false,
        ...cache,
      },
    },
  ];
  return rendered;
}

/**
 * A job that calls the central reusable workflow, which assumes the role and pushes. Its
 * job_workflow_ref is the central file's, which the roles pin. A calling job cannot set
 * `environment:`; the central workflow's job does, from the `environment` input.
 */
function renderCallerJob(job: JobPlan, rendered: Record<string, unknown>, repository: string | undefined): Record<string, unknown> {
  const env = job.env;
  rendered.uses = job.reusableWorkflow!._uses();
  rendered.with = {
    'role-to-assume': roleArn(job.stack, env, job.region) ?? `\${{ vars.${env.roleArnVariable} }}`,
    'aws-region': job.region,
    'ecr-repository': repository ?? `\${{ vars.${env.repositoryVariable} }}`,
    ...(job.deploymentEnvironment !== undefined ? { environment: job.deploymentEnvironment } : {}),
    ...(job.audience !== undefined ? { audience: job.audience } : {}),
  };
  return rendered;
}

/** The repository's name when it is known at synth time. */
function repositoryName(env: PipelineEnvironment): string | undefined {
  const cfn = env.repository.node.defaultChild;
  if (cfn instanceof ecr.CfnRepository && isLiteral(cfn.repositoryName)) return cfn.repositoryName;
  if (isLiteral(env.repository.repositoryName)) return env.repository.repositoryName;
  return undefined;
}

/** The role's ARN when the account, the partition and the role's name are known at synth time. */
function roleArn(stack: Stack, env: PipelineEnvironment, region: string): string | undefined {
  const cfn = env.role.node.defaultChild;
  if (!(cfn instanceof iam.CfnRole) || !isLiteral(cfn.roleName) || !isLiteral(stack.account)) return undefined;
  const path = cfn.path ?? '/';
  if (!isLiteral(path)) return undefined;
  const partition = isLiteral(stack.partition) ? stack.partition : RegionInfo.get(region).partition;
  if (partition === undefined) return undefined;
  return `arn:${partition}:iam::${stack.account}:role${path}${cfn.roleName}`;
}

function isLiteral(value: string | undefined): value is string {
  return typeof value === 'string' && !Token.isUnresolved(value);
}

// ---------------------------------------------------------------------------------------------
// Presentation

const YAML11_WORDS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** Release comments beside pinned commits, and quotes where a YAML 1.1 reader would see a boolean. */
function annotate(doc: Document, opts: ResolvedOptions): void {
  const comments = new Map<string, string | undefined>(
    Object.values(opts.actions).map(action => [action.ref, action.comment]),
  );
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value)) {
        const comment = comments.get(String(pair.value.value));
        if (comment !== undefined) pair.value.comment = comment;
      }
    },
    Scalar(key, node) {
      if (key !== 'key' && typeof node.value === 'string' && YAML11_WORDS.test(node.value)) {
        node.type = Scalar.QUOTE_SINGLE;
      }
    },
  });
}
