// createJobStore: the shared SQLite job store, its leases, cost ledger, change feed and waiting.
import { EventEmitter } from 'node:events';
import { DispatchError } from '../../shared/errors.js';
import { createLogger } from '../../shared/log.js';
import { changesSince, currentSeq } from './changes.js';
import type { StoreContext, StoreEvents } from './context.js';
import { costsByAgent, costsByDay, spend } from './costs.js';
import { openConnection } from './db.js';
import { isCorruption, toStoreError } from './errors.js';
import { appendEvents, readEvents } from './events.js';
import { amendApproval, decideApproval, listApprovals, raiseApproval, readApproval } from './approvals.js';
import * as jobs from './jobs.js';
import { createWaitLine } from './lease-line.js';
import { acquireLease, dropTickets, leaseState, makeLease, released, type LeaseDeps } from './leases.js';
import { countJobs, listJobs } from './list.js';
import { createMirror } from './mirror.js';
import { currentProcess, isProcessAlive } from './process.js';
import { recoverStale } from './recovery.js';
import { createGroup, readGroup } from './task-groups.js';
import { answerInput, askInput, readLink } from './task-links.js';
import type { FinishInput, JobStore, JobStoreOptions, Lease } from './types.js';

// A write takes well under a millisecond, so waiting longer costs nothing when it succeeds; 3 s was outlasted once
// on a 2-core CI machine with 25 processes sharing the file, and the call then failed for no real reason.
const DEFAULT_BUSY_TIMEOUT_MS = 10_000;
import { onCancelRequested, subscribe, waitFor } from './wait.js';
import { createWatcher } from './watch.js';

