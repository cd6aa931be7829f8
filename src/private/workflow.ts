import { Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Document, Scalar, isPair, isScalar, visit } from 'yaml';
import { DEFAULT_ACTIONS, PinnedAction, VERSION_OPTIONS } from './actions';
import * as supply from './supply-chain';
import { wildcardMatches } from './text';
import { audienceOfPartition, stsAudience } from './trust';
import { fail } from './validation';
import * as extras from './workflow-extras';
import { BUILD_STEP_ID, LOGIN_STEP_ID, checkText } from './workflow-extras';

const EXISTING_STEP_ID = 'existing';
const DEFAULT_JOB_TIMEOUT_MINUTES = 30;
import { applyPatches } from './workflow-patch';
import type { PipelineEnvironment } from '../environment';
import type { GithubReusableWorkflow } from '../reusable-workflow';
import { GithubSubject, GithubSubjectKind } from '../subject';
import type { WorkflowOptions } from '../workflow';

export const DEFAULT_FILE_NAME = 'push-image-to-ecr.yml';
const DEFAULT_WORKFLOW_NAME = 'Push image to ECR';

/** What the renderer needs from the pipeline. */
export interface WorkflowSource {
  readonly stack: Stack;
  /** The pipeline's construct path, named in the header comment. */
  readonly path: string;
  readonly environments: PipelineEnvironment[];
  /** The central workflow the jobs call, when the pipeline trusts one. */
  readonly reusableWorkflow?: GithubReusableWorkflow;
  /** Supply chain: whether the pipeline's issuer is GitHub Enterprise Server, which has no artifact attestations. */
  readonly enterpriseServer?: boolean;
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
  readonly runsOn: string | string[];
  readonly workflowDispatch: boolean;
  readonly buildArgs: string[];
  readonly buildSecrets: extras.BuildSecrets;
  readonly preBuildSteps: Record<string, unknown>[];
  readonly permissions?: extras.JobPermissions;
  readonly platforms: string[];
  readonly timeoutMinutes: number;
  readonly supplyChain: supply.SupplyChainPlan;
}

/** A `uses:` value and the comment that goes beside it. */
interface Uses {
  readonly ref: string;
  readonly comment?: string;
}

/** The file name the workflow is written to. */
export function workflowFileName(options: WorkflowOptions = {}, property: string = 'fileName'): string {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  checkOption(property, fileName);
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
  const opts = resolveOptions(options, sources.some(source => source.enterpriseServer === true));
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
  if (opts.platforms.length > 1) {
    for (const job of jobs) checkIndexLifecycle(job.env, options.platforms!);
  }
  if (jobs.some(job => job.reusableWorkflow !== undefined)) checkCallerOptions(options);
  // Supply chain: attestations are untagged referrers, which no lifecycle rule may expire before their image.
  for (const job of jobs.filter(j => j.reusableWorkflow === undefined)) {
    if (opts.supplyChain.provenance) supply.checkReferrerLifecycle(job.env, 'supplyChain.disableProvenance', options.supplyChain?.disableProvenance, 'the provenance attestations the workflow pushes');
    if (opts.supplyChain.sbom) supply.checkReferrerLifecycle(job.env, 'supplyChain.sbom', true, 'the SBOM attestations the workflow pushes');
  }
  const paths = sources.map(source => source.path);
  const runners = environmentRunners(options.environmentRunsOn, jobs);

  const workflow = applyPatches({
    name: opts.workflowName,
    on: triggers(jobs, opts.workflowDispatch),
    permissions: { ...extras.BASE_PERMISSIONS },
    jobs: Object.fromEntries(jobs.map(job => [job.env.name, renderJob(job, opts, runners.get(job.env.name) ?? opts.runsOn)])),
  }, options.patches);
  // Each job's own copy of shared values: GitHub's parser reads YAML aliases, actionlint does not.
  const doc = new Document(workflow, { aliasDuplicateObjects: false });
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

function resolveOptions(options: WorkflowOptions, enterpriseServer: boolean): ResolvedOptions {
  const fileName = workflowFileName(options);
  const workflowName = options.workflowName ?? DEFAULT_WORKFLOW_NAME;
  checkOption('workflowName', workflowName);
  const runsOn = extras.runner('runsOn', options.runsOn ?? 'ubuntu-latest');
  const platforms = extras.platformList(options.platforms);
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  checkOption('dockerfile', dockerfile);
  const buildContext = options.buildContext ?? '.';
  checkOption('buildContext', buildContext);
  if (options.extraImageTag !== undefined) {
    checkOption('extraImageTag', options.extraImageTag);
    supply.checkRemovalTag(options.extraImageTag);
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
      checkout: pin('checkout', options.checkoutVersion),
      configureAwsCredentials: pin('configureAwsCredentials', options.configureAwsCredentialsVersion),
      amazonEcrLogin: pin('amazonEcrLogin', options.amazonEcrLoginVersion),
      setupBuildx: pin('setupBuildx', options.setupBuildxVersion),
      buildPush: pin('buildPush', options.buildPushVersion),
      setupQemu: pin('setupQemu', options.setupQemuVersion),
      attest: pin('attest', options.supplyChain?.attestVersion),
      sbom: pin('sbom', options.supplyChain?.sbomActionVersion),
    },
    layerCache: !checkBoolean('disableLayerCache', options.disableLayerCache),
    runsOn,
    workflowDispatch: checkBoolean('workflowDispatch', options.workflowDispatch),
    buildArgs: extras.buildArgLines(options.buildArgs),
    buildSecrets: extras.buildSecrets(options.buildSecrets),
    preBuildSteps: extras.preBuildSteps(options.preBuildSteps, platforms.map(platformBuildStepId)),
    platforms,
    timeoutMinutes: jobTimeout(options.jobTimeoutMinutes),
    ...withSupplyChain(options, enterpriseServer),
  };
}

