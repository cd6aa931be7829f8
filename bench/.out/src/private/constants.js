"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PULL_ACTIONS = exports.PUSH_PULL_ACTIONS = exports.TRUST_POLICY_QUOTA = exports.GITHUB_ACTIONS_AUDIENCE = exports.GITHUB_ACTIONS_ISSUER = void 0;
/** The issuer of GitHub Actions OIDC tokens on github.com, without `https://`. */
exports.GITHUB_ACTIONS_ISSUER = 'token.actions.githubusercontent.com';
/** The audience configure-aws-credentials asks for in the commercial and GovCloud partitions. */
exports.GITHUB_ACTIONS_AUDIENCE = 'sts.amazonaws.com';
/** IAM's default quota for a role trust policy, in characters with whitespace removed. */
exports.TRUST_POLICY_QUOTA = 2048;
/** The push and pull actions a role gets on its own repository, and nothing more. */
exports.PUSH_PULL_ACTIONS = [
    'ecr:BatchCheckLayerAvailability',
    'ecr:BatchGetImage',
    'ecr:CompleteLayerUpload',
    'ecr:GetDownloadUrlForLayer',
    'ecr:InitiateLayerUpload',
    'ecr:PutImage',
    'ecr:UploadLayerPart',
];
/** The actions another account gets on a repository through `pullAccounts`. */
exports.PULL_ACTIONS = [
    'ecr:BatchCheckLayerAvailability',
    'ecr:BatchGetImage',
    'ecr:GetDownloadUrlForLayer',
];
