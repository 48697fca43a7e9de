import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../../src/jobs/store/db.js';
import { silentLogger } from '../../../src/shared/log.js';
import { bundleStore, FIXTURES, storePerTest } from '../support/store.js';

const env = storePerTest();
let bundle = '';
beforeAll(async () => {
  bundle = await bundleStore('db.ts');
});
afterAll(() => rmSync(bundle, { force: true }));

describe('better-sqlite3 objects and process exit', () => {
  it('polls data_version through the statement cache, not a new statement per call', () => {
    const conn = openConnection({ path: env.path, busyTimeoutMs: 1000, logger: silentLogger, now: Date.now });
    const statement = conn.prepare('PRAGMA data_version');
    conn.dataVersion();
    conn.dataVersion();
    expect(conn.prepare('PRAGMA data_version')).toBe(statement);
    conn.close();
  });

  it('has no store file that calls pragma() or opens a database without keep()', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'src', 'jobs', 'store');
    const offending = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .filter((name) => /\.pragma\(|(?<!keep\()new Database\(/.test(readFileSync(join(dir, name), 'utf8')));
    expect(offending).toEqual([]);
  });

  // Node 24.19+ with better-sqlite3 12 aborted such a process at exit (`Assertion failed: (env) != nullptr`)
  // when statements were left for the garbage collector; this runs under Node 24 in CI (.ci/other-nodes).
  it('lets a process that reopened and polled the database many times exit cleanly', async () => {
    const child = spawn(process.execPath, [join(FIXTURES, 'churn.mjs'), bundle, env.path, '100', '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal, out, err: err.slice(0, 400) }).toEqual({ code: 0, signal: null, out: 'done\n', err: '' });
  });
});