/** Supply chain: the attestation plan, and the job permissions with what it needs. */
function withSupplyChain(options: WorkflowOptions, enterpriseServer: boolean): Pick<ResolvedOptions, 'supplyChain' | 'permissions'> {
  const supplyChain = supply.resolveSupplyChain(options.supplyChain, enterpriseServer);
  const permissions = supply.withAttestationPermission(extras.jobPermissions(options.extraPermissions), supplyChain, extras.BASE_PERMISSIONS);
  return { supplyChain, permissions };
}

/** GitHub-hosted runners stop a job after 360 minutes; a hung build should stop well before. */
function jobTimeout(value: number | undefined): number {
  if (value === undefined) return DEFAULT_JOB_TIMEOUT_MINUTES;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 360) {
    fail('jobTimeoutMinutes', value, 'must be a whole number of minutes from 1 to 360 (the longest a GitHub-hosted runner runs a job)');
  }
  return value;
}

/** A job that calls the central workflow has no runner, steps or build of its own to add to. */
function checkCallerOptions(options: WorkflowOptions): void {
  const given = (['preBuildSteps', 'buildArgs', 'buildSecrets', 'platforms', 'environmentRunsOn', 'extraPermissions', 'supplyChain'] as const)
    .find(key => options[key] !== undefined);
  if (given !== undefined) {
    const value = options[given];
    fail(given, typeof value === 'string' ? value : JSON.stringify(value), 'cannot be combined with reusableWorkflow: its jobs call the central workflow, whose job runs the steps and builds the image; give it there');
  }
}

/** environmentRunsOn, checked against the environments that get a job. */
function environmentRunners(value: unknown, jobs: JobPlan[]): Map<string, string | string[]> {
  const runners = new Map<string, string | string[]>();
  if (value === undefined) return runners;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('environmentRunsOn', value, 'must be a map of environment names to runner labels');
  const names = jobs.map(job => job.env.name);
  for (const [name, labels] of Object.entries(value)) {
    if (!names.includes(name)) {
      fail('environmentRunsOn', name, `must name environments that get a job (${names.map(n => `'${n}'`).join(', ')}); an environment that trusts only pull requests gets none`);
    }
    runners.set(name, extras.runner(`environmentRunsOn.${name}`, labels));
  }
  return runners;
}

function checkBoolean(property: string, value: boolean | undefined): boolean {
  if (value !== undefined && typeof value !== 'boolean') fail(property, value, 'must be true or false');
  return value ?? false;
}

/** A text option the workflow writes as it is: one line, and no `${{`, which GitHub would evaluate. */
function checkOption(property: string, value: unknown): asserts value is string {
  checkText(property, value);
  if (value.includes('${{')) fail(property, value, 'must not contain \'${{\': GitHub would evaluate it as an expression in the workflow');
}

