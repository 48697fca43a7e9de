// One concurrency limit for every process sharing the database: a lease row per running agent, taken in a
// BEGIN IMMEDIATE transaction that first reclaims slots of dead holders. Waiters queue by ticket (FIFO-ish
// across processes) and wake on an in-process release at once, or on another process's commit within a poll.
import { DispatchError } from '../../shared/errors.js';
import { isLive, type StoreContext } from './context.js';
import { readJob } from './read.js';
import { isTerminal, parseJobId } from './rows.js';
import type { Lease, LeaseRequest, LeaseState } from './types.js';

interface HolderRow {
  id: number;
  holder_pid: number;
  holder_started_at: number | null;
  job_id: string | null;
  status: string | null;
}

// Delete leases whose holder died or whose job ended or vanished, and waiters whose process died or whose job ended.
function reclaim(ctx: StoreContext): void {
  const { conn } = ctx;
  const leases = conn
    .prepare('SELECT l.id, l.holder_pid, l.holder_started_at, l.job_id, j.status FROM leases l LEFT JOIN jobs j ON j.id = l.job_id')
    .all() as HolderRow[];
  for (const lease of leases) {
    const jobGone = lease.job_id !== null && (lease.status === null || isTerminal(lease.status));
    if (jobGone || !isLive(ctx, lease.holder_pid, lease.holder_started_at)) {
      conn.prepare('DELETE FROM leases WHERE id = ?').run(lease.id);
      ctx.logger.debug(`reclaimed concurrency lease ${lease.id} of process ${lease.holder_pid}`);
    }
  }
  // A waiter whose job already ended or was deleted waits for nothing: a stale row (its delete failed, say) would
  // otherwise keep its place ahead of every later waiter for as long as its process lives.
  conn.prepare(
    `DELETE FROM lease_waiters WHERE job_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = lease_waiters.job_id AND j.status IN ('pending', 'running'))`,
  ).run();
  const waiters = conn.prepare('SELECT DISTINCT pid, started_at FROM lease_waiters').all() as { pid: number; started_at: number | null }[];
  for (const waiter of waiters) {
    if (!isLive(ctx, waiter.pid, waiter.started_at)) {
      conn.prepare('DELETE FROM lease_waiters WHERE pid = ? AND started_at IS ?').run(waiter.pid, waiter.started_at);
    }
  }
}

// Take a slot if one is free for this ticket: held leases plus earlier live waiters must leave room.
function tryAcquire(ctx: StoreContext, ticket: number, limit: number, request: LeaseRequest, thorough: boolean): number | undefined {
  const { conn } = ctx;
  const count = () => (conn.prepare('SELECT count(*) AS n FROM leases').get() as { n: number }).n;
  const ahead = () => (conn.prepare('SELECT count(*) AS n FROM lease_waiters WHERE ticket < ?').get(ticket) as { n: number }).n;
  // Cheap read first: a wake-up caused by unrelated writes must not take the write lock.
  if (!thorough && count() + ahead() >= limit) return undefined;
  return conn.write(() => {
    reclaim(ctx);
    if (count() + ahead() >= limit) return undefined;
    const holder = request.holder ?? ctx.self;
    const { id } = conn
      .prepare('INSERT INTO leases (job_id, holder_pid, holder_started_at, acquired_at) VALUES (?, ?, ?, ?) RETURNING id')
      .get(request.jobId ?? null, holder.pid, holder.startedAt ?? null, ctx.now()) as { id: number };
    conn.prepare('DELETE FROM lease_waiters WHERE ticket = ?').run(ticket);
    return id;
  });
}

function validate(request: LeaseRequest): LeaseRequest {
  if (!request || !Number.isInteger(request.limit) || request.limit < 1) {
    throw new DispatchError('INVALID_INPUT', `A concurrency limit must be a whole number of 1 or more (got ${String(request?.limit)}).`, {
      hint: 'Check settings.max_concurrency in agents.yaml.',
    });
  }
  if (request.timeoutMs !== undefined && !(request.timeoutMs >= 0)) {
    throw new DispatchError('INVALID_INPUT', `timeoutMs must be 0 or more (got ${String(request.timeoutMs)}).`);
  }
  return request.jobId === undefined ? request : { ...request, jobId: parseJobId(request.jobId) };
}

/** What acquireLease needs from the store around it. */
export interface LeaseDeps {
  /** Runs a store operation with the store's error mapping. */
  guard: <T>(fn: () => T) => T;
  /** Leases held through this store, released by close(). */
  held: Set<Lease>;
  /** Tickets of this store's waiters, removed by close(). */
  tickets: Set<number>;
}

