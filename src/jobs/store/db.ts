// Opens the shared SQLite file and keeps it usable: owner-only permissions, WAL, a short busy timeout,
// migrations, a corrupt file moved aside, and a reopen when the file is deleted or replaced under us.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Logger } from '../../shared/log.js';
import { migrate, type Migration } from './migrations.js';
import { isCorruption, isOpenRace, toStoreError } from './errors.js';
import { keep } from './keep.js';

/** A reopenable connection with a prepared-statement cache. */
export interface Connection {
  readonly path: string;
  /** Increases whenever the file is (re)opened: anything cached from an older file is stale. */
  readonly generation: number;
  /** A cached prepared statement on the current handle. */
  prepare(sql: string): Database.Statement;
  /** Runs `fn` in a BEGIN IMMEDIATE transaction (a write lock taken up front, so no upgrade deadlock). */
  write<T>(fn: () => T): T;
  /** Runs `fn` in a read transaction: one consistent snapshot across several statements. */
  read<T>(fn: () => T): T;
  /** Changes whenever another connection commits (a no-I/O check). */
  dataVersion(): number;
  /** Reopens if the file was deleted or replaced; returns true when it did. */
  ensure(): boolean;
  /** Moves a corrupt file aside; the next ensure() starts a fresh database. Returns the new name. */
  quarantine(): string;
  close(): void;
}

/** Options of openConnection. */
export interface ConnectionOptions {
  path: string;
  busyTimeoutMs: number;
  logger: Logger;
  now: () => number;
  migrations?: readonly Migration[];
}

// better-sqlite3 finds its addon through the `bindings` package, which tries a dozen paths (2–3 ms at a process's
// first open). The addon is named directly where npm puts it, prebuilt or compiled (build/Release); the bundled
// `bindings` (scripts/build.mjs) would look beside our own package instead, and fail with its own clear error.
let nativeBinding: string | null | undefined;
function addonOptions(): { nativeBinding?: string } {
  if (nativeBinding === undefined) {
    try {
      nativeBinding = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    } catch {
      nativeBinding = null;
    }
  }
  return nativeBinding === null ? {} : { nativeBinding };
}

// Open (creating if needed) the job database.
export function openConnection(options: ConnectionOptions): Connection {
  const { path, logger } = options;
  let db: Database.Database | undefined;
  let identity = '';
  let statements = new Map<string, Database.Statement>();

  const fileIdentity = (): string => {
    try {
      const s = statSync(path);
      return `${s.dev}:${s.ino}`;
    } catch {
      return '';
    }
  };

  const open = (): Database.Database => {
    prepareFile(path);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return configure(keep(new Database(path, { timeout: options.busyTimeoutMs, ...addonOptions() })), options);
      } catch (error) {
        // Moving aside a file another process is still setting up would split them between two databases, and
        // a lock the switch to WAL did not wait for is gone a moment later: so a young file is tried again
        // before it counts as locked or corrupt.
        if (isOpenRace(error) && attempt < OPEN_ATTEMPTS && isYoung(path)) {
          pause(OPEN_RETRY_MS * attempt);
          continue;
        }
        if (!isCorruption(error)) throw toStoreError(error, path);
        const aside = moveAside(path, options.now());
        logger.warn(`the job database ${path} was unreadable (${(error as Error).message}); moved it to ${aside} and started a fresh one`);
        prepareFile(path);
        try {
          return configure(keep(new Database(path, { timeout: options.busyTimeoutMs, ...addonOptions() })), options);
        } catch (again) {
          throw toStoreError(again, path);
        }
      }
    }
  };

  let generation = 0;
  const connect = () => {
    db = open();
    generation += 1;
    identity = fileIdentity();
    // Kept with its database: a statement must never become garbage (see keep.ts), so nothing prepares twice.
    statements = keep(new Map());
  };

  const current = (): Database.Database => {
    if (!db) connect();
    return db as Database.Database;
  };

  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = current().prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  connect();
  return {
    path,
    get generation() {
      return generation;
    },
    prepare,
    write(fn) {
      return current().transaction(fn).immediate();
    },
    read(fn) {
      return current().transaction(fn).deferred();
    },
    dataVersion() {
      return prepare('PRAGMA data_version').pluck().get() as number;
    },
    ensure() {
      if (db && fileIdentity() === identity && identity !== '') return false;
      if (db) logger.warn(`the job database ${path} was deleted or replaced; reopening it`);
      db?.close();
      db = undefined;
      connect();
      return true;
    },
    quarantine() {
      db?.close();
      db = undefined;
      return moveAside(path, options.now());
    },
    close() {
      db?.close();
      db = undefined;
    },
  };
}

function configure(db: Database.Database, options: ConnectionOptions): Database.Database {
  try {
    // exec, not pragma(): pragma() prepares a new statement on every call (see keep.ts).
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db, options.migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

// Opening a file younger than this that fails as busy or corrupt is tried again, up to OPEN_ATTEMPTS times, waiting
// OPEN_RETRY_MS more each time (about 1.1 s in all): far longer than setting up a new database takes.
const YOUNG_MS = 10_000;
const OPEN_ATTEMPTS = 8;
const OPEN_RETRY_MS = 40;

// True when the file was modified in the last few seconds: another process may be creating it right now.
function isYoung(path: string, now = Date.now()): boolean {
  try {
    return now - statSync(path).mtimeMs < YOUNG_MS;
  } catch {
    return false;
  }
}

// Block this thread for `ms` (opening is synchronous, and happens once per process).
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Create the directory (0700) and the file (0600) before SQLite does, so its -wal and -shm files inherit 0600.
function prepareFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Leftover -wal/-shm files of a deleted database are left alone: another process may be creating the new
    // database right now, and SQLite ignores a stale WAL beside an empty database file.
    closeSync(openSync(path, 'a', 0o600));
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  } catch (error) {
    throw toStoreError(error, path);
  }
}

// Rename the database and its WAL files to `<path>.corrupt-<ts>` so a person can inspect them.
function moveAside(path: string, now: number): string {
  const aside = `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      renameSync(path + suffix, aside + suffix);
    } catch {}
  }
  return aside;
}