function resolveRegion(stack: Stack, given: string | undefined, several: boolean): string {
  const stackRegion = Token.isUnresolved(stack.region) ? undefined : stack.region;
  if (given === undefined) {
    if (stackRegion === undefined) {
      fail('awsRegion', given, `must be given to renderWorkflow() when the stack's region is not known at synth time (stack '${stack.stackName}' has no env.region)`);
    }
    return stackRegion;
  }
  checkOption('awsRegion', given);
  if (!/^[a-z]{2,4}(?:-[a-z]+)+-[0-9]+$/.test(given)) fail('awsRegion', given, 'must be an AWS region such as \'ap-northeast-1\'');
  // With several stacks, awsRegion is the region of those whose region is not known at synth time.
  if (stackRegion !== undefined && several) return stackRegion;
  if (stackRegion !== undefined && stackRegion !== given) {
    fail('awsRegion', given, `must be the stack's region '${stackRegion}', where the repositories are`);
  }
  return given;
}

/** The default action, or the version its option gives. */
function pin(key: keyof typeof DEFAULT_ACTIONS, version: string | undefined): Uses {
  const action: PinnedAction = DEFAULT_ACTIONS[key];
  const property = VERSION_OPTIONS[key];
  if (version === undefined) return { ref: `${action.repository}@${action.commit}`, comment: ` ${action.release}` };
  checkOption(property, version);
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
  const excluded = filters.some(pattern => wildcardMatches(pattern, tag));
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

/**
 * An image index references one manifest per platform. They are tagged, so a rule that expires
 * untagged images leaves them; a rule that selects tagged images could expire one that a kept index
 * still references, as the count or age of each manifest is its own.
 */
function checkIndexLifecycle(env: PipelineEnvironment, platforms: string): void {
  const cfn = env.repository.node.defaultChild;
  if (!(cfn instanceof ecr.CfnRepository)) return;
  const policy = Stack.of(cfn).resolve(cfn.lifecyclePolicy);
  const text = policy?.lifecyclePolicyText;
  if (typeof text !== 'string') return;
  const rules: any[] = JSON.parse(text).rules ?? [];
  // Supply chain: the default rule selects only images tagged for removal, never a platform's image.
  const risky = rules.find(rule => rule.selection?.tagStatus !== 'untagged' && !supply.isRemovalRule(rule));
  if (risky !== undefined) {
    fail('platforms', platforms,
      `needs repositories whose lifecycle rules select only untagged images, because each platform's image is its own tagged manifest that a rule on tagged images could expire while the index that references it is kept; environment '${env.name}' has rule ${risky.rulePriority} ('${risky.description ?? ''}') on ${risky.selection?.tagStatus} images (give lifecycleRules without it and no maxImageCount, or build one platform)`);
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

function renderJob(job: JobPlan, opts: ResolvedOptions, runsOn: string | string[]): Record<string, unknown> {
  const env = job.env;
  const repository = repositoryName(env);
  const rendered: Record<string, unknown> = { name: `Push the ${env.name} image` };
  // A job with no branch or tag is started only by hand; the deployment environment's rules gate it.
  rendered.if = job.refs.length > 0 ? refGate(env, job.refs) : 'github.event_name == \'workflow_dispatch\'';
  if (job.reusableWorkflow !== undefined) return renderCallerJob(job, rendered, repository);
  rendered['runs-on'] = runsOn;
  rendered['timeout-minutes'] = opts.timeoutMinutes;
  // A moving tag must not be moved by two runs at once, or an older commit may win; one at a time.
  if (opts.extraImageTag !== undefined) rendered.concurrency = { 'group': `cdk-github-oidc-ecr-${env.name}`, 'cancel-in-progress': false };
  if (job.deploymentEnvironment !== undefined) rendered.environment = job.deploymentEnvironment;
  // A job's permissions replace the workflow's, so they repeat id-token and contents.
  if (opts.permissions !== undefined) rendered.permissions = { ...opts.permissions.permissions };
  const registry = `\${{ steps.${LOGIN_STEP_ID}.outputs.registry }}`;
  const image = `${registry}/\${{ env.ECR_REPOSITORY }}:\${{ env.IMAGE_TAG }}`;
  // A re-run of a commit whose image is already pushed builds nothing, and reports that image's digest.
  const digest = `\${{ steps.${BUILD_STEP_ID}.outputs.digest || steps.${EXISTING_STEP_ID}.outputs.digest }}`;
  const notPushed = `steps.${EXISTING_STEP_ID}.outputs.digest == ''`;
  // For a later job (`needs: ENVIRONMENT`), e.g. a deploy of exactly this image.
  rendered.outputs = { image, digest };
  rendered.env = {
    ECR_REPOSITORY: repository ?? `\${{ vars.${env.repositoryVariable} }}`,
    IMAGE_TAG: '${{ github.sha }}',
    ...(opts.extraImageTag !== undefined ? { EXTRA_IMAGE_TAG: opts.extraImageTag } : {}),
  };
  const tags = [image];
  if (opts.extraImageTag !== undefined) tags.push(extraImage(registry));
  const secrets = opts.buildSecrets;
  // One cache scope per environment (and platform), so two jobs never overwrite each other's cache.
  const buildStep = (name: string, id: string, platform: string | undefined, pushed: string[], scope: string) => ({
    name,
    id,
    if: notPushed,
    uses: opts.actions.buildPush.ref,
    // Secrets reach BuildKit through the step's environment, as references, never as values.
    ...(secrets.secretEnvs.length > 0 ? { env: { ...secrets.env } } : {}),
    // Values are action inputs, never spliced into a shell script.
    with: {
      context: opts.buildContext,
      file: opts.dockerfile,
      ...(platform !== undefined ? { platforms: platform } : {}),
      push: true,
      tags: pushed.join('\n'),
      // BuildKit's provenance is unsigned and turns the image into an index; the job attests the
      // pushed digest with a signed GitHub attestation instead (supplyChain), or not at all.
      provenance: false,
      ...(opts.buildArgs.length > 0 ? { 'build-args': opts.buildArgs.join('\n') } : {}),
      ...(secrets.secretEnvs.length > 0 ? { 'secret-envs': secrets.secretEnvs.join('\n') } : {}),
      ...(opts.layerCache ? { 'cache-from': `type=gha,scope=${scope}`, 'cache-to': `type=gha,mode=max,scope=${scope}` } : {}),
    },
  });
  rendered.steps = [
    {
      name: 'Check out the repository',
      uses: opts.actions.checkout.ref,
      with: { 'persist-credentials': false },
    },
    // Before the role is assumed, so tests and other checks run without AWS credentials.
    ...opts.preBuildSteps.map(step => ({ ...step })),
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
      // Tags are immutable, so pushing the same commit again would fail: a re-run skips the build.
      name: 'Check whether this commit\'s image is already pushed',
      id: EXISTING_STEP_ID,
      shell: 'bash',
      run: EXISTING_SCRIPT,
    },
    ...(opts.platforms.length > 0 ? [{
      // BuildKit runs the other architectures' instructions under QEMU.
      name: 'Set up QEMU',
      uses: opts.actions.setupQemu.ref,
      with: { platforms: unique(opts.platforms.map(p => p.split('/')[1])).join(',') },
    }] : []),
    {
      // The gha cache needs a BuildKit builder; the runner's default docker driver cannot export a cache.
      name: 'Set up Docker Buildx',
      uses: opts.actions.setupBuildx.ref,
    },
    ...(opts.platforms.length > 1
      ? [...opts.platforms.map(platform => buildStep(`Build and push the ${platform} image`, platformBuildStepId(platform), platform,
        [`${image}-${platformSuffix(platform)}`], `${env.name}-${platformSuffix(platform)}`)), indexStep(opts, registry, image)]
      : [buildStep('Build and push the image', BUILD_STEP_ID, opts.platforms[0], tags, env.name)]),
    // Supply chain: attest the pushed digest.
    ...supply.attestationSteps({
      plan: opts.supplyChain,
      attest: opts.actions.attest.ref,
      sbomAction: opts.actions.sbom.ref,
      imageName: `${registry}/\${{ env.ECR_REPOSITORY }}`,
      digest: `\${{ steps.${BUILD_STEP_ID}.outputs.digest }}`,
      platformDigests: opts.platforms.length > 1
        ? opts.platforms.map(platform => ({ platform, digest: `\${{ steps.${platformBuildStepId(platform)}.outputs.digest }}` }))
        : [],
      built: notPushed,
    }),
    {
      name: 'Write the job summary',
      // The values reach the script as variables, never spliced into it.
      env: { ENVIRONMENT: env.name, IMAGE: image, DIGEST: digest },
      shell: 'bash',
      run: SUMMARY_SCRIPT,
    },
  ];
  return rendered;
}

function extraImage(registry: string): string {
  return `${registry}/\${{ env.ECR_REPOSITORY }}:\${{ env.EXTRA_IMAGE_TAG }}`;
}

/** `linux/arm/v7` as a tag suffix and step id part: `linux-arm-v7`. */
function platformSuffix(platform: string): string {
  return platform.replace(/\//g, '-');
}

function platformBuildStepId(platform: string): string {
  return `${BUILD_STEP_ID}-${platformSuffix(platform)}`;
}

/** The image index of the platforms' images, tagged with the commit SHA, and its digest as the output. */
function indexStep(opts: ResolvedOptions, registry: string, image: string): Record<string, unknown> {
  const sources = opts.platforms.map(platform => `${registry}/\${{ env.ECR_REPOSITORY }}@\${{ steps.${platformBuildStepId(platform)}.outputs.digest }}`);
  const variables: Record<string, string> = { IMAGE: image };
  if (opts.extraImageTag !== undefined) variables.EXTRA_IMAGE = extraImage(registry);
  sources.forEach((source, i) => variables[`SOURCE_${i + 1}`] = source);
  const tags = opts.extraImageTag !== undefined ? '--tag "$IMAGE" --tag "$EXTRA_IMAGE"' : '--tag "$IMAGE"';
  return {
    name: 'Push the image index',
    id: BUILD_STEP_ID,
    if: `steps.${EXISTING_STEP_ID}.outputs.digest == ''`,
    // The values reach the script as variables, never spliced into it.
    env: variables,
    shell: 'bash',
    run: [
      `docker buildx imagetools create ${tags} ${sources.map((_, i) => `"$SOURCE_${i + 1}"`).join(' ')}`,
      'digest=$(docker buildx imagetools inspect "$IMAGE" --format \'{{.Manifest.Digest}}\')',
      'echo "digest=$digest" >> "$GITHUB_OUTPUT"',
      '',
    ].join('\n'),
  };
}

/**
 * The digest of the image already tagged with this commit, or nothing: DescribeImages on the job's
 * own repository, the one read the role has beyond push and pull. Any error means "not pushed",
 * so the push runs and fails as it would have.
 */
const EXISTING_SCRIPT = [
  'digest=$(aws ecr describe-images --repository-name "$ECR_REPOSITORY" --image-ids imageTag="$IMAGE_TAG" \\',
  '  --query \'imageDetails[0].imageDigest\' --output text 2>/dev/null || true)',
  'case "$digest" in sha256:*) echo "digest=$digest" >> "$GITHUB_OUTPUT" ;; esac',
  '',
].join('\n');

/** The summary: a table of the environment, the image and its digest. */
const SUMMARY_SCRIPT = [
  '{',
  '  echo \'### Pushed the image\'',
  '  echo',
  '  echo \'| Environment | Image | Digest |\'',
  '  echo \'| --- | --- | --- |\'',
  '  printf \'| %s | `%s` | `%s` |\\n\' "$ENVIRONMENT" "$IMAGE" "$DIGEST"',
  '} >> "$GITHUB_STEP_SUMMARY"',
  '',
].join('\n');

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
  const reasons = opts.permissions?.reasons ?? {};
  visit(doc, {
    Pair(_, pair, path) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value)) {
        const comment = comments.get(String(pair.value.value));
        if (comment !== undefined) pair.value.comment = comment;
      }
      // A reason beside each extra permission of a job (jobs > JOB > permissions > SCOPE).
      const owner = path[path.length - 2];
      if (isPair(pair) && isScalar(pair.key) && isScalar(pair.value) && path.length === 8 && isPair(owner)
        && isScalar(owner.key) && owner.key.value === 'permissions') {
        const reason = reasons[String(pair.key.value)];
        if (reason !== undefined) pair.value.comment = ` ${reason}`;
      }
    },
    Scalar(key, node) {
      if (key !== 'key' && typeof node.value === 'string' && YAML11_WORDS.test(node.value)) {
        node.type = Scalar.QUOTE_SINGLE;
      }
    },
  });
}
