/** Which kind of GitHub issues the tokens. */
export type IssuerKind = 'github.com' | 'enterprise-server' | 'enterprise-cloud';

/** The issuer of GitHub Actions OIDC tokens on github.com, without `https://`. */
export const GITHUB_ACTIONS_ISSUER = 'token.actions.githubusercontent.com';

/** The audience configure-aws-credentials asks for in the commercial and GovCloud partitions. */
export const GITHUB_ACTIONS_AUDIENCE = 'sts.amazonaws.com';

/** The audience configure-aws-credentials must ask for in the China partition (aws-cn). */
export const GITHUB_ACTIONS_AUDIENCE_CHINA = 'sts.amazonaws.com.cn';

/** The push and pull actions a role gets on its own repository, and nothing more. */
export const PUSH_PULL_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  // The workflow reads whether the commit's image is already pushed before building it again.
  'ecr:DescribeImages',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/** The actions another account gets on a repository through `pullAccounts`. */
export const PULL_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
];
