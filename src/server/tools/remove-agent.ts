// `remove_agent`: delete an agent from the config (its project directory is not touched).
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { agentName } from '../params.js';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'remove_agent';

// `remove_agent` as data.
export const tool = defineTool({
  name,
  description: 'Remove an agent from the config (its directory is left as is).',
  inputSchema: z.object({ name: agentName }),
  outputSchema: z.looseObject({ removed: z.string() }),
  annotations: { destructiveHint: true, openWorldHint: false },
  handler: async (args, { deps }) => {
    await deps.catalog.removeAgent(args.name);
    return toolResult({ removed: args.name });
  },
});
