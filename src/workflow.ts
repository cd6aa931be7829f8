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
   * `v5.0.0`. A major tag such as `v5` moves, so it is refused.
   *
   * @default - commit 08c6903cd8c0fde910a37f88322edcfb5dd907a8, release v5.0.0
   */
  readonly checkoutVersion?: string;

  /**
   * The version of `aws-actions/configure-aws-credentials`: a 40-character commit SHA or a full
   * release tag such as `v5.0.0`.
   *
   * @default - commit a03048d87541d1d9fcf2ecf528a4a65ba9bd7838, release v5.0.0
   */
  readonly configureAwsCredentialsVersion?: string;

  /**
   * The version of `aws-actions/amazon-ecr-login`: a 40-character commit SHA or a full release
   * tag such as `v2.0.1`.
   *
   * @default - commit 062b18b96a7aff071d4dc91bc00c4c1a7945b076, release v2.0.1
   */
  readonly amazonEcrLoginVersion?: string;

  /**
   * The version of `docker/setup-buildx-action`: a 40-character commit SHA or a full release tag
   * such as `v3.11.1`.
   *
   * @default - commit e468171a9de216ec08956ac3ada2f0791b6bd435, release v3.11.1
   */
  readonly setupBuildxVersion?: string;

  /**
   * The version of `docker/build-push-action`: a 40-character commit SHA or a full release tag
   * such as `v6.18.0`.
   *
   * @default - commit 263435318d21b8e681c14492fe198d362a7d2c83, release v6.18.0
   */
  readonly buildPushVersion?: string;

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
   * The runner label of every job (`runs-on`).
   *
   * @default 'ubuntu-latest'
   */
  readonly runsOn?: string;

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
}
