import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as signer from 'aws-cdk-lib/aws-signer';
import { Construct, IConstruct } from 'constructs';
import { EnvironmentPlan, PipelineEnvironment, PipelineEnvironmentProps, WARNING_ORDER } from './environment';
import { TokenClaims, TrustExplanation, explainRoles } from './explain';
import { ImagePlan, PipelineImage, planImages } from './image';
import { GithubIssuer } from './issuer';
import { globsOverlap, wildcardMatches } from './private/glob';
import { stackLimitProblems } from './private/limits';
import { environmentConstructId, githubVariableSuffix, imageJobId, imageRepositoryVariable } from './private/names';
import {
  DERIVABLE_CLAIM_KEYS, DEFAULT_CLAIM_KEYS, REPOSITORY_PROPERTY_KEY, TrustContext, TrustedClaim, VARYING_CLAIM_KEYS,
  firstOverlap, githubTrustContext, runClaims, stsAudience,
} from './private/trust';
import { checkArray, checkInstance, checkType } from './private/types';
import * as v from './private/validation';
import { GithubActionsOidcProvider } from './provider';
import { GithubReusableWorkflow } from './reusable-workflow';
import { checkSigning } from './signing-configuration';
import { WorkflowOptions, WorkflowSource, checkCombinable, renderPipelinesWorkflow, workflowFileName, writePipelinesWorkflow } from './workflow';

/**
 * Properties of a `GithubOidcEcrPipeline`.
 */
export interface GithubOidcEcrPipelineProps {
  /**
   * The GitHub repository whose workflows push images, as `owner/repo`.
   *
   * @example 'octo-org/octo-repo'
   */
  readonly githubRepository: string;

  /**
   * The environments, each with its own role, repository and trusted subjects. At least one.
   */
  readonly environments: PipelineEnvironmentProps[];

  /**
   * The GitHub Actions OIDC provider the roles trust.
   *
   * @default - the stack's `GithubActionsOidcProvider`, created by the first pipeline in the stack and shared by the rest
   */
  readonly provider?: iam.IOidcProvider;

  /**
   * Who issues the tokens: github.com, a GitHub Enterprise Server host or a GitHub Enterprise
   * Cloud enterprise. It sets the prefix of the trust condition keys and, when `provider` is not
   * given, the URL of the stack's shared provider (one per issuer).
   *
   * @default GithubIssuer.githubCom()
   */
  readonly issuer?: GithubIssuer;

  /**
   * Prefix of the default ECR repository names, `${repositoryPrefix}-${environment}`.
   *
   * @default - the GitHub repository name, in lower case
   */
  readonly repositoryPrefix?: string;

  /**
   * GitHub's numeric ID of the repository owner. With `githubRepositoryId`, the roles also accept
   * GitHub's immutable subject form, `repo:OWNER@OWNERID/REPO@REPOID:...`.
   *
   * @default - owner not pinned by ID
   */
  readonly githubOwnerId?: string;

  /**
   * GitHub's numeric ID of the repository. With `githubOwnerId`, the trust policy pins the
   * `repository_id` claim, so a deleted and re-created repository of the same name is refused.
   *
   * @default - repository not pinned by ID
   */
  readonly githubRepositoryId?: string;

  /**
   * Pin each role's trust to this workflow file: the trust policy then also requires
   * `job_workflow_ref` to be `OWNER/REPO/.github/workflows/FILE@REF` for one of the environment's
   * branches or tags, so another workflow file on the same branch (one added in a pull request
   * and merged, say) cannot push. `renderWorkflow()` writes the workflow under this name.
   *
   * STS has validated the `job_workflow_ref` claim since early 2026. Every environment must then
   * trust at least one branch or tag, and no pattern or pull request: the pin uses `StringEquals`
   * and no wildcard.
   *
   * @default - not pinned: any workflow file on a trusted branch can push
   */
  readonly pinWorkflowFile?: string;

  /**
   * The claim keys of the repository's OIDC subject template, in order, when the repository or
   * its organization customizes the `sub` claim (GitHub's `include_claim_keys`). Every trust
   * condition, the overlap checks and `explain` follow it. Apply it to the repository with the
   * body `subjectCustomizationBody()` returns.
   *
   * `['repo', 'context', 'ref']` binds a deployment environment to branches in the role itself:
   * the sub of a job with `environment: production` on `main` is then
   * `repo:OWNER/REPO:environment:production:ref:refs/heads/main`, so another workflow file or
   * branch that targets the environment is refused.
   *
   * @default ['repo', 'context'], GitHub's default template
   */
  readonly subjectClaimKeys?: string[];

