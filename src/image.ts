import { Token } from 'aws-cdk-lib';
import { imageRepositoryId } from './private/names';
import { checkArray, checkType } from './private/types';
import { fail } from './private/validation';

/**
 * One image that the pipeline builds from the GitHub repository, e.g. one service of a monorepo.
 * Each environment gets one ECR repository for it, and the workflow one job per image and
 * environment.
 */
export interface PipelineImage {
  /**
   * Name of the image. It names the image's repository in each environment, its construct id, its
   * workflow jobs and its GitHub variables, so it is 1 to 32 lower-case letters, digits, `-` or
   * `_`, starting with a letter, and unique.
   *
   * @example 'api'
   */
  readonly name: string;

  /**
   * Path of the image's Dockerfile, relative to the root of the GitHub repository.
   *
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;

  /**
   * The image's build context, relative to the root of the GitHub repository.
   *
   * @default '.'
   */
  readonly buildContext?: string;

  /**
   * Paths whose changes build the image, as GitHub path filter globs relative to the root of the
   * repository (e.g. `services/api/**`). A push that changes none of them skips the image's jobs;
   * a tag push or a manual run builds every image. A negation (`!...`) is not supported: list
   * the paths to include.
   *
   * @default - every push builds the image
   */
  readonly paths?: string[];
}

/** An image, checked, with its defaults filled in. */
export interface ImagePlan {
  readonly name: string;
  readonly dockerfile: string;
  readonly buildContext: string;
  /** The path filters; none when every push builds the image. */
  readonly paths?: string[];
}

/**
 * Check the pipeline's `images`, which the pipeline's type checks have found to be an array of
 * objects or undefined; undefined stays undefined (one image, as without the prop).
 */
export function planImages(images: PipelineImage[] | undefined): ImagePlan[] | undefined {
  if (images === undefined) return undefined;
  if (images.length === 0) fail('images', images, 'must list at least one image, or be left out for the single image of the repository root');
  return images.map((image, i) => {
    const path = `images[${i}]`;
    checkType(`${path}.name`, image.name, 'string', false);
    if (Token.isUnresolved(image.name) || !/^[a-z][a-z0-9_-]{0,31}$/.test(image.name)) {
      fail(`${path}.name`, image.name, 'must be 1 to 32 lower-case letters, digits, \'-\' or \'_\', starting with a letter (it names repositories, construct ids, jobs and GitHub variables)');
    }
    const same = images.findIndex(other => other.name === image.name);
    if (same !== i) fail(`${path}.name`, image.name, `must be unique; images[${same}].name is the same`);
    // 'a-b' and 'a_b' make one construct id (ABRepository) and one GitHub variable suffix (A_B).
    const sameId = images.findIndex(other => imageRepositoryId(other.name) === imageRepositoryId(image.name));
    if (sameId !== i) {
      fail(`${path}.name`, image.name, `must differ from images[${sameId}].name ('${images[sameId].name}') in more than '-' and '_': both make the construct id '${imageRepositoryId(image.name)}' and the same GitHub variables`);
    }
    const dockerfile = image.dockerfile ?? 'Dockerfile';
    checkWorkflowText(`${path}.dockerfile`, dockerfile);
    const buildContext = image.buildContext ?? '.';
    checkWorkflowText(`${path}.buildContext`, buildContext);
    checkArray(`${path}.paths`, image.paths, 'string', true);
    if (image.paths !== undefined) {
      if (image.paths.length === 0) fail(`${path}.paths`, image.paths, 'must list at least one path glob, or be left out so that every push builds the image');
      image.paths.forEach((glob, j) => checkPathGlob(`${path}.paths[${j}]`, glob));
    }
    return { name: image.name, dockerfile, buildContext, paths: image.paths && [...image.paths] };
  });
}

/** A value written into the workflow as it is: a literal single line, without `${{`. */
function checkWorkflowText(property: string, value: unknown): void {
  checkType(property, value, 'string', false);
  const text = value as string;
  if (Token.isUnresolved(text)) fail(property, text, 'must be a literal, not a token resolved at deploy time');
  // eslint-disable-next-line no-control-regex
  if (text.trim().length === 0 || /[\x00-\x1f\x7f]/.test(text)) fail(property, text, 'must be a non-empty single line');
  if (text.includes('${{')) fail(property, text, 'must not contain \'${{\': GitHub would evaluate it as an expression in the workflow');
}

/**
 * A GitHub path filter glob (`*`, `**`, `?`, `+`, `[]` as GitHub reads them). Paths are relative
 * to the repository root, so a leading `/` never matches; a negation is refused, because the
 * workflow's `on.push.paths` is the union of every image's globs, where a negation of one image
 * would drop the paths of another.
 */
function checkPathGlob(property: string, glob: string): void {
  checkWorkflowText(property, glob);
  if (glob.startsWith('/')) fail(property, glob, 'must be relative to the repository root, without a leading \'/\' (GitHub matches paths like \'services/api/main.go\')');
  if (glob.startsWith('!')) fail(property, glob, 'must not be a negation (\'!\'): the workflow\'s push paths are the union of every image\'s, where a negation would also drop other images\' paths; list the paths to include');
  if (glob !== glob.trim()) fail(property, glob, 'must not start or end with spaces');
}
