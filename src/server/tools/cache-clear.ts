// `cache_clear`: drop every cached dispatch result.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'cache_clear';

// `cache_clear` as data.
export const tool = defineTool({
  name,
  description: 'Drop all cached dispatch results.',
  inputSchema: z.object({}),
  outputSchema: z.looseObject({ cleared: z.number() }),
  annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler: async (_args, { deps }) => toolResult({ cleared: deps.dispatcher.clearCache() }),
});
