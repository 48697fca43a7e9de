// `list_groups`: every group with its brief and members' use_for hints and health. No subprocess.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'list_groups';

// Register `list_groups`.
export function registerListGroups(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'List agent groups: how to coordinate each, what each member is for.',
      outputSchema: z.looseObject({ groups: z.array(z.looseObject({})) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async () => toolResult({ groups: await deps.catalog.listGroups() })),
  );
}
