import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GithubOidcEcrPipeline, GithubSubject } from '../src';
import { example } from './support/example';
import { newTestStack } from './support/stack';
import { Json, templateOf } from './support/template';
import { CliIo, claimsFromJson, main, readInputFile, rolesFromTemplate } from '../src/cli';
import { TokenClaims, explainRoles } from '../src/explain';

/*
 * `cdk-github-oidc-ecr explain`: reading the claims and the template, the command's output and
 * exit codes, in-process and as a program.
 */

const REPO = 'repo:shamimice03/push-image-to-ecr';
const AUD = 'sts.amazonaws.com';

/** Run the command in-process and capture what it prints. */
function run(argv: string[], files: Record<string, string> = {}): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: t => out.push(t),
    err: t => err.push(t),
    readFile: path => path in files ? files[path] : readFileSync(path, 'utf-8'),
  };
  const code = main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('reading the claims', () => {
  test('claims as GitHub names them; other keys of a decoded payload are ignored', () => {
    expect(claimsFromJson({ sub: 's', aud: 'a', ref: 'r', job_workflow_ref: 'j', repository_id: '1', iss: 'x', exp: 1 }))
      .toEqual({ sub: 's', aud: 'a', ref: 'r', jobWorkflowRef: 'j', repositoryId: '1' });
    expect(() => claimsFromJson({ sub: 's', repository_id: 1 })).toThrow(/repository_id must be a string, got 1/);
    expect(() => claimsFromJson(['sub'])).toThrow(/must be a JSON object/);
    expect(() => claimsFromJson({ iss: 'x' })).toThrow(/name none of aud, sub/);
  });
});

