// The costs page: spend per day and per agent from the cost ledger, drawn against the daily budgets.
import type { DailyCost } from '../../jobs/store/types.js';
import { dayChart, PALETTE } from '../chart.js';
import type { Budgets, HostTotals, JobSource } from '../deps.js';
import { formatCount, formatUsd } from '../format.js';
import { html, type Html } from '../html.js';
import { notice, page } from '../layout.js';

/** Periods offered, in days. */
export const PERIODS = [7, 14, 30, 90] as const;
const DAY_MS = 86_400_000;

// Read ?days=, falling back to 14 with a note for anything not offered (pure).
export function parseDays(value: string | undefined): { days: number; problem?: string } {
  if (value === undefined || value === '') return { days: 14 };
  const n = Number(value);
  if ((PERIODS as readonly number[]).includes(n)) return { days: n };
  return { days: 14, problem: `Period "${value.slice(0, 20)}" is not offered: showing 14 days (choose ${PERIODS.join(', ')}).` };
}

// The last `days` local calendar days, oldest first, as the ledger names them (YYYY-MM-DD) (pure).
export function dayKeys(now: number, days: number, utcOffsetMinutes: number): string[] {
  const keys: string[] = [];
  for (let i = days - 1; i >= 0; i -= 1) keys.push(new Date(now + utcOffsetMinutes * 60_000 - i * DAY_MS).toISOString().slice(0, 10));
  return keys;
}

/** Per-agent totals over the period. */
interface AgentPeriod {
  agent: string;
  color: string;
  today: number;
  total: number;
  runs: number;
  ok: number;
  tokens: number;
  byDay: Map<string, number>;
}

// Fold the ledger rows into per-agent totals, biggest spender first (pure).
export function foldCosts(rows: readonly DailyCost[], today: string): Omit<AgentPeriod, 'color'>[] {
  const agents = new Map<string, Omit<AgentPeriod, 'color'>>();
  for (const row of rows) {
    let a = agents.get(row.agent);
    if (!a) agents.set(row.agent, (a = { agent: row.agent, today: 0, total: 0, runs: 0, ok: 0, tokens: 0, byDay: new Map() }));
    a.total += row.costUsd;
    a.runs += row.runs;
    a.ok += row.ok;
    a.tokens += row.inputTokens + row.outputTokens;
    a.byDay.set(row.day, (a.byDay.get(row.day) ?? 0) + row.costUsd);
    if (row.day === today) a.today += row.costUsd;
  }
  return [...agents.values()].sort((x, y) => y.total - x.total || x.agent.localeCompare(y.agent));
}

function meter(spent: number, budget: number | undefined): Html {
  if (budget === undefined) return html`<span class="muted small">no daily budget</span>`;
  const share = Math.min(1, spent / budget);
  return html`<div class="meter${spent >= budget ? ' over' : ''}" title="${formatUsd(spent)} of ${formatUsd(budget)} today"><span style="width:${(share * 100).toFixed(1)}%"></span></div><div class="small muted">${formatUsd(spent)} of ${formatUsd(budget)}</div>`;
}

// Pool mode: where the spend of the period ran.
function hostTable(hosts: readonly HostTotals[], days: number): Html {
  return html`<h2>Per host</h2>
<table class="costs hosts">
<thead><tr><th>Host</th><th class="num">Last ${days} days</th><th class="num">Runs</th><th class="num">Succeeded</th><th class="num">Tokens</th></tr></thead>
<tbody>${hosts.map((h) => html`<tr><td>${h.host}</td><td class="num">${formatUsd(h.costUsd)}</td><td class="num">${h.runs}</td><td class="num">${h.ok}</td><td class="num">${formatCount(h.inputTokens + h.outputTokens)}</td></tr>`)}</tbody>
</table>
${hosts.length === 0 ? html`<p class="muted">No pool runs in the last ${days} days.</p>` : ''}`;
}

