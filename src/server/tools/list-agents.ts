// `list_agents`: every agent with its description, health and detected project facts. No subprocess.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'list_agents';

// Register `list_agents`.
export function registerListAgents(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Agents you can dispatch to: descriptions, health, capabilities. Call first.',
      outputSchema: z.looseObject({ agents: z.array(z.looseObject({})) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async () => toolResult({ agents: await deps.catalog.listAgents() })),
  );
}
