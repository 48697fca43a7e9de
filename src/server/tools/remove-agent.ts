// `remove_agent`: delete an agent from the config (its project directory is not touched).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { agentName } from '../params.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'remove_agent';

// Register `remove_agent`.
export function registerRemoveAgent(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Remove an agent from the config (its directory is left as is).',
      inputSchema: { name: agentName },
      outputSchema: z.looseObject({ removed: z.string() }),
      annotations: { destructiveHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async (args) => {
      await deps.catalog.removeAgent(args.name);
      return toolResult({ removed: args.name });
    }),
  );
}
