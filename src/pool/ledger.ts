// The pool's cost ledger: one ZSET (`ad:spend`) every worker adds to when a run ends, scored by the end time on
// Redis's clock (so hosts with skewed clocks agree on the order), member = "<job>|<worker>|<agent>|<dollars>". Daily
// budgets read it in pool mode, so spend on any host counts on every host. Entries older than the retention are
// trimmed on each write.
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { checkDailyBudget, startOfDay, type SpendSource } from '../jobs/budget.js';
import type { RunFailureLike } from '../jobs/run-failure.js';
import { K } from './keys.js';

/** One ended run's spend. */
export interface SpendEntry {
  jobId: string;
  agent: string;
  costUsd: number;
  /** End time (Redis clock, ms). */
  at: number;
}

// TIME in a script: allowed since Redis 5 (effects replication), and it keeps every host on one clock.
const ADD_SCRIPT = `
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], ms, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms - tonumber(ARGV[2]))
return ms`;

// Add a run's spend (nothing when it cost nothing). keepMs: how long entries are kept.
export async function recordSpend(redis: Redis, entry: { jobId: string; workerId: string; agent: string; costUsd: number }, keepMs: number): Promise<void> {
  if (!(entry.costUsd > 0)) return;
  await redis.eval(ADD_SCRIPT, 1, K.spend, `${entry.jobId}|${entry.workerId}|${entry.agent}|${entry.costUsd}`, String(keepMs));
}

// Parse a member; undefined for one this version cannot read.
export function parseSpend(member: string, score: number): SpendEntry | undefined {
  const parts = member.split('|');
  const costUsd = Number(parts[3]);
  if (parts.length !== 4 || !Number.isFinite(costUsd)) return undefined;
  return { jobId: parts[0]!, agent: parts[2]!, costUsd, at: score };
}

// Every entry that ended at or after `since` (ms), oldest first.
export async function readSpend(redis: Redis, since: number): Promise<SpendEntry[]> {
  const flat = await redis.zrangebyscore(K.spend, since, '+inf', 'WITHSCORES');
  const out: SpendEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const entry = parseSpend(flat[i]!, Number(flat[i + 1]));
    if (entry) out.push(entry);
  }
  return out;
}

// A SpendSource (what checkDailyBudget reads) over entries read once: the ledger's sums; no running job adds a
// live cost (a pool record carries its cost only when it ends).
export function spendSourceOf(entries: SpendEntry[]): SpendSource {
  return {
    spend: ({ since, agent }) => {
      const hits = entries.filter((e) => e.at >= since && (agent === undefined || e.agent === agent));
      return { costUsd: hits.reduce((sum, e) => sum + e.costUsd, 0), runs: hits.length };
    },
    list: () => [],
  };
}

// Read the ledger since `since` and wrap it for checkDailyBudget.
export async function poolSpendSource(redis: Redis, since: number): Promise<SpendSource> {
  return spendSourceOf(await readSpend(redis, since));
}

// Today's budget refusal for a dispatch to `agent` under `config`, read from the pool's ledger; undefined when within
// budget. No round trip when no daily cap applies.
export async function poolBudgetRefusal(redis: Redis, config: Config, agent: string, now: number): Promise<RunFailureLike | undefined> {
  if (config.agents[agent]?.daily_budget_usd === undefined && config.settings.daily_budget_usd === undefined) return undefined;
  return checkDailyBudget(config, agent, await poolSpendSource(redis, startOfDay(now)), now);
}

// How long ledger entries are kept: the job retention, at least two days (today and yesterday's local day).
export const ledgerKeepMs = (config: Config) => Math.max(2, config.settings.job_retention_days || 30) * 86_400_000;
