/*
 * Every name derived from an environment's name, in one place, and the way back: the construct
 * id, the GitHub Actions variables, the default repository and the stack outputs' descriptions.
 * The explain command reads them back from a synthesized template.
 */

/** `dev-eu_1` → `DevEu1`: words split at `-` and `_`, each capitalized. */
export function pascalCase(name: string): string {
  return name.split(/[-_]/).map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/** The construct id of an environment, under its pipeline: `pre-prod` → `PreProd`. */
export function environmentConstructId(name: string): string {
  return pascalCase(name);
}

/**
 * The environment's name as the construct id `id` spells it, when only one name gives that id:
 * one word of lower-case letters. `PreProd` may be `pre-prod` or `pre_prod`, and `Dev1` `dev1`
 * or `dev-1`, so those give none rather than a guess.
 */
export function environmentOfConstructId(id: string): string | undefined {
  return /^[A-Z][a-z]*$/.test(id) ? id.toLowerCase() : undefined;
}

/** The suffix of the environment's GitHub Actions variables: `pre-prod` → `PRE_PROD` (a variable name has no `-`). */
export function githubVariableSuffix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** The GitHub Actions variable the workflow reads the role ARN from. */
export function roleArnVariable(name: string): string {
  return `AWS_ROLE_ARN_${githubVariableSuffix(name)}`;
}

/** The GitHub Actions variable the workflow reads the repository name from. */
export function repositoryVariable(name: string): string {
  return `ECR_REPOSITORY_${githubVariableSuffix(name)}`;
}

/** The repository an environment creates when it is given no name: `${prefix}-${name}`. */
export function defaultRepositoryName(prefix: string, name: string): string {
  return `${prefix}-${name}`;
}

// Stryker disable next-line Regex: equivalent without '^': a match after index 0 names an environment whose own description, which the caller compares whole, starts with 'Role for' at index 0 only
const ROLE_OUTPUT = /^Role for (\S+); set it as the GitHub Actions variable AWS_ROLE_ARN_\w+$/;

/** The description of the stack output that holds the environment's role ARN. */
export function roleOutputDescription(name: string): string {
  return `Role for ${name}; set it as the GitHub Actions variable ${roleArnVariable(name)}`;
}

/** The description of the stack output that holds the environment's repository URI. */
export function repositoryOutputDescription(name: string): string {
  return `Repository for ${name}; set its name as the GitHub Actions variable ${repositoryVariable(name)}`;
}

/** The environment a role-ARN output describes, from its description; none for another output. */
export function environmentOfRoleOutput(description: unknown): string | undefined {
  const name = typeof description === 'string' ? ROLE_OUTPUT.exec(description)?.[1] : undefined;
  return name !== undefined && roleOutputDescription(name) === description ? name : undefined;
}


// ---------------------------------------------------------------------------------------------
// Names derived from an image (several images, `images`):
// the repository's construct id and output id under its environment, its default ECR name, its
// GitHub variable and its workflow job id.

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
  return `ECR_REPOSITORY_${githubVariableSuffix(environment)}_${githubVariableSuffix(image)}`;
}

/** The workflow job of an image in an environment: `${environment}-${image}`. */
export function imageJobId(environment: string, image: string): string {
  return `${environment}-${image}`;
}
