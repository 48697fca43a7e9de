// Tasks over the job store: every server instance reads SQLite, so stdio's one or two instances, HTTP's instance
// per request and a server started after a restart all see the same tasks, and a task outlives the process that
// started it (its job runs in the detached supervisor).
import type { TaskJobs } from '../../jobs/dispatcher.js';
import type { TaskGroup, TaskLink } from '../../jobs/store/types.js';
import type { JobRecord } from '../../jobs/types.js';
import { isDispatchError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import type { ViewOptions } from '../../views/dispatch-result.js';
import { decisionOf } from '../ask-caller.js';
import { toGroupTask, type MemberJob } from './group-task.js';
import { toTask } from './to-task.js';
import type { DetailedTask } from './types.js';
import { unknownTask, unreadableTask } from './unknown-task.js';

/** What the task store reads. */
export interface TaskStoreDeps {
  jobs: TaskJobs;
  view: () => ViewOptions;
  logger: Logger;
  now?: () => number;
}

/** tasks/get, tasks/cancel and tasks/update, for one principal at a time. */
export interface McpTaskStore {
  /** The task, or a final `failed` one for an unknown, expired or foreign id. Never throws. */
  get(taskId: string, principal?: string): DetailedTask;
  /** Asks the job to stop and returns at once; again, or on a finished task, it changes nothing. */
  cancel(taskId: string, principal?: string): 'ok' | 'unknown';
  /** Stores answers to the task's outstanding questions; an answer keyed by a pending permission request decides
   *  it (allow once, allow always or deny); answers to nothing outstanding are dropped. */
  update(taskId: string, principal: string | undefined, responses: Record<string, unknown>): Promise<'ok' | 'unknown'>;
}

// Build the store.
export function createTaskStore(deps: TaskStoreDeps): McpTaskStore {
  const now = deps.now ?? Date.now;

  // The job and its link when `principal` may see them; undefined for any id that is not a task of theirs.
  const find = (taskId: string, principal: string | undefined): { job: JobRecord; link: TaskLink } | undefined => {
    let link: TaskLink | undefined;
    try {
      link = deps.jobs.taskLink(taskId);
    } catch (error) {
      if (isDispatchError(error) && error.code === 'INVALID_INPUT') return undefined; // not even a job id
      throw error;
    }
    // A task started over stdio (no principal) is not an HTTP token's, nor the other way round.
    if (!link || (link.principal ?? undefined) !== principal) return undefined;
    try {
      return { job: deps.jobs.status(link.jobId), link };
    } catch (error) {
      if (isDispatchError(error) && error.code === 'JOB_NOT_FOUND') return undefined; // deleted meanwhile
      throw error;
    }
  };

  // An elicitation answer to a permission request, submitted as the approvals code does for every other answer
  // (the run's broker picks it up). No usable answer leaves the request open (its timeout still denies it).
  const decide = async (jobId: string, requestId: string, answer: unknown) => {
    const decision = typeof answer === 'object' && answer !== null ? decisionOf(answer as { action: string; content?: Record<string, unknown> }) : undefined;
    if (!decision) return deps.logger.debug(`tasks/update ${jobId}: no decision in the answer to request ${requestId}`);
    try {
      const { outcome } = await deps.jobs.reply(jobId, requestId, { decision, decidedBy: 'caller', how: 'tasks/update' });
      deps.logger.debug(`tasks/update ${jobId}: request ${requestId} ${outcome} (${decision})`);
    } catch (error) {
      deps.logger.warn(`tasks/update ${jobId}: request ${requestId}: ${(error as Error).message}`);
    }
  };

  // The task group with this id when `principal` may see it (dispatch_parallel), with its members' jobs.
  const findGroup = (taskId: string, principal: string | undefined): { group: TaskGroup; jobs: MemberJob[] } | undefined => {
    let group: TaskGroup | undefined;
    try {
      group = deps.jobs.taskGroup(taskId);
    } catch (error) {
      if (isDispatchError(error) && error.code === 'INVALID_INPUT') return undefined;
      throw error;
    }
    if (!group || (group.principal ?? undefined) !== principal) return undefined;
    const jobs = group.members.map((member) => {
      if (!member.jobId) return undefined;
      try {
        return deps.jobs.status(member.jobId);
      } catch (error) {
        if (isDispatchError(error) && error.code === 'JOB_NOT_FOUND') return undefined;
        throw error;
      }
    });
    return { group, jobs };
  };

  // Ask every member that still runs to stop, without waiting (a second cancel finds them ended or asked).
  const cancelGroup = (taskId: string, principal: string | undefined): 'ok' | 'unknown' => {
    const grouped = findGroup(taskId, principal);
    if (!grouped) return 'unknown';
    const outcomes = grouped.jobs.flatMap((job) => (job ? [deps.jobs.requestCancel(job.id).outcome] : []));
    deps.logger.debug(`tasks/cancel ${taskId}: ${outcomes.join(', ')}`);
    return 'ok';
  };

  return {
    get(taskId, principal) {
      try {
        const found = find(taskId, principal);
        if (!found) {
          const grouped = findGroup(taskId, principal);
          if (grouped) return toGroupTask(grouped.group, grouped.jobs, { now: now(), retentionDays: deps.jobs.retentionDays(), view: deps.view() });
          return unknownTask(taskId, now());
        }
        return toTask(found.job, found.link, { now: now(), retentionDays: deps.jobs.retentionDays(), view: deps.view() });
      } catch (error) {
        deps.logger.warn(`tasks/get ${taskId}: ${(error as Error).message}`);
        return unreadableTask(taskId, now(), (error as Error).message);
      }
    },
    cancel(taskId, principal) {
      const found = find(taskId, principal);
      if (!found) return cancelGroup(taskId, principal);
      const { outcome } = deps.jobs.requestCancel(found.job.id);
      deps.logger.debug(`tasks/cancel ${found.job.id}: ${outcome}`);
      return 'ok';
    },
    async update(taskId, principal, responses) {
      const found = find(taskId, principal);
      // A group asks nothing itself: answers to it are acknowledged and dropped.
      if (!found) return findGroup(taskId, principal) ? 'ok' : 'unknown';
      const jobId = found.job.id;
      const pending = new Set((found.job.pendingApprovals ?? []).map((r) => r.id));
      for (const [key, answer] of Object.entries(responses)) {
        if (pending.has(key)) await decide(jobId, key, answer);
      }
      const others = Object.fromEntries(Object.entries(responses).filter(([key]) => !pending.has(key)));
      const kept = Object.keys(others).length > 0 ? (deps.jobs.answerInput(jobId, others) ?? []) : [];
      const dropped = Object.keys(others).filter((key) => !kept.includes(key));
      if (dropped.length > 0) deps.logger.debug(`tasks/update ${jobId}: ignored answers to ${dropped.join(', ')} (nothing outstanding under those keys)`);
      return 'ok';
    },
  };
}
