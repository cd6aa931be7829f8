/*
 * What the construct must produce, written by hand from AWS's and GitHub's documentation, never
 * from the construct's own constants, so that a wrong constant fails a test.
 */

/** The push and pull actions a role may call on its own repository, and nothing more. */
export const PUSH_PULL_ACTIONS = [
  'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:DescribeImages',
  'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
];

/** The repository part of a `sub` in each form GitHub sends: `OWNER/REPO`, and with IDs `OWNER@ID/REPO@ID`. */
export function repositoryForms(owner: string, repo: string, ids?: { ownerId: string; repositoryId: string }): string[] {
  return ids === undefined ? [`${owner}/${repo}`] : [`${owner}/${repo}`, `${owner}@${ids.ownerId}/${repo}@${ids.repositoryId}`];
}

/** Each `sub` a role must admit for a context such as `ref:refs/heads/main`: one per repository form. */
export function subjectForms(owner: string, repo: string, ids: { ownerId: string; repositoryId: string } | undefined, context: string): string[] {
  return repositoryForms(owner, repo, ids).map(repository => `repo:${repository}:${context}`);
}
