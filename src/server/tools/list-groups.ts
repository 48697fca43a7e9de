// `list_groups`: every group with its brief and members' use_for hints and health. No subprocess.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'list_groups';

// `list_groups` as data.
export const tool = defineTool({
  name,
  description: 'List agent groups: how to coordinate each, what each member is for.',
  inputSchema: z.object({}),
  outputSchema: z.looseObject({ groups: z.array(z.looseObject({})) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async (_args, { deps }) => toolResult({ groups: await deps.catalog.listGroups() }),
});
