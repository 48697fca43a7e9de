// `dispatch`: one task to one agent, cached, with live progress and an optional ref instead of the text.
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerDeps } from '../deps.js';
import { approvalsField, dispatchFields, groupField, isolationFields } from '../params.js';
import { summaryCharsField } from '../clamp.js';
import { runDispatch, dispatchOutput } from '../run-dispatch.js';

/** Tool name. */
export const name = 'dispatch';

/** Input fields. */
export const inputSchema = {
  ...dispatchFields,
  ...isolationFields,
  ...approvalsField,
  group: groupField,
  return_ref: z.boolean().default(false).describe('Ref + summary instead (see fetch_result)'),
  summary_chars: summaryCharsField,
};

// Register `dispatch`.
export function registerDispatch(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description:
        'Run a task in another project\'s directory as a headless agent (its CLAUDE.md, MCP servers, tools); returns its answer. ' +
        'It knows nothing of this chat: put all it needs in task/context; pass caller and goal. response_format "json" (or a JSON Schema) fills parsed_result. ' +
        'group adds its shared_context. isolation "worktree": own git worktree from base_ref. approvals "ask": you answer its permission requests. Cached.',
      inputSchema,
      outputSchema: dispatchOutput,
      annotations: { openWorldHint: true },
    },
    (args, extra) => runDispatch(deps, extra, { ...args, useCache: true, label: args.agent }),
  );
}
