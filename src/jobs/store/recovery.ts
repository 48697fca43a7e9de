// Nothing stays "running" forever: an active job whose owner process is gone (or whose pid now belongs to
// another process) is marked failed by the next sweep of any process (jobs/sweep.ts), or by a cancel.
import { isLive, type StoreContext } from './context.js';
import { finishInTx } from './finish.js';

/** The columns recovery needs. */
export interface OwnerRow {
  id: string;
  status: string;
  owner_pid: number | null;
  owner_started_at: number | null;
}

// Why the job is being failed, in words a person can act on.
export function ownerGoneReason(ctx: StoreContext, row: OwnerRow): string {
  const pid = row.owner_pid as number;
  const reused = ctx.isAlive(pid, undefined);
  return `owner process ${pid} exited while the job was ${row.status}${reused ? ' (its pid now belongs to another process)' : ''}; the agent's result was lost`;
}

// Fail the job if its owner is dead; true when it did.
export function recoverJob(ctx: StoreContext, row: OwnerRow): boolean {
  if (row.status !== 'pending' && row.status !== 'running') return false;
  if (isLive(ctx, row.owner_pid, row.owner_started_at)) return false;
  const reason = ownerGoneReason(ctx, row);
  const changed = ctx.conn.write(() => {
    // Re-read inside the lock: the owner may have finished it, or another reader recovered it first.
    const fresh = ctx.conn.prepare('SELECT owner_pid, owner_started_at FROM jobs WHERE id = ?').get(row.id) as OwnerRow | undefined;
    if (!fresh || fresh.owner_pid !== row.owner_pid || fresh.owner_started_at !== row.owner_started_at) return false;
    return finishInTx(ctx, row.id, { status: 'failed', reason });
  });
  if (changed) {
    ctx.logger.warn(`job ${row.id}: ${reason}`);
    ctx.notifier.emit('job', row.id);
    ctx.notifier.emit('stop', row.id);
  }
  return changed;
}

// Check every active job (a handful at most, found through the status index).
export function recoverStale(ctx: StoreContext): number {
  const rows = ctx.conn
    .prepare("SELECT id, status, owner_pid, owner_started_at FROM jobs WHERE status IN ('pending', 'running')")
    .all() as OwnerRow[];
  let recovered = 0;
  for (const row of rows) if (recoverJob(ctx, row)) recovered += 1;
  return recovered;
}
