// The bodies of `agent-dispatch jobs` (defined in jobs.ts): list, show, wait (live progress), cancel and gc, from
// the job store or, in pool mode, the pool.
import { DispatchError } from '../../shared/errors.js';
import { ProgressTracker } from '../../shared/progress.js';
import { JOB_STATUSES, type JobStatus } from '../../jobs/types.js';
import { toJobView } from '../../views/job-view.js';
import { CliExit, type CliContext } from '../context.js';
import { withServices } from '../with-services.js';
import { plural } from '../format.js';
import type { Services } from '../services.js';
import { paletteFor } from '../ui/color.js';
import { cliHint } from '../ui/hint.js';
import { writeJson } from '../ui/json.js';
import { formatCost } from '../ui/text.js';
import { UsageError, wholeNumberFlag } from '../usage.js';
import { eventLines, jobJson, renderJob, renderJobTable, resolveJobId, statusText, summaryJson } from './jobs-view.js';

/** Exit code after Ctrl-C, as shells report SIGINT. */
const EXIT_INTERRUPTED = 130;

// Flag values are usage: a bad one exits 2 (see usage.ts).
const wholeNumber = (flag: string, text: string, min: number, max: number) => wholeNumberFlag(flag, text, min, max);

/** The flags of `jobs` (the list). */
export interface ListOptions {
  status?: string;
  agent?: string;
  limit: string;
  json?: boolean;
}

// `jobs`: the newest jobs as a table or JSON.
export async function listJobs(ctx: CliContext, services: Services, options: ListOptions): Promise<void> {
  if (options.status !== undefined && !(JOB_STATUSES as readonly string[]).includes(options.status)) {
    throw new UsageError(`--status must be one of ${JOB_STATUSES.join(', ')}; got "${options.status}".`);
  }
  const filter = { limit: wholeNumber('--limit', options.limit, 1, 10_000), ...(options.status ? { status: options.status as JobStatus } : {}), ...(options.agent ? { agent: options.agent } : {}) };
  const jobs = await services.dispatcher.jobs(filter);
  if (options.json) return writeJson(ctx.stdout, jobs.map(summaryJson));
  if (jobs.length === 0) {
    ctx.stdout.write(options.status || options.agent ? 'No jobs match.\n' : 'No jobs yet. Every dispatch is recorded here.\n');
    return;
  }
  const c = paletteFor(ctx.stdout, ctx.env);
  ctx.stdout.write(renderJobTable(jobs, { color: c.enabled, now: Date.now(), ...(ctx.stdout.isTTY ? { maxWidth: ctx.stdout.columns ?? 100 } : {}) }));
  const total = services.pool ? jobs.length : services.store.count(filter);
  const more = total > jobs.length ? `${jobs.length} of ${total} jobs (--limit shows more)` : plural(jobs.length, 'job');
  ctx.stdout.write(c.dim(`${more}; details: agent-dispatch jobs show ID\n`));
}

// A full id or a unique prefix, looked up in the pool's job index in pool mode.
const jobIdOf = async (services: Services, raw: string) => (services.pool ? (await services.pool.pool()).resolveId(raw) : resolveJobId(services.store, raw));

// `jobs show ID`.
export async function showJob(ctx: CliContext, services: Services, raw: string, options: { json?: boolean }): Promise<void> {
  const id = await jobIdOf(services, raw);
  const job = await services.dispatcher.status(id);
  // A pool job's timeline is in Redis beside its record, whichever host ran it.
  const events = services.pool ? await (await services.pool.pool()).events(id, { limit: 1000 }) : services.store.events(id, { limit: 1000 });
  if (options.json) return writeJson(ctx.stdout, jobJson(job, events));
  ctx.stdout.write(renderJob(job, events, paletteFor(ctx.stdout, ctx.env), Date.now()));
}