describe('cdk-github-oidc-ecr explain', () => {
  const claimsFile = (claims: object) => {
    const file = join(example().dir, `claims-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(claims));
    return file;
  };

  test('admitted: prints the same report as explain() and exits 0', () => {
    // GIVEN
    const { pipeline, templateFile } = example();
    const claims = { sub: `${REPO}:ref:refs/heads/main`, aud: AUD, ref: 'refs/heads/main', iss: 'https://token.actions.githubusercontent.com' };

    // WHEN
    const { code, out, err } = run(['explain', '--template', templateFile, '--claims', claimsFile(claims)]);

    // THEN
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toBe(pipeline.explain({ sub: claims.sub, aud: AUD, ref: claims.ref }).report);
    expect(out).toContain('Admitted by the role of environment \'prod\'.');
  });

  test('refused: prints each role\'s first failure and fix, exits 1', () => {
    const { pipeline, templateFile } = example();
    const claims = { sub: `${REPO}:ref:refs/heads/feature`, aud: AUD };
    const { code, out } = run(['explain', `--template=${templateFile}`, `--claims=${claimsFile(claims)}`]);
    expect(code).toBe(1);
    expect(out).toBe(pipeline.explain(claims).report);
    expect(out).toContain('fix: run the workflow on branch main');
  });

  test('an immutable-form token against the example (no IDs): reads the IDs from the decoded token and prints the props to set', () => {
    // GIVEN a decoded token payload of a repository created after 2026-07-15
    const { templateFile } = example();
    const claims = {
      sub: 'repo:shamimice03@19733683/push-image-to-ecr@700512837:ref:refs/heads/main',
      aud: AUD,
      repository_id: '700512837',
      repository_owner_id: '19733683',
      iss: 'https://token.actions.githubusercontent.com',
    };
    // WHEN
    const { code, out } = run(['explain', '--template', templateFile, '--claims', claimsFile(claims)]);
    // THEN
    expect(code).toBe(1);
    expect(out).toContain('repository_id \'700512837\', repository_owner_id \'19733683\'');
    expect(out).toContain('fix: the token uses GitHub\'s immutable subject form (repo:shamimice03@19733683/push-image-to-ecr@700512837)');
    expect(out).toContain('set githubOwnerId: \'19733683\' and githubRepositoryId: \'700512837\' on the pipeline and deploy again');
  });

  test.each([
    [['explain', '--claims', 'c.json'], /--template is required/],
    [['explain', '--template', 't.json'], /--claims is required/],
    [['explain', '--template'], /--template needs a file name/],
    [['explain', '--template', 't.json', '--claims', 'c.json', '--verbose'], /unknown argument '--verbose'/],
    [[], /no command given/],
    [['explian'], /unknown command 'explian'/],
    [['explain', '--template', '/nonexistent/t.json', '--claims', 'c.json'], /--template \/nonexistent\/t.json cannot be read/],
    [['explain', '--template', 'bad.json', '--claims', 'c.json'], /--template bad.json is not JSON/],
    [['explain', '--template', 'empty.json', '--claims', 'c.json'], /the template has no Resources/],
    [['explain', '--template', 'noroles.json', '--claims', 'c.json'], /the template has no role made by GithubOidcEcrPipeline/],
    [['explain', '--template', 'EXAMPLE', '--claims', 'numeric.json'], /the claim sub must be a string/],
  ])('bad input %j exits 2', (argv, message) => {
    const files: Record<string, string> = {
      'c.json': JSON.stringify({ sub: 's', aud: AUD }),
      't.json': '{}',
      'bad.json': '{"Resources": ',
      'empty.json': '{}',
      'noroles.json': JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }),
      'numeric.json': '{"sub": 1}',
    };
    const { code, out, err } = run(argv.map(a => a === 'EXAMPLE' ? example().templateFile : a), files);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).toContain('Usage: cdk-github-oidc-ecr explain --template');
  });

  test('fails if an input is not a regular file: /dev/zero and a FIFO are refused at once, never read', () => {
    // GIVEN a FIFO with no writer, which a blocking open would wait on forever
    const dir = mkdtempSync(join(tmpdir(), 'explain-fifo-'));
    const fifo = join(dir, 'claims.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // WHEN / THEN
    expect(() => readInputFile('/dev/zero')).toThrow(/it is not a regular file/);
    expect(() => readInputFile(fifo)).toThrow(/it is not a regular file/);
    expect(() => readInputFile(dir)).toThrow(/it is not a regular file/);
    // And as a program, with a time limit: exit 2, not a hang.
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'src', 'cli.ts'), 'explain', '--template', '/dev/zero', '--claims', fifo], {
      encoding: 'utf-8',
      timeout: 60_000,
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, 'tsconfig.json') },
    });
    expect(child.signal).toBeNull();
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/--template \/dev\/zero cannot be read: it is not a regular file/);
  });

  test('accepts a file of exactly the size limit; fails if it is one byte over, and stops endless standard input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'explain-size-'));
    const file = join(dir, 'claims.json');
    writeFileSync(file, 'x'.repeat(100));
    expect(readInputFile(file, 100)).toBe('x'.repeat(100));
    expect(() => readInputFile(file, 99)).toThrow(/it is 100 bytes, over the limit of 99/);
    // Standard input from /dev/zero never ends: the read stops one byte past the limit.
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e',
      `try { require(${JSON.stringify(join(__dirname, '..', 'src', 'cli.ts'))}).readInputFile('-', 1000); } catch (e) { console.log(e.message); }`], {
      encoding: 'utf-8',
      timeout: 60_000,
      stdio: [openSync('/dev/zero', 'r'), 'pipe', 'pipe'],
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, 'tsconfig.json') },
    });
    expect(child.signal).toBeNull();
    expect(child.stdout).toContain('it is over the limit of 1000 bytes');
  });

  test('fails if the template\'s roles trust a provider of the template for another issuer than their keys name', () => {
    // GIVEN the example's template with its provider's URL changed to a GitHub Enterprise Server
    const template = JSON.parse(readFileSync(example().templateFile, 'utf-8'));
    const claims = { sub: `${REPO}:ref:refs/heads/main`, aud: AUD };
    const admitted = run(['explain', '--template', 'ok.json', '--claims', 'c.json'], { 'ok.json': JSON.stringify(template), 'c.json': JSON.stringify(claims) });
    for (const resource of Object.values<any>(template.Resources)) {
      if (resource.Type === 'AWS::IAM::OIDCProvider') resource.Properties.Url = 'https://ghe.example.com/_services/token';
    }
    // WHEN
    const { code, out } = run(['explain', '--template', 't.json', '--claims', 'c.json'], { 't.json': JSON.stringify(template), 'c.json': JSON.stringify(claims) });
    // THEN
    expect(admitted.code).toBe(0);
    expect(code).toBe(1);
    expect(out).toContain('but the statement trusts the provider for ghe.example.com/_services/token, so STS never sets it');
  });

  test('--help prints the usage and exits 0', () => {
    expect(run(['explain', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Exit code: 0 admitted, 1 refused, 2 bad input.') });
    expect(run(['--help']).code).toBe(0);
  });

  /** A pipeline's template, with or without outputs, and a copy with each role's construct path as the CLI writes it. */
  function templates(environments: Array<{ name: string; id: string }>, outputs: boolean) {
    const { stack } = newTestStack();
    new GithubOidcEcrPipeline(stack, 'Pipeline', {
      githubRepository: 'octo-org/octo-repo',
      outputs,
      environments: environments.map((env, i) => ({ name: env.name, subjects: [GithubSubject.tag(`t${i}`)] })),
    });
    const template = templateOf(stack);
    const withPath = JSON.parse(JSON.stringify(template));
    for (const [logicalId, resource] of Object.entries<Json>(withPath.Resources)) {
      const env = environments.find(e => logicalId.startsWith(`Pipeline${e.id}Role`));
      if (resource.Type === 'AWS::IAM::Role') resource.Metadata = { 'aws:cdk:path': `Test/Pipeline/${env!.id}/Role/Resource` };
    }
    const roleIds = Object.keys(template.Resources).filter(id => template.Resources[id].Type === 'AWS::IAM::Role');
    return { template, withPath, roleIds };
  }

  test('names environments from the outputs, else the construct path, else the logical ID', () => {
    // GIVEN a pipeline without outputs
    const { template, withPath, roleIds } = templates([{ name: 'dev', id: 'Dev' }, { name: 'staging', id: 'Staging' }], false);

    // WHEN
    const fromPath = rolesFromTemplate(withPath).map(r => r.environment);
    const fromIds = rolesFromTemplate(template).map(r => r.environment);

    // THEN
    expect(fromPath).toEqual(['dev', 'staging']);
    expect(fromIds).toEqual(roleIds);
    // And the example's synthesized template names them from its outputs.
    expect(rolesFromTemplate(JSON.parse(readFileSync(example().templateFile, 'utf-8'))).map(r => r.environment)).toEqual(['dev', 'prod']);
  });

  test('fails if dev_eu is labelled dev-eu: the outputs name it exactly; a construct path that two names give is not guessed', () => {
    // GIVEN dev_eu and pre-prod, whose construct ids DevEu and PreProd are also those of dev-eu and pre_prod
    const environments = [{ name: 'dev_eu', id: 'DevEu' }, { name: 'pre-prod', id: 'PreProd' }];
    const withOutputs = templates(environments, true);
    const withoutOutputs = templates(environments, false);
    // WHEN / THEN
    expect(rolesFromTemplate(withOutputs.withPath).map(r => r.environment)).toEqual(['dev_eu', 'pre-prod']);
    expect(rolesFromTemplate(withoutOutputs.withPath).map(r => r.environment)).toEqual(withoutOutputs.roleIds);
  });

  test('runs as a program: report on stdout, exit code 1 when refused', () => {
    // GIVEN
    const { templateFile } = example();
    const claims = JSON.stringify({ sub: `${REPO}:ref:refs/heads/feature`, aud: AUD });

    // WHEN: the source through ts-node, as the compiled lib/cli.js runs it, claims on standard input
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'src', 'cli.ts'), 'explain', '--template', templateFile, '--claims', '-'], {
      encoding: 'utf-8',
      input: claims,
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, 'tsconfig.json') },
    });

    // THEN
    expect(child.stderr).toBe('');
    expect(child.status).toBe(1);
    expect(child.stdout).toContain('Refused: no environment\'s role admits this token.');
    expect(readFileSync(join(__dirname, '..', 'src', 'cli.ts'), 'utf-8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf-8')).bin).toEqual({ 'cdk-github-oidc-ecr': 'lib/cli.js' });
  });

  const compiled = join(__dirname, '..', 'lib', 'cli.js');
  // The modules the command loads, which lib/ must hold compiled from their current source.
  const sources = ['cli.ts', 'explain.ts', 'subject.ts', 'private/constants.ts', 'private/glob.ts', 'private/names.ts'];
  const fresh = existsSync(compiled) && sources.every(f => statSync(join(__dirname, '..', 'src', f)).mtimeMs <= statSync(compiled).mtimeMs);
  (fresh ? test : test.skip)('the compiled lib/cli.js, as npx runs it: exit code 0 when admitted', () => {
    const claims = claimsFile({ sub: `${REPO}:ref:refs/heads/dev`, aud: AUD });
    const child = spawnSync(process.execPath, [compiled, 'explain', '--template', example().templateFile, '--claims', claims], { encoding: 'utf-8' });
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('Admitted by the role of environment \'dev\'.');
  });
});

describe('reading the inputs, case by case', () => {
  const KEY = 'token.actions.githubusercontent.com';
  const SUB = `${REPO}:ref:refs/heads/main`;
  const CLAIMS_OK = { sub: SUB, aud: AUD };

  /** One role's trust policy, as the construct writes it, with a federated principal to choose. */
  const trust = (federated: unknown = { Ref: 'Provider' }, key = KEY) => ({
    Action: 'sts:AssumeRoleWithWebIdentity',
    Effect: 'Allow',
    Condition: { StringEquals: { [`${key}:aud`]: AUD, [`${key}:sub`]: SUB } },
    Principal: { Federated: federated },
  });
  /** A template of one provider and one role, the provider's URL and the role's statements to choose. */
  const template = (statements: unknown[] = [trust()], url: unknown = `https://${KEY}`, extra: Record<string, unknown> = {}) => ({
    Resources: {
      Provider: { Type: 'AWS::IAM::OIDCProvider', Properties: { Url: url } },
      DevRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: statements } }, Metadata: { 'aws:cdk:path': 'S/Pipeline/Dev/Role/Resource' } },
      ...extra,
    },
  });
  const admitted = (t: unknown, claims: TokenClaims = CLAIMS_OK) => explainRoles(rolesFromTemplate(t), claims).admitted;

  test('prints to the process\'s standard output and error when no io is given', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['--help'])).toBe(0);
      expect(main(['explian'])).toBe(2);
      expect(out.mock.calls.map(c => c[0])).toEqual([expect.stringMatching(/^Usage: cdk-github-oidc-ecr explain [^]*Exit code: 0 admitted, 1 refused, 2 bad input\.\n$/)]);
      expect(err.mock.calls.map(c => c[0])).toEqual([expect.stringMatching(/^cdk-github-oidc-ecr: unknown command 'explian'\n\nUsage: [^]*bad input\.\n$/)]);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  test('importing the module runs nothing: only a program run calls main', () => {
    expect(process.exitCode).toBeUndefined();
  });

  test('-h, help and explain -h print the usage, which states the size limit in MiB', () => {
    for (const argv of [['-h'], ['help'], ['explain', '-h'], ['explain', '--help'], ['explain', '--template', 't.json', '-h']]) {
      const { code, out, err } = run(argv);
      expect([argv, code, err]).toEqual([argv, 0, '']);
      expect(out).toContain('Each file must be a regular file (or \'-\') of at most 16 MiB.');
    }
    expect(run(['-H']).code).toBe(2);
    expect(run(['']).code).toBe(2);
  });

  test('fails if an option\'s inline value is empty, and names the option that cannot be read', () => {
    expect(run(['explain', '--template=', '--claims', 'c.json']).err).toMatch(/^cdk-github-oidc-ecr: --template needs a file name\n/);
    expect(run(['explain', '--template', 't.json', '--claims='], { 't.json': '{}' }).err).toMatch(/^cdk-github-oidc-ecr: --claims needs a file name\n/);
    const files = { 't.json': JSON.stringify(template()), 'c.json': '{"sub": ' };
    expect(run(['explain', '--template', 't.json', '--claims', 'c.json'], files).err).toMatch(/^cdk-github-oidc-ecr: --claims c\.json is not JSON: /);
  });

  test('an error that is not bad input is thrown, not reported as exit code 2', () => {
    const io: CliIo = { out: () => { throw new Error('EPIPE: the reader went away'); }, err: () => undefined, readFile: () => '' };
    expect(() => main(['--help'], io)).toThrow(/^EPIPE: the reader went away$/);
  });

  test('fails if the claims are not an object: null, a string, a number; a null claim is left out', () => {
    expect(() => claimsFromJson(null)).toThrow(/^the claims must be a JSON object such as .*, got null$/);
    expect(() => claimsFromJson('repo:o/r')).toThrow(/^the claims must be a JSON object .*, got "repo:o\/r"$/);
    expect(() => claimsFromJson(7)).toThrow(/^the claims must be a JSON object .*, got 7$/);
    expect(claimsFromJson({ sub: 's', aud: 'a', ref: null })).toEqual({ sub: 's', aud: 'a' });
  });

  test('fails if the template or its Resources are not an object', () => {
    for (const bad of [null, 'text', { Resources: null }, { Resources: [] }, { Resources: 'x' }]) {
      expect(() => rolesFromTemplate(bad)).toThrow(/^the template has no Resources; give a synthesized CloudFormation template/);
    }
  });

  test('reads only roles that trust GitHub: a null resource, a role without properties, another service\'s role and another type are skipped', () => {
    const t = template([trust()], `https://${KEY}`, {
      Nothing: null,
      Bare: { Type: 'AWS::IAM::Role' },
      Ec2Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }] } } },
      NotARole: { Type: 'AWS::IAM::ManagedPolicy', Properties: { AssumeRolePolicyDocument: { Statement: [trust()] } } },
    });
    expect(rolesFromTemplate(t).map(r => [r.logicalId, r.environment])).toEqual([['DevRole', 'dev']]);
  });

  test('names a role from an output only when it is the role\'s Arn and the description is the construct\'s', () => {
    const description = 'Role for staging; set it as the GitHub Actions variable AWS_ROLE_ARN_STAGING';
    const withOutputs = (outputs: Record<string, unknown>) => ({ ...template(), Outputs: outputs });
    const named = (outputs: Record<string, unknown>) => rolesFromTemplate(withOutputs(outputs)).map(r => r.environment);
    expect(named({ A: { Description: description, Value: { 'Fn::GetAtt': ['DevRole', 'Arn'] } } })).toEqual(['staging']);
    // Otherwise from the construct path.
    expect(named({
      Empty: null,
      NoValue: { Description: description },
      Literal: { Description: description, Value: 'arn:aws:iam::111122223333:role/dev' },
      RoleId: { Description: description, Value: { 'Fn::GetAtt': ['DevRole', 'RoleId'] } },
      OtherText: { Description: 'The dev role', Value: { 'Fn::GetAtt': ['DevRole', 'Arn'] } },
    })).toEqual(['dev']);
  });

  test('names a role from its construct path only when the path ends in ENV/Role/Resource', () => {
    const pathed = (path: unknown) => {
      const t: any = template();
      t.Resources.DevRole.Metadata = { 'aws:cdk:path': path };
      return rolesFromTemplate(t)[0].environment;
    };
    expect(pathed('S/Pipeline/Dev/Role/Resource')).toBe('dev');
    expect(pathed('Dev/Role/Resource')).toBe('dev');
    for (const other of ['Role/Resource', 'S/Pipeline/Dev/Role/Default', 'S/Pipeline/Dev/Other/Resource', 'S/Pipeline/Dev/Role', 42]) {
      expect([other, pathed(other)]).toEqual([other, 'DevRole']);
    }
  });

  test('two roles of one name are told apart by logical ID; a unique name is left alone', () => {
    const t: any = template();
    t.Resources.DevRole2 = { ...t.Resources.DevRole, Metadata: { 'aws:cdk:path': 'S/Other/Dev/Role/Resource' } };
    t.Resources.ProdRole = { ...t.Resources.DevRole, Metadata: { 'aws:cdk:path': 'S/Pipeline/Prod/Role/Resource' } };
    expect(rolesFromTemplate(t).map(r => r.environment)).toEqual(['dev (DevRole)', 'dev (DevRole2)', 'prod']);
  });

  test('a principal that refers to the template\'s provider reads as that provider\'s ARN; every other principal is left as it is', () => {
    // The provider's URL, with one or more trailing slashes: the role admits the token.
    const policyOf = (t: unknown) => rolesFromTemplate(t)[0].policy as any;
    expect(policyOf(template()).Statement[0].Principal.Federated).toBe(`arn:aws:iam:::oidc-provider/${KEY}`);
    expect(policyOf(template([trust()], `https://${KEY}//`)).Statement[0].Principal.Federated).toBe(`arn:aws:iam:::oidc-provider/${KEY}`);
    expect(admitted(template([trust()], `https://${KEY}/`))).toBe(true);
    // Only a leading https:// is taken off: an URL without it is not read as another issuer.
    expect(policyOf(template([trust(undefined, 'ghe.example.com/x')], 'ghe.example.com/https://x')).Statement[0].Principal.Federated)
      .toBe('arn:aws:iam:::oidc-provider/ghe.example.com/https://x');
    // A Ref to a missing resource, to another type with a Url, or not by a string, and a provider without a URL, stay as they are.
    const custom = { Custom: { Type: 'AWS::CloudFormation::CustomResource', Properties: { Url: `https://${KEY}` } } };
    for (const [federated, url, extra] of [
      [{ Ref: 'Missing' }, `https://${KEY}`, {}],
      [{ Ref: 'Custom' }, `https://${KEY}`, custom],
      [{ Ref: ['Provider'] }, `https://${KEY}`, {}],
      [{ Ref: 'Provider' }, null, {}],
    ] as Array<[unknown, unknown, Record<string, unknown>]>) {
      expect(policyOf(template([trust(federated)], url, extra)).Statement[0].Principal.Federated).toEqual(federated);
    }
    const withoutProperties: any = template();
    delete withoutProperties.Resources.Provider.Properties;
    expect(policyOf(withoutProperties).Statement[0].Principal.Federated).toEqual({ Ref: 'Provider' });
  });

  test('statements without a federated principal, and a lone statement object, are read as written', () => {
    const deny = { Effect: 'Deny', Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [`${KEY}:sub`]: `${REPO}:ref:refs/heads/main` } } };
    const nullPrincipal = { ...trust(null) };
    const policy = rolesFromTemplate(template([trust(), deny, null, nullPrincipal]))[0].policy as any;
    expect(policy.Statement.slice(1)).toEqual([deny, null, nullPrincipal]);
    expect(policy.Statement[1]).toBe(deny);
    // A Deny statement is honoured: the token the Allow admits is refused.
    expect(admitted(template([trust(), deny]))).toBe(false);
    // IAM takes one statement object as well as a list.
    const single: any = template();
    single.Resources.DevRole.Properties.AssumeRolePolicyDocument.Statement = trust();
    expect(admitted(single)).toBe(true);
  });
});

