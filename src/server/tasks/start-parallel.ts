// dispatch_parallel answered as a task: every item becomes a background job (the same start as a task's dispatch,
// so they run in the local worker, queue on max_concurrency's leases, and outlive this server), and one task group
// names them. The group's id is the task id; tasks/get assembles the answer from the members (group-task.ts).
// A call with `aggregate` is answered synchronously: the aggregating run needs every result first.
import type { TaskGroup, TaskGroupMember } from '../../jobs/store/types.js';
import { isDispatchError } from '../../shared/errors.js';
import type { ServerDeps } from '../deps.js';
import { parseDispatches } from '../parallel.js';
import { itemView, refusedItem } from '../parallel-result.js';
import { toRequest, viewOptions } from '../run-dispatch.js';
import type { TaskHook, TaskSeed } from '../tool-def.js';
import { toGroupTask } from './group-task.js';
import { tasksOf } from './start-task.js';
import type { CreateTaskResult } from './types.js';

type StartDeps = Pick<ServerDeps, 'dispatcher' | 'catalog' | 'logger'>;

/** dispatch_parallel's arguments, as its input schema gives them. */
export interface ParallelArgs {
  dispatches: unknown;
  aggregate: string;
}

/** A started group, before it is shaped into the tools/call answer. */
export interface StartedGroup extends TaskSeed {
  group: TaskGroup;
}

// Start one job per item and store the group. A refused item (budget, cancelled) becomes its error entry, as in
// the synchronous call; a cache hit its cached entry. Any other fault cancels the jobs already started.
export async function startParallelGroup(deps: StartDeps, tool: string, args: ParallelArgs, principal?: string): Promise<StartedGroup> {
  const items = parseDispatches(args.dispatches);
  for (const item of items) deps.catalog.assertDispatchable(item.agent, item.group || undefined);
  const members: TaskGroupMember[] = [];
  try {
    for (const item of items) {
      const shape = { return_ref: item.return_ref, summary_chars: item.summary_chars };
      const request = toRequest(item);
      try {
        const hit = await tasksOf(deps).cachedAnswer(request);
        if (hit) {
          members.push({ agent: item.agent, shape, answer: itemView(shape, hit, viewOptions(deps)) });
          continue;
        }
        const job = await deps.dispatcher.start(request);
        members.push({ agent: item.agent, shape, jobId: job.id });
      } catch (error) {
        if (!isDispatchError(error)) throw error;
        members.push({ agent: item.agent, shape, answer: refusedItem(item.agent, error) });
      }
    }
    const group = tasksOf(deps).createTaskGroup({ tool, members, ...(principal ? { principal } : {}) });
    return { jobId: group.id, group };
  } catch (error) {
    for (const member of members) if (member.jobId) tasksOf(deps).requestCancel(member.jobId);
    throw error;
  }
}

// The tools/call answer for a started group: the task, working.
export function groupTaskAnswer(deps: Pick<StartDeps, 'dispatcher'>, group: TaskGroup, now = Date.now()): CreateTaskResult {
  const jobs = group.members.map((m) => (m.jobId ? tasksOf(deps).status(m.jobId) : undefined));
  const task = toGroupTask(group, jobs, { now, retentionDays: tasksOf(deps).retentionDays(), view: {} });
  const { result: _result, ...rest } = task;
  // Everything may have come from the cache or been refused: still a task, completed at the first tasks/get.
  return { resultType: 'task', ...rest, status: 'working', pollIntervalMs: rest.pollIntervalMs ?? 1000 };
}

// True for a seed that names a task group.
export function isStartedGroup(seed: TaskSeed): seed is StartedGroup {
  return (seed as Partial<StartedGroup>).group !== undefined;
}

// The task hook of dispatch_parallel; with `aggregate`, the synchronous handler answers.
export function parallelTaskHook(tool: string, sync: (args: ParallelArgs, ctx: Parameters<TaskHook<ParallelArgs>['start']>[1]) => ReturnType<TaskHook<ParallelArgs>['start']>): TaskHook<ParallelArgs> {
  return { start: (args, ctx) => (args.aggregate ? sync(args, ctx) : startParallelGroup(ctx.deps, tool, args, ctx.principal)) };
}
