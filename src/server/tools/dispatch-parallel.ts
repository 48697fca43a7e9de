// `dispatch_parallel`: several dispatches at once (up to max_concurrency running), each with its own result,
// optionally summarised by an aggregating agent.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { text } from '../params.js';
import { parseDispatches } from '../parallel.js';
import type { ProgressSink } from '../progress.js';
import { toRequest, viewOptions } from '../run-dispatch.js';
import { toDispatchView, toRefView } from '../../views/dispatch-result.js';
import { errorTypeOf, toolResult } from '../results.js';
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
          return item.return_ref ? toRefView(outcome, item.summary_chars) : { ...toDispatchView(outcome, viewOptions(deps)) };
        } catch (error) {
          if (!isDispatchError(error)) throw error;
          return { agent: item.agent, success: false, result: '', error: error.message, error_type: errorTypeOf(error), ...(error.hint ? { hint: error.hint } : {}) };
        }
      });
      // Paths more than one item changed in the same repository (issue 19): merging both needs care. Imported here,
      // not at the top, so that `serve` does not load the runner to answer tools/list (the services load it anyway).
      const { findOverlaps } = await import('../../runner/index.js');
      const overlaps = findOverlaps(changes);
      const extras = overlaps.length > 0 ? { overlaps } : {};
      if (!args.aggregate) return toolResult({ results, ...extras });
      const digest = results
        .map((r, i) => `### ${String(r.agent)} (item ${i}, ${r.success ? 'ok' : `failed: ${String(r.error_type)}`})\n${String(r.result ?? r.summary ?? r.error ?? '')}`)
        .join('\n\n');
      const sink = sinkFor(`${args.aggregate} (aggregate)`);
      const outcome = await deps.dispatcher.dispatch(
        { agent: args.aggregate, task: `Combine these ${results.length} results into one answer.\n\n${digest}`, caller: 'dispatch_parallel' },
        { signal: ctx.signal, onJob: sink.onJob, onEvent: sink.onEvent, useCache: false },
      );
      return toolResult({ results, ...extras, aggregated: { ...toDispatchView(outcome, viewOptions(deps)) } });
    } finally {
      for (const sink of sinks) sink.close();
    }
  },
});
