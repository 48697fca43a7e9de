// `dispatch`: one task to one agent, cached, with live progress and an optional ref instead of the text.
import { defineTool } from '../tool-def.js';
import { dispatchTaskHook } from '../tasks/start-task.js';
import { z } from 'zod';
import { approvalsField, dispatchFields, groupField, isolationFields } from '../params.js';
import { summaryCharsField } from '../clamp.js';
import { runDispatch, dispatchOutput } from '../run-dispatch.js';

/** Tool name. */
export const name = 'dispatch';

/** Input fields. */
export const inputSchema = z.object({
  ...dispatchFields,
  ...isolationFields,
  ...approvalsField,
  group: groupField,
  return_ref: z.boolean().default(false).describe('Ref + summary instead (see fetch_result)'),
  summary_chars: summaryCharsField,
});

// `dispatch` as data.
export const tool = defineTool({
  name,
  description:
    'Run a task in another project\'s directory as a headless agent (its CLAUDE.md, MCP servers, tools); returns its answer. ' +
    'It knows nothing of this chat: put all it needs in task/context; pass caller and goal. response_format "json" (or a JSON Schema) fills parsed_result. ' +
    'group adds its shared_context. isolation "worktree": own git worktree from base_ref. approvals "ask": you answer its permission requests. Cached.',
  inputSchema,
  outputSchema: dispatchOutput,
  annotations: { openWorldHint: true },
  // With the Tasks extension declared, a background job polled through tasks/get (tasks/extension.ts).
  task: dispatchTaskHook(name),
  handler: (args, ctx) => runDispatch(ctx, { ...args, useCache: true, label: args.agent }),
});
