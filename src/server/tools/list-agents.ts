// `list_agents`: every agent with its description, health and detected project facts. No subprocess.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'list_agents';

// `list_agents` as data.
export const tool = defineTool({
  name,
  description: 'Agents you can dispatch to: descriptions, health, capabilities. Call first.',
  inputSchema: z.object({}),
  outputSchema: z.looseObject({ agents: z.array(z.looseObject({})) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async (_args, { deps }) => toolResult({ agents: await deps.catalog.listAgents() }),
});
