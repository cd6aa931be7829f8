import { randomBytes } from 'crypto';
import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, normalize, resolve, sep } from 'path';
import { fail } from './validation';

/**
 * Write a workflow file and return its absolute path.
 *
 * A relative directory that starts with `.github` is resolved against the root of the git work
 * tree around the working directory, since GitHub reads workflows only from there: run from
 * `infra/` of a monorepo, `.github/workflows` still means the repository's. Any other relative
 * directory is resolved against the working directory.
 *
 * The file is written to a temporary file beside it and renamed over the target, so a reader
 * never sees half a file; a symbolic link at the target is refused rather than followed.
 */
export function writeWorkflowFile(directory: string, fileName: string, content: string): string {
  const dir = resolveWorkflowDirectory(directory);
  makeDirectory(directory, dir);
  const file = join(dir, fileName);
  const existing = lstatOrUndefined(file);
  if (existing?.isSymbolicLink()) {
    fail('directory', directory, `must not hold a symbolic link where the workflow goes (${file}); writing through it would overwrite whatever it points to, so remove the link`);
  }
  if (existing !== undefined && !existing.isFile()) {
    fail('directory', directory, `must not hold a directory or other non-file where the workflow goes (${file})`);
  }
  const temporary = join(dir, `.${fileName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' fails rather than follow anything already at the temporary name.
  writeFileSync(temporary, content, { flag: 'wx', mode: 0o644 });
  try {
    renameSync(temporary, file);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
  return file;
}

/** The absolute directory: `.github/...` against the git root, other relative paths against the working directory. */
export function resolveWorkflowDirectory(directory: string, cwd: string = process.cwd()): string {
  // An absolute directory's first part is '' (resolve keeps it as it is, without a trailing '/').
  const first = normalize(directory).split(sep)[0];
  if (first === '.github') {
    const root = gitRoot(cwd);
    if (root !== undefined) return resolve(root, directory);
  }
  return resolve(cwd, directory);
}

/** The nearest directory at or above `from` that holds `.git` (a directory, or a file in a linked work tree). */
function gitRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function makeDirectory(given: string, dir: string): void {
  // Find the first part of the path that exists but is not a directory, before mkdir trips on it.
  for (let part = dir; ; part = dirname(part)) {
    const stat = statOrUndefined(part);
    if (stat !== undefined) {
      if (!stat.isDirectory()) {
        fail('directory', given, `must be a directory, but ${part} is a file (or another non-directory); remove it or choose another directory`);
      }
      break;
    }
    // Stryker disable next-line ConditionalExpression: equivalent for 'false': dir is absolute and the file system's root always exists, so the break above ends the walk first; kept so that the walk can never loop
    if (dirname(part) === part) break;
  }
  mkdirSync(dir, { recursive: true });
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    // Nothing there, or nothing readable: undefined, below.
  }
  return undefined;
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    // Nothing there, or nothing readable: undefined, below.
  }
  return undefined;
}
