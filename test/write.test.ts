import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { testApp } from './support/stack';
import { buildExampleApp } from '../example/app';
import { resolveWorkflowDirectory } from '../src/private/write';

/*
 * Writing the workflow file: whole or not at all, never through a symbolic link, `.github/...`
 * against the git root.
 */

// The modules src/private/write.ts calls, so that a spy replaces what it calls: an `import * as`
// namespace only has getters onto them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeCrypto = require('crypto') as typeof import('crypto');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFs = require('fs') as typeof import('fs');

/** What `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('writeWorkflow on a hostile or unusual file system', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'write-'));
  const pipeline = () => buildExampleApp(testApp()).pipeline;

  test('fails if a symbolic link is where the workflow goes, and leaves what it points to untouched', () => {
    // GIVEN
    const dir = tmp();
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    fs.symlinkSync(victim, path.join(dir, 'push-image-to-ecr.yml'));
    // WHEN / THEN
    expect(() => pipeline().writeWorkflow(dir)).toThrow(/^directory must not hold a symbolic link where the workflow goes \(.*push-image-to-ecr\.yml\); writing through it would overwrite whatever it points to/);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  });

  test('replaces an existing regular file whole, through a temporary file that does not stay behind', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'push-image-to-ecr.yml'), 'old');
    const built = pipeline();
    const file = built.writeWorkflow(dir);
    expect(fs.readFileSync(file, 'utf8')).toBe(built.renderWorkflow());
    expect(fs.readdirSync(dir)).toEqual(['push-image-to-ecr.yml']);
  });

  test('fails if something is already at the temporary file\'s name, and writes nothing through it', () => {
    // GIVEN an old workflow, and a symbolic link where the temporary file will go (its random part made predictable)
    const dir = tmp();
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    fs.writeFileSync(path.join(dir, 'push-image-to-ecr.yml'), 'old');
    const built = pipeline();
    const random = jest.spyOn(nodeCrypto, 'randomBytes').mockImplementation((size: number) => Buffer.alloc(size));
    try {
      fs.symlinkSync(victim, path.join(dir, `.push-image-to-ecr.yml.${process.pid}.000000000000.tmp`));
      // WHEN
      const error = thrown(() => built.writeWorkflow(dir));
      // THEN
      expect(error).toMatchObject({ code: 'EEXIST' });
    } finally {
      random.mockRestore();
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    expect(fs.readFileSync(path.join(dir, 'push-image-to-ecr.yml'), 'utf8')).toBe('old');
  });

  test('fails with the rename\'s error if the rename fails, keeping the old workflow and removing the temporary file', () => {
    // GIVEN an old workflow, and a rename that fails
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'push-image-to-ecr.yml'), 'old');
    const built = pipeline();
    const failure = Object.assign(new Error('EACCES: permission denied, rename'), { code: 'EACCES' });
    const rename = jest.spyOn(nodeFs, 'renameSync').mockImplementationOnce(() => {
      throw failure;
    });
    try {
      // WHEN / THEN
      expect(thrown(() => built.writeWorkflow(dir))).toBe(failure);
    } finally {
      rename.mockRestore();
    }
    expect(fs.readdirSync(dir)).toEqual(['push-image-to-ecr.yml']);
    expect(fs.readFileSync(path.join(dir, 'push-image-to-ecr.yml'), 'utf8')).toBe('old');
  });

  test('fails with the rename\'s error if another process removed the temporary file before the rename', () => {
    // GIVEN a rename that finds the temporary file gone, as a cleaner running beside the app would leave it
    const dir = tmp();
    const built = pipeline();
    const realRename = nodeFs.renameSync;
    const rename = jest.spyOn(nodeFs, 'renameSync').mockImplementationOnce((from, to) => {
      fs.rmSync(from);
      realRename(from, to);
    });
    try {
      // WHEN / THEN: the error is the rename's, not one from cleaning up what is already gone
      expect(thrown(() => built.writeWorkflow(dir))).toMatchObject({ code: 'ENOENT', syscall: 'rename' });
    } finally {
      rename.mockRestore();
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('fails with a clear message if a file is where the directory should be, not a raw EEXIST', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '.github'), 'not a directory');
    expect(() => pipeline().writeWorkflow(path.join(dir, '.github', 'workflows')))
      .toThrow(new RegExp(`^directory must be a directory, but ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\.github is a file`));
    expect(() => pipeline().writeWorkflow(path.join(dir, '.github'))).toThrow(/^directory must be a directory, but .*\.github is a file/);
    // With a trailing '/', the same message, not a raw ENOTDIR from mkdir.
    expect(() => pipeline().writeWorkflow(`${path.join(dir, '.github')}/`)).toThrow(/^directory must be a directory, but .*\.github is a file/);
    const target = path.join(tmp(), 'push-image-to-ecr.yml');
    fs.mkdirSync(target);
    expect(() => pipeline().writeWorkflow(path.dirname(target))).toThrow(/^directory must not hold a directory or other non-file where the workflow goes/);
  });

  test('resolves a relative .github/workflows against the git root and returns the absolute path; other relative paths against the working directory', () => {
    // GIVEN a repository with the CDK app in infra/
    const root = tmp();
    fs.mkdirSync(path.join(root, '.git'));
    const infra = path.join(root, 'infra');
    fs.mkdirSync(infra);
    const built = pipeline();
    const cwd = process.cwd();
    let written: string;
    let other: string;
    try {
      process.chdir(infra);
      // WHEN
      written = built.writeWorkflow('.github/workflows');
      other = built.writeWorkflow('generated');
    } finally {
      process.chdir(cwd);
    }
    // THEN
    expect(written).toBe(path.join(fs.realpathSync(root), '.github', 'workflows', 'push-image-to-ecr.yml'));
    expect(fs.existsSync(path.join(infra, '.github'))).toBe(false);
    expect(other).toBe(path.join(fs.realpathSync(infra), 'generated', 'push-image-to-ecr.yml'));
  });

  test('outside any git work tree, a relative .github/workflows resolves against the working directory', () => {
    expect(resolveWorkflowDirectory('.github/workflows', '/')).toBe('/.github/workflows');
  });
});
