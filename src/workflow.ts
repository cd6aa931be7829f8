import type { SupplyChainOptions } from './supply-chain';
import { WorkflowPatch } from './workflow-patch';

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
   * `file`).
   *
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;

  /**
   * The build context, relative to the root of the GitHub repository (build-push-action's
   * `context`).
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
