// A cross-process lock for config edits: an O_EXCL lock file holding the owner's pid. A lock whose owner is
// dead is taken over; a live owner is waited for, up to a bound, and then the edit fails (it never proceeds
// unlocked, so concurrent edits cannot drop each other's agents).
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { DispatchError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/log.js';
import { writeFailed } from './atomic.js';

/** Lock tuning; the defaults suit people and MCP servers alike. */
export interface LockOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Our pid, written into the lock file. */
  pid?: number;
  /** Whether a pid is a live process. */
  isAlive?: (pid: number) => boolean;
  logger?: Logger;
}

// Whether a pid exists (signal 0; EPERM: it exists but belongs to someone else). The lock file holds a bare pid,
// and config/ sits below runner/, so this is not runner/process's start-time check; STALE_MS covers pid reuse.
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// The pid in a lock file, or undefined if it is missing, empty (being written) or garbage.
function holderOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

// Age of a file in ms, or 0 when it is gone.
function ageOf(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

// Create the lock file exclusively; false when it already exists.
function tryCreate(path: string, pid: number): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw writeFailed(path.replace(/\.lock$/, ''), error);
  }
  try {
    writeSync(fd, `${pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

// Remove a stale lock, but only while holding a short-lived guard, so two waiters that both saw the dead
// owner cannot delete a lock that a third process has just created.
function takeOver(path: string, stale: number | undefined, pid: number): void {
  const guard = `${path}.takeover`;
  if (!tryCreate(guard, pid)) {
    if (ageOf(guard) > 5_000) rmSync(guard, { force: true });
    return;
  }
  try {
    if (holderOf(path) === stale) rmSync(path, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
}

const STALE_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Run `fn` while holding the lock file `path`.
export async function withFileLock<T>(path: string, fn: () => T | Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, pid = process.pid, isAlive = pidExists, logger = silentLogger } = options;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; !tryCreate(path, pid); attempt++) {
    const holder = holderOf(path);
    const age = ageOf(path);
    // Edits hold the lock for milliseconds. An empty file older than a second was left by a crash between
    // create and write; a lock with our own pid that predates this process, or any lock older than
    // STALE_MS, belongs to a process that is gone (its pid may have been reused).
    const dead =
      age > STALE_MS ||
      (holder === undefined ? age > 1_000 : holder === pid ? age > process.uptime() * 1000 + 1_000 : !isAlive(holder));
    if (dead) {
      logger.warn(`taking over a stale config lock ${path} (owner ${holder ?? 'unknown'} is gone)`);
      takeOver(path, holder, pid);
      continue;
    }
    if (Date.now() > deadline) {
      throw new DispatchError('CONFIG_WRITE_FAILED', `The config is locked by process ${holder ?? '(unknown)'} (lock file ${path}); gave up after ${Math.round(timeoutMs / 1000)} s.`, {
        hint: `Wait for that process to finish and retry. If it is not an agent-dispatch process, delete ${path}. The config was not changed.`,
      });
    }
    await sleep(Math.min(50, 2 + attempt * 2) + Math.random() * 10);
  }
  try {
    return await fn();
  } finally {
    if (holderOf(path) === pid) rmSync(path, { force: true });
  }
}
