/**
 * A change to the rendered workflow, addressed by a JSON Pointer (RFC 6901) into the workflow
 * as an object: `/jobs/dev/timeout-minutes`, `/jobs/prod/steps/0`, `/jobs/dev/steps/-` (after
 * the last step). `~1` stands for `/` in a key and `~0` for `~`.
 *
 * Give patches to `WorkflowOptions.patches`. A patch that would break a rule of the generated
 * workflow (its triggers, permissions, job conditions) is refused when the workflow is rendered.
 *
 * @example
 * declare const pipeline: GithubOidcEcrPipeline;
 * pipeline.renderWorkflow({
 *   patches: [
 *     WorkflowPatch.add('/jobs/dev/timeout-minutes', 15),
 *     WorkflowPatch.add('/concurrency', { 'group': 'push-image', 'cancel-in-progress': false }),
 *   ],
 * });
 */
export class WorkflowPatch {
  /**
   * Add a value: set the key of an object, or insert into an array before the index (`-`
   * appends). The parent must exist.
   *
   * @param path a JSON Pointer to the new value's place
   * @param value the value, of JSON types
   */
  public static add(path: string, value: any): WorkflowPatch {
    return new WorkflowPatch('add', path, value);
  }

  /**
   * Replace a value that exists.
   *
   * @param path a JSON Pointer to the value
   * @param value the new value, of JSON types
   */
  public static replace(path: string, value: any): WorkflowPatch {
    return new WorkflowPatch('replace', path, value);
  }

  /**
   * Remove a value that exists.
   *
   * @param path a JSON Pointer to the value
   */
  public static remove(path: string): WorkflowPatch {
    return new WorkflowPatch('remove', path, undefined);
  }

  /** `add`, `replace` or `remove`. */
  public readonly op: string;

  /** The JSON Pointer the patch applies to. */
  public readonly path: string;

  /**
   * The value added or put in place.
   *
   * @default - none, for `remove`
   */
  public readonly value?: any;

  private constructor(op: string, path: string, value: any) {
    this.op = op;
    this.path = path;
    this.value = value;
  }

  /** As `add /path` and the like, for error messages. */
  public toString(): string {
    return `${this.op} ${this.path}`;
  }
}
