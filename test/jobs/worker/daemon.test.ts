import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentProcess } from '../../../src/jobs/store/process.js';
import type { JobStore } from '../../../src/jobs/store/types.js';
import { workerAddress } from '../../../src/jobs/worker/address.js';
import { connectWorker } from '../../../src/jobs/worker/client.js';
import { handOff } from '../../../src/jobs/worker/launch.js';
import { waitWithPush, watchEnd } from '../../../src/jobs/worker/wait.js';
import { silentLogger } from '../../../src/shared/log.js';
import { storeFactory } from '../support/store.js';
import { pendingJob, startWorker, type TestWorker } from './harness.js';

let factory: ReturnType<typeof storeFactory>;
let store: JobStore;
const workers: TestWorker[] = [];

beforeEach(() => {
  factory = storeFactory();
  store = factory.open();
});

afterEach(async () => {
  for (const w of workers.splice(0)) {
    w.stop();
    await w.ended;
  }
  factory.cleanup();
});

const start = (options: Parameters<typeof startWorker>[2] = {}) => {
  const worker = startWorker(store, factory.dir, options);
  workers.push(worker);
  return worker;
};
const serving = async (worker: TestWorker) => {
  for (let i = 0; i < 200 && !existsSync(worker.address.pidfile); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('the local worker', () => {
  it('runs a job handed over its socket and pushes its end to a waiter', async () => {
    const worker = start({ holdMs: 100 });
    await serving(worker);
    const id = pendingJob(store);
    expect(await handOff({ address: worker.address, store, logger: silentLogger }, id)).toBe('taken');
    const waited = await waitWithPush(store, watchEnd(worker.address), id, 10_000);
    expect(waited).toMatchObject({ timedOut: false, job: { status: 'done' } });
    expect(worker.ran).toEqual([id]);
  });

  it('listens on a socket only its user can open, and names itself in a pidfile', async () => {
    const worker = start();
    await serving(worker);
    expect(statSync(worker.address.socket).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(worker.address.pidfile, 'utf8'))).toMatchObject({ pid: process.pid, version: '1.0.0', socket: worker.address.socket });
    const conn = await connectWorker(worker.address.socket, 1_000);
    expect(await conn.ask({ op: 'status' }, 1_000)).toEqual({ status: { pid: process.pid, version: '1.0.0', running: [], retiring: false } });
    conn.close();
  });

  it('runs the jobs it was started for, and jobs claimed for it whose run line never came', async () => {
    const first = pendingJob(store, 'first');
    const worker = start({ first: [first] });
    await serving(worker);
    const later = pendingJob(store, 'later');
    store.claim(later, currentProcess()); // as a server does before its `run` line (lost here)
    await store.waitFor(later, { timeoutMs: 10_000 });
    expect(worker.ran).toEqual([first, later]);
  });

  it('refuses to run a job it does not own', async () => {
    const worker = start();
    await serving(worker);
    const id = pendingJob(store);
    store.claim(id, { pid: 1 });
    const conn = await connectWorker(worker.address.socket, 1_000);
    expect(await conn.ask({ op: 'run', id }, 1_000)).toMatchObject({ ok: false, error: expect.stringContaining('owned by process 1') });
    conn.close();
    expect(worker.ran).toEqual([]);
  });

  it('exits when idle: stops listening, removes its socket and pidfile, and frees the lock for the next worker', async () => {
    const worker = start({ idleMs: 100 });
    expect(await worker.ended).toBe('served');
    expect(existsSync(worker.address.socket)).toBe(false);
    expect(existsSync(worker.address.pidfile)).toBe(false);
    const next = start();
    await serving(next);
    expect(await handOff({ address: next.address, store, logger: silentLogger }, pendingJob(store))).toBe('taken');
  });

  it('retires when another version is installed, finishing the job it runs first', async () => {
    let installed = '1.0.0';
    const worker = start({ holdMs: 300, installedVersion: () => installed });
    await serving(worker);
    const id = pendingJob(store);
    await handOff({ address: worker.address, store, logger: silentLogger }, id);
    installed = '1.0.1';
    expect(await worker.ended).toBe('served');
    expect(store.get(id).status).toBe('done');
  });

  it('retires when its socket file is removed (its state dir was deleted)', async () => {
    const worker = start();
    await serving(worker);
    rmSync(worker.address.socket);
    expect(await worker.ended).toBe('served');
  });

  it('hands the jobs it was started for to the worker already serving, then exits', async () => {
    const serving1 = start();
    await serving(serving1);
    const id = pendingJob(store);
    const second = start({ first: [id] });
    expect(await second.ended).toBe('forwarded');
    await store.waitFor(id, { timeoutMs: 10_000 });
    expect(serving1.ran).toEqual([id]);
    expect(second.ran).toEqual([]);
  });

  it('runs the jobs it was started for itself when it cannot listen, and leaves', async () => {
    const id = pendingJob(store);
    const worker = start({ address: workerAddress(join(factory.dir, 'no-such-dir'), '00000000000000dd')!, first: [id] });
    expect(await worker.ended).toBe('forwarded');
    expect(worker.ran).toEqual([id]);
    expect(store.get(id).status).toBe('done');
  });
});
