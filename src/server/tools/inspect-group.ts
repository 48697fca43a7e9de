// `inspect_group`: one group's brief, shared_context and members.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { agentName } from '../params.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'inspect_group';

// Register `inspect_group`.
export function registerInspectGroup(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Show a group: its brief, the shared_context group= adds, its members.',
      inputSchema: { name: agentName.describe('Group name') },
      outputSchema: z.looseObject({ name: z.string() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async (args) => toolResult(await deps.catalog.inspectGroup(args.name))),
  );
}