  /**
   * A reusable workflow in a central repository that defines the jobs allowed to push. Every
   * role then also requires the token's `job_workflow_ref` to be that file at that ref, through
   * the condition key where AWS documents STS support for it, or through `job_workflow_ref` in
   * `subjectClaimKeys` otherwise. `renderWorkflow()` then writes jobs that call it.
   *
   * @default - no reusable workflow: the jobs are defined in the repository's own workflow
   */
  readonly reusableWorkflow?: GithubReusableWorkflow;

  /**
   * The images to build, e.g. the services of a monorepo, each with its own Dockerfile. Each
   * environment then gets one ECR repository per image, named
   * `${repositoryPrefix}-${image}-${environment}` (or as its `imageRepositoryNames` say), which
   * its one role may push to, and the workflow one job per image and environment, each gated on
   * the environment's branches and tags and, when the image has `paths`, on a change to them.
   *
   * @default - one image, from `Dockerfile` at the repository root (the workflow's
   * `dockerfile` and `buildContext`), pushed to one repository per environment
   */
  readonly images?: PipelineImage[];

  /**
   * Whether to add stack outputs for each role ARN and repository URI, from which the GitHub
   * Actions variables the workflow reads can be set.
   *
   * @default true
   */
  readonly outputs?: boolean;

  /**
   * Sign every image the environments' roles push, with ECR managed signing and this AWS Signer
   * profile (platform `Notation-OCI-SHA384-ECDSA`). ECR signs as the principal that pushes, so
   * each role may call `signer:SignPayload` on this profile and on no other. Which repositories
   * are signed is the registry's signing configuration, one per account and region: create it
   * with `EcrSigningConfiguration` (synth then checks that a rule signs each repository with this
   * profile), or manage it outside this app.
   *
   * @default - no signing permission; images are not signed on push
   */
  readonly signingProfile?: signer.ISigningProfile;
}

/**
 * Keyless, branch-scoped push access from a GitHub repository to Amazon ECR.
 *
 * For each environment, an IAM role that only that environment's branches (or other subjects) can
 * assume through GitHub's OIDC provider, and an ECR repository that only that role can push to.
 *
 * @example
 * const pipeline = new GithubOidcEcrPipeline(this, 'Pipeline', {
 *   githubRepository: 'octo-org/octo-repo',
 *   environments: [
 *     { name: 'dev', branches: ['dev'] },
 *     { name: 'prod', branches: ['main'] },
 *   ],
 * });
 */
export class GithubOidcEcrPipeline extends Construct {
  /**
   * One GitHub Actions workflow for pipelines in several stacks, e.g. one per AWS account: dev
   * in one account, prod in another. Each job assumes its own environment's role, in its own
   * account and region; role ARNs are written literally where the account, region and role name
   * are known at synth time, and read from GitHub Actions variables otherwise.
   *
   * The pipelines must serve the same GitHub repository and issuer, and their environment names
   * must be unique across all of them, because they name the jobs and the variables.
   *
   * @param pipelines the pipelines, in the order their jobs appear
   * @param options how the workflow builds the image; `awsRegion` is the region of the stacks
   * whose region is not known at synth time
   */
  public static renderMultiStackWorkflow(pipelines: GithubOidcEcrPipeline[], options: WorkflowOptions = {}): string {
    const sources = workflowSources(pipelines);
    checkCombinable(sources);
    return renderPipelinesWorkflow(sources, options);
  }

  /**
   * Write the workflow of `renderMultiStackWorkflow()` into a directory, creating it if needed,
   * as `writeWorkflow()` does (`.github/...` against the git root, no symbolic link followed).
   *
   * @param pipelines the pipelines, in the order their jobs appear
   * @param directory the directory to write the file to
   * @param options how the workflow builds the image, and its file name
   * @returns the absolute path of the file written
   */
  public static writeMultiStackWorkflow(pipelines: GithubOidcEcrPipeline[], directory: string, options: WorkflowOptions = {}): string {
    checkType('directory', directory, 'string', false);
    const sources = workflowSources(pipelines);
    checkCombinable(sources);
    return writePipelinesWorkflow(sources, directory, options);
  }

  /** The GitHub repository, as `owner/repo`. */
  public readonly githubRepository: string;

