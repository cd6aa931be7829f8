import { pascalCase } from './text';

/*
 * Every name derived from an image, in one place: the repository's construct id and output id
 * under its environment, its default ECR name, its GitHub variable and its workflow job id.
 */

/** `api` → `ApiRepository`, the construct id of the image's repository under its environment. */
export function imageRepositoryId(image: string): string {
  return `${pascalCase(image)}Repository`;
}

/** `api` → `ApiRepositoryUri`, the id of the image repository's output under its environment. */
export function imageOutputId(image: string): string {
  return `${pascalCase(image)}RepositoryUri`;
}

/** The default ECR repository name of an image in an environment: `${prefix}-${image}-${environment}`. */
export function defaultImageRepositoryName(prefix: string, image: string, environment: string): string {
  return `${prefix}-${image}-${environment}`;
}

/** `ECR_REPOSITORY_${ENV}_${IMAGE}`: upper case, `-` becomes `_`. */
export function imageRepositoryVariable(environment: string, image: string): string {
  return `ECR_REPOSITORY_${variablePart(environment)}_${variablePart(image)}`;
}

/** The workflow job of an image in an environment: `${environment}-${image}`. */
export function imageJobId(environment: string, image: string): string {
  return `${environment}-${image}`;
}

function variablePart(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}
