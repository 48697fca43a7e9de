// Daily budgets: refuse a new dispatch once today's spend reaches the cap (global or per agent). Today's spend is
// the cost ledger (finished runs) plus the cost so far of runs still going, so parallel work counts at once.
import type { Config } from '../config/schema.js';
import type { JobStore } from './store/types.js';
import type { RunFailureLike } from './run-failure.js';

/** What the budget check reads: the ledger and the running jobs (a JobStore fits). */
export type SpendSource = Pick<JobStore, 'spend' | 'list'>;

// Local midnight of the day that contains `now`.
export function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

// Dollars spent since `since`: finished runs from the ledger, plus what running jobs report so far.
// Claude Code reports cost only in its final result, so a running Claude job usually adds 0 until it ends.
export function spentSince(source: SpendSource, since: number, agent?: string): number {
  const running = source.list({ status: 'running', ...(agent ? { agent } : {}), limit: 10_000 });
  const live = running.reduce((sum, job) => sum + (job.costUsd ?? 0), 0);
  // Read the ledger after the running jobs: a job finishing in between is counted twice (refusing a little
  // early) rather than not at all.
  return source.spend(agent ? { since, agent } : { since }).costUsd + live;
}

// "$12.30", "$0.5", "$0.0123".
export const usd = (value: number): string => `$${value >= 1 ? value.toFixed(2) : String(Number(value.toFixed(4)))}`;

// A budget failure when today's spend has reached a cap, otherwise undefined. The agent's own cap is checked first.
export function checkDailyBudget(config: Config, agent: string, source: SpendSource, now: number): RunFailureLike | undefined {
  const since = startOfDay(now);
  const caps: [scope: string, cap: number | undefined, only: string | undefined][] = [
    [`agent ${agent}`, config.agents[agent]?.daily_budget_usd, agent],
    ['all agents', config.settings.daily_budget_usd, undefined],
  ];
  for (const [scope, cap, only] of caps) {
    if (cap === undefined) continue;
    const spent = spentSince(source, since, only);
    if (spent >= cap) {
      return {
        type: 'budget',
        message: `Daily budget reached for ${scope}: ${usd(spent)} spent today of a ${usd(cap)} cap; the dispatch was not started.`,
        hint: only
          ? `Raise agents.${agent}.daily_budget_usd in agents.yaml, or wait until tomorrow. \`agent-dispatch costs\` shows the spend.`
          : 'Raise settings.daily_budget_usd in agents.yaml, or wait until tomorrow. `agent-dispatch costs` shows the spend.',
      };
    }
  }
  return undefined;
}
