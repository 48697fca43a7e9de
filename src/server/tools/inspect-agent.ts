// `inspect_agent`: one agent's full config, project facts and short CLAUDE.md / README previews. No subprocess.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { agentName } from '../params.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'inspect_agent';

// Register `inspect_agent`.
export function registerInspectAgent(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'An agent\'s config, MCP servers, stacks, CLAUDE.md/README previews (nothing runs).',
      inputSchema: { name: agentName, preview_lines: z.number().int().min(0).max(200).default(40) },
      outputSchema: z.looseObject({ name: z.string(), directory: z.string() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async (args) => toolResult(await deps.catalog.inspectAgent(args.name, args.preview_lines))),
  );
}
