// `dispatch_gc`: delete finished jobs older than max_age_days; pending and running jobs are kept.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { toolError, toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_gc';

// `dispatch_gc` as data.
export const tool = defineTool({
  name,
  description: 'Delete finished jobs (done, failed, cancelled) older than max_age_days (> 0). Returns how many were deleted.',
  inputSchema: z.object({ max_age_days: z.number().default(7) }),
  outputSchema: z.looseObject({ purged: z.number() }),
  annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler: async (args, { deps }) => {
    // As in the reference: 0 would delete a job that finished a moment ago, which is never what a model means.
    if (!(args.max_age_days > 0)) {
      return toolError(`max_age_days must be above 0 (got ${args.max_age_days}). To delete every finished job, a person can run \`agent-dispatch jobs gc --all\`.`);
    }
    return toolResult({ purged: await deps.dispatcher.gc(args.max_age_days) });
  },
});
