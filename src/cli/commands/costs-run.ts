// The body of `agent-dispatch costs` (defined in costs.ts): spend per agent and per day from the cost ledger
// (every run that started, kept when jobs are deleted), and today's spend against the daily budgets.
import type { Config } from '../../config/schema.js';
import { spentSince, startOfDay, type SpendSource } from '../../jobs/budget.js';
import type { CostTotals, DailyCost } from '../../jobs/store/types.js';
import type { HostCost } from '../../pool/costs.js';
import { createLogger } from '../../shared/log.js';
import type { CliContext } from '../context.js';
import { renderTable, type Cell } from '../format.js';
import type { Services } from '../services.js';
import { paletteFor, type Palette } from '../ui/color.js';
import { writeJson } from '../ui/json.js';
import { formatCost, formatDuration, localDateTime } from '../ui/text.js';
import { wholeNumberFlag } from '../usage.js';

/** The flags of `costs`. */
export interface CostsOptions {
  days: string;
  agent?: string;
  json?: boolean;
}

/** Today's spend against one cap. */
export interface BudgetUse {
  scope: string;
  spentUsd: number;
  capUsd: number;
}

// Local midnight `days - 1` days before today: the start of a window of `days` calendar days.
export function windowStart(now: number, days: number): number {
  const d = new Date(startOfDay(now));
  d.setDate(d.getDate() - (days - 1));
  return d.getTime();
}

// Today's spend for every configured cap (global first), counted as the budget check counts it.
export function budgetUse(config: Config, source: SpendSource, now: number): BudgetUse[] {
  const since = startOfDay(now);
  const out: BudgetUse[] = [];
  if (config.settings.daily_budget_usd !== undefined) out.push({ scope: 'all agents', spentUsd: spentSince(source, since), capUsd: config.settings.daily_budget_usd });
  for (const [name, agent] of Object.entries(config.agents)) {
    if (agent.daily_budget_usd !== undefined) out.push({ scope: name, spentUsd: spentSince(source, since, name), capUsd: agent.daily_budget_usd });
  }
  return out;
}

const tokens = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));

function agentTable(rows: CostTotals[], c: Palette): string {
  const total = rows.reduce(
    (t, r) => ({ ...t, runs: t.runs + r.runs, ok: t.ok + r.ok, failed: t.failed + r.failed, costUsd: t.costUsd + r.costUsd, inputTokens: t.inputTokens + r.inputTokens, outputTokens: t.outputTokens + r.outputTokens, durationMs: t.durationMs + r.durationMs }),
    { agent: 'total', runs: 0, ok: 0, failed: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, durationMs: 0 },
  );
  const line = (r: CostTotals, bold = false): Cell[] => [
    bold ? { text: r.agent, style: 'bold' } : r.agent,
    String(r.runs),
    String(r.ok),
    r.failed > 0 ? { text: String(r.failed), style: 'red' } : '0',
    bold ? { text: formatCost(r.costUsd), style: 'bold' } : formatCost(r.costUsd),
    tokens(r.inputTokens),
    tokens(r.outputTokens),
    formatDuration(r.durationMs),
  ];
  const body = rows.map((r) => line(r));
  if (rows.length > 1) body.push(line(total, true));
  return renderTable(['AGENT', 'RUNS', 'OK', 'FAILED', 'COST', 'IN', 'OUT', 'RUN TIME'], body, { color: c.enabled });
}

function dayTable(rows: DailyCost[], c: Palette): string {
  return renderTable(['DAY', 'AGENT', 'RUNS', 'COST'], rows.map((r): Cell[] => [r.day, r.agent, String(r.runs), formatCost(r.costUsd)]), { color: c.enabled });
}

function hostTable(rows: HostCost[], c: Palette): string {
  return renderTable(['HOST', 'RUNS', 'FAILED', 'COST'], rows.map((r): Cell[] => [r.host, String(r.runs), String(r.failed), formatCost(r.costUsd)]), { color: c.enabled });
}

// The reports of a window: from the local cost ledger, or in pool mode from the pool's job records and its ledger
// (every host's runs, with a per-host table).
async function readCosts(services: Services, since: number, days: number, agent: string | undefined, now: number) {
  const only = agent ? { agent } : {};
  if (services.pool) {
    const pool = await services.pool.pool();
    const [costs, source] = await Promise.all([pool.costs({ since, ...only }), pool.spendSource(startOfDay(now))]);
    return { ...costs, source };
  }
  return { byAgent: services.store.costsByAgent({ since, ...only }), byDay: services.store.costsByDay({ days, ...only }), byHost: undefined, source: services.store as SpendSource };
}

async function showCosts(ctx: CliContext, services: Services, options: CostsOptions): Promise<void> {
  const days = wholeNumberFlag('--days', options.days, 1, 3660);
  const now = Date.now();
  const since = windowStart(now, days);
  const { byAgent, byDay, byHost, source } = await readCosts(services, since, days, options.agent, now);
  const budgets = budgetUse(services.config.get().config, source, now).filter((b) => !options.agent || b.scope === options.agent || b.scope === 'all agents');
  if (options.json) {
    return writeJson(ctx.stdout, {
      days,
      since: new Date(since).toISOString(),
      agents: byAgent.map((r) => ({ agent: r.agent, runs: r.runs, ok: r.ok, failed: r.failed, cost_usd: r.costUsd, input_tokens: r.inputTokens, output_tokens: r.outputTokens, duration_ms: r.durationMs })),
      by_day: byDay.map((r) => ({ day: r.day, agent: r.agent, runs: r.runs, cost_usd: r.costUsd })),
      ...(byHost ? { by_host: byHost.map((r) => ({ host: r.host, runs: r.runs, ok: r.ok, failed: r.failed, cost_usd: r.costUsd, duration_ms: r.durationMs })) } : {}),
      budgets_today: budgets.map((b) => ({ scope: b.scope, spent_usd: b.spentUsd, cap_usd: b.capUsd })),
    });
  }
  const c = paletteFor(ctx.stdout, ctx.env);
  const period = days === 1 ? 'today' : `the last ${days} days (since ${localDateTime(since).slice(0, 10)})`;
  if (byAgent.length === 0) ctx.stdout.write(`No runs ${period}${options.agent ? ` for ${options.agent}` : ''}.\n`);
  else {
    ctx.stdout.write(`${c.bold(`Spend ${period}`)}\n${agentTable(byAgent, c)}\n${c.bold('Per day')}\n${dayTable(byDay, c)}`);
    if (byHost) ctx.stdout.write(`\n${c.bold('Per host')}\n${hostTable(byHost, c)}`);
  }
  if (budgets.length > 0) {
    ctx.stdout.write(`\n${c.bold('Daily budgets today')}\n`);
    for (const b of budgets) {
      const mark = b.spentUsd >= b.capUsd ? c.red('reached: new dispatches are refused') : c.dim(`${formatCost(b.capUsd - b.spentUsd)} left`);
      ctx.stdout.write(`  ${b.scope.padEnd(12)} ${formatCost(b.spentUsd)} of ${formatCost(b.capUsd)} · ${mark}\n`);
    }
  }
}

// Print the report, with the services open for its duration.
export async function runCosts(ctx: CliContext, options: CostsOptions): Promise<void> {
  const { createServices } = await import('../services.js');
  const services = createServices(ctx, { logger: createLogger({ level: 'warn', write: (line) => void ctx.stderr.write(line) }) });
  try {
    await showCosts(ctx, services, options);
  } finally {
    services.close();
  }
}
