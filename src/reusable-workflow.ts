import { Token } from 'aws-cdk-lib';
import { fail, validateGithubRepository, validateRefName } from './private/validation';

/**
 * A reusable workflow in a central repository, at a pinned ref, that defines the jobs allowed to
 * push. A platform team keeps the build in one file; each application repository calls it.
 *
 * The roles then trust only jobs defined by this file at this ref: the token's
 * `job_workflow_ref` claim names the called workflow, not the caller. The `sub` still names the
 * calling repository and its branch, so the caller's subjects are checked too.
 */
export class GithubReusableWorkflow {
  /**
   * A reusable workflow from its `job_workflow_ref`, as GitHub writes it in the token:
   * `OWNER/REPO/.github/workflows/FILE@REF`, where REF is `refs/heads/BRANCH`, `refs/tags/TAG`
   * or a 40-character commit SHA. No part may hold a wildcard.
   *
   * @param reference e.g. `octo-org/ci/.github/workflows/build.yml@refs/tags/v1`
   */
  public static fromReference(reference: string): GithubReusableWorkflow {
    const property = 'GithubReusableWorkflow.fromReference(reference)';
    if (typeof reference !== 'string' || Token.isUnresolved(reference)) {
      fail(property, reference, 'must be a literal string, not a token resolved at deploy time');
    }
    if (/[*?]/.test(reference)) {
      fail(property, reference, 'must name one workflow file at one ref, with no wildcard: a role trusts exactly the jobs of that file');
    }
    const match = /^([^/]+\/[^/]+)\/\.github\/workflows\/([^/@]+)@(.+)$/.exec(reference);
    if (!match) {
      fail(property, reference, 'must be OWNER/REPO/.github/workflows/FILE@REF, e.g. \'octo-org/ci/.github/workflows/build.yml@refs/tags/v1\'');
    }
    const [, repository, file, ref] = match;
    validateGithubRepository(`${property} repository`, repository);
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.ya?ml$/.test(file)) {
      fail(`${property} file`, file, 'must be a workflow file name of letters, digits, \'.\', \'_\' or \'-\' ending in \'.yml\' or \'.yaml\'');
    }
    // Stryker disable next-line Regex: equivalent without '$': the ref holds no line break (the reference pattern's (.+)$ reaches the end, and '.' stops at one); the '^' mutant, disabled with it, fails test/reusable-workflow.test.ts (checked by hand)
    const named = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
    if (named) {
      validateRefName(`${property} ref`, named[2], named[1] === 'heads' ? 'branch' : 'tag', false);
    } else if (!/^[0-9a-f]{40}$/.test(ref)) {
      fail(`${property} ref`, ref, 'must be refs/heads/BRANCH, refs/tags/TAG or a 40-character commit SHA (the form GitHub writes in job_workflow_ref)');
    }
    return new GithubReusableWorkflow(repository, file, ref);
  }

  /** The central repository, as `owner/repo`. */
  public readonly repository: string;

  /** The workflow file in `.github/workflows/`, e.g. `build.yml`. */
  public readonly file: string;

  /** The pinned ref: `refs/heads/BRANCH`, `refs/tags/TAG` or a commit SHA. */
  public readonly ref: string;

  private constructor(repository: string, file: string, ref: string) {
    this.repository = repository;
    this.file = file;
    this.ref = ref;
  }

  /** The token's `job_workflow_ref` for jobs of this workflow, e.g. `octo-org/ci/.github/workflows/build.yml@refs/tags/v1`. */
  public get reference(): string {
    return `${this.repository}/.github/workflows/${this.file}@${this.ref}`;
  }

  /**
   * What a calling job writes in `uses:`: the ref as a branch or tag name, or the SHA.
   *
   * @internal
   */
  public _uses(): string {
    // Stryker disable next-line Regex: equivalent without '^': a named ref starts with refs/, so the first match is at 0 either way, and a SHA holds no 'refs/'
    return `${this.repository}/.github/workflows/${this.file}@${this.ref.replace(/^refs\/(heads|tags)\//, '')}`;
  }

  /** The `job_workflow_ref` value. */
  public toString(): string {
    return this.reference;
  }
}
