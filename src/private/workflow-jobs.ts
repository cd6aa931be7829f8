import { Document, Scalar, isPair, isScalar, stringify, visit } from 'yaml';
import type { DEFAULT_ACTIONS } from './actions';
import { SupplyChainPlan, attestationSteps } from './supply-chain';
import { BUILD_STEP_ID, BuildSecrets, JobPermissions, LOGIN_STEP_ID } from './workflow-extras';

/*
 * The jobs of the generated workflow, from plain data: what each environment's job needs (its
 * gate, role, repository, region) and the options, checked and with their defaults filled in.
 * Then the workflow as YAML, with the release beside each pinned action.
 */

/** The step that reads whether the commit's image is already pushed. */
const EXISTING_STEP_ID = 'existing';

/** The options, checked, with their defaults filled in. */
export interface ResolvedOptions {
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
  readonly buildSecrets: BuildSecrets;
  readonly preBuildSteps: Record<string, unknown>[];
  readonly permissions?: JobPermissions;
  readonly platforms: string[];
  readonly timeoutMinutes: number;
  readonly supplyChain: SupplyChainPlan;
}

/** A `uses:` value and the comment that goes beside it. */
export interface Uses {
  readonly ref: string;
  readonly comment?: string;
}

/** The job that reads which images' paths a push changed. */
export const CHANGES_JOB_ID = 'changes';

/** The step of the `changes` job that runs the paths filter. */
const FILTER_STEP_ID = 'filter';

/** What one environment's job (or one image's job in it) needs. */
export interface Job {
  /** The job's id, and the scope of its layer cache and concurrency group. */
  readonly id: string;
  /** The environment's name. */
  readonly name: string;
  /** The image the job builds, with the pipeline's `images`. */
  readonly image?: string;
  /** The image's Dockerfile and build context; the options' without images. */
  readonly dockerfile?: string;
  readonly buildContext?: string;
  /** The job this one waits for: the `changes` job, when the image has paths. */
  readonly needs?: string;
  /** The job's `if:`. */
  readonly condition: string;
  /** The deployment environment the job targets, if its role trusts one. */
  readonly deploymentEnvironment?: string;
  /** The role ARN, or the expression that reads it from a GitHub Actions variable. */
  readonly roleToAssume: string;
  /** The repository's name, or the expression that reads it from a GitHub Actions variable. */
  readonly ecrRepository: string;
  /** The region of the repository. */
  readonly region: string;
  /** The audience configure-aws-credentials asks for, when not its default. */
  readonly audience?: string;
  /** The `uses:` of the central reusable workflow the job calls, if any. */
  readonly calls?: string;
  readonly runsOn: string | string[];
}

/** The workflow as YAML, under a header comment. */
export function toYaml(workflow: Record<string, unknown>, header: string, opts: ResolvedOptions): string {
  // Each job's own copy of shared values: GitHub's parser reads YAML aliases, actionlint does not.
  const doc = new Document(workflow, { aliasDuplicateObjects: false });
  doc.commentBefore = header;
  annotate(doc, opts);
  return doc.toString({ lineWidth: 0, indent: 2, indentSeq: true });
}

// ---------------------------------------------------------------------------------------------
// Jobs

/** One environment's job, rendered into the workflow's `jobs`. */
export function renderJob(job: Job, opts: ResolvedOptions): Record<string, unknown> {
  const rendered: Record<string, unknown> = { name: job.image === undefined ? `Push the ${job.name} image` : `Push the ${job.image} image to ${job.name}` };
  if (job.needs !== undefined) rendered.needs = job.needs;
  rendered.if = job.condition;
  if (job.calls !== undefined) return renderCallerJob(job, rendered);
  rendered['runs-on'] = job.runsOn;
  rendered['timeout-minutes'] = opts.timeoutMinutes;
  // A moving tag must not be moved by two runs at once, or an older commit may win; one at a time.
  if (opts.extraImageTag !== undefined) rendered.concurrency = { 'group': `cdk-github-oidc-ecr-${job.id}`, 'cancel-in-progress': false };
  if (job.deploymentEnvironment !== undefined) rendered.environment = job.deploymentEnvironment;
  // A job's permissions replace the workflow's, so they repeat id-token and contents.
  if (opts.permissions !== undefined) rendered.permissions = { ...opts.permissions.permissions };
  const registry = `\${{ steps.${LOGIN_STEP_ID}.outputs.registry }}`;
  const image = `${registry}/\${{ env.ECR_REPOSITORY }}:\${{ env.IMAGE_TAG }}`;
  // A re-run of a commit whose image is already pushed builds nothing, and reports that image's digest.
  const digest = `\${{ steps.${BUILD_STEP_ID}.outputs.digest || steps.${EXISTING_STEP_ID}.outputs.digest }}`;
  const notPushed = `steps.${EXISTING_STEP_ID}.outputs.digest == ''`;
  // For a later job (`needs: JOB`), e.g. a deploy of exactly this image.
  rendered.outputs = { image, digest };
  rendered.env = {
    ECR_REPOSITORY: job.ecrRepository,
    IMAGE_TAG: '${{ github.sha }}',
    ...(opts.extraImageTag !== undefined ? { EXTRA_IMAGE_TAG: opts.extraImageTag } : {}),
  };
  const tags = [image];
  if (opts.extraImageTag !== undefined) tags.push(extraImage(registry));
  const secrets = opts.buildSecrets;
  // One cache scope per job (and platform), so two jobs never overwrite each other's cache.
  const buildStep = (name: string, id: string, platform: string | undefined, pushed: string[], scope: string) => ({
    name,
    id,
    if: notPushed,
    uses: opts.actions.buildPush.ref,
    // Secrets reach BuildKit through the step's environment, as references, never as values.
    ...(secrets.secretEnvs.length > 0 ? { env: { ...secrets.env } } : {}),
    // Values are action inputs, never spliced into a shell script.
    with: {
      context: job.buildContext ?? opts.buildContext,
      file: job.dockerfile ?? opts.dockerfile,
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
      name: `Assume the ${job.name} role`,
      uses: opts.actions.configureAwsCredentials.ref,
      with: {
        'role-to-assume': job.roleToAssume,
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
        [`${image}-${platformSuffix(platform)}`], `${job.id}-${platformSuffix(platform)}`)), indexStep(opts, registry, image)]
      : [buildStep('Build and push the image', BUILD_STEP_ID, opts.platforms[0], tags, job.id)]),
    // Supply chain: attest the pushed digest.
    ...attestationSteps({
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
      env: { ENVIRONMENT: job.name, IMAGE: image, DIGEST: digest },
      shell: 'bash',
      run: SUMMARY_SCRIPT,
    },
  ];
  return rendered;
}

