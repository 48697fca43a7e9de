// `dispatch_stream`: a dispatch that reports each step as progress and log messages; never cached.
import { z } from 'zod';
import { defineTool } from '../tool-def.js';
import { dispatchTaskHook } from '../tasks/start-task.js';
import { dispatchFields } from '../params.js';
import { dispatchOutput, runDispatch } from '../run-dispatch.js';

/** Tool name. */
export const name = 'dispatch_stream';

// `dispatch_stream` as data.
export const tool = defineTool({
  name,
  description: 'Like dispatch, also sending each step as progress and log messages. Not cached.',
  inputSchema: z.object(dispatchFields),
  outputSchema: dispatchOutput,
  annotations: { openWorldHint: true },
  // With the Tasks extension declared, a background job polled through tasks/get (tasks/extension.ts).
  task: dispatchTaskHook(name),
  handler: (args, ctx) => runDispatch(ctx, { ...args, useCache: false, label: args.agent, log: true }),
});