  /** The OIDC provider the roles trust. */
  public readonly provider: iam.IOidcProvider;

  /** Who issues the tokens the roles trust. */
  public readonly issuer: GithubIssuer;

  /** The environments, in the order given. */
  public readonly environments: PipelineEnvironment[];

  /**
   * The workflow file each role's trust is pinned to.
   *
   * @default - not pinned
   */
  public readonly pinWorkflowFile?: string;

  /** The claim keys of the `sub` template the roles trust, in order. */
  public readonly subjectClaimKeys: string[];

  /**
   * The reusable workflow whose jobs the roles trust.
   *
   * @default - none
   */
  public readonly reusableWorkflow?: GithubReusableWorkflow;

  /**
   * The images, checked, with their defaults; none without `images`.
   * @internal
   */
  public readonly _images?: ImagePlan[];

  /**
   * Every `sub` value the roles trust, for the checks across pipelines.
   * @internal
   */
  public readonly _trusted: TrustedClaim[];

  /**
   * Each environment's repository, by literal name or, where the name is a token, the object.
   * @internal
   */
  public readonly _repositoryKeys: Array<{ key: unknown; path: string }>;

  /** Whether this pipeline passed the checks across the pipelines of its stack. */
  private stackChecked = false;

  /** The checks of the whole stack this pipeline added. */
  private readonly stackValidations = new Set<StackCheck>();

  constructor(scope: Construct, id: string, props: GithubOidcEcrPipelineProps) {
    super(scope, id);
    checkPipelinePropTypes(props);
    const { owner, repo } = v.validateGithubRepository('githubRepository', props.githubRepository);
    this.githubRepository = props.githubRepository;
    v.validateNumericId('githubOwnerId', props.githubOwnerId);
    v.validateNumericId('githubRepositoryId', props.githubRepositoryId);
    if ((props.githubOwnerId === undefined) !== (props.githubRepositoryId === undefined)) {
      v.fail('githubOwnerId and githubRepositoryId', props.githubOwnerId ?? props.githubRepositoryId, 'must be given together (GitHub\'s immutable subject form names both)');
    }
    // checkPipelinePropTypes has refused anything but an array.
    if (props.environments.length === 0) {
      v.fail('environments', props.environments, 'must list at least one environment');
    }
    const prefixFromGithub = props.repositoryPrefix === undefined;
    const prefix = prefixFromGithub ? repo.toLowerCase() : v.validateEcrRepositoryPrefix('repositoryPrefix', props.repositoryPrefix!);

    this.issuer = props.issuer ?? GithubIssuer.githubCom();
    if (props.provider !== undefined) GithubActionsOidcProvider._checkPassedIn(props.provider, this.issuer, Stack.of(this));
    this.pinWorkflowFile = props.pinWorkflowFile === undefined ? undefined : workflowFileName({ fileName: props.pinWorkflowFile }, 'pinWorkflowFile');
    this.subjectClaimKeys = validateClaimKeys(props.subjectClaimKeys);
    if (props.reusableWorkflow !== undefined && !(props.reusableWorkflow instanceof GithubReusableWorkflow)) {
      v.fail('reusableWorkflow', props.reusableWorkflow, 'must be a GithubReusableWorkflow, e.g. GithubReusableWorkflow.fromReference(\'octo-org/ci/.github/workflows/build.yml@refs/tags/v1\')');
    }
    if (props.reusableWorkflow !== undefined && props.pinWorkflowFile !== undefined) {
      v.fail('pinWorkflowFile', props.pinWorkflowFile, 'cannot be combined with reusableWorkflow: a job defined in a reusable workflow carries the reusable workflow\'s job_workflow_ref, not the calling file\'s');
    }
    this.reusableWorkflow = props.reusableWorkflow;
    this._images = planImages(props.images);
    if (this._images !== undefined && props.reusableWorkflow !== undefined) {
      v.fail('images', this._images.map(image => image.name), 'cannot be combined with reusableWorkflow: its jobs call the central workflow, which builds the image from its own Dockerfile');
    }
    const trust = githubTrustContext({
      stack: Stack.of(this),
      issuer: { kind: this.issuer._kind, hostPath: this.issuer.hostPath },
      owner,
      repo,
      ownerId: props.githubOwnerId,
      repositoryId: props.githubRepositoryId,
      claimKeys: this.subjectClaimKeys,
      workflowFile: props.pinWorkflowFile,
      reusableWorkflowRef: props.reusableWorkflow?.reference,
    });
    checkWorkflowRefPinnable(trust, this.issuer, props.pinWorkflowFile !== undefined ? 'pinWorkflowFile' : 'reusableWorkflow', props.pinWorkflowFile ?? props.reusableWorkflow?.reference);
    const context = { prefix, prefixFromGithub, trust, images: this._images };
    const planned = props.environments.map((env, i) => PipelineEnvironment._plan(env, `environments[${i}]`, context));
    checkNoOverlap(planned, trust);
    if (this._images !== undefined) checkImageNames(planned, this._images);
    const [refNames, ...later] = WARNING_ORDER;
    this.addWarnings(planned, refNames);
    this.warnAboutRepositoryForm(props);
    later.forEach(ids => this.addWarnings(planned, ids));

    this._trusted = planned.flatMap(plan => plan.runs.flatMap((run, j) => runClaims(trust, run, plan.path)
      .map(claim => ({ claim, pattern: run.pattern, path: `${plan.path} subject ${j}`, subject: run.from }))));
    this._repositoryKeys = planned.flatMap(plan => repositoryKeys(plan))
      .filter(r => !(typeof r.key === 'string' && Token.isUnresolved(r.key)));
    this.checkStackPipelines();

    this.provider = props.provider ?? GithubActionsOidcProvider._forStack(this, this.issuer);
    // At synth, for providers added after the pipeline: no two for one URL in the stack.
    this.addStackValidation(GithubActionsOidcProvider._stackProblems);
    this.environments = planned.map(plan => PipelineEnvironment._create(this, plan, {
      trust,
      provider: this.provider,
      outputs: props.outputs ?? true,
      signingProfile: props.signingProfile,
    }));
    // Now, for what the stack holds, and again at synth, for everything added to it later.
    const problems = environmentLimitProblems(Stack.of(this));
    if (problems.length > 0) throw new Error(problems.join('\n'));
    this.addStackValidation(environmentLimitProblems);
    // Supply chain: the signing profile's checks (its roles' SignPayload is added per environment).
    checkSigning(this, props.signingProfile, this.environments.map(env => {
      const job = env._workflow();
      return { name: env.name, repositoryName: job.repositoryName ?? env.repository.repositoryName, lifecycleRules: job.lifecycleRules };
    }));
  }

