// `cache_clear`: drop every cached dispatch result.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'cache_clear';

// Register `cache_clear`.
export function registerCacheClear(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Drop all cached dispatch results.',
      outputSchema: z.looseObject({ cleared: z.number() }),
      annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async () => toolResult({ cleared: deps.dispatcher.clearCache() })),
  );
}
