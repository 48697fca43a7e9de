// The local worker: one detached process per user and environment that runs background jobs handed to it over a
// Unix socket, instead of one new node process per job. It is started on demand by the first dispatch_async that
// finds none (launch.ts), outlives the servers that feed it (own session), and leaves when it has been idle for a
// while, when a different version is installed, or when its socket file is gone (its state dir was deleted).
//
// One worker per key, even when several start at once: a worker serves only while it holds the single slot of the
// lease pool `worker:<key>` in the job store (taken in one SQLite write transaction; a dead holder's slot is
// reclaimed by pid and start time). A worker that loses the race hands the jobs it was started for to the winner,
// or runs them itself when that fails, and exits.
import { chmodSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../shared/log.js';
import type { ProcessRef } from '../store/process.js';
import type { JobStore, Lease } from '../store/types.js';
import type { WorkerAddress } from './address.js';
import { handOff } from './launch.js';
import { onMessages, parseRequest, send, type WorkerStatus } from './wire.js';

/** How long a worker that lost the start race keeps trying to reach the winner (it may still be binding). */
const FORWARD_PATIENCE_MS = 3_000;

/** What the worker is built from. */
export interface LocalWorkerDeps {
  address: WorkerAddress;
  store: JobStore;
  /** Runs one job to its end (the dispatch service's runJob: the same leases, budget and cancel as ever). */
  runJob(id: string, signal: AbortSignal): Promise<unknown>;
  self: ProcessRef;
  version: string;
  /** The version installed on disk now; a different one retires the worker (new jobs go to a new one). */
  installedVersion(): string | undefined;
  /** Exit after this long without a job. */
  idleMs: number;
  /** How often it looks for jobs it owns but was not told about, and checks whether to retire (default 1 s). */
  scanMs?: number;
  logger: Logger;
  now?: () => number;
}

/** How the worker's life went: it served (and retired), or it could not serve and handed its jobs on or ran them. */
export type WorkerEnd = 'served' | 'forwarded';

// Run the worker until it retires. `firstJobs` were claimed for this process by whoever started it.
export async function runLocalWorker(deps: LocalWorkerDeps, firstJobs: string[], signal: AbortSignal): Promise<WorkerEnd> {
  const lock = await takeLock(deps.store, deps.address.pool);
  if (!lock) {
    const left = await forward(deps, firstJobs);
    deps.logger.info(`local worker ${deps.self.pid}: another worker serves ${deps.address.socket}; handed it ${firstJobs.length - left.length} job(s), running ${left.length} here`);
    // The winner could not take them: run them here, as the per-job supervisor would.
    await runHere(deps, left, signal);
    return 'forwarded';
  }
  let server: Server;
  try {
    server = await listen(deps.address.socket);
  } catch (error) {
    // Cannot serve (the socket cannot be bound): still run what we were started for, then leave.
    deps.logger.error(`local worker ${deps.self.pid} cannot listen on ${deps.address.socket}: ${(error as Error).message}`);
    lock.release();
    await runHere(deps, firstJobs, signal);
    return 'forwarded';
  }
  return serve(deps, { lock, server }, firstJobs, signal);
}

// Run jobs in this process to their end, as the per-job supervisor does.
async function runHere(deps: LocalWorkerDeps, ids: string[], signal: AbortSignal): Promise<void> {
  await Promise.all(ids.map((id) => deps.runJob(id, signal).catch(() => {})));
}

// The lock: the one slot of this key's pool, or undefined when a live worker holds it.
async function takeLock(store: JobStore, pool: string): Promise<Lease | undefined> {
  try {
    return await store.acquireLease({ limit: 1, pool, timeoutMs: 0 });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return undefined;
    throw error;
  }
}

// Hand each job to the winning worker; returns the ones it could not take.
async function forward(deps: LocalWorkerDeps, ids: string[]): Promise<string[]> {
  const left: string[] = [];
  const giveUpAt = Date.now() + FORWARD_PATIENCE_MS;
  for (const id of ids) {
    // The server that started us claims the job for our pid just after the spawn; forwarding before that claim
    // lands would let it overwrite the winner's ownership with ours.
    while (!ownedBy(deps.store, id, deps.self) && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 10));
    for (;;) {
      const outcome = await handOff(deps, id);
      if (outcome === 'taken') break;
      if (outcome === 'failed' || Date.now() > giveUpAt) {
        left.push(id);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return left;
}

// True when the job is pending and names `self` as its owner.
function ownedBy(store: JobStore, id: string, self: ProcessRef): boolean {
  try {
    const job = store.get(id);
    return job.status === 'pending' && job.ownerPid === self.pid && job.ownerStartedAt === self.startedAt;
  } catch {
    return false;
  }
}

// Listen on the socket path. We hold the lock, so a file there is a dead worker's leftover.
async function listen(path: string): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The state dir is 0700 already; the socket itself is the user's alone too.
  chmodSync(path, 0o600);
  return server;
}

// Serve until retired, then resolve.
function serve(deps: LocalWorkerDeps, held: { lock: Lease; server: Server }, firstJobs: string[], signal: AbortSignal): Promise<WorkerEnd> {
  const { store, self, address, logger } = deps;
  const now = deps.now ?? Date.now;
  const running = new Map<string, Promise<void>>();
  const watchers = new Map<string, Set<() => void>>();
  const connections = new Set<Socket>();
  const inode = statSync(address.socket).ino;
  let lastBusy = now();
  let retiredAt: number | undefined;
  try {
    writePidfile(address, self, deps.version);
  } catch (error) {
    // Servers will not find this worker: they start others, which hand their jobs here or run them themselves.
    logger.warn(`local worker ${self.pid} could not write ${address.pidfile}: ${(error as Error).message}`);
  }

  const run = (id: string) => {
    if (running.has(id)) return;
    lastBusy = now();
    // Answer the client first: its dispatch_async returns while the job takes its slot here.
    const done = new Promise((resolve) => setImmediate(resolve))
      .then(() => deps.runJob(id, signal))
      .then(
        () => {},
        (error: unknown) => logger.error(`job ${id} failed in the local worker: ${(error as Error).message}`),
      )
      .finally(() => {
        running.delete(id);
        lastBusy = now();
        const waiting = watchers.get(id);
        watchers.delete(id);
        for (const wake of waiting ?? []) wake();
      });
    running.set(id, done);
  };
  const accept = (id: string) => {
    try {
      const job = store.get(id);
      if (!ownedBy(store, id, self)) return { ok: false, error: `job ${id} is ${job.status} and owned by process ${job.ownerPid ?? 'none'}` };
      run(id);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  };
  // Jobs claimed for this worker whose `run` line never arrived (or that its starter claimed after it started).
  const scan = () => {
    for (const row of store.list({ status: 'pending', limit: 500 })) {
      if (!running.has(row.id) && ownedBy(store, row.id, self)) run(row.id);
    }
  };
  const status = (): WorkerStatus => ({ pid: self.pid, version: deps.version, running: [...running.keys()], retiring: retiredAt !== undefined });

  held.server.on('connection', (socket) => {
    connections.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => connections.delete(socket));
    send(socket, { hello: { pid: self.pid, ...(self.startedAt !== undefined ? { startedAt: self.startedAt } : {}), version: deps.version } });
    onMessages(socket, (message) => {
      const request = parseRequest(message);
      if (!request) return send(socket, { ok: false, error: 'unknown request' });
      if (request.op === 'status') return send(socket, { status: status() });
      if (request.op === 'run') return send(socket, accept(request.id));
      const wake = () => send(socket, { ended: request.id });
      // A job claimed for us whose `run` line comes on another connection may not have started yet.
      if (!running.has(request.id) && !ownedBy(store, request.id, self)) return wake();
      const set = watchers.get(request.id) ?? new Set();
      watchers.set(request.id, set.add(wake));
      socket.once('close', () => set.delete(wake));
    });
  });

  const retireReason = (): string | undefined => {
    if (signal.aborted) return 'stopped by a signal';
    const installed = deps.installedVersion();
    if (installed !== undefined && installed !== deps.version) return `version ${installed} was installed (this worker is ${deps.version})`;
    if (!socketIsMine(address.socket, inode)) return 'its socket file was removed';
    if (running.size === 0 && now() - lastBusy >= deps.idleMs) return `idle for ${Math.round((now() - lastBusy) / 1000)} s`;
    return undefined;
  };
  // Stop being findable at once (new jobs go to a new worker), but run what this worker owns to its end.
  const retire = (why: string) => {
    retiredAt = now();
    logger.info(`local worker ${self.pid} retiring: ${why}`);
    held.server.close();
    removePidfile(address, self);
    held.lock.release();
  };

  for (const id of firstJobs) run(id);
  logger.info(`local worker ${self.pid} serving ${address.socket}`);
  return new Promise<WorkerEnd>((resolve) => {
    const tick = () => {
      try {
        scan();
      } catch (error) {
        logger.warn(`local worker scan failed: ${(error as Error).message}`);
      }
      if (retiredAt === undefined) {
        const why = retireReason();
        if (why) retire(why);
        return;
      }
      // A server that got the hello just before the listener closed may still claim a job for us: wait a scan.
      if (running.size > 0 || now() - retiredAt < (deps.scanMs ?? 1_000)) return;
      clearInterval(timer);
      signal.removeEventListener('abort', onAbort);
      for (const socket of connections) socket.destroy();
      resolve('served');
    };
    const timer = setInterval(tick, deps.scanMs ?? 1_000);
    const onAbort = () => tick();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

// True while the socket path is still the file this worker bound.
function socketIsMine(path: string, inode: number): boolean {
  try {
    return statSync(path).ino === inode;
  } catch {
    return false;
  }
}

// The pidfile names the serving worker for people and `doctor`; the lock, not this file, decides who serves.
function writePidfile(address: WorkerAddress, self: ProcessRef, version: string): void {
  const temp = `${address.pidfile}.${self.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ pid: self.pid, startedAt: self.startedAt, version, socket: address.socket })}\n`, { mode: 0o600 });
  renameSync(temp, address.pidfile);
}

function removePidfile(address: WorkerAddress, self: ProcessRef): void {
  try {
    if ((JSON.parse(readFileSync(address.pidfile, 'utf8')) as { pid?: number }).pid === self.pid) unlinkSync(address.pidfile);
  } catch {
    // gone already, or another worker's
  }
}
