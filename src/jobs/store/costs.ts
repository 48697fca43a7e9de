// Spend reports from the cost ledger (one row per run that started; kept when jobs are garbage-collected).
import { DispatchError } from '../../shared/errors.js';
import type { StoreContext } from './context.js';
import type { CostTotals, DailyCost, Spend } from './types.js';

const DAY_MS = 86_400_000;

const TOTALS = `count(*) AS runs, coalesce(sum(ok), 0) AS ok, count(*) - coalesce(sum(ok), 0) AS failed,
  coalesce(sum(cost_usd), 0) AS costUsd, coalesce(sum(input_tokens), 0) AS inputTokens,
  coalesce(sum(output_tokens), 0) AS outputTokens, coalesce(sum(duration_ms), 0) AS durationMs`;

function checkTime(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DispatchError('INVALID_INPUT', `${name} must be a time in epoch milliseconds (got ${String(value)}).`);
  }
  return value;
}

// Total cost of runs that ended at or after `since` (the daily budget check).
export function spend(ctx: StoreContext, options: { since: number; agent?: string }): Spend {
  const since = checkTime('since', options?.since);
  const row = options.agent
    ? ctx.conn.prepare('SELECT coalesce(sum(cost_usd), 0) AS costUsd, count(*) AS runs FROM ledger WHERE agent = ? AND ended_at >= ?').get(options.agent, since)
    : ctx.conn.prepare('SELECT coalesce(sum(cost_usd), 0) AS costUsd, count(*) AS runs FROM ledger WHERE ended_at >= ?').get(since);
  return row as Spend;
}

// Totals per agent, highest cost first.
export function costsByAgent(ctx: StoreContext, options: { since?: number; agent?: string } = {}): CostTotals[] {
  const since = options.since === undefined ? 0 : checkTime('since', options.since);
  const filter = options.agent ? 'AND agent = ?' : '';
  const params = options.agent ? [since, options.agent] : [since];
  return ctx.conn
    .prepare(`SELECT agent, ${TOTALS} FROM ledger WHERE ended_at >= ? ${filter} GROUP BY agent ORDER BY costUsd DESC, agent`)
    .all(...params) as CostTotals[];
}

// The start of the local day `daysBack` days before the one containing `now` (pure).
export function dayStart(now: number, utcOffsetMinutes: number, daysBack = 0): number {
  const offset = utcOffsetMinutes * 60_000;
  return Math.floor((now + offset) / DAY_MS) * DAY_MS - offset - daysBack * DAY_MS;
}

// Totals per local day and agent over the last `days` days, newest day first.
export function costsByDay(ctx: StoreContext, options: { days: number; agent?: string; utcOffsetMinutes?: number }): DailyCost[] {
  const days = options?.days;
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    throw new DispatchError('INVALID_INPUT', `days must be a whole number from 1 to 3660 (got ${String(days)}).`);
  }
  const now = ctx.now();
  // The offset of the local zone now; a DST change inside the window shifts old days by an hour at most.
  const offsetMinutes = options.utcOffsetMinutes ?? -new Date(now).getTimezoneOffset();
  const since = dayStart(now, offsetMinutes, days - 1);
  const filter = options.agent ? 'AND agent = ?' : '';
  const params = options.agent ? [offsetMinutes * 60_000, since, options.agent] : [offsetMinutes * 60_000, since];
  return ctx.conn
    .prepare(
      `SELECT date((ended_at + ?) / 1000, 'unixepoch') AS day, agent, ${TOTALS}
       FROM ledger WHERE ended_at >= ? ${filter} GROUP BY day, agent ORDER BY day DESC, costUsd DESC, agent`,
    )
    .all(...params) as DailyCost[];
}
