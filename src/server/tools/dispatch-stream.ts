// `dispatch_stream`: a dispatch that reports each step as progress and log messages; never cached.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerDeps } from '../deps.js';
import { dispatchFields } from '../params.js';
import { dispatchOutput, runDispatch } from '../run-dispatch.js';

/** Tool name. */
export const name = 'dispatch_stream';

// Register `dispatch_stream`.
export function registerDispatchStream(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Like dispatch, also sending each step as progress and log messages. Not cached.',
      inputSchema: dispatchFields,
      outputSchema: dispatchOutput,
      annotations: { openWorldHint: true },
    },
    (args, extra) => runDispatch(deps, extra, { ...args, useCache: false, label: args.agent, log: true }),
  );
}
