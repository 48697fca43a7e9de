// `dispatch_session`: start or continue a multi-turn conversation with an agent; never cached.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerDeps } from '../deps.js';
import { dispatchFields, text } from '../params.js';
import { dispatchOutput, runDispatch } from '../run-dispatch.js';

/** Tool name. */
export const name = 'dispatch_session';

/** Input fields. */
export const inputSchema = {
  ...dispatchFields,
  session_id: text(100, 'session_id')
    .default('')
    .refine((s) => s === '' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s), 'session_id must be a session id returned by an earlier dispatch (a UUID), or empty to start a new session'),
};

// Register `dispatch_session`.
export function registerDispatchSession(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description:
        'Like dispatch, in a conversation: pass the returned session_id to continue it (also resumes a timed-out dispatch). Not cached.',
      inputSchema,
      outputSchema: dispatchOutput,
      annotations: { openWorldHint: true },
    },
    (args, extra) => runDispatch(deps, extra, { ...args, useCache: false, label: args.agent }),
  );
}
