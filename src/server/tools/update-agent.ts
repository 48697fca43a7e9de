// `update_agent`: change an agent's settings; "none" clears a field. Drops the agent's cached results.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { agentName } from '../params.js';
import { guarded, toolResult } from '../results.js';
import { agentFields, pickAgentFields } from './agent-fields.js';

/** Tool name. */
export const name = 'update_agent';

// Register `update_agent`.
export function registerUpdateAgent(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Change an agent: only non-empty fields change; "none" clears a text or list, a negative max_budget_usd the cap.',
      inputSchema: { name: agentName, ...agentFields },
      outputSchema: z.looseObject({ name: z.string(), directory: z.string() }),
      annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async (args) => toolResult(await deps.catalog.updateAgent(args.name, pickAgentFields(args)))),
  );
}
