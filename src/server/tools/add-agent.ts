// `add_agent`: register a project directory as an agent; the description is generated when omitted.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { text } from '../params.js';
import { toolResult } from '../results.js';
import { agentFields, pickAgentFields } from './agent-fields.js';

/** Tool name. */
export const name = 'add_agent';

// `add_agent` as data.
export const tool = defineTool({
  name,
  description: 'Register a project directory as an agent. Lists are comma-separated; 0 or "" = default; no description: one is generated.',
  inputSchema: z.object({ name: text(64, 'name'), directory: text(4_096, 'directory'), ...agentFields }),
  outputSchema: z.looseObject({ name: z.string(), directory: z.string() }),
  annotations: { destructiveHint: false, openWorldHint: false },
  handler: async (args, { deps }) => toolResult(await deps.catalog.addAgent(args.name, args.directory, pickAgentFields(args))),
});