  /**
   * The environment with this name.
   *
   * @param name the environment's name, as given in `environments`
   */
  public environment(name: string): PipelineEnvironment {
    checkType('environment(name)', name, 'string', false);
    const found = this.environments.find(env => env.name === name);
    if (!found) {
      throw new Error(`environment(name) found no environment named '${name}'; the environments are ${this.environments.map(e => `'${e.name}'`).join(', ')}`);
    }
    return found;
  }

  /**
   * The JSON body that sets the repository's OIDC subject template to `subjectClaimKeys`, for
   * `PUT /repos/OWNER/REPO/actions/oidc/customization/sub`. With GitHub's default template it
   * resets the repository to the default (`{"use_default":true}`).
   *
   * @example
   * declare const pipeline: GithubOidcEcrPipeline;
   * // gh api -X PUT repos/octo-org/octo-repo/actions/oidc/customization/sub --input body.json
   * const body = pipeline.subjectCustomizationBody();
   */
  public subjectCustomizationBody(): string {
    const isDefault = this.subjectClaimKeys.join(',') === DEFAULT_CLAIM_KEYS.join(',');
    return JSON.stringify(isDefault ? { use_default: true } : { use_default: false, include_claim_keys: this.subjectClaimKeys });
  }

  /** Warn where the repository's spelling or missing IDs would lock workflows out. */
  private warnAboutRepositoryForm(props: GithubOidcEcrPipelineProps): void {
    const repository = props.githubRepository;
    if (/[A-Z]/.test(repository)) {
      Annotations.of(this).addWarningV2('cdk-github-oidc-ecr:githubRepositoryCase',
        `githubRepository '${repository}' has upper-case letters. GitHub's sub carries the repository's canonical spelling and IAM compares it case-sensitively, so write it exactly as GitHub does (gh api repos/${repository} --jq .full_name).`);
    }
    // GitHub Enterprise Server never issues the immutable form.
    if (props.githubOwnerId === undefined && this.issuer._kind !== 'enterprise-server') {
      Annotations.of(this).addWarningV2('cdk-github-oidc-ecr:githubIdsMissing',
        `githubRepository '${repository}' is trusted by name only. Since 2026-07-15, ${this.issuer._kind === 'github.com' ? 'github.com' : 'GitHub'} sends only the immutable subject repo:OWNER@OWNER_ID/REPO@REPO_ID:... for repositories created, renamed or transferred on or after that date, and these roles would refuse it. Set githubOwnerId and githubRepositoryId to the two numbers printed by: gh api repos/${repository} --jq '.owner.id, .id'`);
    }
  }

