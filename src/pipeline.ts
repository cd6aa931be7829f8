import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { PipelineEnvironment, PipelineEnvironmentProps } from './environment';
import { GithubActionsOidcProvider } from './provider';
import { checkStackLimits } from './private/limits';
import { TrustContext, githubTrustContext, subjectClaims } from './private/trust';
import * as v from './private/validation';
import { GithubSubject, GithubSubjectKind } from './subject';

/**
 * Properties of a `GithubOidcEcrPipeline`.
 */
export interface GithubOidcEcrPipelineProps {
  /**
   * The GitHub repository whose workflows push images, as `owner/repo`.
   *
   * @example 'octo-org/octo-repo'
   */
  readonly repository: string;

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
   * Prefix of the default ECR repository names, `${repositoryPrefix}-${environment}`.
   *
   * @default - the GitHub repository name, in lower case
   */
  readonly repositoryPrefix?: string;

  /**
   * GitHub's numeric ID of the repository owner. With `repositoryId`, the roles also accept
   * GitHub's immutable subject form, `repo:OWNER@OWNERID/REPO@REPOID:...`.
   *
   * @default - owner not pinned by ID
   */
  readonly ownerId?: string;

  /**
   * GitHub's numeric ID of the repository. With `ownerId`, the trust policy pins the
   * `repository_id` claim, so a deleted and re-created repository of the same name is refused.
   *
   * @default - repository not pinned by ID
   */
  readonly repositoryId?: string;

  /**
   * Whether to add stack outputs for each role ARN and repository URI, from which the GitHub
   * Actions variables the workflow reads can be set.
   *
   * @default true
   */
  readonly outputs?: boolean;
}

/**
 * Keyless, branch-scoped push access from a GitHub repository to Amazon ECR.
 *
 * For each environment, an IAM role that only that environment's branches (or other subjects) can
 * assume through GitHub's OIDC provider, and an ECR repository that only that role can push to.
 *
 * @example
 * const pipeline = new GithubOidcEcrPipeline(this, 'Pipeline', {
 *   repository: 'octo-org/octo-repo',
 *   environments: [
 *     { name: 'dev', branches: ['dev'] },
 *     { name: 'prod', branches: ['main'] },
 *   ],
 * });
 */
export class GithubOidcEcrPipeline extends Construct {
  /** The GitHub repository, as `owner/repo`. */
  public readonly repository: string;

  /** The OIDC provider the roles trust. */
  public readonly provider: iam.IOidcProvider;

  /** The environments, in the order given. */
  public readonly environments: PipelineEnvironment[];

  constructor(scope: Construct, id: string, props: GithubOidcEcrPipelineProps) {
    super(scope, id);
    const { owner, repo } = v.validateGithubRepository('repository', props.repository);
    this.repository = props.repository;
    v.validateNumericId('ownerId', props.ownerId);
    v.validateNumericId('repositoryId', props.repositoryId);
    if ((props.ownerId === undefined) !== (props.repositoryId === undefined)) {
      v.fail('ownerId and repositoryId', props.ownerId ?? props.repositoryId, 'must be given together (GitHub\'s immutable subject form names both)');
    }
    if (!props.environments || props.environments.length === 0) {
      v.fail('environments', props.environments ?? [], 'must list at least one environment');
    }
    const prefix = props.repositoryPrefix ?? repo.toLowerCase();
    if (props.repositoryPrefix !== undefined) v.validateEcrRepositoryName('repositoryPrefix', props.repositoryPrefix);

    const trust = githubTrustContext(owner, repo, props.ownerId, props.repositoryId);
    const planned = props.environments.map((env, i) => planEnvironment(env, `environments[${i}]`, prefix));
    checkNoOverlap(planned, trust);

    this.provider = props.provider ?? stackProvider(this);
    this.environments = planned.map(plan => PipelineEnvironment._create(this, pascalCase(plan.props.name), {
      ...plan,
      trust,
      provider: this.provider,
      outputs: props.outputs ?? true,
    }));
    checkStackLimits(this);
  }

  /**
   * The environment with this name.
   *
   * @param name the environment's name, as given in `environments`
   */
  public environment(name: string): PipelineEnvironment {
    const found = this.environments.find(env => env.name === name);
    if (!found) {
      throw new Error(`environment(name) found no environment named '${name}'; the environments are ${this.environments.map(e => `'${e.name}'`).join(', ')}`);
    }
    return found;
  }
}

interface EnvironmentPlan {
  readonly props: PipelineEnvironmentProps;
  readonly path: string;
  readonly subjects: GithubSubject[];
  readonly repositoryName?: string;
}

