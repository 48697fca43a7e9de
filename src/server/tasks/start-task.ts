// A dispatch tool call answered as a task: the dispatch becomes a background job (run by the detached supervisor,
// so it outlives this server), its link records the tool and the shaping arguments, and the call answers as soon
// as both are durable. tasks/get then returns exactly what the synchronous call would have.
import type { TaskJobs } from '../../jobs/dispatcher.js';
import type { JobRecord } from '../../jobs/types.js';
import type { AnswerShape, ToolAnswer } from '../dispatch-answer.js';
import { dispatchAnswer } from '../dispatch-answer.js';
import type { ServerDeps } from '../deps.js';
import type { TaskHook } from '../tool-def.js';
import { errorResult } from '../results.js';
import { toRequest, viewOptions, type DispatchArgs } from '../run-dispatch.js';
import { toStartedTask } from './to-task.js';
import type { CreateTaskResult } from './types.js';

/** The tools that may answer as a task, and whether they read the cache first. dispatch_parallel answers as a
 *  task group (start-parallel.ts), dispatch_dialogue as one job that runs the whole dialogue (start-dialogue.ts). */
export const TASK_TOOLS: Readonly<Record<string, { useCache: boolean }>> = {
  dispatch: { useCache: true },
  dispatch_parallel: { useCache: true },
  dispatch_dialogue: { useCache: false },
  dispatch_session: { useCache: false },
  dispatch_stream: { useCache: false },
};

/** The started job of a task, before it is shaped into the tools/call answer. */
export interface StartedJob {
  jobId: string;
  job: JobRecord;
}

type StartDeps = Pick<ServerDeps, 'dispatcher' | 'catalog' | 'logger'>;

// The job store behind tasks; callers check `dispatcher.tasks` first (the seam's `accepts`), so it is there.
export function tasksOf(deps: Pick<ServerDeps, 'dispatcher'>): TaskJobs {
  const jobs = deps.dispatcher.tasks;
  if (!jobs) throw new Error('MCP Tasks need the local job store (not available in pool mode).');
  return jobs;
}

// True for a started job, false for an answer given at once.
export function isStartedJob(value: StartedJob | ToolAnswer): value is StartedJob {
  return typeof (value as Partial<StartedJob>).jobId === 'string' && (value as Partial<StartedJob>).job !== undefined;
}

// True when `tool` can answer as a task.
export function isTaskTool(tool: string): boolean {
  return Object.hasOwn(TASK_TOOLS, tool);
}

// Start the dispatch's job with its task link. A cache hit is answered at once (no job to poll); a refusal
// (unknown agent, budget) throws the same error the synchronous call turns into its isError result.
export async function startTaskJob(deps: StartDeps, tool: string, args: DispatchArgs, principal?: string): Promise<StartedJob | ToolAnswer> {
  const request = toRequest(args);
  const shape: AnswerShape = {};
  if (args.return_ref) shape.return_ref = true;
  if (args.summary_chars !== undefined) shape.summary_chars = args.summary_chars;
  if (TASK_TOOLS[tool]?.useCache) {
    const hit = await tasksOf(deps).cachedAnswer(request);
    if (hit) return dispatchAnswer(hit, shape, viewOptions(deps));
  }
  const job = await deps.dispatcher.start(request, { task: { tool, shape: { ...shape }, ...(principal ? { principal } : {}) } });
  return { jobId: job.id, job };
}

// The tools/call answer for a started job: the task, working (whatever the job did meanwhile).
export function taskAnswer(deps: Pick<StartDeps, 'dispatcher'>, job: JobRecord, now = Date.now()): CreateTaskResult {
  return { resultType: 'task', ...toStartedTask(job, { now, retentionDays: tasksOf(deps).retentionDays(), view: {} }) };
}

// The task hook of a dispatch tool (ToolDef.task): the started job (a TaskSeed with its record), or the answer
// given at once. A refusal throws; the tools/call handler turns it into the synchronous isError result.
export function dispatchTaskHook(tool: string): TaskHook<DispatchArgs> {
  return { start: (args, ctx) => startTaskJob(ctx.deps, tool, args, ctx.principal) };
}

// Both steps, with a refusal as an isError result.
export async function startTask(deps: StartDeps, tool: string, args: DispatchArgs, options: { principal?: string; now?: () => number } = {}): Promise<ToolAnswer | CreateTaskResult> {
  try {
    const started = await startTaskJob(deps, tool, args, options.principal);
    return isStartedJob(started) ? taskAnswer(deps, started.job, (options.now ?? Date.now)()) : started;
  } catch (error) {
    return errorResult(error, deps.logger);
  }
}