describe('reading a file', () => {
  // Node's own module object, the one src/cli.ts reads its functions from at each call, so that a
  // spy replaces them there (an `import * as` would be a copy).
  const fs = jest.requireActual<Record<string, any>>('fs');
  afterEach(() => jest.restoreAllMocks());

  /** readSync, replaced: each step either returns that many bytes of 'x' or throws an error with that code. */
  function scriptedReads(steps: Array<number | string>) {
    const lengths: number[] = [];
    jest.spyOn(fs, 'readSync').mockImplementation((...args: unknown[]) => {
      const buffer = args[1] as Buffer;
      lengths.push(args[3] as number);
      const step = steps.shift() ?? 0;
      if (typeof step === 'string') throw Object.assign(new Error(`${step}: scripted`), { code: step });
      const n = step === Infinity ? (args[3] as number) : step;
      buffer.fill('x', 0, n);
      return n;
    });
    return lengths;
  }

  test('reads standard input again when it is not ready, and stops at end of file', () => {
    const lengths = scriptedReads(['EAGAIN', 3, 'EAGAIN', 2, 0]);
    expect(readInputFile('-', 100)).toBe('xxxxx');
    expect(lengths).toEqual([101, 101, 98, 98, 96]);
    scriptedReads([4, 'EOF']);
    expect(readInputFile('-', 100)).toBe('xxxx');
  });

  test('fails if a read fails for another reason, with that error', () => {
    scriptedReads(['EIO', 0]);
    expect(() => readInputFile('-', 100)).toThrow(/^EIO: scripted$/);
  });

  test('reads in chunks of at most 64 KiB, and never more than one byte past the limit', () => {
    const lengths = scriptedReads([Infinity, Infinity, Infinity]);
    expect(() => readInputFile('-', 100_000)).toThrow(/^it is over the limit of 100000 bytes$/);
    expect(lengths).toEqual([65_536, 100_001 - 65_536]);
  });

  test('closes the file it opened, and never standard input', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'explain-close-')), 'claims.json');
    writeFileSync(file, '{}');
    const real = fs.closeSync;
    const closed: number[] = [];
    jest.spyOn(fs, 'closeSync').mockImplementation((...args: unknown[]) => {
      closed.push(args[0] as number);
      if (args[0] !== 0) real(args[0]);
    });
    expect(readInputFile(file)).toBe('{}');
    expect(closed).toHaveLength(1);
    expect(closed[0]).toBeGreaterThan(2);
    scriptedReads([2, 0]);
    expect(readInputFile('-')).toBe('xx');
    expect(closed).toHaveLength(1);
  });
});
