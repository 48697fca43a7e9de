// `update_agent`: change an agent's settings; "none" clears a field. Drops the agent's cached results.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { agentName } from '../params.js';
import { toolResult } from '../results.js';
import { agentFields, pickAgentFields } from './agent-fields.js';

/** Tool name. */
export const name = 'update_agent';

// `update_agent` as data.
export const tool = defineTool({
  name,
  description: 'Change an agent: only non-empty fields change; "none" clears a text or list, a negative max_budget_usd the cap.',
  inputSchema: z.object({ name: agentName, ...agentFields }),
  outputSchema: z.looseObject({ name: z.string(), directory: z.string() }),
  annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (args, { deps }) => toolResult(await deps.catalog.updateAgent(args.name, pickAgentFields(args))),
});