// The whole page.
export async function renderCostsPage(deps: { source: JobSource; budgets: Budgets; now: number; days: number; problem?: string }): Promise<Html> {
  const offset = -new Date(deps.now).getTimezoneOffset();
  const days = dayKeys(deps.now, deps.days, offset);
  const today = days.at(-1) as string;
  const folded = foldCosts(await deps.source.costsByDay({ days: deps.days, utcOffsetMinutes: offset }), today);
  const start = new Date(`${days[0]}T00:00:00`).getTime();
  const hosts = deps.source.costsByHost ? await deps.source.costsByHost({ since: start }) : undefined;
  // Agents with a daily budget are listed even before they spend anything, so the caps are visible.
  for (const name of Object.keys(deps.budgets.agents).sort()) {
    if (!folded.some((a) => a.agent === name)) folded.push({ agent: name, today: 0, total: 0, runs: 0, ok: 0, tokens: 0, byDay: new Map() });
  }
  const agents = folded.map((a, i) => ({
    ...a,
    color: PALETTE[Math.min(i, PALETTE.length - 1)] as string,
  }));
  const todayTotal = agents.reduce((s, a) => s + a.today, 0);
  const periodTotal = agents.reduce((s, a) => s + a.total, 0);
  const runs = agents.reduce((s, a) => s + a.runs, 0);
  const chart = dayChart({ days, series: agents.map((a) => ({ name: a.agent, color: a.color, values: days.map((d) => a.byDay.get(d) ?? 0) })), ...(deps.budgets.daily !== undefined ? { budget: deps.budgets.daily } : {}) });
  const periodLinks = PERIODS.map((p) => (p === deps.days ? html`<strong>${p} days</strong>` : html`<a href="/costs?days=${p}">${p} days</a>`));
  const content = html`<h1>Costs</h1>
${deps.problem ? notice(deps.problem, 'error') : ''}
<p class="small">${periodLinks.map((l, i) => html`${i > 0 ? ' · ' : ''}${l}`)}</p>
<div class="cards">
<div class="card"><div class="k">Today</div><div class="v">${formatUsd(todayTotal)}</div>${deps.budgets.daily !== undefined ? html`<div class="small muted">of ${formatUsd(deps.budgets.daily)} daily budget</div>` : ''}</div>
<div class="card"><div class="k">Last ${deps.days} days</div><div class="v">${formatUsd(periodTotal)}</div></div>
<div class="card"><div class="k">Runs</div><div class="v">${runs}</div></div>
<div class="card"><div class="k">Per day</div><div class="v">${formatUsd(periodTotal / deps.days)}</div></div>
</div>
<h2>Spend per day</h2>
<figure id="cost-chart" style="margin:0">${chart}
<figcaption class="legend">${agents.map((a) => html`<span><i style="background:${a.color}"></i>${a.agent}</span>`)}${deps.budgets.daily !== undefined ? html`<span class="muted">– – daily budget</span>` : ''}</figcaption>
</figure>
${runs === 0 ? html`<p class="muted">No runs in the last ${deps.days} days.</p>` : ''}
<h2>Per agent</h2>
<table class="costs">
<thead><tr><th>Agent</th><th>Today against its daily budget</th><th class="num">Last ${deps.days} days</th><th class="num">Runs</th><th class="num">Succeeded</th><th class="num">Tokens</th></tr></thead>
<tbody>${agents.map(
    (a) => html`<tr><td><i class="dot" style="background:${a.color}"></i>${a.agent}</td><td>${meter(a.today, deps.budgets.agents[a.agent])}</td><td class="num">${formatUsd(a.total)}</td><td class="num">${a.runs}</td><td class="num">${a.ok}</td><td class="num">${formatCount(a.tokens)}</td></tr>`,
  )}</tbody>
</table>
${hosts ? hostTable(hosts, deps.days) : ''}`;
  return page({ title: 'Costs', section: 'costs' }, content);
}
