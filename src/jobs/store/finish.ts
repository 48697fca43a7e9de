// Ending a job: one conditional UPDATE so that the first terminal write wins (a cancel is never overwritten),
// the result body saved beside it, and a cost-ledger row for every run that actually started.
import type { RunResult } from '../../shared/types.js';
import { nextSeq, type StoreContext } from './context.js';
import { appendEventsInTx } from './events.js';
import type { FinishInput } from './types.js';

interface ActiveRow {
  agent: string;
  caller: string;
  created_at: number;
  started_at: number | null;
  cost_usd: number | null;
}

// Finish inside the caller's write transaction; false when the job is unknown or already terminal.
export function finishInTx(ctx: StoreContext, id: string, input: FinishInput): boolean {
  const { conn } = ctx;
  const row = conn
    .prepare("SELECT agent, caller, created_at, started_at, cost_usd FROM jobs WHERE id = ? AND status IN ('pending', 'running')")
    .get(id) as ActiveRow | undefined;
  if (!row) return false;
  const now = ctx.now();
  const result = input.result;
  const ok = input.status === 'done' && (result?.ok ?? true);
  const errorType = result?.error?.type ?? (input.status === 'cancelled' ? 'cancelled' : null);
  const cost = result?.costUsd ?? row.cost_usd;
  conn
    .prepare(
      `UPDATE jobs SET status = ?, ended_at = ?, ok = ?, error_type = ?, cost_usd = ?, failure_reason = ?,
         turns = max(turns, ?), approvals_pending = 0, seq = ? WHERE id = ?`,
    )
    .run(input.status, now, ok ? 1 : 0, errorType, cost, input.reason ?? null, result?.numTurns ?? 0, nextSeq(conn), id);
  if (result) conn.prepare('UPDATE job_data SET result = ? WHERE id = ?').run(JSON.stringify(result), id);
  if (input.progress) saveFinalProgress(ctx, id, input);
  if (row.started_at !== null || result) recordRun(ctx, id, row, input, result, { ok, errorType, cost: cost ?? 0, now });
  return true;
}

function recordRun(
  ctx: StoreContext,
  id: string,
  row: ActiveRow,
  input: FinishInput,
  result: RunResult | undefined,
  facts: { ok: boolean; errorType: string | null; cost: number; now: number },
): void {
  const duration = result?.durationMs ?? facts.now - (row.started_at ?? row.created_at);
  ctx.conn
    .prepare(
      `INSERT OR REPLACE INTO ledger (job_id, agent, caller, status, ok, error_type, cost_usd, input_tokens, output_tokens, duration_ms, ended_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      row.agent,
      row.caller,
      input.status,
      facts.ok ? 1 : 0,
      facts.errorType,
      facts.cost,
      result?.usage.inputTokens ?? 0,
      result?.usage.outputTokens ?? 0,
      Math.max(0, Math.round(duration)),
      facts.now,
    );
}

// The run's last snapshot and unsaved events, in the finishing transaction (one write per run end, not three).
function saveFinalProgress(ctx: StoreContext, id: string, input: FinishInput): void {
  const progress = input.progress as NonNullable<FinishInput['progress']>;
  ctx.conn
    .prepare('UPDATE jobs SET turns = max(turns, ?), last_tool = coalesce(?, last_tool), last_line = coalesce(?, last_line) WHERE id = ?')
    .run(progress.turns ?? 0, progress.lastTool ?? null, progress.tail?.at(-1) ?? null, id);
  ctx.conn.prepare('UPDATE job_data SET progress = ? WHERE id = ?').run(JSON.stringify(progress), id);
  if (input.events && input.events.length > 0) appendEventsInTx(ctx, id, input.events);
}
