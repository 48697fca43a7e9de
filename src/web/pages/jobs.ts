// The jobs page: newest first, paged, filtered by agent, state and caller; rows update live over SSE.
import { JOB_STATUSES, type JobStatus } from '../../jobs/types.js';
import type { JobSummary } from '../../jobs/store/types.js';
import type { JobSource } from '../deps.js';
import { clip, formatDuration, formatTime, formatUsd, isoTime } from '../format.js';
import { html, type Html } from '../html.js';
import { badge, notice, page } from '../layout.js';

/** Rows per page. */
export const PAGE_SIZE = 50;
const MAX_PAGE = 10_000;

/** The filters of the jobs list (also those of its live feed). */
export interface JobFilter {
  agent?: string;
  status?: JobStatus;
  caller?: string;
}

/** A parsed jobs-page query, with what was wrong in it. */
export interface JobsQuery extends JobFilter {
  page: number;
  problems: string[];
}

const field = (value: string | undefined) => {
  const v = value?.trim();
  return v ? v.slice(0, 200) : undefined;
};

// Read ?agent=&state=&caller=&page= leniently: bad values are dropped and reported, never fatal (pure).
export function parseJobsQuery(params: Record<string, string | undefined>): JobsQuery {
  const problems: string[] = [];
  const query: JobsQuery = { page: 1, problems };
  const agent = field(params.agent);
  const caller = field(params.caller);
  const status = field(params.state ?? params.status);
  if (agent) query.agent = agent;
  if (caller) query.caller = caller;
  if (status) {
    if ((JOB_STATUSES as readonly string[]).includes(status)) query.status = status as JobStatus;
    else problems.push(`Unknown state "${clip(status, 40)}": showing every state (use ${JOB_STATUSES.join(', ')}).`);
  }
  if (params.page !== undefined && params.page !== '') {
    const n = Number(params.page);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_PAGE) query.page = n;
    else problems.push(`Page "${clip(params.page, 20)}" is not a page number: showing page 1.`);
  }
  return query;
}

// True when a job belongs in a list with these filters (pure).
export function matchesFilter(job: Pick<JobSummary, 'agent' | 'status' | 'caller'>, filter: JobFilter): boolean {
  return (!filter.agent || job.agent === filter.agent) && (!filter.status || job.status === filter.status) && (!filter.caller || job.caller === filter.caller);
}

// The query string of a filter (and page), for links and the live feed.
export function filterSearch(filter: JobFilter, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  if (filter.agent) params.set('agent', filter.agent);
  if (filter.status) params.set('state', filter.status);
  if (filter.caller) params.set('caller', filter.caller);
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

// What the job is doing now, or how it ended.
function progressText(job: JobSummary): string {
  if (job.status === 'running') return [`turn ${job.turns}`, job.lastTool, clip(job.lastLine, 80)].filter(Boolean).join(' · ');
  if (job.status === 'pending') return job.cancelRequested ? 'cancel requested' : 'waiting for a slot';
  if (job.status === 'done') return job.ok === false ? `${job.errorType ?? 'error'}` : `${job.turns} turn${job.turns === 1 ? '' : 's'}`;
  return clip(job.failureReason ?? job.errorType ?? job.lastLine, 80);
}

// One table row; the same markup is sent over SSE when the job changes. `hosts`: pool mode's Host column.
export function jobRow(job: JobSummary, now: number, hosts = false): Html {
  const duration =
    job.status === 'running' && job.startedAt !== undefined
      ? html`<span data-since="${job.startedAt}">${formatDuration(now - job.startedAt)}</span>`
      : job.startedAt !== undefined && job.endedAt !== undefined
        ? formatDuration(job.endedAt - job.startedAt)
        : '–';
  return html`<tr id="job-${job.id}" data-created="${job.createdAt}" data-status="${job.status}">
<td>${badge(job.status)}</td>
<td class="task"><a href="/jobs/${job.id}">${clip(job.task, 90) || '(empty task)'}</a></td>
<td><a href="/${filterSearch({ agent: job.agent })}">${job.agent}</a></td>
<td>${job.caller || html`<span class="muted">–</span>`}</td>
${hosts ? html`<td class="host">${job.host || html`<span class="muted">–</span>`}</td>` : ''}
<td class="num"><time datetime="${isoTime(job.createdAt)}">${formatTime(job.createdAt, now)}</time></td>
<td class="num">${duration}</td>
<td class="num">${formatUsd(job.costUsd)}</td>
<td class="progress">${progressText(job)}</td>
</tr>`;
}

/** What the jobs page reads. */
export interface JobsPageDeps {
  source: JobSource;
  agentNames: () => string[];
  now: () => number;
}

// The whole page.
export async function renderJobsPage(deps: JobsPageDeps, query: JobsQuery): Promise<Html> {
  const filter: JobFilter = { ...(query.agent ? { agent: query.agent } : {}), ...(query.status ? { status: query.status } : {}), ...(query.caller ? { caller: query.caller } : {}) };
  // Read the sequence first: a change landing between it and the list is then replayed, never missed.
  const seq = await deps.source.currentSeq();
  const total = await deps.source.count(filter);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const pageNo = Math.min(query.page, pages);
  const jobs = await deps.source.list({ ...filter, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE });
  const now = deps.now();
  const agents = [...new Set([...deps.agentNames(), ...(filter.agent ? [filter.agent] : [])])].sort();
  const liveFrom = jobs[0]?.createdAt ?? 0;
  const hosts = deps.source.hosts;
  const content = html`<h1>Jobs <span id="job-count" class="muted small" data-count="${total}">${total} ${total === 1 ? 'job' : 'jobs'}</span></h1>
${query.problems.map((p) => notice(p, 'error'))}
<form class="filters" method="get" action="/">
<label>Agent<select name="agent"><option value="">any</option>${agents.map((a) => html`<option${a === filter.agent ? ' selected' : ''}>${a}</option>`)}</select></label>
<label>State<select name="state"><option value="">any</option>${JOB_STATUSES.map((s) => html`<option${s === filter.status ? ' selected' : ''}>${s}</option>`)}</select></label>
<label>Caller<input name="caller" value="${filter.caller ?? ''}" placeholder="any" size="14"></label>
<button type="submit">Filter</button>${Object.keys(filter).length > 0 ? html` <a href="/">clear</a>` : ''}
</form>
<table class="jobs">
<thead><tr><th>State</th><th>Task</th><th>Agent</th><th>Caller</th>${hosts ? html`<th>Host</th>` : ''}<th class="num">Created</th><th class="num">Duration</th><th class="num">Cost</th><th>Progress</th></tr></thead>
<tbody id="job-rows" data-live-from="${liveFrom}" data-first-page="${pageNo === 1 ? '1' : '0'}">
${jobs.map((job) => jobRow(job, now, hosts))}
</tbody>
</table>
${jobs.length === 0 ? html`<p id="no-jobs" class="muted">No jobs${Object.keys(filter).length > 0 ? ' match these filters' : ' yet: dispatch a task and it appears here'}.</p>` : ''}
<nav class="pager">
${pageNo > 1 ? html`<a href="/${filterSearch(filter, { page: pageNo - 1 })}" rel="prev">← newer</a>` : html`<span class="muted">← newer</span>`}
<span class="muted small">page ${pageNo} of ${pages}</span>
${pageNo < pages ? html`<a href="/${filterSearch(filter, { page: pageNo + 1 })}" rel="next">older →</a>` : html`<span class="muted">older →</span>`}
</nav>`;
  return page({ title: 'Jobs', section: 'jobs', live: `/events${filterSearch(filter, { since: seq })}` }, content);
}
