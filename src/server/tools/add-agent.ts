// `add_agent`: register a project directory as an agent; the description is generated when omitted.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { text } from '../params.js';
import { guarded, toolResult } from '../results.js';
import { agentFields, pickAgentFields } from './agent-fields.js';

/** Tool name. */
export const name = 'add_agent';

// Register `add_agent`.
export function registerAddAgent(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Register a project directory as an agent. Lists are comma-separated; 0 or "" = default; no description: one is generated.',
      inputSchema: { name: text(64, 'name'), directory: text(4_096, 'directory'), ...agentFields },
      outputSchema: z.looseObject({ name: z.string(), directory: z.string() }),
      annotations: { destructiveHint: false, openWorldHint: false },
    },
    guarded(deps.logger, async (args) => toolResult(await deps.catalog.addAgent(args.name, args.directory, pickAgentFields(args)))),
  );
}
