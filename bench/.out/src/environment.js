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
exports.PipelineEnvironment = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const ecr = __importStar(require("aws-cdk-lib/aws-ecr"));
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const constructs_1 = require("constructs");
const constants_1 = require("./private/constants");
const trust_1 = require("./private/trust");
const v = __importStar(require("./private/validation"));
/**
 * One environment of a `GithubOidcEcrPipeline`: an IAM role that only the environment's subjects
 * can assume, with an inline policy that pushes to the environment's ECR repository and nowhere else.
 *
 * Created by `GithubOidcEcrPipeline`; read it with `pipeline.environment(name)`.
 */
class PipelineEnvironment extends constructs_1.Construct {
    /** @internal */
    static _create(scope, id, options) {
        return new PipelineEnvironment(scope, id, options);
    }
    /** The environment's name. */
    name;
    /** The role a workflow run assumes to push. */
    role;
    /** The repository the role pushes to: a new one, or the one given in `repository`. */
    repository;
    /** The workflow runs the role trusts. */
    subjects;
    /** The GitHub Actions variable the workflow reads the role ARN from, when it is not known at synth time. */
    roleArnVariable;
    /** The GitHub Actions variable the workflow reads the repository name from, when it is not known at synth time. */
    repositoryVariable;
    constructor(scope, id, options) {
        super(scope, id);
        const { props, path } = options;
        this.name = props.name;
        this.subjects = options.subjects;
        const suffix = props.name.toUpperCase().replace(/-/g, '_');
        this.roleArnVariable = `AWS_ROLE_ARN_${suffix}`;
        this.repositoryVariable = `ECR_REPOSITORY_${suffix}`;
        v.validateRoleName(`${path}.roleName`, props.roleName);
        v.validateSessionDuration(`${path}.maxSessionDuration`, props.maxSessionDuration);
        v.validatePositiveInteger(`${path}.maxImageCount`, props.maxImageCount);
        (props.pullAccounts ?? []).forEach((account, i) => v.validateAccountId(`${path}.pullAccounts[${i}]`, account));
        this.repository = props.repository ? this.useExistingRepository(options) : this.createRepository(options);
        const [first, ...rest] = (0, trust_1.trustConditions)(options.trust, this.subjects);
        const providerArn = options.provider.oidcProviderArn;
        const role = new iam.Role(this, 'Role', {
            roleName: props.roleName,
            description: `GitHub Actions in ${options.trust.owner}/${options.trust.repo} (${this.subjects.join(', ')}) pushes images to ECR`,
            assumedBy: new iam.WebIdentityPrincipal(providerArn, first),
            maxSessionDuration: props.maxSessionDuration,
            permissionsBoundary: props.permissionsBoundary,
            inlinePolicies: { EcrPush: this.pushPolicy() },
        });
        for (const conditions of rest) {
            role.assumeRolePolicy.addStatements(new iam.PolicyStatement({
                actions: ['sts:AssumeRoleWithWebIdentity'],
                principals: [new iam.WebIdentityPrincipal(providerArn, conditions)],
            }));
        }
        this.role = role;
        const length = (0, trust_1.estimateTrustPolicyLength)(aws_cdk_lib_1.Stack.of(this), role.assumeRolePolicy, options.trust.issuer);
        if (length > constants_1.TRUST_POLICY_QUOTA) {
            throw new Error(`${path} ('${props.name}') has a trust policy of about ${length} characters, over IAM's default quota of ${constants_1.TRUST_POLICY_QUOTA} (whitespace removed), with ${this.subjects.length} subjects. Split its subjects over two environments, replace exact branches with a GithubSubject.branchPattern(), or raise the account's 'Role trust policy length' quota (up to 4,096) and split none`);
        }
        if (options.outputs) {
            new aws_cdk_lib_1.CfnOutput(this, 'RoleArn', {
                value: role.roleArn,
                description: `Role for ${props.name}; set it as the GitHub Actions variable ${this.roleArnVariable}`,
            });
            new aws_cdk_lib_1.CfnOutput(this, 'RepositoryUri', {
                value: this.repository.repositoryUri,
                description: `Repository for ${props.name}; set its name as the GitHub Actions variable ${this.repositoryVariable}`,
            });
        }
    }
    /**
     * Let a principal pull images from this environment's repository.
     *
     * @param grantee the principal, e.g. an ECS task execution role
     */
    grantPull(grantee) {
        return this.repository.grantPull(grantee);
    }
    pushPolicy() {
        return new iam.PolicyDocument({
            statements: [
                new iam.PolicyStatement({
                    sid: 'GetAuthorizationToken',
                    // The API takes no resource: the token opens the registry, the next statement the repository.
                    actions: ['ecr:GetAuthorizationToken'],
                    resources: ['*'],
                }),
                new iam.PolicyStatement({
                    sid: 'PushPullOwnRepository',
                    actions: constants_1.PUSH_PULL_ACTIONS,
                    resources: [this.repository.repositoryArn],
                }),
            ],
        });
    }
    useExistingRepository(options) {
        const { props, path } = options;
        const repositoryOnly = [
            'repositoryName', 'imageTagMutability', 'imageScanOnPush', 'lifecycleRules', 'maxImageCount',
            'encryptionKey', 'removalPolicy', 'pullAccounts',
        ];
        for (const key of repositoryOnly) {
            if (props[key] !== undefined) {
                v.fail(`${path}.${key}`, props[key], `cannot be set together with ${path}.repository (an existing repository is used as it is; configure it where it is defined)`);
            }
        }
        return props.repository;
    }
    createRepository(options) {
        const props = options.props;
        const removalPolicy = props.removalPolicy ?? aws_cdk_lib_1.RemovalPolicy.RETAIN;
        const lifecycleRules = [...(props.lifecycleRules ?? [{
                    description: 'Expire untagged images 14 days after they were pushed',
                    tagStatus: ecr.TagStatus.UNTAGGED,
                    maxImageAge: aws_cdk_lib_1.Duration.days(14),
                }])];
        if (props.maxImageCount !== undefined) {
            lifecycleRules.push({
                description: `Keep at most ${props.maxImageCount} images`,
                tagStatus: ecr.TagStatus.ANY,
                maxImageCount: props.maxImageCount,
            });
        }
        const repository = new ecr.Repository(this, 'Repository', {
            repositoryName: options.repositoryName,
            imageTagMutability: props.imageTagMutability ?? ecr.TagMutability.IMMUTABLE,
            imageScanOnPush: props.imageScanOnPush ?? true,
            lifecycleRules,
            encryption: props.encryptionKey ? ecr.RepositoryEncryption.KMS : undefined,
            encryptionKey: props.encryptionKey,
            removalPolicy,
            emptyOnDelete: removalPolicy === aws_cdk_lib_1.RemovalPolicy.DESTROY ? true : undefined,
        });
        if (props.pullAccounts?.length) {
            repository.addToResourcePolicy(new iam.PolicyStatement({
                sid: 'PullFromOtherAccounts',
                actions: constants_1.PULL_ACTIONS,
                principals: props.pullAccounts.map(account => new iam.AccountPrincipal(account)),
            }));
        }
        return repository;
    }
}
exports.PipelineEnvironment = PipelineEnvironment;
