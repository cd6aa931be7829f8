import { synthPipeline } from './support/stack';
import * as names from '../src/private/names';

/*
 * Every name derived from an environment's name, and the way back. The expected strings are
 * written out: the construct ids are the logical IDs of live roles and repositories.
 */

describe('names from an environment name', () => {
  test.each([
    ['dev', 'Dev', 'DEV', 'octo-repo-dev'],
    ['pre-prod', 'PreProd', 'PRE_PROD', 'octo-repo-pre-prod'],
    ['dev_eu', 'DevEu', 'DEV_EU', 'octo-repo-dev_eu'],
    ['eu-west_1', 'EuWest1', 'EU_WEST_1', 'octo-repo-eu-west_1'],
  ])('%s: construct id %s, variable suffix %s, default repository %s', (name, id, suffix, repository) => {
    expect(names.environmentConstructId(name)).toBe(id);
    expect(names.githubVariableSuffix(name)).toBe(suffix);
    expect(names.roleArnVariable(name)).toBe(`AWS_ROLE_ARN_${suffix}`);
    expect(names.repositoryVariable(name)).toBe(`ECR_REPOSITORY_${suffix}`);
    expect(names.defaultRepositoryName('octo-repo', name)).toBe(repository);
    expect(names.roleOutputDescription(name)).toBe(`Role for ${name}; set it as the GitHub Actions variable AWS_ROLE_ARN_${suffix}`);
    expect(names.repositoryOutputDescription(name)).toBe(`Repository for ${name}; set its name as the GitHub Actions variable ECR_REPOSITORY_${suffix}`);
  });

  test('the pipeline uses them: construct ids, variables and output descriptions', () => {
    const { pipeline, template } = synthPipeline({ environments: [{ name: 'dev_eu', branches: ['dev'] }, { name: 'pre-prod', branches: ['main'] }] });
    expect(pipeline.environments.map(e => e.node.id)).toEqual(['DevEu', 'PreProd']);
    expect(pipeline.environment('dev_eu').roleArnVariable).toBe('AWS_ROLE_ARN_DEV_EU');
    const descriptions = Object.values<any>(template.toJSON().Outputs).map(o => o.Description);
    expect(descriptions).toEqual(expect.arrayContaining([names.roleOutputDescription('dev_eu'), names.repositoryOutputDescription('pre-prod')]));
  });
});

describe('names read back', () => {
  test.each(['dev', 'dev_eu', 'pre-prod', 'eu-west_1', 'a1'])('the role output of %s gives the name back exactly', (name) => {
    expect(names.environmentOfRoleOutput(names.roleOutputDescription(name))).toBe(name);
  });

  test('fails to read an environment from another output, or from a description changed by hand', () => {
    expect(names.environmentOfRoleOutput(names.repositoryOutputDescription('dev'))).toBeUndefined();
    expect(names.environmentOfRoleOutput('Role for dev; set it as the GitHub Actions variable AWS_ROLE_ARN_PROD')).toBeUndefined();
    expect(names.environmentOfRoleOutput('Role for dev')).toBeUndefined();
    expect(names.environmentOfRoleOutput(undefined)).toBeUndefined();
  });

  test('fails to read an environment whose variable is no GitHub variable name: dev.1 gives AWS_ROLE_ARN_DEV.1', () => {
    // A GitHub Actions variable name has only letters, digits and _, so no pipeline writes this
    // description (the pipeline refuses the name dev.1): the output is not one of its roles.
    expect(names.roleOutputDescription('dev.1')).toBe('Role for dev.1; set it as the GitHub Actions variable AWS_ROLE_ARN_DEV.1');
    expect(names.environmentOfRoleOutput(names.roleOutputDescription('dev.1'))).toBeUndefined();
    expect(names.environmentOfRoleOutput(names.roleOutputDescription('dev1'))).toBe('dev1');
  });

  test('fails to read an environment from a description that is not a string, without throwing', () => {
    // A template read from JSON may hold an intrinsic or a list where a description is expected;
    // a list of the role description reads as that text, and an object without a prototype has no text.
    for (const description of [{ 'Fn::Join': ['', ['Role for dev']] }, [names.roleOutputDescription('dev')], 7, null, Object.create(null)]) {
      expect([description, names.environmentOfRoleOutput(description)]).toEqual([description, undefined]);
    }
  });

  test('a construct id gives the name back only when one name gives that id', () => {
    expect(names.environmentOfConstructId('Dev')).toBe('dev');
    expect(names.environmentOfConstructId('Staging')).toBe('staging');
    // DevEu is dev-eu or dev_eu; Dev1 is dev1, dev-1 or dev_1: no guess.
    for (const id of ['DevEu', 'PreProd', 'Dev1', 'EuWest1']) expect([id, names.environmentOfConstructId(id)]).toEqual([id, undefined]);
    for (const name of ['dev-eu', 'dev_eu']) expect(names.environmentConstructId(name)).toBe('DevEu');
  });
});

describe('pascalCase', () => {
  test('dev-eu_1 becomes DevEu1: words split at - and _, each capitalized', () => {
    expect(names.pascalCase('dev-eu_1')).toBe('DevEu1');
    expect(names.pascalCase('prod')).toBe('Prod');
    expect(names.pascalCase('a_b-c')).toBe('ABC');
  });
});

describe('names from an image name', () => {
  test('an image\'s construct id, output id, default repository, GitHub variable and job', () => {
    // Under the environment pre-prod of the repository prefix octo-repo, the image web-api:
    expect(names.imageRepositoryId('web-api')).toBe('WebApiRepository');
    expect(names.imageRepositoryId('api')).toBe('ApiRepository');
    expect(names.imageOutputId('web_api')).toBe('WebApiRepositoryUri');
    expect(names.imageOutputId('api')).toBe('ApiRepositoryUri');
    expect(names.defaultImageRepositoryName('octo-repo', 'web-api', 'pre-prod')).toBe('octo-repo-web-api-pre-prod');
    // A GitHub variable name has no '-': both the environment and the image turn it into '_'.
    expect(names.imageRepositoryVariable('pre-prod', 'web-api')).toBe('ECR_REPOSITORY_PRE_PROD_WEB_API');
    expect(names.imageRepositoryVariable('dev', 'api')).toBe('ECR_REPOSITORY_DEV_API');
    // A job id may hold '-': the names are kept as they are.
    expect(names.imageJobId('pre-prod', 'web-api')).toBe('pre-prod-web-api');
  });
});
