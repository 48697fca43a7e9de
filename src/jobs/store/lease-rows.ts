// The lease tables: reclaiming slots of dead holders and ended jobs, and taking a slot when one is free.
// A pool is one limit: '' is settings.max_concurrency; `job:<id>` is the one slot the nested dispatches of one
// parent job share (they queue behind each other, never behind the slot their parent holds).
import { isLive, type StoreContext } from './context.js';
import { isTerminal } from './rows.js';
import type { ProcessRef } from './process.js';

interface HolderRow {
  id: number;
  holder_pid: number;
  holder_started_at: number | null;
  job_id: string | null;
  status: string | null;
}

/** What a slot is taken for. */
export interface SlotClaim {
  pool: string;
  limit: number;
  jobId?: string;
  holder: ProcessRef;
}

// Delete leases whose holder died or whose job ended or vanished (even while the holder lives: a run whose
// final write failed must not keep its slot), and, with `waiters`, waiters whose process died or whose job ended
// (a scan of the whole line: done on the liveness tick, not by each of a thousand new waiters).
export function reclaim(ctx: StoreContext, waiters: boolean): void {
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
  if (!waiters) return;
  // A waiter whose job already ended or was deleted waits for nothing: a stale row (its delete failed, say) would
  // otherwise keep its place ahead of every later waiter for as long as its process lives.
  conn.prepare(
    `DELETE FROM lease_waiters WHERE job_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = lease_waiters.job_id AND j.status IN ('pending', 'running'))`,
  ).run();
  const lines = conn.prepare('SELECT DISTINCT pid, started_at FROM lease_waiters').all() as { pid: number; started_at: number | null }[];
  for (const waiter of lines) {
    if (!isLive(ctx, waiter.pid, waiter.started_at)) {
      conn.prepare('DELETE FROM lease_waiters WHERE pid = ? AND started_at IS ?').run(waiter.pid, waiter.started_at);
    }
  }
}

// Held leases plus waiters ahead of `ticket` (every waiter when no ticket) in the pool.
export function occupied(ctx: StoreContext, pool: string, ticket?: number): number {
  const held = (ctx.conn.prepare('SELECT count(*) AS n FROM leases WHERE pool = ?').get(pool) as { n: number }).n;
  const ahead = (ctx.conn.prepare('SELECT count(*) AS n FROM lease_waiters WHERE pool = ? AND ticket < ?').get(pool, ticket ?? Number.MAX_SAFE_INTEGER) as { n: number }).n;
  return held + ahead;
}

// Insert a lease row inside the caller's write transaction when the pool has room; its id, or undefined.
export function takeSlot(ctx: StoreContext, claim: SlotClaim, ticket?: number): number | undefined {
  if (occupied(ctx, claim.pool, ticket) >= claim.limit) return undefined;
  const { id } = ctx.conn
    .prepare('INSERT INTO leases (job_id, holder_pid, holder_started_at, acquired_at, pool) VALUES (?, ?, ?, ?, ?) RETURNING id')
    .get(claim.jobId ?? null, claim.holder.pid, claim.holder.startedAt ?? null, ctx.now(), claim.pool) as { id: number };
  if (ticket !== undefined) ctx.conn.prepare('DELETE FROM lease_waiters WHERE ticket = ?').run(ticket);
  return id;
}
