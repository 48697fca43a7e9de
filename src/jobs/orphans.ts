// An agent whose owner died keeps running: it has its own process group and nothing tells it the supervisor is
// gone, so it would go on working (and spending) for a job already reported failed. Whoever next reads such a job
// through the service stops the agent's process group, after checking that the pid still is that agent.
import { readFileSync } from 'node:fs';
import { signalGroup, type KillFn } from '../runner/terminate.js';
import type { JobRecord } from './types.js';

/** Slack around the job's start when matching the agent's start time (boot time is known to the second). */
const START_SLACK_MS = 5_000;
/** USER_HZ: the unit of /proc/<pid>/stat start times on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

/** What the check reads and signals (injected in tests). */
export interface OrphanProbe {
  /** /proc/<pid>/stat text, or undefined. */
  readStat: (pid: number) => string | undefined;
  /** Boot time in epoch ms, or undefined where /proc/stat is missing. */
  bootTimeMs: () => number | undefined;
  kill?: KillFn;
}

const readOrUndefined = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Linux /proc. */
export const procProbe: OrphanProbe = {
  readStat: (pid) => readOrUndefined(`/proc/${pid}/stat`),
  bootTimeMs: () => {
    const match = /^btime (\d+)$/m.exec(readOrUndefined('/proc/stat') ?? '');
    return match ? Number(match[1]) * 1000 : undefined;
  },
};

// The job failed because its owner process died (the store's recovery wrote this reason).
export function lostOwner(job: Pick<JobRecord, 'status' | 'failureReason'>): boolean {
  return job.status === 'failed' && (job.failureReason?.startsWith('owner process ') ?? false);
}

// State, process group and start time (epoch ms) of a live pid; undefined when gone or unreadable.
export function processFacts(pid: number, probe: OrphanProbe): { state: string; pgid: number; startedAtMs: number } | undefined {
  const stat = probe.readStat(pid);
  const boot = probe.bootTimeMs();
  if (stat === undefined || boot === undefined) return undefined;
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  // After the command name: state(3) ppid(4) pgrp(5) ... starttime(22).
  const fields = stat.slice(close + 1).trim().split(/\s+/);
  const state = fields[0] ?? '';
  const pgid = Number(fields[2]);
  const ticks = Number(fields[19]);
  if (!Number.isSafeInteger(pgid) || !Number.isSafeInteger(ticks)) return undefined;
  return { state, pgid, startedAtMs: boot + (ticks * 1000) / TICKS_PER_SECOND };
}

// Stop the agent of a job whose owner died, if it still runs. True when it was signalled.
export function stopOrphanedAgent(job: JobRecord, probe: OrphanProbe = procProbe): boolean {
  if (!lostOwner(job) || !job.childPid || job.startedAt === undefined) return false;
  const facts = processFacts(job.childPid, probe);
  if (!facts || facts.state === 'Z' || facts.state === 'X') return false;
  // The same pid could belong to a newer process: only a group leader that started while the job was running is its agent.
  if (facts.pgid !== job.childPid) return false;
  if (facts.startedAtMs < job.startedAt - START_SLACK_MS || facts.startedAtMs > (job.endedAt ?? Date.now()) + START_SLACK_MS) return false;
  // Claude Code exits within ~0.1 s of SIGTERM; SIGKILL follows for anything that ignores it.
  const sent = signalGroup(job.childPid, 'SIGTERM', probe.kill);
  if (sent) setTimeout(() => signalGroup(job.childPid as number, 'SIGKILL', probe.kill), 1_000).unref();
  return sent;
}
