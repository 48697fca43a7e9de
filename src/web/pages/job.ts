// One job: its prompt sections, live state, event timeline, result, cost and duration, and a cancel button.
import type { JobSource } from '../deps.js';
import type { JobRecord } from '../../jobs/types.js';
import { describeRequest, ruleFor } from '../../shared/approvals.js';
import { displayStatus } from '../../views/approval-view.js';
import { promptSections } from '../../runner/index.js';
import { formatCount, formatDuration, formatTime, formatUsd, isoTime } from '../format.js';
import { html, type Html } from '../html.js';
import { badge, notice, page } from '../layout.js';
import { filterSearch } from './jobs.js';
import { renderTimeline } from './timeline.js';
import { renderChanges, type DiffText } from './changes.js';

const ACTIVE = new Set(['pending', 'running']);

// The "allow always" button, when a rule matches the request alone (see ruleFor).
function allowAlwaysButton(rule: string | undefined): Html | string {
  return rule === undefined ? '' : html`<button type="submit" name="decision" value="allow_always">Allow always (${rule})</button> `;
}

// The prompt's sections from the parts stored with the job; a job stored before they were kept shows its prompt whole.
export function jobPromptSections(job: Pick<JobRecord, 'prompt' | 'promptParts' | 'request'>): { title: string; body: string }[] {
  if (job.promptParts) return promptSections(job.promptParts);
  return job.prompt === undefined || job.prompt === job.request.task ? [{ title: 'Task', body: job.request.task }] : [{ title: 'Prompt', body: job.prompt }];
}

function card(label: string, value: Html | string): Html {
  return html`<div class="card"><div class="k">${label}</div><div class="v">${value}</div></div>`;
}

function duration(job: JobRecord, now: number): Html | string {
  if (job.startedAt === undefined) return '–';
  if (job.endedAt !== undefined) return formatDuration(job.endedAt - job.startedAt);
  return html`<span data-since="${job.startedAt}">${formatDuration(now - job.startedAt)}</span>`;
}

function resultSection(job: JobRecord): Html {
  const r = job.result;
  if (!r) return ACTIVE.has(job.status) ? html`` : html`<h2>Result</h2><p class="muted">No result was recorded.</p>`;
  const error = r.error ? notice(`${r.error.type}: ${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ''}`, 'error') : '';
  const denials = r.permissionDenials.length > 0 ? html`<p class="small">Denied tools: ${r.permissionDenials.map((d) => d.toolName).join(', ')}</p>` : '';
  const structured = r.structured !== undefined ? html`<details open><summary>Structured result</summary><pre>${JSON.stringify(r.structured, null, 2)}</pre></details>` : '';
  return html`<h2>Result</h2>${error}${denials}${r.text ? html`<pre class="result">${r.text}</pre>` : html`<p class="muted">(no text)</p>`}${r.truncated ? html`<p class="small muted">Cut from ${r.truncated.fullBytes} bytes.</p>` : ''}${structured}
<p class="small muted">${formatCount(r.usage.inputTokens)} tokens in · ${formatCount(r.usage.outputTokens)} out${r.sessionId ? html` · session <code>${r.sessionId}</code>` : ''}${r.exitCode !== null ? ` · exit ${r.exitCode}` : ''}</p>`;
}

// Approvals: each pending permission request, exactly as the agent's CLI will run it, with Allow and Deny buttons.
function approvalsSection(job: JobRecord): Html | string {
  const pending = job.pendingApprovals ?? [];
  if (pending.length === 0) return '';
  return html`<h2>Input required</h2>${pending.map(
    (r) => html`<div class="approval" data-request="${r.id}"><p>Agent <b>${r.agent}</b> asks to use <b>${r.toolName}</b> (request <code>${r.id}</code>; denied at <time datetime="${isoTime(r.expiresAt)}">${isoTime(r.expiresAt)}</time> if unanswered):</p>
<pre>${describeRequest(r.toolName, r.input)}</pre>
<form method="post" action="/jobs/${job.id}/approvals/${r.id}" class="approve"><button type="submit" name="decision" value="allow_once">Allow once</button> ${allowAlwaysButton(ruleFor(r.toolName, r.input))}<button type="submit" name="decision" value="deny" class="danger">Deny</button></form></div>`,
  )}`;
}

// The part that changes while the job runs (re-fetched by the page's script when the job changes).
export async function renderJobLive(source: JobSource, job: JobRecord, now: number): Promise<Html> {
  const { events, dropped } = await source.events(job.id, { limit: 2000 });
  const cost = job.result?.costUsd ?? job.progress.costUsd;
  const cancel = ACTIVE.has(job.status)
    ? html`<form method="post" action="/jobs/${job.id}/cancel" class="cancel"><button type="submit" class="danger"${job.cancelRequested ? ' disabled' : ''}>${job.cancelRequested ? 'Cancel requested' : 'Cancel job'}</button></form>`
    : '';
  return html`<section id="job-live" data-src="/jobs/${job.id}/live" data-status="${job.status}">
<div class="cards">
${card('State', badge(displayStatus(job.status, job.pendingApprovals?.length)))}
${card('Agent', html`<a href="/${filterSearch({ agent: job.agent })}">${job.agent}</a>`)}
${card('Caller', job.caller || '–')}
${job.host ? card('Host', job.host) : ''}
${card('Created', html`<time datetime="${isoTime(job.createdAt)}">${formatTime(job.createdAt, now)}</time>`)}
${card('Duration', duration(job, now))}
${card('Cost', formatUsd(cost))}
${card('Turns', String(job.result?.numTurns ?? job.progress.turns))}
${card('Kind', job.kind)}
</div>
${cancel}
${approvalsSection(job)}
${job.failureReason ? notice(job.failureReason, 'error') : ''}
${job.status === 'running' && job.progress.tail.length > 0 ? html`<p class="small muted">Now: ${job.progress.tail.at(-1)}</p>` : ''}
<h2>Timeline</h2>
${renderTimeline(events, dropped, job.startedAt ?? job.createdAt)}
${resultSection(job)}
</section>`;
}

const CANCEL_NOTICES: Record<string, string> = {
  cancelled: 'The job was cancelled before it started.',
  cancelled_running: 'The job was stopped.',
  cancel_requested: 'Cancellation was requested; the process running the job stops it within a second.',
  already_terminal: 'The job had already ended.',
  decided: 'Your answer was sent to the agent.',
  already_decided: 'That request had already been answered.',
};

// The whole page; `message` comes from a redirect after an action.
export async function renderJobPage(source: JobSource, job: JobRecord, now: number, seq: number, message?: string, diff?: DiffText): Promise<Html> {
  const sections = jobPromptSections(job);
  const content = html`<p class="small"><a href="/">← jobs</a></p>
<h1>Job <code>${job.id}</code></h1>
${message && CANCEL_NOTICES[message] ? notice(CANCEL_NOTICES[message]) : ''}
${await renderJobLive(source, job, now)}
${renderChanges(job.result, diff)}
<h2>Prompt</h2>
${sections.map((s) => html`<details${s.title === 'Task' || sections.length <= 2 ? ' open' : ''}><summary>${s.title}</summary><pre>${s.body}</pre></details>`)}`;
  const live = ACTIVE.has(job.status) ? `/events?job=${job.id}&since=${seq}` : undefined;
  return page({ title: `Job ${job.id.slice(0, 8)}`, section: 'jobs', ...(live ? { live } : {}) }, content);
}