  /**
   * No two pipelines of one stack share a repository or trust the same run. The earlier pipelines
   * are found in the construct tree: those of the stack whose own check passed.
   */
  private checkStackPipelines(): void {
    // This pipeline's own flag is set only once its check has passed, below.
    const earlier = this.pipelinesOfStack().filter(other => other.stackChecked);
    for (const other of earlier) {
      for (const mine of this._repositoryKeys) {
        const same = other._repositoryKeys.find(r => r.key === mine.key);
        if (same) {
          v.fail(mine.path, typeof mine.key === 'string' ? mine.key : 'an existing repository', `must differ from the repository of every pipeline in the stack; ${same.path} of pipeline '${other.node.path}' uses the same one`);
        }
      }
      const clash = firstOverlap(this._trusted, other._trusted);
      if (clash) {
        v.fail(clash.mine.path, clash.mine.subject, `overlaps ${clash.theirs.subject} of ${clash.theirs.path} of pipeline '${other.node.path}' in the same stack: both roles would admit ${clash.example}; one workflow run must map to one environment`);
      }
    }
    this.stackChecked = true;
  }

  /**
   * A check of the whole stack at synth. Every pipeline adds it, and the first pipeline of the
   * stack (in the construct tree) that added it reports, so each problem is reported once.
   */
  private addStackValidation(problems: StackCheck): void {
    const stack = Stack.of(this);
    this.stackValidations.add(problems);
    stack.node.addValidation({
      validate: () => this.pipelinesOfStack().find(p => p.stackValidations.has(problems)) === this ? problems(stack) : [],
    });
  }

  /** The pipelines whose stack is this pipeline's, in the order of the construct tree. */
  private pipelinesOfStack(): GithubOidcEcrPipeline[] {
    const stack = Stack.of(this);
    return stack.node.findAll().filter((c): c is GithubOidcEcrPipeline => c instanceof GithubOidcEcrPipeline && Stack.of(c) === stack);
  }

  /** The warnings the environments' plans hold of these kinds, in the order of the environments. */
  private addWarnings(planned: EnvironmentPlan[], ids: string[]): void {
    for (const plan of planned) {
      for (const warning of plan.warnings.filter(w => ids.includes(w.id))) Annotations.of(this).addWarningV2(warning.id, warning.message);
    }
  }

  /**
   * Which environment's role would admit a GitHub Actions token with these claims, and if none
   * would, the first condition that fails for each role and what would make it pass.
   *
   * It reads the synthesized trust policies and evaluates only the conditions this construct
   * writes (`StringEquals` and `StringLike` on the token's claims). It is not a general IAM
   * evaluator: STS also checks the token's signature, issuer and expiry.
   *
   * @param claims the token's claims, e.g. as a debugging step of the workflow prints them
   *
   * @example
   * declare const pipeline: GithubOidcEcrPipeline;
   * const explanation = pipeline.explain({
   *   sub: 'repo:octo-org/octo-repo:ref:refs/heads/feature',
   *   aud: 'sts.amazonaws.com',
   * });
   * // explanation.admitted is false; explanation.report says, for each role, which
   * // condition fails first and how to make it pass.
   */
  public explain(claims: TokenClaims): TrustExplanation {
    checkType('explain(claims)', claims, 'object', false);
    for (const key of ['sub', 'aud', 'ref', 'jobWorkflowRef', 'repositoryId'] as const) checkType(`explain(claims).${key}`, claims[key], 'string', true);
    return explainRoles(this.environments.map(env => ({ environment: env.name, policy: env._trustPolicy() })), claims);
  }

  /**
   * The GitHub Actions workflow that builds the image and pushes it to each environment's
   * repository, as YAML. It runs on `push` to the environments' branches and tags, with one job
   * per environment. Role ARNs and repository names known at synth time are written literally;
   * the others are read from the GitHub Actions variables named by `roleArnVariable` and
   * `repositoryVariable`, which the stack outputs describe.
   *
   * @param options how the workflow builds the image and which actions it uses
   */
  public renderWorkflow(options: WorkflowOptions = {}): string {
    return renderPipelinesWorkflow([this._workflowSource()], options);
  }

