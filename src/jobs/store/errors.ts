// Maps SQLite and file-system failures to DispatchError STORE_UNAVAILABLE with a hint a person can act on.
import { DispatchError, isDispatchError } from '../../shared/errors.js';

const code = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? '');

// SQLite says the file is not a database or its pages are damaged.
export function isCorruption(error: unknown): boolean {
  const c = code(error);
  return c.startsWith('SQLITE_CORRUPT') || c === 'SQLITE_NOTADB';
}

// Another connection holds the lock past the busy timeout.
export function isBusy(error: unknown): boolean {
  const c = code(error);
  return c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED');
}

// What a process can meet while others create the same database file at the same moment: a lock the switch to WAL
// did not wait for (SQLITE_BUSY, or SQLITE_PROTOCOL from the WAL-index), or a file not yet whole (corrupt, not a
// database). Worth another try on a young file (db.ts), never on an old one.
export function isOpenRace(error: unknown): boolean {
  return isBusy(error) || isCorruption(error) || code(error) === 'SQLITE_PROTOCOL';
}

// Wrap anything the database layer threw; DispatchErrors pass through unchanged.
export function toStoreError(error: unknown, path: string): Error {
  if (isDispatchError(error)) return error;
  const c = code(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (isBusy(error)) {
    return new DispatchError('STORE_UNAVAILABLE', `The job database ${path} is locked by another process (${detail}).`, {
      hint: 'Retry in a moment; if it persists, look for a stuck agent-dispatch process holding the database.',
      cause: error,
    });
  }
  if (isCorruption(error)) {
    return new DispatchError('STORE_UNAVAILABLE', `The job database ${path} is corrupt (${detail}).`, {
      hint: 'It is moved aside automatically and a fresh database is started on the next call.',
      cause: error,
    });
  }
  if (c.startsWith('SQLITE_') || c.startsWith('E')) {
    return new DispatchError('STORE_UNAVAILABLE', `The job database ${path} cannot be used: ${detail}.`, {
      hint: 'Check that the state directory exists, is writable by you and is not full (set XDG_STATE_HOME to move it).',
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(detail);
}
