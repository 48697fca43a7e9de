// `dispatch_reply`: answer a permission request of a job whose agent waits (approvals "ask", status input_required).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { jobIdField, text } from '../params.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_reply';

// Register `dispatch_reply`.
export function registerDispatchReply(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Answer a job\'s permission request: allow_once, allow_always (adds to allowed_tools), deny.',
      inputSchema: {
        job_id: jobIdField,
        request_id: text(20, 'request_id'),
        decision: z.string().refine((s) => ['allow_once', 'allow_always', 'deny'].includes(s), 'decision must be allow_once, allow_always or deny') as unknown as z.ZodType<'allow_once' | 'allow_always' | 'deny'>,
      },
      outputSchema: z.looseObject({ outcome: z.string() }),
      annotations: { openWorldHint: false },
    },
    guarded(deps.logger, async (args) => {
      const { outcome, request } = await deps.dispatcher.reply(args.job_id, args.request_id, { decision: args.decision, decidedBy: 'tool', how: 'dispatch_reply' });
      return toolResult({
        job_id: request.jobId,
        request_id: request.id,
        outcome,
        decision: request.decision,
        decided_by: request.decidedBy,
        ...(request.note ? { note: request.note } : {}),
      });
    }),
  );
}
