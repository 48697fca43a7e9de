// `dispatch_gc`: delete finished jobs older than max_age_days; pending and running jobs are kept.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_gc';

// Register `dispatch_gc`.
export function registerDispatchGc(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Delete finished jobs (done, failed, cancelled) older than max_age_days. Returns how many were deleted.',
      inputSchema: { max_age_days: z.number().min(0).default(7) },
      outputSchema: z.looseObject({ purged: z.number() }),
      annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async (args) => toolResult({ purged: deps.dispatcher.gc(args.max_age_days) })),
  );
}
