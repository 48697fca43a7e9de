// Starting a background job: hand it to the live worker over its socket (about a millisecond), or start a worker
// when none listens, or, when the worker misbehaves, fall back to the per-job supervisor (`__job-runner`).
// The hand-over is ordered so that a job is never run twice and never lost: the server reads the worker's pidfile,
// checks the process, and claims the job for it (the row names the worker as owner) before it sends `run`; from then on only that worker runs it (its
// scan finds pending jobs it owns even if the `run` line was lost), and if the worker dies the sweep fails the
// job as it does for any dead owner. Before the claim, any failure leaves the job ours, so the fallback is safe.
import { connect } from 'node:net';
import type { Logger } from '../../shared/log.js';
import type { JobStore } from '../store/types.js';
import type { WorkerAddress } from './address.js';
import { readWorker, WorkerUnavailable } from './client.js';

/** How long a server waits for the socket connection (made by the kernel: the worker need not be scheduled). */
const CONNECT_TIMEOUT_MS = 1_000;

/** How a hand-over went. `taken`: the worker owns the job; `absent`: no worker serves; `failed`: use the fallback. */
export type HandOff = 'taken' | 'absent' | 'failed';

/** What handOff needs. */
export interface HandOffDeps {
  address: WorkerAddress;
  store: JobStore;
  logger: Logger;
}

// Give a pending job that this process owns to the live worker. The server does not wait for the worker to
// answer: on a loaded machine each hop to another process costs a scheduling delay, and the claim already made
// the job the worker's (its scan would find it even if the line were lost).
export async function handOff(deps: HandOffDeps, jobId: string): Promise<HandOff> {
  let worker;
  try {
    worker = readWorker(deps.address);
  } catch (error) {
    if (error instanceof WorkerUnavailable && error.absent) return 'absent';
    deps.logger.warn(`local worker unusable (${(error as Error).message}); job ${jobId} gets its own supervisor`);
    return 'failed';
  }
  try {
    // Not pending any more (cancelled meanwhile): there is nothing left to run.
    if (!deps.store.claim(jobId, worker)) return 'taken';
  } catch (error) {
    deps.logger.warn(`could not hand job ${jobId} to the local worker: ${(error as Error).message}`);
    return 'failed';
  }
  try {
    await sendRun(deps.address.socket, jobId);
  } catch (error) {
    // The row names the worker already: it finds the job on its next scan, or the sweep fails it if it died.
    deps.logger.warn(`could not tell local worker ${worker.pid} about job ${jobId} (${(error as Error).message}); its scan picks it up`);
  }
  return 'taken';
}

// Connect, write the `run` line, close.
function sendRun(path: string, jobId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end(`${JSON.stringify({ op: 'run', id: jobId })}\n`, () => resolve());
    });
    // The worker's hello and answer are not needed here.
    socket.on('data', () => {});
  });
}

/** Where start() puts a job: a worker owns it already, or the process with this pid must be made its owner. */
export type Launched = { claimed: true } | { pid: number };

/** What the launcher is built from. */
export interface LauncherDeps extends HandOffDeps {
  /** Starts a detached worker that serves `address` and runs `jobId` first; returns its pid. */
  spawnWorker(jobId: string): number;
  /** Starts today's detached per-job supervisor for `jobId`; returns its pid. */
  spawnRunner(jobId: string): number;
}

// The dispatch service's way to start a job in the background (see the comment at the top).
export function createLauncher(deps: LauncherDeps): (jobId: string) => Promise<Launched> {
  return async (jobId) => {
    const outcome = await handOff(deps, jobId);
    if (outcome === 'taken') return { claimed: true };
    if (outcome === 'absent') {
      try {
        return { pid: deps.spawnWorker(jobId) };
      } catch (error) {
        deps.logger.warn(`could not start the local worker: ${(error as Error).message}`);
      }
    }
    return { pid: deps.spawnRunner(jobId) };
  };
}
