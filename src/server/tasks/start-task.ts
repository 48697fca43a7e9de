// A dispatch tool call answered as a task: the dispatch becomes a background job (run by the detached supervisor,
// so it outlives this server), its link records the tool and the shaping arguments, and the call answers as soon
// as both are durable. tasks/get then returns exactly what the synchronous call would have.
import type { AnswerShape, ToolAnswer } from '../dispatch-answer.js';
import { dispatchAnswer } from '../dispatch-answer.js';
import type { ServerDeps } from '../deps.js';
import { errorResult } from '../results.js';
import { toRequest, viewOptions, type DispatchArgs } from '../run-dispatch.js';
import { toStartedTask } from './to-task.js';
import type { CreateTaskResult } from './types.js';

/** The tools that may answer as a task, and whether they read the cache first. dispatch_parallel and
 *  dispatch_dialogue run several jobs from the server itself and stay synchronous. */
export const TASK_TOOLS: Readonly<Record<string, { useCache: boolean }>> = {
  dispatch: { useCache: true },
  dispatch_session: { useCache: false },
  dispatch_stream: { useCache: false },
};

// True when `tool` can answer as a task.
export function isTaskTool(tool: string): boolean {
  return Object.hasOwn(TASK_TOOLS, tool);
}

// Start the dispatch as a task; a cache hit is answered at once (no job to poll), and a refusal (unknown agent,
// budget) is the same isError result the synchronous call gives.
export async function startTask(
  deps: Pick<ServerDeps, 'dispatcher' | 'catalog' | 'logger'>,
  tool: string,
  args: DispatchArgs,
  options: { principal?: string; now?: () => number } = {},
): Promise<ToolAnswer | CreateTaskResult> {
  try {
    const request = toRequest(args);
    const shape: AnswerShape = {};
    if (args.return_ref) shape.return_ref = true;
    if (args.summary_chars !== undefined) shape.summary_chars = args.summary_chars;
    if (TASK_TOOLS[tool]?.useCache) {
      const hit = await deps.dispatcher.cachedAnswer(request);
      if (hit) return dispatchAnswer(hit, shape, viewOptions(deps));
    }
    const job = await deps.dispatcher.start(request, { task: { tool, shape: { ...shape }, ...(options.principal ? { principal: options.principal } : {}) } });
    const now = (options.now ?? Date.now)();
    return { resultType: 'task', ...toStartedTask(job, { now, retentionDays: deps.dispatcher.retentionDays(), view: {} }) };
  } catch (error) {
    return errorResult(error, deps.logger);
  }
}
