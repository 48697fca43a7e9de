// The agents page: health from the config, and from the store each agent's last runs, success rate and
// median duration over its recent finished runs, plus all-time spend from the cost ledger.
import type { CostTotals, JobSummary } from '../../jobs/store/types.js';
import type { AgentInfo, JobSource } from '../deps.js';
import { clip, formatDuration, formatPercent, formatTime, formatUsd } from '../format.js';
import { html, type Html } from '../html.js';
import { badge, page } from '../layout.js';
import { filterSearch } from './jobs.js';

/** Finished runs per agent that the rates are computed over. */
export const RECENT_RUNS = 100;

/** An agent's recent record. */
export interface AgentStats {
  runs: number;
  succeeded: number;
  medianMs?: number;
  last: JobSummary[];
}

// The median of a list of numbers, or undefined when empty (pure).
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// Success rate and median duration over finished runs; a done job with ok=false counts as a failure (pure).
export function agentStats(recent: readonly JobSummary[], lastCount = 5): AgentStats {
  const finished = recent.filter((j) => j.status === 'done' || j.status === 'failed' || j.status === 'cancelled');
  const durations = finished.filter((j) => j.startedAt !== undefined && j.endedAt !== undefined).map((j) => (j.endedAt as number) - (j.startedAt as number));
  const med = median(durations);
  return {
    runs: finished.length,
    succeeded: finished.filter((j) => j.status === 'done' && j.ok !== false).length,
    ...(med !== undefined ? { medianMs: med } : {}),
    last: recent.slice(0, lastCount),
  };
}

function lastRuns(jobs: readonly JobSummary[], now: number): Html {
  if (jobs.length === 0) return html`<span class="muted">never run</span>`;
  return html`${jobs.map((j) => html`<a href="/jobs/${j.id}" title="${clip(j.task, 120)} (${formatTime(j.createdAt, now)})">${badge(j.status)}</a> `)}`;
}

// The whole page.
export async function renderAgentsPage(deps: { source: JobSource; agents: AgentInfo[]; now: number }): Promise<Html> {
  const totals = new Map<string, CostTotals>((await deps.source.costsByAgent()).map((t) => [t.agent, t]));
  // Agents that ran but are no longer configured still get a row, marked as removed.
  const names = [...new Set([...deps.agents.map((a) => a.name), ...totals.keys()])].sort();
  const byName = new Map(deps.agents.map((a) => [a.name, a]));
  const recents = await Promise.all(names.map((name) => deps.source.list({ agent: name, limit: RECENT_RUNS })));
  const rows = names.map((name, i) => {
    const agent = byName.get(name);
    const recent = recents[i] as JobSummary[];
    const stats = agentStats(recent);
    const spent = totals.get(name);
    const health = !agent
      ? html`<span class="dot bad"></span>not configured`
      : agent.healthy
        ? html`<span class="dot ok"></span>ok`
        : html`<span class="dot bad"></span>${agent.problem ?? 'unhealthy'}`;
    return html`<tr id="agent-${name}">
<td><a href="/${filterSearch({ agent: name })}"><strong>${name}</strong></a>${agent?.description ? html`<div class="small muted">${clip(agent.description, 120)}</div>` : ''}${agent?.hosts ? html`<div class="small muted">on ${agent.hosts.join(', ')}</div>` : agent ? html`<div class="small muted mono">${agent.directory}</div>` : ''}</td>
<td>${health}</td>
<td>${lastRuns(stats.last, deps.now)}</td>
<td class="num">${formatPercent(stats.succeeded, stats.runs)}<div class="small muted">of ${stats.runs}</div></td>
<td class="num">${formatDuration(stats.medianMs)}</td>
<td class="num">${formatUsd(spent?.costUsd ?? 0)}<div class="small muted">${spent?.runs ?? 0} runs</div></td>
</tr>`;
  });
  const content = html`<h1>Agents <span class="muted small">${deps.agents.length} configured</span></h1>
<table class="agents">
<thead><tr><th>Agent</th><th>Health</th><th>Last runs</th><th class="num">Success</th><th class="num">Median duration</th><th class="num">Spent (all time)</th></tr></thead>
<tbody>${rows}</tbody>
</table>
${names.length === 0 ? html`<p class="muted">No agents yet: add one with <code>agent-dispatch add NAME DIRECTORY</code>.</p>` : ''}
<p class="small muted">Success rate and median duration cover each agent's last ${RECENT_RUNS} finished jobs.</p>`;
  return page({ title: 'Agents', section: 'agents' }, content);
}
