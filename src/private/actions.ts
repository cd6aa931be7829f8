/** An action the workflow uses, pinned by commit; the release is written beside it as a comment. */
export interface PinnedAction {
  /** The action's GitHub repository, `owner/name`. */
  readonly repository: string;
  /** The commit the release tag points to (for an annotated tag, the commit, not the tag object). */
  readonly commit: string;
  /** The full release tag, written beside the commit in the workflow. */
  readonly release: string;
  /** `runs.using` of the release's action.yml: the runners force node20 actions onto Node 24. */
  readonly runs: 'node24';
}

/*
 * The default actions, pinned by commit SHA, because a tag (even a full release tag) can be moved
 * by whoever controls the action's repository, and these actions handle the role's credentials.
 *
 * One line an action, so a bump is a one-line change. Each line was checked against the action's
 * own repository: `git rev-parse RELEASE^{commit}` is the commit, and `git show RELEASE:action.yml`
 * has `runs.using: node24`. `node scripts/verify-actions.mjs` repeats both checks for every line.
 * The @default of each `*Version` option in src/workflow.ts names the same commit and release, and
 * test/actions.test.ts fails until they agree.
 */
export const DEFAULT_ACTIONS = {
  checkout: { repository: 'actions/checkout', commit: '3d3c42e5aac5ba805825da76410c181273ba90b1', release: 'v7.0.1', runs: 'node24' },
  configureAwsCredentials: { repository: 'aws-actions/configure-aws-credentials', commit: 'e6de054238d6b7531b4efff3b6587d9aade6a06c', release: 'v6.2.3', runs: 'node24' },
  amazonEcrLogin: { repository: 'aws-actions/amazon-ecr-login', commit: '03f1aad4c6c7ffd436567f42f9384779290529bd', release: 'v2.1.7', runs: 'node24' },
  setupBuildx: { repository: 'docker/setup-buildx-action', commit: '37fe631027851001ddb9b187196cc803df7f5f0e', release: 'v4.3.0', runs: 'node24' },
  buildPush: { repository: 'docker/build-push-action', commit: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a', release: 'v7.3.0', runs: 'node24' },
  setupQemu: { repository: 'docker/setup-qemu-action', commit: '96fe6ef7f33517b61c61be40b68a1882f3264fb8', release: 'v4.2.0', runs: 'node24' },
  attest: { repository: 'actions/attest', commit: '1e69f48acb82d1966a394da916b4c1698aa569d6', release: 'v4.2.2', runs: 'node24' },
  sbom: { repository: 'anchore/sbom-action', commit: 'e22c389904149dbc22b58101806040fa8d37a610', release: 'v0.24.0', runs: 'node24' },
  pathsFilter: { repository: 'dorny/paths-filter', commit: '7b450fff21473bca461d4b92ce414b9d0420d706', release: 'v4.0.2', runs: 'node24' },
} satisfies Record<string, PinnedAction>;

/** The option of `WorkflowOptions` that overrides each default action. */
export const VERSION_OPTIONS: { readonly [K in keyof typeof DEFAULT_ACTIONS]: string } = {
  checkout: 'checkoutVersion',
  configureAwsCredentials: 'configureAwsCredentialsVersion',
  amazonEcrLogin: 'amazonEcrLoginVersion',
  setupBuildx: 'setupBuildxVersion',
  buildPush: 'buildPushVersion',
  setupQemu: 'setupQemuVersion',
  // Options of WorkflowOptions.supplyChain (src/supply-chain.ts).
  attest: 'supplyChain.attestVersion',
  sbom: 'supplyChain.sbomActionVersion',
  pathsFilter: 'pathsFilterVersion',
};