  /**
   * Write the workflow of `renderWorkflow()` into a directory, e.g. the `.github/workflows`
   * folder of the application repository, creating the directory if needed.
   *
   * A relative directory starting with `.github` is resolved against the root of the git work
   * tree around the working directory (GitHub reads workflows only there), any other relative
   * directory against the working directory. The file is written whole (a temporary file
   * renamed over it); a symbolic link where the file goes is refused, not followed.
   *
   * @param directory the directory to write the file to
   * @param options how the workflow builds the image, and its file name
   * @returns the absolute path of the file written
   */
  public writeWorkflow(directory: string, options: WorkflowOptions = {}): string {
    checkType('directory', directory, 'string', false);
    return writePipelinesWorkflow([this._workflowSource()], directory, options);
  }

  /**
   * What the workflow renderer needs from this pipeline and its environments, as they are now.
   *
   * @internal
   */
  public _workflowSource(): WorkflowSource {
    const stack = Stack.of(this);
    return {
      path: this.node.path,
      stackName: stack.stackName,
      stackRegion: Token.isUnresolved(stack.region) ? undefined : stack.region,
      audience: stsAudience(stack),
      githubRepository: this.githubRepository,
      issuer: this.issuer,
      pinWorkflowFile: this.pinWorkflowFile,
      reusableWorkflow: this.reusableWorkflow,
      trusted: this._trusted,
      environments: this.environments.map(env => env._workflow()),
      images: this._images,
    };
  }
}

/** A check of a whole stack, run at synth by one pipeline of the stack. */
type StackCheck = (stack: Stack) => string[];

/** IAM's and CloudFormation's quotas on what the pipelines' environments add to a stack. */
function environmentLimitProblems(stack: Stack): string[] {
  return stackLimitProblems(stack, (c: IConstruct) => c instanceof PipelineEnvironment);
}

/**
 * The pipelines of a multi-stack workflow, each listed once, as the renderer reads them. A
 * pipeline listed twice gives the same source twice, which `checkCombinable` refuses.
 */
function workflowSources(pipelines: GithubOidcEcrPipeline[]): WorkflowSource[] {
  if (!Array.isArray(pipelines) || pipelines.length === 0) v.fail('pipelines', pipelines, 'must list at least one pipeline');
  pipelines.forEach((pipeline, i) => checkInstance(`pipelines[${i}]`, pipeline, x => x instanceof GithubOidcEcrPipeline, 'GithubOidcEcrPipeline', false));
  const sources = new Map<GithubOidcEcrPipeline, WorkflowSource>();
  return pipelines.map(pipeline => {
    if (!sources.has(pipeline)) sources.set(pipeline, pipeline._workflowSource());
    return sources.get(pipeline)!;
  });
}

function repositoryKeys(plan: EnvironmentPlan): Array<{ key: unknown; path: string }> {
  if (plan.imageRepositories !== undefined) {
    return plan.imageRepositories.map(r => ({ key: r.name, path: `${plan.path}.imageRepositoryNames.${r.image}` }));
  }
  const existing = plan.props.repository;
  const key = existing === undefined ? plan.repositoryName : Token.isUnresolved(existing.repositoryName) ? existing : existing.repositoryName;
  return [{ key, path: `${plan.path}.repository` }];
}

/**
 * Each image in each environment has its own repository, job and GitHub variable. Job ids and
 * variables join the environment's and the image's names, so two pairs can make the same one
 * (environment 'a-b' with image 'c', environment 'a' with image 'b-c'): refuse naming both.
 */
function checkImageNames(plans: EnvironmentPlan[], images: ImagePlan[]): void {
  const repositories = new Map<string, string>();
  const jobs = new Map<string, string>();
  const variables = new Map<string, string>();
  for (const plan of plans) {
    for (const [i, repository] of plan.imageRepositories!.entries()) {
      const property = `${plan.path}.imageRepositoryNames.${repository.image}`;
      const sameRepository = repositories.get(repository.name);
      if (sameRepository) v.fail(property, repository.name, `must differ from every other image's repository in every environment; ${sameRepository} is the same`);
      repositories.set(repository.name, property);
      const pair = `environment '${plan.props.name}' with image '${images[i].name}'`;
      const job = imageJobId(plan.props.name, images[i].name);
      const sameJob = jobs.get(job);
      if (sameJob) v.fail(`${plan.path}.name`, plan.props.name, `with images[${i}].name '${images[i].name}' makes the workflow job id '${job}', as ${sameJob} does; rename the environment or the image`);
      jobs.set(job, pair);
      const variable = imageRepositoryVariable(plan.props.name, images[i].name);
      const sameVariable = variables.get(variable);
      if (sameVariable) v.fail(`${plan.path}.name`, plan.props.name, `with images[${i}].name '${images[i].name}' makes the GitHub variable ${variable}, as ${sameVariable} does ('-' becomes '_'); rename the environment or the image`);
      variables.set(variable, pair);
    }
  }
}

