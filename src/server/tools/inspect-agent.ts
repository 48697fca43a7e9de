// `inspect_agent`: one agent's full config, project facts and short CLAUDE.md / README previews. No subprocess.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { agentName } from '../params.js';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'inspect_agent';

// `inspect_agent` as data.
export const tool = defineTool({
  name,
  description: 'An agent\'s config, MCP servers, stacks, CLAUDE.md/README previews (nothing runs).',
  inputSchema: z.object({ name: agentName, preview_lines: z.number().int().min(0).max(200).default(40) }),
  outputSchema: z.looseObject({ name: z.string(), directory: z.string() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async (args, { deps }) => toolResult(await deps.catalog.inspectAgent(args.name, args.preview_lines)),
});