// Wait for a slot. Rejects with signal.reason on abort, or a TimeoutError DOMException after timeoutMs.
export async function acquireLease(ctx: StoreContext, deps: LeaseDeps, raw: LeaseRequest): Promise<Lease> {
  const request = validate(raw);
  const { signal } = request;
  signal?.throwIfAborted();
  const holder = request.holder ?? ctx.self;
  const ticket = deps.guard(() =>
    ctx.conn.write(() => {
      // A lease names a real job: one whose row is missing counts as abandoned and would be reclaimed at once.
      if (request.jobId !== undefined) readJob(ctx, request.jobId);
      return (ctx.conn
        .prepare('INSERT INTO lease_waiters (job_id, pid, started_at, since) VALUES (?, ?, ?, ?) RETURNING ticket')
        .get(request.jobId ?? null, holder.pid, holder.startedAt ?? null, ctx.now()) as { ticket: number }).ticket;
    }),
  );
  deps.tickets.add(ticket);
  const unwatch = ctx.watch();
  let wake: ((thorough: boolean) => void) | undefined;
  const onLease = () => wake?.(true);
  const onTick = () => wake?.(true);
  const onExternal = () => wake?.(false);
  ctx.notifier.on('lease', onLease).on('tick', onTick).on('external', onExternal);
  let failure: unknown;
  const fail = (reason: unknown) => {
    failure ??= reason;
    wake?.(false);
  };
  const onAbort = () => fail(signal?.reason);
  const onClose = () => fail(new DispatchError('STORE_UNAVAILABLE', 'The job store was closed while waiting for a concurrency slot.'));
  ctx.notifier.once('close', onClose);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    request.timeoutMs === undefined
      ? undefined
      : setTimeout(() => fail(new DOMException(`No concurrency slot became free within ${request.timeoutMs} ms (limit ${request.limit}).`, 'TimeoutError')), request.timeoutMs);
  try {
    let thorough = true;
    for (;;) {
      if (failure !== undefined) throw failure;
      const id = deps.guard(() => tryAcquire(ctx, ticket, request.limit, request, thorough));
      if (id !== undefined) return makeLease(ctx, deps, id);
      thorough = await new Promise<boolean>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } catch (error) {
    try {
      deps.guard(() => ctx.conn.write(() => ctx.conn.prepare('DELETE FROM lease_waiters WHERE ticket = ?').run(ticket)));
      // Our place in line is free: the next waiter may now fit.
      ctx.notifier.emit('lease');
    } catch {}
    throw error;
  } finally {
    deps.tickets.delete(ticket);
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    ctx.notifier.off('lease', onLease).off('tick', onTick).off('external', onExternal).off('close', onClose);
    unwatch();
  }
}

function makeLease(ctx: StoreContext, deps: LeaseDeps, id: number): Lease {
  let released = false;
  const lease: Lease = {
    id,
    release() {
      if (released) return;
      released = true;
      deps.held.delete(lease);
      try {
        deps.guard(() => ctx.conn.write(() => ctx.conn.prepare('DELETE FROM leases WHERE id = ?').run(id)));
      } catch (error) {
        // The slot is reclaimed anyway once this process exits; never throw from a finally block.
        ctx.logger.warn(`could not release concurrency lease ${id}: ${(error as Error).message}`);
      }
      ctx.notifier.emit('lease');
    },
  };
  deps.held.add(lease);
  return lease;
}

// Forget waiters' places in line (close()).
export function dropTickets(ctx: StoreContext, tickets: Iterable<number>): void {
  const drop = ctx.conn.prepare('DELETE FROM lease_waiters WHERE ticket = ?');
  ctx.conn.write(() => {
    for (const ticket of tickets) drop.run(ticket);
  });
}

// Current holders and waiters.
export function leaseState(ctx: StoreContext): LeaseState {
  const held = ctx.conn.prepare('SELECT id, job_id, holder_pid, acquired_at FROM leases ORDER BY id').all() as {
    id: number;
    job_id: string | null;
    holder_pid: number;
    acquired_at: number;
  }[];
  const waiting = ctx.conn.prepare('SELECT job_id, pid, since FROM lease_waiters ORDER BY ticket').all() as {
    job_id: string | null;
    pid: number;
    since: number;
  }[];
  return {
    held: held.map((l) => ({ id: l.id, pid: l.holder_pid, acquiredAt: l.acquired_at, ...(l.job_id ? { jobId: l.job_id } : {}) })),
    waiting: waiting.map((w) => ({ pid: w.pid, since: w.since, ...(w.job_id ? { jobId: w.job_id } : {}) })),
  };
}
