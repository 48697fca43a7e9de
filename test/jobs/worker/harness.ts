// A local worker in this process on a temp store, with a fake job runner that ends each job as done.
import { join } from 'node:path';
import { currentProcess } from '../../../src/jobs/store/process.js';
import type { JobStore } from '../../../src/jobs/store/types.js';
import { workerAddress, type WorkerAddress } from '../../../src/jobs/worker/address.js';
import { runLocalWorker, type LocalWorkerDeps, type WorkerEnd } from '../../../src/jobs/worker/daemon.js';
import { silentLogger } from '../../../src/shared/log.js';

/** A started worker and what it was asked to run. */
export interface TestWorker {
  address: WorkerAddress;
  ran: string[];
  ended: Promise<WorkerEnd>;
  stop(): void;
}

// A pending job owned by this process (as start() leaves it before the hand-over).
export function pendingJob(store: JobStore, task = 'work'): string {
  return store.create({ kind: 'async', request: { agent: 'api', task } }).id;
}

// Start a worker on `store`; each job it runs is marked running, then done after `holdMs`.
export function startWorker(store: JobStore, dir: string, options: Partial<LocalWorkerDeps> & { holdMs?: number; first?: string[] } = {}): TestWorker {
  const address = options.address ?? workerAddress(join(dir, 'state'), '00000000000000aa')!;
  const ran: string[] = [];
  const controller = new AbortController();
  const ended = runLocalWorker(
    {
      address,
      store,
      async runJob(id) {
        ran.push(id);
        store.markRunning(id);
        await new Promise((resolve) => setTimeout(resolve, options.holdMs ?? 0));
        store.finish(id, { status: 'done' });
      },
      self: currentProcess(),
      version: '1.0.0',
      installedVersion: () => '1.0.0',
      idleMs: 60_000,
      scanMs: 50,
      logger: silentLogger,
      ...options,
    },
    options.first ?? [],
    controller.signal,
  );
  return { address, ran, ended, stop: () => controller.abort() };
}