/** Check one environment's own props and work out its subjects and repository name. */
function planEnvironment(env: PipelineEnvironmentProps, path: string, prefix: string): EnvironmentPlan {
  v.validateEnvironmentName(`${path}.name`, env.name);
  (env.branches ?? []).forEach((branch, j) => v.validateRefName(`${path}.branches[${j}]`, branch, 'branch', false));
  (env.subjects ?? []).forEach((subject, j) => validateSubject(`${path}.subjects[${j}]`, subject));
  const subjects = [...(env.branches ?? []).map(b => GithubSubject.branch(b)), ...(env.subjects ?? [])];
  if (subjects.length === 0) {
    v.fail(`${path}.branches`, env.branches ?? [], `must name at least one branch, or ${path}.subjects at least one subject`);
  }
  let repositoryName: string | undefined;
  if (env.repository === undefined) {
    if (env.repositoryName !== undefined) {
      repositoryName = env.repositoryName;
      v.validateEcrRepositoryName(`${path}.repositoryName`, repositoryName);
    } else {
      repositoryName = `${prefix}-${env.name}`;
      v.validateEcrRepositoryName(`${path}.repositoryName (default, from repositoryPrefix or the GitHub repository name)`, repositoryName);
    }
  }
  return { props: env, path, subjects, repositoryName };
}

function validateSubject(path: string, subject: GithubSubject): void {
  switch (subject.kind) {
    case GithubSubjectKind.BRANCH:
      return v.validateRefName(path, subject.value!, 'branch', subject.isPattern);
    case GithubSubjectKind.TAG:
      return v.validateRefName(path, subject.value!, 'tag', subject.isPattern);
    case GithubSubjectKind.ENVIRONMENT:
      return v.validateDeploymentEnvironment(path, subject.value!);
    case GithubSubjectKind.PULL_REQUEST:
      return;
  }
}

/**
 * Environments must be told apart: distinct names (and the GitHub variable names they make),
 * distinct repositories, and no workflow run admitted by two roles.
 */
function checkNoOverlap(plans: EnvironmentPlan[], trust: TrustContext): void {
  const names = new Map<string, string>();
  const repositories = new Map<unknown, string>();
  const exact = new Map<string, string>();
  for (const plan of plans) {
    const variable = plan.props.name.replace(/-/g, '_');
    const other = names.get(variable);
    if (other) v.fail(`${plan.path}.name`, plan.props.name, `must be unique (after '-' becomes '_' in GitHub variable names); ${other}.name is the same`);
    names.set(variable, plan.path);

    const repository = plan.props.repository ?? plan.repositoryName;
    const sameRepository = repositories.get(repository);
    if (sameRepository) {
      v.fail(`${plan.path}.repository`, plan.repositoryName ?? plan.props.repository, `must differ from every other environment's repository; ${sameRepository} uses the same one`);
    }
    if (!(typeof repository === 'string' && Token.isUnresolved(repository))) repositories.set(repository, plan.path);

    plan.subjects.forEach((subject, j) => {
      if (subject.isPattern) return;
      const claim = subjectClaims(trust, subject)[0];
      const owner = exact.get(claim);
      if (owner && owner !== plan.path) {
        v.fail(`${plan.path} subject ${j}`, subject.toString(), `is already trusted by ${owner}; one workflow run must map to one environment`);
      }
      exact.set(claim, plan.path);
    });
  }
  // A pattern of one environment must not admit another environment's exact subject.
  for (const plan of plans) {
    for (const subject of plan.subjects.filter(s => s.isPattern)) {
      const pattern = globToRegExp(subjectClaims(trust, subject)[0]);
      for (const [claim, owner] of exact) {
        if (owner !== plan.path && pattern.test(claim)) {
          v.fail(`${plan.path} subject`, subject.toString(), `also admits '${claim}', which ${owner} trusts; one workflow run must map to one environment`);
        }
      }
    }
  }
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** One provider per stack: the first pipeline creates it, the rest share it. */
function stackProvider(scope: IConstruct): iam.IOidcProvider {
  const stack = Stack.of(scope);
  const id = 'GithubActionsOidcProvider';
  const existing = stack.node.tryFindChild(id);
  if (existing === undefined) return new GithubActionsOidcProvider(stack, id);
  if (existing instanceof GithubActionsOidcProvider) return existing;
  throw new Error(`provider was not given, and the stack already has a construct '${id}' that is not a GithubActionsOidcProvider; pass provider explicitly`);
}

function pascalCase(name: string): string {
  return name.split(/[-_]/).map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
