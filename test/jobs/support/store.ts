// Test helpers: a temp database per test, and a bundle of the store that child processes can import.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeEach } from 'vitest';
import { silentLogger } from '../../../src/shared/log.js';
import { createJobStore } from '../../../src/jobs/store/index.js';
import type { JobStore, JobStoreOptions } from '../../../src/jobs/store/index.js';
import type { RunResult } from '../../../src/shared/types.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A temp directory with a job database path inside it, and a cleanup. */
export function tempDb(): { dir: string; path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ad-jobs-'));
  return { dir, path: join(dir, 'state', 'jobs.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens stores on one temp database and closes them all in cleanup(). */
export function storeFactory() {
  const db = tempDb();
  const stores: JobStore[] = [];
  return {
    path: db.path,
    dir: db.dir,
    open(options: Partial<JobStoreOptions> = {}): JobStore {
      const store = createJobStore({ path: db.path, logger: silentLogger, pollIntervalMs: 10, livenessIntervalMs: 50, ...options });
      stores.push(store);
      return store;
    },
    cleanup() {
      for (const store of stores) store.close();
      db.cleanup();
    },
  };
}

/** The current test's store factory, behind a handle that stays the same across tests. */
export type StoreHandle = Pick<ReturnType<typeof storeFactory>, 'path' | 'dir' | 'open'>;

// A fresh temp database for every test of the calling file, its stores closed and files removed after each;
// `beforeCleanup` runs first (e.g. to kill child processes that hold the database open).
export function storePerTest(beforeCleanup?: () => Promise<void>): StoreHandle {
  let current: ReturnType<typeof storeFactory> | undefined;
  beforeEach(() => {
    current = storeFactory();
  });
  afterEach(async () => {
    await beforeCleanup?.();
    current?.cleanup();
  });
  const now = () => {
    if (!current) throw new Error('storePerTest: no store outside a test');
    return current;
  };
  return {
    get path() {
      return now().path;
    },
    get dir() {
      return now().dir;
    },
    open: (options) => now().open(options),
  };
}

/** A store per test whose clock the test sets: `t.clock += ms` moves time for `t.store` (and stores from `t.env`). */
export function clockedStorePerTest(start = 1_700_000_000_000) {
  const env = storePerTest();
  const t = { env, clock: start, store: undefined as unknown as JobStore };
  beforeEach(() => {
    t.clock = start;
    t.store = env.open({ now: () => t.clock });
  });
  return t;
}

/** A RunResult with defaults. */
export function runResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    ok: true,
    agent: 'api',
    runtime: 'claude',
    text: 'done',
    costUsd: 0.25,
    usage: { inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
    numTurns: 3,
    durationMs: 1500,
    permissionDenials: [],
    exitCode: 0,
    signal: null,
    stderrTail: '',
    ...overrides,
  };
}

// Bundle the store for child processes. The file lives under the repo (test-output/) so that the external
// better-sqlite3 resolves from node_modules.
export async function bundleStore(entry = 'index.ts'): Promise<string> {
  const outfile = join(ROOT, 'test-output', `jobs-store-${process.pid}-${Date.now()}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'src', 'jobs', 'store', entry)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
  return outfile;
}

/** The fixture scripts run by child processes. */
export const FIXTURES = join(ROOT, 'test', 'jobs', 'fixtures');
