import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentProcess } from '../../../src/jobs/store/process.js';
import type { JobStore } from '../../../src/jobs/store/types.js';
import { workerAddress, type WorkerAddress } from '../../../src/jobs/worker/address.js';
import { createLauncher, handOff } from '../../../src/jobs/worker/launch.js';
import { silentLogger } from '../../../src/shared/log.js';
import { storeFactory } from '../support/store.js';
import { pendingJob } from './harness.js';

let factory: ReturnType<typeof storeFactory>;
let store: JobStore;
let address: WorkerAddress;

beforeEach(() => {
  factory = storeFactory();
  store = factory.open();
  mkdirSync(join(factory.dir, 'state'), { recursive: true });
  address = workerAddress(join(factory.dir, 'state'), '00000000000000bb')!;
});

afterEach(() => {
  factory.cleanup();
});

// A socket file left behind by a worker that was SIGKILLed: the file is there, nobody listens.
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}

// A pidfile as a serving worker writes it.
function pidfile(ref: { pid: number; startedAt?: number }): void {
  writeFileSync(address.pidfile, JSON.stringify({ ...ref, version: '1.0.0', socket: address.socket }));
}

const launcher = (calls: string[], spawnWorker = (_id: string) => (calls.push('worker'), 111)) =>
  createLauncher({ address, store, logger: silentLogger, spawnWorker, spawnRunner: () => (calls.push('runner'), 222) });

describe('starting a background job', () => {
  it('starts a worker when none has been started', async () => {
    const calls: string[] = [];
    expect(await launcher(calls)(pendingJob(store))).toEqual({ pid: 111 });
    expect(calls).toEqual(['worker']);
  });

  it('starts a new worker when the socket is stale (its worker was killed)', async () => {
    await staleSocket(address.socket);
    const calls: string[] = [];
    expect(await launcher(calls)(pendingJob(store))).toEqual({ pid: 111 });
    expect(calls).toEqual(['worker']);
  });

  it.each([
    ['no pidfile', () => {}],
    ['a pidfile that is not JSON', () => writeFileSync(address.pidfile, 'garbage')],
    ['the pidfile and socket of a worker that died', async () => {
      await staleSocket(address.socket);
      pidfile({ pid: 2 ** 22 + 7, startedAt: 1 });
    }],
  ])('starts a worker when no live worker serves: %s', async (_what, arrange) => {
    await arrange();
    const calls: string[] = [];
    expect(await launcher(calls)(pendingJob(store))).toEqual({ pid: 111 });
    expect(calls).toEqual(['worker']);
  });

  it('falls back to the per-job supervisor when the live worker has no socket, leaving the job ours', async () => {
    pidfile(currentProcess());
    writeFileSync(address.socket, 'not a socket');
    const id = pendingJob(store);
    const calls: string[] = [];
    expect(await launcher(calls)(id)).toEqual({ pid: 222 });
    expect(calls).toEqual(['runner']);
    expect(store.get(id)).toMatchObject({ status: 'pending', ownerPid: process.pid });
  });

  it('leaves a job claimed for a live worker to it when the run line cannot be sent', async () => {
    await staleSocket(address.socket);
    const worker = { pid: process.pid, startedAt: currentProcess().startedAt };
    pidfile(worker);
    const id = pendingJob(store);
    store.claim(id, { pid: 1 }); // as if another process had started it: the owner below is the hand-over's doing
    expect(await handOff({ address, store, logger: silentLogger }, id)).toBe('taken');
    expect(store.get(id)).toMatchObject({ status: 'pending', ownerPid: process.pid, ownerStartedAt: worker.startedAt });
  });

  it('falls back to the per-job supervisor when the worker cannot be started', async () => {
    const calls: string[] = [];
    const failing = launcher(calls, () => {
      throw new Error('ENOENT');
    });
    expect(await failing(pendingJob(store))).toEqual({ pid: 222 });
  });

});
