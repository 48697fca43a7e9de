import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobStore } from '../../../src/jobs/store/types.js';
import { workerAddress, type WorkerAddress } from '../../../src/jobs/worker/address.js';
import { createLauncher, handOff } from '../../../src/jobs/worker/launch.js';
import { silentLogger } from '../../../src/shared/log.js';
import { storeFactory } from '../support/store.js';
import { pendingJob } from './harness.js';

let factory: ReturnType<typeof storeFactory>;
let store: JobStore;
let address: WorkerAddress;
const servers: Server[] = [];

beforeEach(() => {
  factory = storeFactory();
  store = factory.open();
  mkdirSync(join(factory.dir, 'state'), { recursive: true });
  address = workerAddress(join(factory.dir, 'state'), '00000000000000bb')!;
});

afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  factory.cleanup();
});

// A socket file left behind by a worker that was SIGKILLed: the file is there, nobody listens.
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}

// A listener that is not a worker: it greets with `line`, or says nothing at all.
async function impostor(path: string, line?: string): Promise<void> {
  const server = createServer((socket) => line !== undefined && socket.write(`${line}\n`));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
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
    ['a listener that never greets', undefined],
    ['a listener that greets with garbage', 'hello?'],
    ['a worker whose process is gone', JSON.stringify({ hello: { pid: 2 ** 22 + 7, startedAt: 1, version: '1.0.0' } })],
  ])('falls back to the per-job supervisor for %s, leaving the job ours', async (_what, line) => {
    await impostor(address.socket, line);
    const id = pendingJob(store);
    const calls: string[] = [];
    expect(await launcher(calls)(id)).toEqual({ pid: 222 });
    expect(calls).toEqual(['runner']);
    expect(store.get(id)).toMatchObject({ status: 'pending', ownerPid: process.pid });
  });

  it('falls back to the per-job supervisor when the worker cannot be started', async () => {
    const calls: string[] = [];
    const failing = launcher(calls, () => {
      throw new Error('ENOENT');
    });
    expect(await failing(pendingJob(store))).toEqual({ pid: 222 });
  });

  it('never talks to a socket path that is not a socket', async () => {
    writeFileSync(address.socket, 'not a socket');
    expect(await handOff({ address, store, logger: silentLogger }, pendingJob(store))).toBe('failed');
  });
});