// `jobs wait ID`: print its progress lines as they are stored, then its outcome. Exit 0 only if it ended done.
export async function waitJob(ctx: CliContext, services: Services, raw: string, options: { timeout?: string; json?: boolean }): Promise<void> {
  const timeoutMs = options.timeout === undefined ? 2_147_483_647 : wholeNumber('--timeout', options.timeout, 0, 86_400) * 1000;
  const id = await jobIdOf(services, raw);
  const c = paletteFor(ctx.stdout, ctx.env);
  const first = await services.dispatcher.status(id);
  const tracker = new ProgressTracker();
  let seq = 0;
  const pool = services.pool ? await services.pool.pool() : undefined;
  // Pool mode reads the job's timeline from Redis (the worker appends to it every 250 ms).
  const follow = async () => {
    const { events } = pool ? await pool.events(id, { after: seq, limit: 1000 }) : services.store.events(id, { after: seq, limit: 1000 });
    if (events.length > 0) seq = (events.at(-1) as { seq: number }).seq;
    if (!options.json) for (const line of eventLines(events, tracker, c)) ctx.stdout.write(`${line}\n`);
  };
  if (!options.json && first.status !== 'done' && first.status !== 'failed' && first.status !== 'cancelled') {
    ctx.stdout.write(c.dim(`Waiting for job ${id} (${first.agent}, ${first.status}); Ctrl-C stops waiting, not the job.\n`));
  }
  await follow();
  let reading = Promise.resolve();
  const next = () => void (reading = reading.then(follow).catch(() => {}));
  const poll = pool ? setInterval(next, 500) : undefined;
  const unsubscribe = pool
    ? () => {}
    : services.store.subscribe((batch) => {
        if (batch.purged || batch.changes.some((change) => change.id === id)) next();
      });
  const stop = () => (clearInterval(poll), unsubscribe());
  let waited;
  try {
    waited = await services.dispatcher.wait(id, timeoutMs, ctx.signal);
  } catch (error) {
    if (!ctx.signal?.aborted) throw error;
    ctx.stderr.write(`Stopped waiting; job ${id} goes on. Cancel it with: agent-dispatch jobs cancel ${id}\n`);
    throw new CliExit(EXIT_INTERRUPTED);
  } finally {
    stop();
  }
  await reading;
  await follow();
  const { job, timedOut } = waited;
  if (options.json) writeJson(ctx.stdout, { ...toJobView(job), ...(timedOut ? { timed_out_waiting: true } : {}) });
  else if (timedOut) ctx.stderr.write(`Job ${id} is still ${job.status} after ${options.timeout} s; it goes on.\n`);
  else {
    const r = job.result;
    const facts = [statusText({ status: job.status, ...(r?.error ? { errorType: r.error.type } : {}) }), ...(r ? [formatCost(r.costUsd)] : [])].join(' · ');
    if (r && r.text.trim() !== '') ctx.stdout.write(`\n${r.text.replace(/\s+$/, '')}\n`);
    const mark = job.status === 'done' && r?.ok !== false ? c.green('✔') : c.red('✘');
    ctx.stdout.write(`\n${mark} job ${id}: ${facts}\n`);
    const why = r?.error?.message ?? job.failureReason;
    if (why && job.status !== 'done') ctx.stderr.write(`  ${why}\n${r?.error?.hint && r.error.type !== 'cancelled' ? `  fix: ${cliHint(r.error.hint, r.runtime)}\n` : ''}`);
  }
  if (timedOut || job.status !== 'done' || job.result?.ok === false) throw new CliExit(1);
}

// `jobs cancel ID`.
export async function cancelJob(ctx: CliContext, services: Services, raw: string, options: { json?: boolean }): Promise<void> {
  const id = await jobIdOf(services, raw);
  const { outcome, job } = await services.dispatcher.cancel(id);
  if (options.json) return writeJson(ctx.stdout, { job_id: id, outcome, status: job.status });
  const text: Record<typeof outcome, string> = {
    cancelled: `Cancelled job ${id}; its agent had not started.`,
    cancelled_running: `Cancelled job ${id}; its agent was stopped.`,
    cancel_requested: `Asked process ${job.ownerPid ?? '?'}, which runs job ${id}, to stop it; it is still ${job.status}. Check with: agent-dispatch jobs show ${id}`,
    already_terminal: `Job ${id} had already ended (${job.status}); nothing to cancel.`,
  };
  ctx.stdout.write(`${text[outcome]}\n`);
}

// `jobs gc`.
export async function gcJobs(ctx: CliContext, services: Services, options: { days?: string; all?: boolean; json?: boolean; defaultDays: number }): Promise<void> {
  if (options.days !== undefined && options.all) throw new DispatchError('INVALID_INPUT', 'Give --days N or --all, not both.');
  const retention = services.config.get().config.settings.job_retention_days;
  const days = options.all ? 0 : options.days !== undefined ? wholeNumber('--days', options.days, 0, 100_000) : retention > 0 ? retention : options.defaultDays;
  // As in the reference: 0 days would also take a job that ended a moment ago, so that takes an explicit --all.
  if (days === 0 && !options.all) throw new DispatchError('INVALID_INPUT', '--days 0 would delete every finished job, even one that just ended.', { hint: 'Pass --all to mean that, or --days N with N of 1 or more.' });
  const purged = await services.dispatcher.gc(days);
  if (options.json) return writeJson(ctx.stdout, { purged, max_age_days: days });
  const scope = days === 0 ? 'finished jobs' : `finished jobs older than ${plural(days, 'day')}`;
  ctx.stdout.write(`Deleted ${purged} ${scope}; pending and running jobs are kept.\n`);
}


export { withServices };
