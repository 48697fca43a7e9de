// Daily budgets: refuse a new dispatch once today's spend reaches the cap (global or per agent).
import type { Config } from '../config/schema.js';
import type { RunFailureLike } from './run-failure.js';

/** Spend since a time, from the cost ledger. */
export type SpendFn = (options: { since: number; agent?: string }) => { costUsd: number };

// Local midnight of the day that contains `now`.
export function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

// A budget failure when today's spend has reached a cap, otherwise undefined.
export function checkDailyBudget(config: Config, agent: string, spend: SpendFn, now: number): RunFailureLike | undefined {
  const since = startOfDay(now);
  const caps: [string, number | undefined, string | undefined][] = [
    [`agent ${agent}`, config.agents[agent]?.daily_budget_usd, agent],
    ['all agents', config.settings.daily_budget_usd, undefined],
  ];
  for (const [scope, cap, only] of caps) {
    if (cap === undefined) continue;
    const spent = spend(only === undefined ? { since } : { since, agent: only }).costUsd;
    if (spent >= cap) {
      return {
        type: 'budget',
        message: `Daily budget reached for ${scope}: $${spent.toFixed(4)} spent today of a $${cap} cap; the dispatch was not started.`,
        hint: only
          ? `Raise agents.${agent}.daily_budget_usd in agents.yaml, or wait until tomorrow. \`agent-dispatch costs\` shows the spend.`
          : 'Raise settings.daily_budget_usd in agents.yaml, or wait until tomorrow. `agent-dispatch costs` shows the spend.',
      };
    }
  }
  return undefined;
}
