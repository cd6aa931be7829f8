import { Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { ImagePlan } from './image';
import type { GithubIssuer } from './issuer';
import { DEFAULT_ACTIONS, PinnedAction, VERSION_OPTIONS } from './private/actions';
import { GITHUB_ACTIONS_AUDIENCE } from './private/constants';
import { DISPATCH_GATE, TrustedRef, changedGate, pushFilters, refGate } from './private/expressions';
import { wildcardMatches } from './private/glob';
import { githubVariableSuffix, imageJobId } from './private/names';
import * as supply from './private/supply-chain';
import { TrustedClaim, audienceOfPartition, firstOverlap } from './private/trust';
import { checkType } from './private/types';
import { fail } from './private/validation';
import * as extras from './private/workflow-extras';
import { checkText } from './private/workflow-extras';
import { CHANGES_JOB_ID, Job, ResolvedOptions, Uses, platformBuildStepId, renderChangesJob, renderJob, toYaml } from './private/workflow-jobs';
import { writeWorkflowFile } from './private/write';
import type { GithubReusableWorkflow } from './reusable-workflow';
import { GithubSubject, GithubSubjectKind } from './subject';
import type { SupplyChainOptions } from './supply-chain';
import { WorkflowPatch, applyPatches } from './workflow-patch';

/**
 * Options of the GitHub Actions workflow that `GithubOidcEcrPipeline.renderWorkflow()` writes.
 *
 * The workflow runs on `push` to the environments' branches and tags, with one job per
 * environment. Each job assumes its environment's role, logs in to ECR, and builds and pushes the
 * image tagged with the commit SHA with `docker/build-push-action`, reusing layers from the
 * GitHub Actions cache.
 */
export interface WorkflowOptions {
  /**
   * The workflow's name, as GitHub shows it in the Actions tab.
   *
   * @default 'Push image to ECR'
   */
  readonly workflowName?: string;

  /**
   * The workflow's file name in `.github/workflows/`. It ends in `.yml` or `.yaml`.
   *
   * @default 'push-image-to-ecr.yml'
   */
  readonly fileName?: string;

  /**
   * The AWS region of the repositories, given to configure-aws-credentials.
   *
   * @default - the stack's region; required when the stack's region is not known at synth time
   */
  readonly awsRegion?: string;

  /**
   * Path of the Dockerfile, relative to the root of the GitHub repository (build-push-action's
   * `file`). With the pipeline's `images`, each image gives its own.
   *
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;

  /**
   * The build context, relative to the root of the GitHub repository (build-push-action's
   * `context`). With the pipeline's `images`, each image gives its own.
   *
   * @default '.'
   */
  readonly buildContext?: string;

  /**
   * A second tag pushed with every image, besides the commit SHA, e.g. `latest`.
   *
   * The tag is moved by every push, so in the environments' repositories it must be mutable:
   * list it in the environment's `mutableTags` (SHA tags stay immutable), or make every tag
   * mutable with `imageTagMutability: ecr.TagMutability.MUTABLE`. Rendering fails if a
   * repository the pipeline created would refuse to move it.
   *
   * @default - images are tagged with the commit SHA only
   */
  readonly extraImageTag?: string;

  /**
   * The version of `actions/checkout`: a 40-character commit SHA or a full release tag such as
   * `v7.0.1`. A major tag such as `v7` moves, so it is refused.
   *
   * @default - commit 3d3c42e5aac5ba805825da76410c181273ba90b1, release v7.0.1
   */
  readonly checkoutVersion?: string;

  /**
   * The version of `aws-actions/configure-aws-credentials`: a 40-character commit SHA or a full
   * release tag such as `v6.2.3`.
   *
   * @default - commit e6de054238d6b7531b4efff3b6587d9aade6a06c, release v6.2.3
   */
  readonly configureAwsCredentialsVersion?: string;

  /**
   * The version of `aws-actions/amazon-ecr-login`: a 40-character commit SHA or a full release
   * tag such as `v2.1.7`.
   *
   * @default - commit 03f1aad4c6c7ffd436567f42f9384779290529bd, release v2.1.7
   */
  readonly amazonEcrLoginVersion?: string;

  /**
   * The version of `docker/setup-buildx-action`: a 40-character commit SHA or a full release tag
   * such as `v4.3.0`.
   *
   * @default - commit 37fe631027851001ddb9b187196cc803df7f5f0e, release v4.3.0
   */
  readonly setupBuildxVersion?: string;

  /**
   * The version of `docker/build-push-action`: a 40-character commit SHA or a full release tag
   * such as `v7.3.0`.
   *
   * @default - commit 53b7df96c91f9c12dcc8a07bcb9ccacbed38856a, release v7.3.0
   */
  readonly buildPushVersion?: string;

  /**
   * The version of `docker/setup-qemu-action`, which jobs use when `platforms` is given: a 40-character
   * commit SHA or a full release tag such as `v4.2.0`.
   *
   * @default - commit 96fe6ef7f33517b61c61be40b68a1882f3264fb8, release v4.2.0
   */
  readonly setupQemuVersion?: string;

  /**
   * The version of `dorny/paths-filter`, which the `changes` job uses when an image of the
   * pipeline's `images` has `paths`: a 40-character commit SHA or a full release tag such as
   * `v4.0.2`.
   *
   * @default - commit 7b450fff21473bca461d4b92ce414b9d0420d706, release v4.0.2
   */
  readonly pathsFilterVersion?: string;

  /**
   * The platforms to build, separated by commas, e.g. `'linux/amd64,linux/arm64'`.
   *
   * With one platform, the job builds and pushes it as usual. With several, each job sets up
   * QEMU, builds each platform in turn and pushes it tagged `SHA-OS-ARCH` (e.g.
   * `SHA-linux-arm64`), then pushes an image index tagged with the commit SHA that references
   * them. Every manifest the index references is tagged, so a lifecycle rule that expires
   * untagged images never removes one; a repository the pipeline created with a rule that
   * expires tagged images is refused.
   *
   * @default - the runner's platform
   */
  readonly platforms?: string;

  /**
   * Turn off the GitHub Actions layer cache.
   *
   * The cache is on by default: each job reads and writes its image's layers with
   * `cache-from: type=gha,scope=ENVIRONMENT` and `cache-to: type=gha,mode=max,scope=ENVIRONMENT`,
   * so an unchanged layer is restored from the cache instead of being built again. Set this to
   * `true` to build every layer from scratch on every run, for example when the repository's
   * Actions cache is needed for something else.
   *
   * @default false
   */
  readonly disableLayerCache?: boolean;

  /**
   * The runner of every job (`runs-on`): one label, or several separated by commas, all of which
   * the runner must have (e.g. `'self-hosted, linux, arm64'`).
   *
   * @default 'ubuntu-latest'
   */
  readonly runsOn?: string;

  /**
   * The runner of some environments' jobs, by environment name, in the form of `runsOn`; the
   * other jobs run on `runsOn`. For example `{ prod: 'ubuntu-24.04-arm' }`.
   *
   * @default - every job runs on `runsOn`
   */
  readonly environmentRunsOn?: { [environment: string]: string };

  /**
   * Build arguments (build-push-action's `build-args`), by name. Values are written into the
   * workflow and end up in the image's history, so a secret belongs in `buildSecrets`: a value
   * that reads the `secrets` context is refused. For example
   * `{ NODE_VERSION: '22', GIT_SHA: '${{ github.sha }}' }`.
   *
   * @default - no build arguments
   */
  readonly buildArgs?: { [name: string]: string };

  /**
   * Build secrets, from GitHub Actions secrets: the key is the secret's id in the Dockerfile
   * (`RUN --mount=type=secret,id=KEY`), the value the name of the GitHub secret. The workflow
   * holds only the reference `${{ secrets.NAME }}`, handed to BuildKit through an environment
   * variable of the build step (build-push-action's `secret-envs`), never the value; the secret
   * is not stored in the image. For example `{ npmrc: 'NPM_TOKEN' }`.
   *
   * @default - no build secrets
   */
  readonly buildSecrets?: { [id: string]: string };

  /**
   * Steps each job runs after checking out the repository and before it assumes the role and
   * builds, e.g. the tests. A job stops at the first step that fails, so a failing test pushes
   * nothing.
   *
   * The steps run without AWS credentials, but in a job that may request an OIDC token
   * (`id-token: write` is the workflow's), so give them only actions and scripts you trust.
   *
   * @default - no steps before the build
   */
  readonly preBuildSteps?: WorkflowStep[];

  /**
   * Permissions of the `GITHUB_TOKEN` that steps need beyond `id-token: write` and
   * `contents: read`, e.g. `packages: read` for a base image in GitHub Packages. Each job then
   * lists its permissions itself. A `write` needs a `reason`, which is written beside it.
   *
   * @default - only `id-token: write` and `contents: read`
   */
  readonly extraPermissions?: WorkflowPermission[];

  /**
   * Changes to the rendered workflow, for what no option covers, applied in order to the
   * workflow as an object before it is written as YAML. The patched workflow must keep every
   * rule of the generated one: the same triggers, workflow permissions and job conditions and
   * deployment environments (so each job still runs exactly on the refs its role trusts), no
   * `pull_request` or `pull_request_target` trigger, no write permission other than
   * `id-token` beyond `extraPermissions`, no expression inside a `run:` script, and no
   * unresolved CDK token.
   *
   * @default - the workflow as rendered
   */
  readonly patches?: WorkflowPatch[];

  /**
   * How long a job may run before GitHub cancels it (`timeout-minutes`), from 1 to 360.
   *
   * @default 30
   */
  readonly jobTimeoutMinutes?: number;

  /**
   * Whether the workflow can also be started by hand (`workflow_dispatch`). A dispatched run
   * still runs only the jobs whose branches or tags include the ref it was started on.
   *
   * An environment that trusts deployment environments but no branch or tag gets a job that runs
   * only when the workflow is dispatched, so such an environment needs this option.
   *
   * @default false
   */
  readonly workflowDispatch?: boolean;

  // Supply chain (src/supply-chain.ts).
  /**
   * What each job attests about the image it pushed: a signed build provenance attestation (on
   * unless `disableProvenance`), and an SBOM attestation (`sbom`), stored in GitHub's attestation
   * store and in the repository as referrers of the image's digest. See `SupplyChainOptions`.
   *
   * @default - build provenance attested, no SBOM
   */
  readonly supplyChain?: SupplyChainOptions;
}

/**
 * A step of the workflow's jobs: a shell script (`run`) or an action (`uses`), not both.
 */
export interface WorkflowStep {
  /**
   * The step's name, as GitHub shows it in the job's log.
   */
  readonly name: string;

  /**
   * The step's id, for later steps to read its outputs (`steps.ID.outputs`). The generated
   * steps' ids (`login-ecr`, `build`) are taken.
   *
   * @default - no id
   */
  readonly id?: string;

  /**
   * A shell script. It may not contain an expression (`${{ ... }}`): a value spliced into a
   * script can inject commands, so pass values through `env` and read them as variables.
   *
   * @default - give `run` or `uses`
   */
  readonly run?: string;

  /**
   * The shell of `run`.
   *
   * @default - GitHub's default: bash on Linux and macOS runners
   */
  readonly shell?: string;

  /**
   * The directory `run` starts in, relative to the checkout.
   *
   * @default - the root of the checkout
   */
  readonly workingDirectory?: string;

  /**
   * An action: `OWNER/REPO[/PATH]@REF` with a 40-character commit SHA or a full release tag as
   * `REF` (a major tag such as `v4` moves, so it is refused), or a local action `./PATH`.
   *
   * @default - give `run` or `uses`
   */
  readonly uses?: string;

  /**
   * The action's inputs.
   *
   * @default - no inputs
   */
  readonly with?: { [input: string]: string };

  /**
   * Environment variables of the step. Values may be expressions, e.g.
   * `${{ secrets.TEST_TOKEN }}`.
   *
   * @default - no variables
   */
  readonly env?: { [name: string]: string };
}

/**
 * A permission of the `GITHUB_TOKEN` that a step needs, beyond the workflow's own.
 */
export interface WorkflowPermission {
  /**
   * The permission's scope, e.g. `packages`, `contents` or `pull-requests`. `id-token` is
   * always `write` and cannot be given.
   */
  readonly scope: string;

  /**
   * `read` or `write`.
   */
  readonly access: string;

  /**
   * Why a step needs it, written beside the permission in the workflow. Required for `write`:
   * the workflow's only write is otherwise `id-token`.
   *
   * @default - none; refused for `write`
   */
  readonly reason?: string;
}

// ---------------------------------------------------------------------------------------------
// What the renderer reads: plain data from each pipeline and environment, taken when it renders

/** What the workflow needs from one pipeline. */
export interface WorkflowSource {
  /** The pipeline's construct path, named in the header comment and in errors. */
  readonly path: string;
  /** The stack's name, for errors. */
  readonly stackName: string;
  /** The stack's region, when it is a literal. */
  readonly stackRegion?: string;
  /** The STS audience the pipeline's roles trust. */
  readonly audience: string;
  /** The GitHub repository, as `owner/repo`. */
  readonly githubRepository: string;
  readonly issuer: GithubIssuer;
  /** The workflow file the roles' trust is pinned to, if any. */
  readonly pinWorkflowFile?: string;
  /** The central workflow the jobs call, when the pipeline trusts one. */
  readonly reusableWorkflow?: GithubReusableWorkflow;
  /** Every `sub` value the roles trust, for the checks across pipelines. */
  readonly trusted: TrustedClaim[];
  readonly environments: WorkflowEnvironment[];
  /** The pipeline's images, when it has `images`; each environment has one repository for each. */
  readonly images?: ImagePlan[];
}

/** What a job needs from the repository it pushes to. */
export interface WorkflowRepository {
  /** The repository's name, when it is a literal. */
  readonly repositoryName?: string;
  /** The tag mutability of a repository defined in this app (created or passed in); none for an imported one. */
  readonly tags?: { readonly mutability?: string; readonly exclusions: string[] };
  /** The lifecycle rules of a repository defined in this app, as its lifecycle policy holds them. */
  readonly lifecycleRules?: LifecycleRule[];
}

/** One image's repository in an environment. */
export interface WorkflowImageRepository extends WorkflowRepository {
  /** The image's name. */
  readonly image: string;
  /** The GitHub Actions variable the job reads the repository name from, when it is not a literal. */
  readonly repositoryVariable: string;
}

/** What one environment's job needs; the repository is its only one, or with images the first. */
export interface WorkflowEnvironment extends WorkflowRepository {
  /** The environment's name, the job's id. */
  readonly name: string;
  /** The branch and tag subjects: they gate the job and make the push trigger. */
  readonly refs: GithubSubject[];
  /** The deployment environments the role trusts; the job targets the first. */
  readonly deploymentEnvironments: string[];
  /** The GitHub Actions variables the job reads the role ARN and repository name from, when they are not literals. */
  readonly roleArnVariable: string;
  readonly repositoryVariable: string;
  /** The role's account, path and name, when all three are literals, and the stack's partition when it is one. */
  readonly role?: { readonly account: string; readonly path: string; readonly name: string; readonly partition?: string };
  /** One repository per image of the pipeline's `images`, in their order; none without images. */
  readonly images?: WorkflowImageRepository[];
}

/** A rule of a repository's lifecycle policy, as ECR reads it. */
export interface LifecycleRule {
  readonly rulePriority?: number;
  readonly description?: string;
  readonly selection?: {
    readonly tagStatus?: string;
    readonly countType?: string;
    readonly tagPrefixList?: string[];
    readonly tagPatternList?: string[];
  };
}

// ---------------------------------------------------------------------------------------------
// Entry points: one pipeline, or several of one GitHub repository

export const DEFAULT_FILE_NAME = 'push-image-to-ecr.yml';
const DEFAULT_WORKFLOW_NAME = 'Push image to ECR';
const DEFAULT_JOB_TIMEOUT_MINUTES = 30;

/** The workflow of the pipelines, as YAML, written under the pinned file name if the roles pin one. */
export function renderPipelinesWorkflow(sources: WorkflowSource[], options: WorkflowOptions = {}): string {
  return renderWorkflow(sources, pinnedOptions(sources, options));
}

/** Write the workflow of the pipelines into `directory`; returns the absolute path of the file. */
export function writePipelinesWorkflow(sources: WorkflowSource[], directory: string, options: WorkflowOptions = {}): string {
  const content = renderPipelinesWorkflow(sources, options);
  return writeWorkflowFile(directory, workflowFileName(pinnedOptions(sources, options)), content);
}

/** One workflow lives in one GitHub repository, and its jobs and variables are named after the environments. */
export function checkCombinable(sources: WorkflowSource[]): void {
  const [first] = sources;
  const environments = new Map<string, string>();
  sources.forEach((source, i) => {
    if (sources.indexOf(source) !== i) fail(`pipelines[${i}]`, source.path, `must be listed once; pipelines[${sources.indexOf(source)}] is the same`);
    if (source.githubRepository.toLowerCase() !== first.githubRepository.toLowerCase()) {
      fail(`pipelines[${i}].githubRepository`, source.githubRepository, `must be the GitHub repository of pipelines[0] ('${first.githubRepository}'), because one workflow runs in one repository`);
    }
    if (source.githubRepository !== first.githubRepository) {
      fail(`pipelines[${i}].githubRepository`, source.githubRepository, `must be spelled exactly as in pipelines[0] ('${first.githubRepository}'): GitHub's sub carries one spelling, and IAM compares case-sensitively, so one of the two roles would refuse every token`);
    }
    if (source.issuer.hostPath !== first.issuer.hostPath) {
      fail(`pipelines[${i}].issuer`, source.issuer.url, `must be the issuer of pipelines[0] ('${first.issuer.url}'), because one workflow runs on one GitHub`);
    }
    source.environments.forEach((env, j) => {
      const variable = githubVariableSuffix(env.name);
      const other = environments.get(variable);
      if (other !== undefined) {
        fail(`pipelines[${i}].environments[${j}].name`, env.name, `must be unique across the pipelines, because it names the job and the GitHub variables (after '-' becomes '_'); ${other} is the same`);
      }
      environments.set(variable, `pipelines[${i}].environments[${j}] (${source.path})`);
    });
    // The workflow runs every job whose role trusts the run: two pipelines must not share one.
    sources.slice(0, i).forEach((earlier, k) => {
      const clash = firstOverlap(source.trusted, earlier.trusted);
      if (clash) {
        fail(`pipelines[${i}].${clash.mine.path}`, clash.mine.subject, `overlaps ${clash.theirs.subject} of pipelines[${k}].${clash.theirs.path} (${earlier.path}): both roles would admit ${clash.example}, so one run would push to two environments`);
      }
    });
  });
}

/** With pinned pipelines, the workflow is written under the pinned file name and no other. */
function pinnedOptions(sources: WorkflowSource[], options: WorkflowOptions): WorkflowOptions {
  checkType('options', options, 'object', false);
  const pinned = [...new Set(sources.map(p => p.pinWorkflowFile).filter((f): f is string => f !== undefined))];
  if (pinned.length === 0) return options;
  if (pinned.length > 1 || pinned.length !== new Set(sources.map(p => p.pinWorkflowFile)).size) {
    fail('pinWorkflowFile', sources.map(p => p.pinWorkflowFile ?? null), 'must be the same for every pipeline of one workflow, since they share its file');
  }
  if (options.fileName !== undefined && options.fileName !== pinned[0]) {
    fail('fileName', options.fileName, `must be '${pinned[0]}', the file the roles' trust is pinned to (pinWorkflowFile)`);
  }
  return { ...options, fileName: pinned[0] };
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

// ---------------------------------------------------------------------------------------------
// The renderer

/**
 * Render the workflow: one push job per environment that has branches, tags or a deployment
 * environment, over the environments of one or more pipelines (in one or more stacks and accounts).
 */
function renderWorkflow(sources: WorkflowSource[], options: WorkflowOptions): string {
  // Supply chain: GitHub Enterprise Server has no artifact attestations. The pipelines of one
  // workflow have one issuer (checkCombinable), so the first one's is every one's.
  const opts = resolveOptions(options, sources[0].issuer._kind === 'enterprise-server');
  const images = sharedImages(sources, options);
  const regions = new Map(sources.map(source => [source, resolveRegion(source, options.awsRegion, sources.length > 1)]));
  const planned = sources.flatMap(source => source.environments.map(env => planJob(env, source, regions.get(source)!)))
    .filter((job): job is JobPlan => job !== undefined);
  const jobs = images === undefined ? planned : imageJobs(planned, images);
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
    if (opts.supplyChain.provenance) supply.checkReferrerLifecycle(job.env.name, job.env.lifecycleRules, 'supplyChain.disableProvenance', options.supplyChain?.disableProvenance, 'the provenance attestations the workflow pushes');
    if (opts.supplyChain.sbom) supply.checkReferrerLifecycle(job.env.name, job.env.lifecycleRules, 'supplyChain.sbom', true, 'the SBOM attestations the workflow pushes');
  }
  const paths = sources.map(source => source.path);
  const runners = environmentRunners(options.environmentRunsOn, jobs);
  const filtered = images?.filter(image => image.paths !== undefined) ?? [];

  const workflow = applyPatches({
    name: opts.workflowName,
    on: triggers(jobs, opts.workflowDispatch, images),
    permissions: { ...extras.BASE_PERMISSIONS },
    jobs: Object.fromEntries([
      ...(filtered.length > 0 ? [[CHANGES_JOB_ID, renderChangesJob(filtered, opts)] as const] : []),
      ...jobs.map(job => [job.id, renderJob(jobOf(job, runners.get(job.env.name) ?? opts.runsOn), opts)] as const),
    ]),
  }, options.patches);
  return toYaml(workflow, [
    ` Generated by cdk-github-oidc-ecr from ${paths.join(', ')}; regenerate it instead of editing it.`,
    ' Each job assumes its environment\'s role through GitHub\'s OIDC provider and pushes the image',
    ' tagged with the commit SHA. It runs on push, never on pull_request: a pull_request run\'s token',
    ' has the sub repo:OWNER/REPO:pull_request, which the branch-scoped roles refuse.',
  ].join('\n'), opts);
}

interface JobPlan {
  /** The job's id: the environment's name, or with images `${environment}-${image}`. */
  readonly id: string;
  /** The environment, with the repository of the job's image in place of its first one. */
  readonly env: WorkflowEnvironment;
  /** The image the job builds, with the pipeline's `images`. */
  readonly image?: ImagePlan;
  /** The region of the environment's repository. */
  readonly region: string;
  /** The audience configure-aws-credentials asks for, when not its default `sts.amazonaws.com`. */
  readonly audience?: string;
  /** The branches and tags, which gate the job and make the push trigger. */
  readonly refs: TrustedRef[];
  /** The deployment environment the job targets, if the role trusts one. */
  readonly deploymentEnvironment?: string;
  readonly reusableWorkflow?: GithubReusableWorkflow;
}

function planJob(env: WorkflowEnvironment, source: WorkflowSource, region: string): JobPlan | undefined {
  const deploymentEnvironment = env.deploymentEnvironments[0];
  if (env.refs.length === 0 && deploymentEnvironment === undefined) return undefined;
  for (const value of [...env.refs.map(subject => subject.value), ...env.deploymentEnvironments]) {
    if (Token.isUnresolved(value)) {
      fail(`environment '${env.name}' subject`, value, 'must be a literal to be rendered into the workflow, not a token');
    }
  }
  // The roles trust the audience of the stack's partition; the job must ask for that one.
  const trusted = source.audience;
  const wanted = audienceOfPartition(RegionInfo.get(region).partition);
  if (trusted !== wanted) {
    fail('awsRegion', region, `is in a partition whose STS audience is '${wanted}', but stack '${source.stackName}' has no literal region, so its roles trust '${trusted}'; give the stack env.region '${region}'`);
  }
  const refs = env.refs.map((subject): TrustedRef => ({
    kind: subject.kind === GithubSubjectKind.BRANCH ? 'branch' : 'tag',
    name: subject.value!,
    gitRef: subject.gitRef!,
    pattern: subject.isPattern,
    shown: subject.toString(),
  }));
  // The trusted audience is the wanted one (above); only a partition's own audience is asked for.
  const audience = wanted !== GITHUB_ACTIONS_AUDIENCE ? wanted : undefined;
  return { id: env.name, env, region, refs, deploymentEnvironment, reusableWorkflow: source.reusableWorkflow, audience };
}

/** A job of an image of the pipelines' `images`. */
interface ImageJobPlan extends JobPlan {
  readonly image: ImagePlan;
}

/**
 * With images, one job per image of each environment, each with the environment's gate and the
 * image's repository. Each environment has one repository per image, in the images' order.
 */
function imageJobs(jobs: JobPlan[], images: ImagePlan[]): ImageJobPlan[] {
  const imageJobPlans = jobs.flatMap(job => images.map((image): ImageJobPlan => {
    const { image: _, ...own } = job.env.images!.find(r => r.image === image.name)!;
    return { ...job, id: imageJobId(job.env.name, image.name), image, env: { ...job.env, ...own } };
  }));
  checkJobNames(imageJobPlans);
  return imageJobPlans;
}

/**
 * The pipelines of one workflow build the same images: the paths filter and the push paths are
 * the workflow's, and an image's jobs need the same Dockerfile in every environment.
 */
function sharedImages(sources: WorkflowSource[], options: WorkflowOptions): ImagePlan[] | undefined {
  const [first] = sources;
  sources.forEach((source, i) => {
    if (JSON.stringify(source.images) !== JSON.stringify(first.images)) {
      fail(`pipelines[${i}].images`, (source.images ?? []).map(image => image.name),
        `must be the images of pipelines[0] (${(first.images ?? []).map(image => `'${image.name}'`).join(', ') || 'none'}), with the same Dockerfiles, build contexts and paths: one workflow builds one set of images`);
    }
  });
  if (first.images !== undefined) {
    for (const key of ['dockerfile', 'buildContext'] as const) {
      if (options[key] !== undefined) {
        fail(key, options[key], `cannot be given when the pipeline has images: each image gives its own (images[].${key})`);
      }
    }
  }
  return first.images;
}

/**
 * Job ids and repository variables are made of environment and image names, so two pairs can
 * make the same one (environment 'a-b' with image 'c', environment 'a' with image 'b-c'). Each
 * pipeline checks its own pairs; this checks the pairs of different pipelines. Without images,
 * a job's id and variables are its environment's name, unique across the pipelines (checkCombinable).
 */
function checkJobNames(jobs: ImageJobPlan[]): void {
  const ids = new Map<string, ImageJobPlan>();
  const variables = new Map<string, ImageJobPlan>();
  const shown = (job: ImageJobPlan) => `environment '${job.env.name}' with image '${job.image.name}'`;
  for (const job of jobs) {
    const sameId = ids.get(job.id);
    if (sameId) fail('environments and images', job.id, `must give each job its own id, but ${shown(sameId)} and ${shown(job)} both make it; rename an environment or an image`);
    ids.set(job.id, job);
    const sameVariable = variables.get(job.env.repositoryVariable);
    if (sameVariable) {
      fail('environments and images', job.env.repositoryVariable, `must give each repository its own GitHub variable, but ${shown(sameVariable)} and ${shown(job)} both make it; rename an environment or an image`);
    }
    variables.set(job.env.repositoryVariable, job);
  }
}

/** What the job renderer needs: the gate, and the role and repository as literals or variables. */
function jobOf(job: JobPlan, runsOn: string | string[]): Job {
  const { env, image } = job;
  // A job with no branch or tag is started only by hand; the deployment environment's rules gate it.
  const gate = job.refs.length > 0 ? refGate(job.refs, `environment '${env.name}' subject`) : DISPATCH_GATE;
  return {
    id: job.id,
    name: env.name,
    image: image?.name,
    dockerfile: image?.dockerfile,
    buildContext: image?.buildContext,
    needs: image?.paths !== undefined ? CHANGES_JOB_ID : undefined,
    condition: image?.paths !== undefined ? changedGate(gate, CHANGES_JOB_ID, image.name) : gate,
    deploymentEnvironment: job.deploymentEnvironment,
    roleToAssume: roleArn(env, job.region) ?? `\${{ vars.${env.roleArnVariable} }}`,
    ecrRepository: env.repositoryName ?? `\${{ vars.${env.repositoryVariable} }}`,
    region: job.region,
    audience: job.audience,
    calls: job.reusableWorkflow?._uses(),
    runsOn,
  };
}

/** The role's ARN when the account, the partition and the role's name are known at synth time. */
function roleArn(env: WorkflowEnvironment, region: string): string | undefined {
  if (env.role === undefined) return undefined;
  const partition = env.role.partition ?? RegionInfo.get(region).partition;
  if (partition === undefined) return undefined;
  return `arn:${partition}:iam::${env.role.account}:role${env.role.path}${env.role.name}`;
}

function triggers(jobs: JobPlan[], workflowDispatch: boolean, images: ImagePlan[] | undefined): Record<string, unknown> {
  const { branches, tags } = pushFilters(jobs.flatMap(job => job.refs));
  const on: Record<string, unknown> = {};
  if (branches.length > 0 || tags.length > 0) {
    const push: Record<string, string[]> = {};
    if (branches.length > 0) push.branches = branches;
    if (tags.length > 0) push.tags = tags;
    // When every image has paths, a push that changes none of them starts nothing. GitHub does
    // not evaluate path filters for tag pushes, so a tag push still builds every image.
    if (images !== undefined && images.every(image => image.paths !== undefined)) {
      push.paths = [...new Set(images.flatMap(image => image.paths!))];
    }
    on.push = push;
  }
  if (workflowDispatch) on.workflow_dispatch = {};
  return on;
}

// ---------------------------------------------------------------------------------------------
// Options

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
      pathsFilter: pin('pathsFilter', options.pathsFilterVersion),
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
  // Number.isInteger is false for anything that is not a number.
  if (!Number.isInteger(value) || value < 1 || value > 360) {
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

function resolveRegion(source: WorkflowSource, given: string | undefined, several: boolean): string {
  const stackRegion = source.stackRegion;
  if (given === undefined) {
    if (stackRegion === undefined) {
      fail('awsRegion', given, `must be given to renderWorkflow() when the stack's region is not known at synth time (stack '${source.stackName}' has no env.region)`);
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
function checkMutableTags(env: WorkflowEnvironment, tag: string): void {
  if (env.tags === undefined) return;
  const { mutability, exclusions: filters } = env.tags;
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
function checkIndexLifecycle(env: WorkflowEnvironment, platforms: string): void {
  // Supply chain: the default rule selects only images tagged for removal, never a platform's image.
  const risky = (env.lifecycleRules ?? []).find(rule => rule.selection?.tagStatus !== 'untagged' && !supply.isRemovalRule(rule));
  if (risky !== undefined) {
    fail('platforms', platforms,
      `needs repositories whose lifecycle rules select only untagged images, because each platform's image is its own tagged manifest that a rule on tagged images could expire while the index that references it is kept; environment '${env.name}' has rule ${risky.rulePriority} ('${risky.description ?? ''}') ${risky.selection?.tagStatus === undefined ? 'with no selection.tagStatus' : `on ${risky.selection.tagStatus} images`} (give lifecycleRules without it and no maxImageCount, or build one platform)`);
  }
}
