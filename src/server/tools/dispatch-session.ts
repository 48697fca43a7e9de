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
    // Claude Code and Codex use UUIDs, OpenCode `ses_…` ids: allow the id characters, never a leading "-" (a flag).
    .refine((s) => s === '' || /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(s), 'session_id must be a session id returned by an earlier dispatch, or empty to start a new session'),
};

// Register `dispatch_session`.
export function registerDispatchSession(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description:
        'Like dispatch, as a conversation: pass session_id back to continue (or resume a timed-out run). Not cached.',
      inputSchema,
      outputSchema: dispatchOutput,
      annotations: { openWorldHint: true },
    },
    (args, extra) => runDispatch(deps, extra, { ...args, useCache: false, label: args.agent }),
  );
}
