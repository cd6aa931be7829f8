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
exports.buildHandwritten = buildHandwritten;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const ecr = __importStar(require("aws-cdk-lib/aws-ecr"));
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const scenario_1 = require("./scenario");
/**
 * The benchmark scenario written by hand with aws-cdk-lib: what a careful user writes without the
 * construct. Same provider, same trust conditions, same repository settings; the push permissions
 * come from `grantPullPush`, which adds an `AWS::IAM::Policy` per role.
 */
function buildHandwritten(stack, n) {
    const provider = new iam.OidcProviderNative(stack, 'GithubProvider', {
        url: 'https://token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
        removalPolicy: aws_cdk_lib_1.RemovalPolicy.RETAIN,
    });
    const [owner, repo] = scenario_1.BENCH_REPOSITORY.split('/');
    for (const env of (0, scenario_1.benchEnvironments)(n)) {
        const role = new iam.Role(stack, `${env.name}Role`, {
            assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
                StringEquals: {
                    'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                    'token.actions.githubusercontent.com:sub': `repo:${owner}/${repo}:ref:refs/heads/${env.branch}`,
                },
            }),
        });
        const repository = new ecr.Repository(stack, `${env.name}Repository`, {
            repositoryName: `${repo}-${env.name}`,
            imageTagMutability: ecr.TagMutability.IMMUTABLE,
            imageScanOnPush: true,
            removalPolicy: aws_cdk_lib_1.RemovalPolicy.RETAIN,
            lifecycleRules: [{
                    description: 'Expire untagged images 14 days after they were pushed',
                    tagStatus: ecr.TagStatus.UNTAGGED,
                    maxImageAge: aws_cdk_lib_1.Duration.days(14),
                }],
        });
        repository.grantPullPush(role);
    }
}
