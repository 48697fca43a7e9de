// `dispatch_parallel`: several dispatches at once (up to max_concurrency running), each with its own result,
// optionally summarised by an aggregating agent.
import { defineTool, type ToolCtx } from '../tool-def.js';
import { z } from 'zod';
import { text } from '../params.js';
import { parseDispatches } from '../parallel.js';
import type { ProgressSink } from '../progress.js';
import { toRequest, viewOptions } from '../run-dispatch.js';
import { toDispatchView } from '../../views/dispatch-result.js';
import { toolResult } from '../results.js';
import { itemView, parallelPayload, refusedItem } from '../parallel-result.js';
import { parallelTaskHook, type ParallelArgs } from '../tasks/start-parallel.js';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { mapLimit } from '../../shared/pool.js';
import { isDispatchError } from '../../shared/errors.js';
import type { ChangeReport } from '../../shared/types.js';

/** Tool name. */
export const name = 'dispatch_parallel';

// `dispatch_parallel` as data.
export const tool = defineTool({
  name,
  description:
    'Several dispatches at once. dispatches: array (or JSON string) of {agent, task, ...}; aggregate: an agent to combine the answers.',
  inputSchema: z.object({
    dispatches: z.union([text(8_000_000, 'dispatches'), z.array(z.looseObject({}))]),
    aggregate: text(200, 'aggregate').default(''),
  }),
  outputSchema: z.looseObject({ results: z.array(z.unknown()) }),
  annotations: { openWorldHint: true },
  handler: async (args, ctx) => {
    const { deps } = ctx;
    const items = parseDispatches(args.dispatches);
    // Check every agent and group before anything runs, so a typo costs nothing.
    for (const item of items) deps.catalog.assertDispatchable(item.agent, item.group || undefined);
    if (args.aggregate) deps.catalog.assertDispatchable(args.aggregate);
    const counter = { n: 0 };
    const sinks: ProgressSink[] = [];
    const sinkFor = (label: string) => {
      const sink = ctx.progress({ label, counter });
      sinks.push(sink);
      return sink;
    };
    const changes: (ChangeReport | undefined)[] = [];
    try {
      const results = await mapLimit(items, deps.dispatcher.maxConcurrency(), async (item, index) => {
        const sink = sinkFor(`${item.agent} [${index}]`);
        try {
          const outcome = await deps.dispatcher.dispatch(toRequest(item), { signal: ctx.signal, onJob: sink.onJob, onEvent: sink.onEvent, useCache: true });
          changes[index] = outcome.result.changes;
          return itemView(item, outcome, viewOptions(deps));
        } catch (error) {
          if (!isDispatchError(error)) throw error;
          return refusedItem(item.agent, error);
        }
      });
      const payload = parallelPayload(results, changes);
      if (!args.aggregate) return toolResult(payload);
      const digest = results
        .map((r, i) => `### ${String(r.agent)} (item ${i}, ${r.success ? 'ok' : `failed: ${String(r.error_type)}`})\n${String(r.result ?? r.summary ?? r.error ?? '')}`)
        .join('\n\n');
      const sink = sinkFor(`${args.aggregate} (aggregate)`);
      const outcome = await deps.dispatcher.dispatch(
        { agent: args.aggregate, task: `Combine these ${results.length} results into one answer.\n\n${digest}`, caller: 'dispatch_parallel' },
        { signal: ctx.signal, onJob: sink.onJob, onEvent: sink.onEvent, useCache: false },
      );
      return toolResult({ ...payload, aggregated: { ...toDispatchView(outcome, viewOptions(deps)) } });
    } finally {
      for (const sink of sinks) sink.close();
    }
  },
  // Answered as a task group when the client declares the Tasks extension (without `aggregate`).
  task: parallelTaskHook(name, (args, ctx): Promise<CallToolResult> => sync(args, ctx)),
});

// The synchronous answer, for the task hook's calls with `aggregate` (late-bound: the tool is defined above).
function sync(args: ParallelArgs, ctx: ToolCtx): Promise<CallToolResult> {
  return tool.handler(args as Parameters<typeof tool.handler>[0], ctx);
}