/**
 * Environments must be told apart: distinct names (and the GitHub variable names they make),
 * distinct repositories, and no workflow run admitted by two roles, or gating two jobs.
 */
function checkNoOverlap(plans: EnvironmentPlan[], trust: TrustContext): void {
  const names = new Map<string, string>();
  const ids = new Map<string, { path: string; name: string }>();
  const repositories = new Map<unknown, string>();
  for (const plan of plans) {
    const variable = githubVariableSuffix(plan.props.name);
    const other = names.get(variable);
    if (other) v.fail(`${plan.path}.name`, plan.props.name, `must be unique (after '-' becomes '_' in GitHub variable names); ${other}.name is the same`);
    names.set(variable, plan.path);
    const id = environmentConstructId(plan.props.name);
    const sameId = ids.get(id);
    if (sameId) {
      v.fail(`${plan.path}.name`, plan.props.name, `must give a construct id different from ${sameId.path}.name ('${sameId.name}'): both become '${id}' (words split at '-' and '_', each capitalized); rename one`);
    }
    ids.set(id, { path: plan.path, name: plan.props.name });

    const repository = plan.props.repository ?? plan.repositoryName;
    const sameRepository = repositories.get(repository);
    if (sameRepository) {
      v.fail(`${plan.path}.repository`, plan.repositoryName ?? plan.props.repository, `must differ from every other environment's repository; ${sameRepository} uses the same one`);
    }
    if (!(typeof repository === 'string' && Token.isUnresolved(repository))) repositories.set(repository, plan.path);
  }
  // The subjects in GitHub's default form: what gates the jobs, whatever the template.
  checkDisjoint(plans.flatMap(plan => plan.subjects.map((subject, j) => ({
    plan,
    index: subject.isPattern ? undefined : j,
    shown: subject.toString(),
    pattern: subject.isPattern,
    claim: `repo:${trust.owner}/${trust.repo}:${subject._render()}`,
  }))));
  // The runs the roles trust, in the repository's template.
  checkDisjoint(plans.flatMap(plan => plan.runs.map(run => ({
    plan, shown: run.from, pattern: run.pattern, claim: runClaims(trust, run, plan.path)[0],
  }))));
}

interface ClaimEntry {
  readonly plan: EnvironmentPlan;
  /** The subject's index in the environment, where the message names it. */
  readonly index?: number;
  readonly shown: string;
  readonly pattern: boolean;
  readonly claim: string;
}

/** No exact claim trusted by two environments, and no pattern of one admitting another's exact claim or sharing a claim with another's pattern. */
function checkDisjoint(entries: ClaimEntry[]): void {
  const label = (entry: ClaimEntry) => `${entry.plan.path} subject${entry.index === undefined ? '' : ` ${entry.index}`}`;
  const exact = new Map<string, string>();
  for (const entry of entries.filter(e => !e.pattern)) {
    const owner = exact.get(entry.claim);
    if (owner && owner !== entry.plan.path) {
      v.fail(label(entry), entry.shown, `is already trusted by ${owner}; one workflow run must map to one environment`);
    }
    exact.set(entry.claim, entry.plan.path);
  }
  // A pattern must not share a single sub with another environment's pattern either.
  const patterns: Array<{ claim: string; owner: string }> = [];
  // Stryker disable next-line MethodExpression: equivalent: an exact claim holds no '*' (validation refuses it in every name a claim is built from, and a token renders as ${Token[...]}), so taken as a pattern it admits only itself, which the loop above compared; and a pattern listed after it meets it there first
  for (const entry of entries.filter(e => e.pattern)) {
    for (const [claim, owner] of exact) {
      if (owner !== entry.plan.path && wildcardMatches(entry.claim, claim)) {
        v.fail(label(entry), entry.shown, `also admits '${claim}', which ${owner} trusts; one workflow run must map to one environment`);
      }
    }
    const other = patterns.find(p => p.owner !== entry.plan.path && globsOverlap(p.claim, entry.claim));
    if (other) {
      v.fail(label(entry), entry.shown, `admits some of the same runs as the pattern '${other.claim}' of ${other.owner}; one workflow run must map to one environment, so make the patterns disjoint (e.g. 'release/prod*' and 'release/dev*', not 'release/*')`);
    }
    patterns.push({ claim: entry.claim, owner: entry.plan.path });
  }
}

