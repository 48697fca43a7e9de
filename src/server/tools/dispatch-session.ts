// `dispatch_session`: start or continue a multi-turn conversation with an agent; never cached.
import { z } from 'zod';
import { defineTool } from '../tool-def.js';
import { dispatchTaskHook } from '../tasks/start-task.js';
import { dispatchFields, text } from '../params.js';
import { dispatchOutput, runDispatch } from '../run-dispatch.js';

/** Tool name. */
export const name = 'dispatch_session';

/** Input fields. */
export const inputSchema = z.object({
  ...dispatchFields,
  session_id: text(100, 'session_id')
    .default('')
    // Claude Code and Codex use UUIDs, OpenCode `ses_…` ids: allow the id characters, never a leading "-" (a flag).
    .refine((s) => s === '' || /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(s), 'session_id must be a session id returned by an earlier dispatch, or empty to start a new session'),
});

// `dispatch_session` as data.
export const tool = defineTool({
  name,
  description:
    'Like dispatch, as a conversation: pass session_id back to continue (or resume a timed-out run). Not cached.',
  inputSchema,
  outputSchema: dispatchOutput,
  annotations: { openWorldHint: true },
  // With the Tasks extension declared, a background job polled through tasks/get (tasks/extension.ts).
  task: dispatchTaskHook(name),
  handler: (args, ctx) => runDispatch(ctx, { ...args, useCache: false, label: args.agent }),
});
