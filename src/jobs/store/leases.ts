// One concurrency limit for every process sharing the database: a lease row per running agent, taken in a
// BEGIN IMMEDIATE transaction. Waiters queue by ticket (FIFO across processes); a freed slot in this process wakes
// one waiter at once (lease-line.ts), another process's commit is seen within a poll, and a slower tick reclaims
// slots of dead holders and ended jobs.
import { DispatchError } from '../../shared/errors.js';
import type { StoreContext } from './context.js';
import { occupied, reclaim, takeSlot, type SlotClaim } from './lease-rows.js';
import type { WaitLine, Waiter } from './lease-line.js';
import { readJob } from './read.js';
import { parseJobId } from './rows.js';
import type { Lease, LeaseRequest, LeaseState } from './types.js';

/** What acquireLease needs from the store around it. */
export interface LeaseDeps {
  /** Runs a store operation with the store's error mapping. */
  guard: <T>(fn: () => T) => T;
  /** Leases held through this store, released by close(). */
  held: Set<Lease>;
  /** This store's waiters. */
  line: WaitLine;
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

/** How hard an attempt tries: a cheap read first, reclaiming dead holders' slots, or that and the line's dead waiters. */
type Effort = 'cheap' | 'leases' | 'all';

// Take a slot if one is free for this ticket. A cheap attempt reads first: a wake-up that cannot succeed must
// not take the write lock; the others reclaim before counting.
function tryAcquire(ctx: StoreContext, claim: SlotClaim, ticket: number, effort: Effort): number | undefined {
  if (effort === 'cheap' && occupied(ctx, claim.pool, ticket) >= claim.limit) return undefined;
  return ctx.conn.write(() => {
    if (effort !== 'cheap') reclaim(ctx, effort === 'all');
    return takeSlot(ctx, claim, ticket);
  });
}

// Wait for a slot. Rejects with signal.reason on abort, or a TimeoutError DOMException after timeoutMs.
export async function acquireLease(ctx: StoreContext, deps: LeaseDeps, raw: LeaseRequest): Promise<Lease> {
  const request = validate(raw);
  const { signal } = request;
  signal?.throwIfAborted();
  const claim: SlotClaim = { pool: request.pool ?? '', limit: request.limit, holder: request.holder ?? ctx.self, ...(request.jobId ? { jobId: request.jobId } : {}) };
  const ticket = deps.guard(() =>
    ctx.conn.write(() => {
      // A lease names a real job: one whose row is missing counts as abandoned and would be reclaimed at once.
      if (claim.jobId !== undefined) readJob(ctx, claim.jobId);
      return (ctx.conn
        .prepare('INSERT INTO lease_waiters (job_id, pid, started_at, since, pool) VALUES (?, ?, ?, ?, ?) RETURNING ticket')
        .get(claim.jobId ?? null, claim.holder.pid, claim.holder.startedAt ?? null, ctx.now(), claim.pool) as { ticket: number }).ticket;
    }),
  );
  const waiter: Waiter = { ticket, pool: claim.pool };
  deps.line.add(waiter);
  const unwatch = ctx.watch();
  let failure: unknown;
  const fail = (reason: unknown) => {
    failure ??= reason;
    waiter.wake?.(false);
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
    let effort: Effort = 'leases';
    for (;;) {
      if (failure !== undefined) throw failure;
      const id = deps.guard(() => tryAcquire(ctx, claim, ticket, effort));
      if (id !== undefined) return makeLease(ctx, deps, id, claim.pool);
      effort = (await new Promise<boolean>((resolve) => (waiter.wake = resolve))) ? 'all' : 'cheap';
    }
  } catch (error) {
    try {
      deps.guard(() => ctx.conn.write(() => ctx.conn.prepare('DELETE FROM lease_waiters WHERE ticket = ?').run(ticket)));
    } catch {}
    throw error;
  } finally {
    deps.line.remove(waiter);
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    ctx.notifier.off('close', onClose);
    unwatch();
    // Got a slot: there may be room for the next one too (several freed at once). Gave up: our place is free.
    deps.line.wakeNext(claim.pool);
  }
}

// A lease taken outside acquireLease (createWithSlot), or by it.
export function makeLease(ctx: StoreContext, deps: LeaseDeps, id: number, pool: string): Lease {
  const lease: Lease = {
    id,
    pool,
    release() {
      if (!deps.held.has(lease)) return true;
      try {
        deps.guard(() => ctx.conn.write(() => ctx.conn.prepare('DELETE FROM leases WHERE id = ?').run(id)));
      } catch (error) {
        // Kept as held, so a retry (or close()) can release it; the slot is reclaimed anyway once its job has ended
        // or this process exits. Never throws: callers release in finally blocks.
        ctx.logger.warn(`could not release concurrency lease ${id}: ${(error as Error).message}`);
        return false;
      }
      released(ctx, deps, lease);
      return true;
    },
  };
  deps.held.add(lease);
  return lease;
}

// The lease's row is gone (deleted by release() or in finish's transaction): hand the slot on.
export function released(ctx: StoreContext, deps: LeaseDeps, lease: Lease): void {
  deps.held.delete(lease);
  ctx.notifier.emit('lease', lease.pool);
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
