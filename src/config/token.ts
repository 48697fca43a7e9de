// The per-install secret that guards the dashboard and the HTTP MCP server: 32 random bytes in a file in the
// state directory that only the user can read, created once and reused by every later run.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DispatchError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/log.js';
import { ownProblem } from '../shared/own-path.js';
import { resolveStateDir, type PathEnv } from './paths.js';

/** The token file's name inside the state directory. */
export const TOKEN_FILE = 'access-token';

/** What a valid token looks like: 32 bytes, base64url. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

// The token file: $XDG_STATE_HOME/agent-dispatch/access-token, else ~/.local/state/agent-dispatch/access-token (pure).
export function resolveTokenPath(pathEnv: PathEnv): string {
  return join(resolveStateDir(pathEnv), TOKEN_FILE);
}

// A fresh token from the system's cryptographic random source.
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token and whether this call created it. */
export interface LoadedToken {
  token: string;
  path: string;
  created: boolean;
}

// Read the token, creating it on first use. A file that others can read, or that holds no valid token, is
// replaced with a new one (an exposed token must stop working); a file owned by someone else is refused.
export function loadOrCreateToken(path: string, options: { logger?: Logger } = {}): LoadedToken {
  const logger = options.logger ?? silentLogger;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const existing = readExisting(path);
  if (existing.kind === 'ok') return { token: existing.token, path, created: false };
  if (existing.kind === 'missing') {
    const token = generateToken();
    const tmp = writeTemp(path, token);
    try {
      // link() fails if another process created the file meanwhile: then both use that one.
      linkSync(tmp, path);
      return { token, path, created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw tokenError(path, error);
      const raced = readExisting(path);
      if (raced.kind === 'ok') return { token: raced.token, path, created: false };
      throw tokenError(path, new Error('another process wrote an unreadable token file'));
    } finally {
      safeUnlink(tmp);
    }
  }
  logger.warn(`the access token file ${path} ${existing.reason}; a new token was created (old dashboard links and HTTP registrations stop working)`);
  const token = generateToken();
  const tmp = writeTemp(path, token);
  try {
    renameSync(tmp, path);
  } catch (error) {
    safeUnlink(tmp);
    throw tokenError(path, error);
  }
  return { token, path, created: true };
}

type Existing = { kind: 'ok'; token: string } | { kind: 'missing' } | { kind: 'replace'; reason: string };

function readExisting(path: string): Existing {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw tokenError(path, error);
  }
  const problem = ownProblem(stat, { type: 'file', closedTo: 0o077 });
  if (problem?.kind === 'owner') {
    throw new DispatchError('STORE_UNAVAILABLE', `The access token file ${path} belongs to another user (uid ${problem.uid}).`, {
      hint: 'Remove it, or set XDG_STATE_HOME to a directory of your own.',
    });
  }
  if (problem?.kind === 'type') return { kind: 'replace', reason: 'is not a regular file' };
  if (problem?.kind === 'mode') return { kind: 'replace', reason: `was readable by others (mode ${problem.mode.toString(8)})` };
  const token = readFileSync(path, 'utf8').trim();
  return TOKEN_PATTERN.test(token) ? { kind: 'ok', token } : { kind: 'replace', reason: 'held no valid token' };
}

// Write the token to an owner-only temp file next to the target.
function writeTemp(path: string, token: string): string {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${token}\n`);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o600);
    return tmp;
  } catch (error) {
    safeUnlink(tmp);
    throw tokenError(path, error);
  }
}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function tokenError(path: string, cause: unknown): DispatchError {
  return new DispatchError('STORE_UNAVAILABLE', `Cannot read or create the access token file ${path}: ${(cause as Error).message}`, {
    hint: 'Check that the state directory is writable by you (XDG_STATE_HOME, else ~/.local/state/agent-dispatch).',
    cause,
  });
}
