import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isDispatchError } from '../../../src/shared/errors.js';
import { keep } from '../../../src/jobs/store/keep.js';
import { MIGRATIONS, migrate } from '../../../src/jobs/store/migrations.js';
import { runResult, storePerTest } from '../support/store.js';

const env = storePerTest();

const request = { agent: 'api', task: 'do it', caller: 'me' };

// Tests open the file directly too; like the store, they keep what they create (see src/jobs/store/keep.ts).
const open = (path: string, options?: Database.Options) => keep(new Database(path, options));
const pragma = (db: Database.Database, name: string) => keep(db.prepare(`PRAGMA ${name}`).pluck()).get();
const sql = (db: Database.Database, text: string) => keep(db.prepare(text));

function warnings() {
  const lines: string[] = [];
  return { lines, logger: { debug() {}, info() {}, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } };
}

// A child process that takes the write lock of the database and holds it for `ms` (the handle kept global: see keep.ts).
async function holdWriteLock(path: string, ms: number) {
  const script = `const D = require('better-sqlite3'); const db = globalThis.db = new D(${JSON.stringify(path)}); db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ['-e', script], { cwd: join(import.meta.dirname, '..', '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  return { child, exited: once(child, 'exit') };
}

describe('opening the database', () => {
  it('creates an owner-only directory and file in WAL mode', () => {
    const store = env.open();
    store.create({ kind: 'async', request });
    expect(statSync(dirname(env.path)).mode & 0o777).toBe(0o700);
    expect(statSync(env.path).mode & 0o777).toBe(0o600);
    expect(statSync(`${env.path}-wal`).mode & 0o777).toBe(0o600);
    const db = open(env.path, { readonly: true });
    expect(pragma(db, 'journal_mode')).toBe('wal');
    expect(pragma(db, 'user_version')).toBe(MIGRATIONS.at(-1)?.version);
    db.close();
  });

  it('upgrades a version 1 database, keeping its jobs and backfilling the cost ledger', () => {
    env.open().close();
    rmSync(dirname(env.path), { recursive: true });
    const store0 = env.open({ migrations: MIGRATIONS.slice(0, 1) });
    store0.close();
    const db = open(env.path);
    expect(pragma(db, 'user_version')).toBe(1);
    const id = 'ab'.repeat(16);
    sql(db, `INSERT INTO jobs (id, kind, status, agent, caller, task, created_at, started_at, ended_at, ok, cost_usd, seq)
      VALUES (?, 'async', 'done', 'api', 'me', 'old task', 1000, 2000, 5000, 1, 0.5, 1)`).run(id);
    sql(db, 'INSERT INTO job_data (id, request, progress, result) VALUES (?, ?, ?, ?)').run(
      id, JSON.stringify(request), JSON.stringify({ turns: 1, tail: [], updatedAt: 1 }), JSON.stringify(runResult({ costUsd: 0.5, durationMs: 2900 })),
    );
    db.close();
    const store = env.open();
    expect(store.get(id)).toMatchObject({ status: 'done', result: { costUsd: 0.5 } });
    expect(store.costsByAgent()).toEqual([{ agent: 'api', runs: 1, ok: 1, failed: 0, costUsd: 0.5, inputTokens: 100, outputTokens: 20, durationMs: 2900 }]);
    expect(store.events(id)).toEqual({ events: [], dropped: 0 });
    expect(store.get(id).promptParts).toBeUndefined();
  });

  it('rolls back a failing migration and leaves the version where it was', () => {
    const db = open(':memory:');
    migrate(db);
    const broken = [...MIGRATIONS, { version: 99, description: 'broken', up: (d: Database.Database) => { d.exec('CREATE TABLE half (x)'); throw new Error('oops'); } }];
    expect(() => migrate(db, broken)).toThrow('oops');
    expect(pragma(db, 'user_version')).toBe(MIGRATIONS.at(-1)?.version);
    expect(sql(db, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
  });

  it('refuses a database written by a newer agent-dispatch', () => {
    env.open().close();
    const db = open(env.path);
    db.exec('PRAGMA user_version = 999');
    db.close();
    expect(() => env.open()).toThrow(/schema version 999, newer than this agent-dispatch knows/);
  });
});

describe('faults', () => {
  it('moves a garbage file aside and starts fresh, with a warning', () => {
    env.open().close();
    writeFileSync(env.path, Buffer.alloc(64 * 1024, 'garbage! '));
    // Untouched for a minute: not a file another process could be creating right now.
    const past = new Date(Date.now() - 60_000);
    utimesSync(env.path, past, past);
    const log = warnings();
    const store = env.open({ logger: log.logger });
    expect(store.list()).toEqual([]);
    expect(store.create({ kind: 'async', request }).status).toBe('pending');
    expect(log.lines.join('\n')).toMatch(/unreadable .* moved it to .*jobs\.db\.corrupt-/);
    const aside = readdirSync(dirname(env.path)).filter((f) => f.startsWith('jobs.db.corrupt-'));
    expect(aside.length).toBeGreaterThan(0);
    expect(readFileSync(join(dirname(env.path), aside[0] as string), 'utf8').startsWith('garbage!')).toBe(true);
  });

  it('tries a young unreadable file again instead of moving aside what another process is still creating', async () => {
    // A finished database waits beside the path; the path holds garbage modified just now. A child renames the
    // database over the path while this process is retrying its open.
    const ready = `${env.path}.ready`;
    env.open().close();
    renameSync(env.path, ready);
    for (const suffix of ['-wal', '-shm']) rmSync(env.path + suffix, { force: true });
    writeFileSync(env.path, Buffer.alloc(64 * 1024, 'half-made '));
    // The child says it is up before the open starts, so its start-up time (long on a busy machine) is not spent
    // from the open's retries (about 1.1 s in all).
    const script = `process.stdout.write('up\\n'); setTimeout(() => require('node:fs').renameSync(${JSON.stringify(ready)}, ${JSON.stringify(env.path)}), 150)`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(child.stdout, 'data');
    const log = warnings();
    const store = env.open({ logger: log.logger });
    await once(child, 'exit');
    expect(store.create({ kind: 'async', request }).status).toBe('pending');
    expect(log.lines).toEqual([]);
    expect(readdirSync(dirname(env.path)).filter((f) => f.includes('.corrupt-'))).toEqual([]);
  });

  it('reports damaged pages found mid-use once, then carries on with a fresh database', () => {
    env.open().close();
    // The pages of a fresh database: the header, the schema and the empty tables (the schema outgrew page 1).
    const schemaBytes = readFileSync(env.path).length;
    const first = env.open();
    for (let i = 0; i < 200; i++) first.create({ kind: 'async', request: { ...request, task: 'x'.repeat(500) } });
    first.close();
    // Keep those pages (so the file still opens) and wreck every page the rows added after them.
    const bytes = readFileSync(env.path);
    expect(bytes.length).toBeGreaterThan(schemaBytes);
    bytes.fill(0xa5, schemaBytes);
    writeFileSync(env.path, bytes);
    const store = env.open({ logger: warnings().logger });
    let error: unknown;
    try {
      store.list();
    } catch (e) {
      error = e;
    }
    expect(isDispatchError(error) && error.code).toBe('STORE_UNAVAILABLE');
    expect((error as Error).message).toMatch(/was corrupt; it was moved to .*corrupt-/);
    expect(store.list()).toEqual([]);
    expect(store.create({ kind: 'async', request }).status).toBe('pending');
  });

  it('recreates a database deleted while in use', () => {
    const store = env.open({ logger: warnings().logger });
    const job = store.create({ kind: 'async', request });
    for (const suffix of ['', '-wal', '-shm']) rmSync(env.path + suffix, { force: true });
    expect(() => store.get(job.id)).toThrow(/No job with id/);
    expect(store.create({ kind: 'async', request }).status).toBe('pending');
    expect(existsSync(env.path)).toBe(true);
    expect(env.open().list()).toHaveLength(1);
  });

  it('reports a database locked past the busy timeout as STORE_UNAVAILABLE', async () => {
    const store = env.open({ busyTimeoutMs: 150 });
    const lock = await holdWriteLock(env.path, 2000);
    try {
      let error: unknown;
      try {
        store.create({ kind: 'async', request });
      } catch (e) {
        error = e;
      }
      expect(isDispatchError(error) && error.code).toBe('STORE_UNAVAILABLE');
      expect((error as Error).message).toMatch(/is locked by another process/);
      // Readers are not blocked by a writer in WAL mode.
      expect(store.list()).toEqual([]);
    } finally {
      lock.child.kill('SIGKILL');
      await lock.exited;
    }
  });

  it('waits out a short lock within the busy timeout', async () => {
    const store = env.open({ busyTimeoutMs: 5000 });
    const lock = await holdWriteLock(env.path, 200);
    expect(store.create({ kind: 'async', request }).status).toBe('pending');
    await lock.exited;
  });

  it('turns an unusable location into a clear STORE_UNAVAILABLE error', () => {
    writeFileSync(join(env.dir, 'file'), 'x');
    expect(() => env.open({ path: join(env.dir, 'file', 'jobs.db') })).toThrow(/cannot be used/);
  });
});