// Open (or create) the job database at `options.path` and return the store. Throws STORE_UNAVAILABLE if it cannot.
export function createJobStore(options: JobStoreOptions): JobStore {
  if (!options || typeof options.path !== 'string' || options.path.trim() === '') {
    throw new DispatchError('INVALID_INPUT', 'createJobStore needs the path of the job database file.');
  }
  const logger = options.logger ?? createLogger();
  const now = options.now ?? Date.now;
  const conn = openConnection({
    path: options.path,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    logger,
    now,
    ...(options.migrations ? { migrations: options.migrations } : {}),
  });
  const notifier = new EventEmitter<StoreEvents>();
  notifier.setMaxListeners(0);
  const watcher = createWatcher({
    conn,
    notifier,
    logger,
    pollIntervalMs: options.pollIntervalMs ?? 25,
    livenessIntervalMs: options.livenessIntervalMs ?? 500,
  });
  const ctx: StoreContext = {
    conn,
    now,
    logger,
    isAlive: options.isAlive ?? isProcessAlive,
    self: options.self ?? currentProcess(),
    maxEventsPerJob: options.maxEventsPerJob ?? 1000,
    notifier,
    watch: watcher.watch,
  };
  const mirror = createMirror(ctx);
  const held = new Set<Lease>();
  const line = createWaitLine();
  notifier.on('lease', (pool) => line.wakeNext(pool));
  notifier.on('external', () => line.wakeHeads(false));
  notifier.on('tick', () => line.wakeHeads(true));
  let closed = false;

  // Every public call: reopen a deleted or replaced file, and turn SQLite failures into STORE_UNAVAILABLE.
  const guard = <T>(fn: () => T): T => {
    if (closed) throw new DispatchError('STORE_UNAVAILABLE', `The job store ${options.path} was closed.`);
    try {
      if (conn.ensure()) notifier.emit('external');
      return fn();
    } catch (error) {
      if (isCorruption(error)) {
        const aside = conn.quarantine();
        logger.warn(`the job database ${options.path} is corrupt (${(error as Error).message}); moved it to ${aside}`);
        throw new DispatchError('STORE_UNAVAILABLE', `The job database ${options.path} was corrupt; it was moved to ${aside} and a fresh one is used from now on.`, {
          hint: 'Jobs recorded before this point are in the moved file; retry the call.',
          cause: error,
        });
      }
      throw toStoreError(error, options.path);
    }
  };
  const guarded =
    <A extends unknown[], R>(fn: (ctx: StoreContext, ...args: A) => R) =>
    (...args: A): R =>
      guard(() => fn(ctx, ...args));
  const leases: LeaseDeps = { guard, held, line };

  // End a job, and release its lease in the same transaction when asked (one write at the end of every run).
  const finish = (id: string, input: FinishInput): boolean => {
    const lease = input?.release && held.has(input.release) ? input.release : undefined;
    const changed = guard(() =>
      lease ? conn.write(() => (conn.prepare('DELETE FROM leases WHERE id = ?').run(lease.id), jobs.finishJob(ctx, id, input))) : jobs.finishJob(ctx, id, input),
    );
    if (lease) released(ctx, leases, lease);
    return changed;
  };

  return {
    path: options.path,
    create: guarded(jobs.createJob),
    createWithSlot(input, slot) {
      const claim = { pool: slot?.pool ?? '', limit: slot?.limit, holder: slot?.holder ?? ctx.self };
      if (!Number.isInteger(claim.limit) || claim.limit < 1) return { job: guard(() => jobs.createJob(ctx, input)) };
      const { job, leaseId } = guard(() => jobs.createJobWithSlot(ctx, input, claim));
      return leaseId === undefined ? { job } : { job, lease: makeLease(ctx, leases, leaseId, claim.pool) };
    },
    get: guarded(jobs.getJob),
    list: (query) => guard(() => listJobs(ctx, query, mirror)),
    count: (query) => guard(() => countJobs(ctx, query)),
    claim: guarded(jobs.claimJob),
    markRunning: guarded(jobs.markRunning),
    setChild: guarded(jobs.setChild),
    saveProgress: guarded(jobs.saveProgress),
    appendEvents: guarded(appendEvents),
    events: guarded(readEvents),
    finish,
    requestCancel: guarded(jobs.requestCancel),
    isCancelRequested: guarded(jobs.isCancelRequested),
    onCancelRequested: (id, listener) => onCancelRequested(ctx, guard, id, listener),
    waitFor: (id, waitOptions) => waitFor(ctx, guard, id, waitOptions),
    changesSince: guarded(changesSince),
    currentSeq: guarded(currentSeq),
    subscribe: (listener, subscribeOptions) => subscribe(ctx, guard, listener, subscribeOptions),
    gc: guarded(jobs.gcJobs),
    applyRetention: (days) => (typeof days === 'number' && days > 0 ? guard(() => jobs.gcJobs(ctx, days)) : 0),
    recoverStale: guarded(recoverStale),
    acquireLease: (request) => acquireLease(ctx, leases, request),
    leaseState: guarded(leaseState),
    spend: guarded(spend),
    costsByDay: guarded(costsByDay),
    costsByAgent: guarded(costsByAgent),
    taskLink: guarded(readLink),
    askInput: guarded(askInput),
    answerInput: guarded(answerInput),
    raiseApproval: guarded(raiseApproval),
    pendingApprovals: (id) => guard(() => listApprovals(ctx, id, true)),
    approvals: (id) => guard(() => listApprovals(ctx, id)),
    approval: guarded(readApproval),
    amendApproval: guarded(amendApproval),
    decideApproval: guarded(decideApproval),
    createTaskGroup: guarded(createGroup),
    taskGroup: guarded(readGroup),
    close() {
      if (closed) return;
      for (const lease of [...held]) lease.release();
      try {
        const tickets = line.tickets();
        if (tickets.length > 0) guard(() => dropTickets(ctx, tickets));
      } catch (error) {
        logger.debug(`could not drop lease waiters on close: ${(error as Error).message}`);
      }
      closed = true;
      notifier.emit('close');
      watcher.stop();
      notifier.removeAllListeners();
      conn.close();
    },
  };
}

export type * from './types.js';
export { currentProcess, isProcessAlive, processRef, type IsAlive, type ProcessRef } from './process.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export { parseJobId } from './rows.js';
