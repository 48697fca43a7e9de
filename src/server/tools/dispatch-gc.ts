// `dispatch_gc`: delete finished jobs older than max_age_days; pending and running jobs are kept.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { guarded, toolError, toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_gc';

// Register `dispatch_gc`.
export function registerDispatchGc(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Delete ended jobs older than max_age_days (> 0); returns the count.',
      inputSchema: { max_age_days: z.number().default(7) },
      outputSchema: z.looseObject({ purged: z.number() }),
      annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async (args) => {
      // As in the reference: 0 would delete a job that finished a moment ago, which is never what a model means.
      if (!(args.max_age_days > 0)) {
        return toolError(`max_age_days must be above 0 (got ${args.max_age_days}). To delete every finished job, a person can run \`agent-dispatch jobs gc --all\`.`);
      }
      return toolResult({ purged: deps.dispatcher.gc(args.max_age_days) });
    }),
  );
}
