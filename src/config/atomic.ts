// Durable writes for the config: a temp file in the same directory, fsync, then rename, so a crash never
// leaves a truncated agents.yaml. Files are 0600 and a created directory 0700 (it records paths and permissions).
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DispatchError } from '../shared/errors.js';

// A CONFIG_WRITE_FAILED error that says what went wrong in words.
export function writeFailed(path: string, error: unknown): DispatchError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'a parent of it is a file, not a directory'
            : (error as Error).message;
  return new DispatchError('CONFIG_WRITE_FAILED', `Cannot write the config ${path}: ${why}.`, {
    hint: 'Make its directory writable, or set AGENT_DISPATCH_CONFIG to a file in a writable directory. The config was not changed.',
    cause: error,
  });
}

// Create the config directory (owner-only) when it is missing.
export function ensureConfigDir(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw writeFailed(path, error);
  }
}

// A rename replaces even a read-only file, so a file the user made read-only (or cannot write) is refused first.
// The owner's write bit is checked too: root passes every access check.
export function assertWritable(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return; // missing: it will be created
  }
  let writable = (mode & 0o200) !== 0;
  try {
    accessSync(path, constants.W_OK);
  } catch {
    writable = false;
  }
  if (writable) return;
  throw new DispatchError('CONFIG_WRITE_FAILED', `The config ${path} is read-only (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); agent-dispatch does not replace a file you cannot write.`, {
    hint: `To allow edits, make it writable: chmod u+w ${path}. Or edit a writable copy and point AGENT_DISPATCH_CONFIG at it. The config was not changed.`,
  });
}

// Replace `path` with `text` atomically: write a temp file beside it, fsync, rename over.
export function writeFileAtomic(path: string, text: string): void {
  assertWritable(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw writeFailed(path, error);
  }
}