/** The shape of the pipeline's props and of each environment's, before any value is read. */
function checkPipelinePropTypes(props: GithubOidcEcrPipelineProps): void {
  checkType('props', props, 'object', false);
  checkType('githubRepository', props.githubRepository, 'string', false);
  checkArray('environments', props.environments, undefined, false);
  for (const key of ['repositoryPrefix', 'githubOwnerId', 'githubRepositoryId', 'pinWorkflowFile'] as const) {
    checkType(key, props[key], 'string', true);
  }
  checkType('outputs', props.outputs, 'boolean', true);
  checkType('provider', props.provider, 'object', true);
  checkInstance('issuer', props.issuer, x => x instanceof GithubIssuer, 'GithubIssuer', true);
  checkArray('images', props.images, 'object', true);
  props.environments.forEach((env, i) => PipelineEnvironment._checkPropTypes(`environments[${i}]`, env));
}

/** GitHub's documented claim keys, only those an exact trust can name, no repeats, and the repository named. */
function validateClaimKeys(keys: string[] | undefined): string[] {
  if (keys === undefined) return [...DEFAULT_CLAIM_KEYS];
  if (!Array.isArray(keys) || keys.length === 0) v.fail('subjectClaimKeys', keys, 'must list at least one claim key, e.g. [\'repo\', \'context\']');
  keys.forEach((key, i) => {
    const property = `subjectClaimKeys[${i}]`;
    if (typeof key !== 'string' || Token.isUnresolved(key)) v.fail(property, key, 'must be a literal claim key');
    if (VARYING_CLAIM_KEYS.includes(key) || REPOSITORY_PROPERTY_KEY.test(key)) {
      v.fail(property, key, `is a claim whose value varies from run to run or is not known at synth time, so a role could trust it only with a wildcard; use a template of ${DERIVABLE_CLAIM_KEYS.map(k => `'${k}'`).join(', ')}`);
    }
    if (!DERIVABLE_CLAIM_KEYS.includes(key)) {
      v.fail(property, key, `must be one of the claims GitHub documents in its OIDC token (or repo_property_NAME): ${[...DERIVABLE_CLAIM_KEYS, ...VARYING_CLAIM_KEYS].join(', ')}`);
    }
    if (keys.indexOf(key) !== i) v.fail(property, key, `must be unique; subjectClaimKeys[${keys.indexOf(key)}] is the same`);
  });
  if (!keys.some(key => key === 'repo' || key === 'repository' || key === 'repository_id')) {
    v.fail('subjectClaimKeys', keys, 'must include \'repo\', \'repository\' or \'repository_id\': without one, the sub does not name the repository and every repository of the owner would be trusted');
  }
  if (!keys.some(key => key === 'context' || key === 'ref' || key === 'environment')) {
    v.fail('subjectClaimKeys', keys, 'must include \'context\', \'ref\' or \'environment\': without one, the sub does not say which branch, tag or deployment environment a run is for');
  }
  return [...keys];
}

/**
 * Pinning a workflow file needs job_workflow_ref in the sub template, or STS evaluating the
 * condition key: an unsupported key is absent from the request, and StringEquals on it refuses all.
 */
function checkWorkflowRefPinnable(trust: TrustContext, issuer: GithubIssuer, property: string, value: string | undefined): void {
  if (value === undefined || trust.claimKeys.includes('job_workflow_ref') || trust.pinnableKeys.includes('job_workflow_ref')) return;
  const [where, fix] = issuer._kind === 'github.com'
    ? ['partition aws-cn, aws-us-gov, or not known at synth time', 'give the stack a literal region of the aws partition, or add']
    : [`issuer ${trust.issuer}, not github.com`, 'add'];
  v.fail(property, value, `needs the job_workflow_ref condition key, which AWS documents for github.com tokens in the aws partition only (this stack: ${where}); ${fix} 'job_workflow_ref' to subjectClaimKeys so that the sub carries it`);
}