/**
 * The job that reads which images' paths the push changed, one output per image with paths. It
 * only reads the repository: `contents: read` and nothing else, so it can never request an OIDC
 * token. Its checkout keeps the read-only token, with which the filter fetches the commit before
 * the push; it runs no step but these two pinned actions.
 */
export function renderChangesJob(
  images: ReadonlyArray<{ readonly name: string; readonly paths?: string[] }>, opts: ResolvedOptions,
): Record<string, unknown> {
  return {
    'name': 'Detect the images whose paths changed',
    'runs-on': opts.runsOn,
    'timeout-minutes': opts.timeoutMinutes,
    'permissions': { contents: 'read' },
    'outputs': Object.fromEntries(images.map(image => [image.name, `\${{ steps.${FILTER_STEP_ID}.outputs.${image.name} }}`])),
    'steps': [
      {
        name: 'Check out the repository',
        uses: opts.actions.checkout.ref,
      },
      {
        name: 'Compare with the branch\'s previous commit',
        id: FILTER_STEP_ID,
        uses: opts.actions.pathsFilter.ref,
        with: {
          // The pushed branch itself: the filter then compares with the commit before the push.
          base: '${{ github.ref }}',
          filters: stringify(Object.fromEntries(images.map(image => [image.name, image.paths])), { lineWidth: 0 }),
        },
      },
    ],
  };
}

function extraImage(registry: string): string {
  return `${registry}/\${{ env.ECR_REPOSITORY }}:\${{ env.EXTRA_IMAGE_TAG }}`;
}

/** `linux/arm/v7` as a tag suffix and step id part: `linux-arm-v7`. */
function platformSuffix(platform: string): string {
  return platform.replace(/\//g, '-');
}

export function platformBuildStepId(platform: string): string {
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
function renderCallerJob(job: Job, rendered: Record<string, unknown>): Record<string, unknown> {
  rendered.uses = job.calls;
  rendered.with = {
    'role-to-assume': job.roleToAssume,
    'aws-region': job.region,
    'ecr-repository': job.ecrRepository,
    ...(job.deploymentEnvironment !== undefined ? { environment: job.deploymentEnvironment } : {}),
    ...(job.audience !== undefined ? { audience: job.audience } : {}),
  };
  return rendered;
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
      const value = pair.value;
      // Only a Scalar has a comment written beside it. The document is made from a JavaScript
      // object, so a 'uses:' value or a job's permission level is always a Scalar.
      // Stryker disable next-line ConditionalExpression: equivalent for 'false': the comments below go only beside a 'uses:' value or a job's permission level, which are Scalars (above); the line's 'true' mutant drops every comment, which test/workflow-jobs.test.ts pins
      if (!isScalar(value)) return;
      const key = scalarValue(pair.key);
      if (key === 'uses') {
        const comment = comments.get(String(value.value));
        // Stryker disable next-line ConditionalExpression: equivalent for 'true': a Scalar made from a JavaScript value has no comment, so writing undefined changes nothing; 'false' drops every release comment, which test/workflow-jobs.test.ts pins
        if (comment !== undefined) value.comment = comment;
      }
      // A reason beside each extra permission of a job (jobs > JOB > permissions > SCOPE).
      const owner = path[path.length - 2];
      if (path.length === 8 && isPair(owner) && scalarValue(owner.key) === 'permissions') {
        const reason = reasons[String(key)];
        if (reason !== undefined) value.comment = ` ${reason}`;
      }
    },
    Scalar(key, node) {
      // Only a string can be one of the words: a number, boolean or null reads as '1', 'true' or 'null'.
      if (key !== 'key' && YAML11_WORDS.test(String(node.value))) node.type = Scalar.QUOTE_SINGLE;
    },
  });
}

/** A key's value. Every key is a Scalar: the document is made from a JavaScript object, whose keys are strings. */
function scalarValue(node: unknown): unknown {
  // Stryker disable next-line ConditionalExpression: equivalent for 'true': every key it is given is a Scalar (above); 'false' loses every key, so no comment is written, which test/workflow-jobs.test.ts pins
  return isScalar(node) ? node.value : undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
