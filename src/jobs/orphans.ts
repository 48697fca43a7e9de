// An agent whose owner died keeps running: it has its own process group and nothing tells it the supervisor is
// gone, so it would go on working (and spending) for a job already reported failed. Whoever next reads such a job
// through the service stops the agent's process group, after checking that the pid still is that agent.
import { createGroupStop, procfs, startedAtMs, type ProcessDeps } from '../runner/process/index.js';
import type { JobRecord } from './types.js';

/** Slack around the job's start when matching the agent's start time (boot time is known to the second). */
const START_SLACK_MS = 5_000;
/** Claude Code exits within ~0.1 s of SIGTERM; SIGKILL follows for anything that ignores it. */
const ORPHAN_GRACE_MS = 1_000;

/** What the check reads and signals (injected in tests). */
export type OrphanProbe = ProcessDeps;

// The job failed because its owner process died (the store's recovery wrote this reason).
export function lostOwner(job: Pick<JobRecord, 'status' | 'failureReason'>): boolean {
  return job.status === 'failed' && (job.failureReason?.startsWith('owner process ') ?? false);
}

// True when `pid` still is the job's agent: a live group leader that started while the job was running.
export function isJobAgent(job: JobRecord, pid: number, probe: OrphanProbe = {}): boolean {
  const proc = probe.proc ?? procfs;
  const stat = proc.stat(pid);
  const boot = proc.bootTimeMs();
  if (!stat || boot === undefined || job.startedAt === undefined) return false;
  if (stat.state === 'Z' || stat.state === 'X' || stat.pgid !== pid) return false;
  const started = startedAtMs(stat, boot);
  return started >= job.startedAt - START_SLACK_MS && started <= (job.endedAt ?? Date.now()) + START_SLACK_MS;
}

// Stop the agent (and its tools) of a job whose owner died, if it still runs. True when it was signalled.
export function stopOrphanedAgent(job: JobRecord, probe: OrphanProbe = {}): boolean {
  if (!lostOwner(job) || !job.childPid || !isJobAgent(job, job.childPid, probe)) return false;
  return createGroupStop({ pgid: job.childPid, graceMs: ORPHAN_GRACE_MS, ...probe }).stop('orphaned');
}
