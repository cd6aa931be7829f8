"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.GithubOidcEcrPipeline = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const constructs_1 = require("constructs");
const environment_1 = require("./environment");
const provider_1 = require("./provider");
const trust_1 = require("./private/trust");
const v = __importStar(require("./private/validation"));
const subject_1 = require("./subject");
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
class GithubOidcEcrPipeline extends constructs_1.Construct {
    /** The GitHub repository, as `owner/repo`. */
    repository;
    /** The OIDC provider the roles trust. */
    provider;
    /** The environments, in the order given. */
    environments;
    constructor(scope, id, props) {
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
        if (props.repositoryPrefix !== undefined)
            v.validateEcrRepositoryName('repositoryPrefix', props.repositoryPrefix);
        const trust = (0, trust_1.githubTrustContext)(owner, repo, props.ownerId, props.repositoryId);
        const planned = props.environments.map((env, i) => planEnvironment(env, `environments[${i}]`, prefix));
        checkNoOverlap(planned, trust);
        this.provider = props.provider ?? stackProvider(this);
        this.environments = planned.map(plan => environment_1.PipelineEnvironment._create(this, pascalCase(plan.props.name), {
            ...plan,
            trust,
            provider: this.provider,
            outputs: props.outputs ?? true,
        }));
    }
    /**
     * The environment with this name.
     *
     * @param name the environment's name, as given in `environments`
     */
    environment(name) {
        const found = this.environments.find(env => env.name === name);
        if (!found) {
            throw new Error(`environment(name) found no environment named '${name}'; the environments are ${this.environments.map(e => `'${e.name}'`).join(', ')}`);
        }
        return found;
    }
}
exports.GithubOidcEcrPipeline = GithubOidcEcrPipeline;
/** Check one environment's own props and work out its subjects and repository name. */
function planEnvironment(env, path, prefix) {
    v.validateEnvironmentName(`${path}.name`, env.name);
    (env.branches ?? []).forEach((branch, j) => v.validateRefName(`${path}.branches[${j}]`, branch, 'branch', false));
    (env.subjects ?? []).forEach((subject, j) => validateSubject(`${path}.subjects[${j}]`, subject));
    const subjects = [...(env.branches ?? []).map(b => subject_1.GithubSubject.branch(b)), ...(env.subjects ?? [])];
    if (subjects.length === 0) {
        v.fail(`${path}.branches`, env.branches ?? [], `must name at least one branch, or ${path}.subjects at least one subject`);
    }
    let repositoryName;
    if (env.repository === undefined) {
        if (env.repositoryName !== undefined) {
            repositoryName = env.repositoryName;
            v.validateEcrRepositoryName(`${path}.repositoryName`, repositoryName);
        }
        else {
            repositoryName = `${prefix}-${env.name}`;
            v.validateEcrRepositoryName(`${path}.repositoryName (default, from repositoryPrefix or the GitHub repository name)`, repositoryName);
        }
    }
    return { props: env, path, subjects, repositoryName };
}
function validateSubject(path, subject) {
    switch (subject.kind) {
        case subject_1.GithubSubjectKind.BRANCH:
            return v.validateRefName(path, subject.value, 'branch', subject.isPattern);
        case subject_1.GithubSubjectKind.TAG:
            return v.validateRefName(path, subject.value, 'tag', subject.isPattern);
        case subject_1.GithubSubjectKind.ENVIRONMENT:
            return v.validateDeploymentEnvironment(path, subject.value);
        case subject_1.GithubSubjectKind.PULL_REQUEST:
            return;
    }
}
/**
 * Environments must be told apart: distinct names (and the GitHub variable names they make),
 * distinct repositories, and no workflow run admitted by two roles.
 */
function checkNoOverlap(plans, trust) {
    const names = new Map();
    const repositories = new Map();
    const exact = new Map();
    for (const plan of plans) {
        const variable = plan.props.name.replace(/-/g, '_');
        const other = names.get(variable);
        if (other)
            v.fail(`${plan.path}.name`, plan.props.name, `must be unique (after '-' becomes '_' in GitHub variable names); ${other}.name is the same`);
        names.set(variable, plan.path);
        const repository = plan.props.repository ?? plan.repositoryName;
        const sameRepository = repositories.get(repository);
        if (sameRepository) {
            v.fail(`${plan.path}.repository`, plan.repositoryName ?? plan.props.repository, `must differ from every other environment's repository; ${sameRepository} uses the same one`);
        }
        if (!(typeof repository === 'string' && aws_cdk_lib_1.Token.isUnresolved(repository)))
            repositories.set(repository, plan.path);
        plan.subjects.forEach((subject, j) => {
            if (subject.isPattern)
                return;
            const claim = (0, trust_1.subjectClaims)(trust, subject)[0];
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
            const pattern = globToRegExp((0, trust_1.subjectClaims)(trust, subject)[0]);
            for (const [claim, owner] of exact) {
                if (owner !== plan.path && pattern.test(claim)) {
                    v.fail(`${plan.path} subject`, subject.toString(), `also admits '${claim}', which ${owner} trusts; one workflow run must map to one environment`);
                }
            }
        }
    }
}
function globToRegExp(glob) {
    return new RegExp(`^${glob.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
/** One provider per stack: the first pipeline creates it, the rest share it. */
function stackProvider(scope) {
    const stack = aws_cdk_lib_1.Stack.of(scope);
    const id = 'GithubActionsOidcProvider';
    const existing = stack.node.tryFindChild(id);
    if (existing === undefined)
        return new provider_1.GithubActionsOidcProvider(stack, id);
    if (existing instanceof provider_1.GithubActionsOidcProvider)
        return existing;
    throw new Error(`provider was not given, and the stack already has a construct '${id}' that is not a GithubActionsOidcProvider; pass provider explicitly`);
}
function pascalCase(name) {
    return name.split(/[-_]/).map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
