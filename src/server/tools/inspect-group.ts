// `inspect_group`: one group's brief, shared_context and members.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { agentName } from '../params.js';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'inspect_group';

// `inspect_group` as data.
export const tool = defineTool({
  name,
  description: 'Show a group: its brief, the shared_context group= adds, its members.',
  inputSchema: z.object({ name: agentName.describe('Group name') }),
  outputSchema: z.looseObject({ name: z.string() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async (args, { deps }) => toolResult(await deps.catalog.inspectGroup(args.name)),
});
