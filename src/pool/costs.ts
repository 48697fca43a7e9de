// Spend per agent, per day and per host from the pool's job records: every job whose agent started and that ended
// in the window, whichever host ran it (the pool's counterpart of the local cost ledger's reports).
import type { Redis } from 'ioredis';
import type { CostTotals, DailyCost } from '../jobs/store/types.js';
import { K } from './keys.js';

/** One ended run as the reports count it. */
export interface CostRow {
  agent: string;
  host: string;
  ok: boolean;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  startedAt: number;
  endedAt: number;
}

/** Totals for one host. */
export type HostCost = Omit<CostTotals, 'agent'> & { host: string };

/** The reports of a window. */
export interface PoolCosts {
  byAgent: CostTotals[];
  byDay: DailyCost[];
  byHost: HostCost[];
}

const FIELDS = ['agent', 'host', 'ok', 'cost', 'inputTokens', 'outputTokens', 'startedAt', 'endedAt'] as const;
/** Jobs created this long before the window may still have ended in it. */
const LOOKBACK_MS = 2 * 86_400_000;

// "2026-12-03" for the local day of `at`.
export function localDay(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const zero = () => ({ runs: 0, ok: 0, failed: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, durationMs: 0 });
const empty = (agent: string): CostTotals => ({ agent, ...zero() });

function add(t: Omit<CostTotals, 'agent'>, r: CostRow): void {
  t.runs++;
  if (r.ok) t.ok++;
  else t.failed++;
  t.costUsd += r.costUsd;
  t.inputTokens += r.inputTokens;
  t.outputTokens += r.outputTokens;
  t.durationMs += Math.max(0, r.endedAt - r.startedAt);
}

// Group rows by agent, by (day, agent) and by host; most expensive first (newest day first), as the local reports.
export function summarizeCosts(rows: CostRow[]): PoolCosts {
  const byAgent = new Map<string, CostTotals>();
  const byDay = new Map<string, DailyCost>();
  const byHost = new Map<string, HostCost>();
  for (const r of rows) {
    const day = localDay(r.endedAt);
    add(byAgent.get(r.agent) ?? byAgent.set(r.agent, empty(r.agent)).get(r.agent)!, r);
    const dayKey = `${day}\n${r.agent}`;
    add(byDay.get(dayKey) ?? byDay.set(dayKey, { day, ...empty(r.agent) }).get(dayKey)!, r);
    add(byHost.get(r.host) ?? byHost.set(r.host, { host: r.host, ...zero() }).get(r.host)!, r);
  }
  const byCost = (a: CostTotals, b: CostTotals) => b.costUsd - a.costUsd || a.agent.localeCompare(b.agent);
  return {
    byAgent: [...byAgent.values()].sort(byCost),
    byDay: [...byDay.values()].sort((a, b) => b.day.localeCompare(a.day) || byCost(a, b)),
    byHost: [...byHost.values()].sort((a, b) => b.costUsd - a.costUsd || a.host.localeCompare(b.host)),
  };
}

// Read the rows of runs that ended at or after `since` (optionally of one agent): one ZSET range and one pipeline.
export async function readCostRows(redis: Redis, since: number, agent?: string): Promise<CostRow[]> {
  const ids = await redis.zrangebyscore(K.jobs, since - LOOKBACK_MS, '+inf');
  const pipe = redis.pipeline();
  for (const id of ids) pipe.hmget(K.job(id), ...FIELDS);
  const rows: CostRow[] = [];
  for (const [, value] of (await pipe.exec()) ?? []) {
    const [a, host, ok, cost, inTok, outTok, started, ended] = (value ?? []) as (string | null)[];
    // Refused and cancelled-before-start jobs have no start: no agent ran, nothing was spent.
    if (!a || !started || !ended || Number(ended) < since || (agent !== undefined && a !== agent)) continue;
    rows.push({ agent: a, host: host || '?', ok: ok === '1', costUsd: Number(cost) || 0, inputTokens: Number(inTok) || 0, outputTokens: Number(outTok) || 0, startedAt: Number(started), endedAt: Number(ended) });
  }
  return rows;
}
