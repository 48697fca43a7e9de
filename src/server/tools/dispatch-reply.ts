// `dispatch_reply`: answer a permission request of a job whose agent waits (approvals "ask", status input_required).
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { jobIdField, text } from '../params.js';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_reply';

// `dispatch_reply` as data.
export const tool = defineTool({
  name,
  description: 'Answer a job\'s permission request: allow_once, allow_always (adds to allowed_tools), deny.',
  inputSchema: z.object({
    job_id: jobIdField,
    request_id: text(20, 'request_id'),
    // A refine, not an enum: tools/list is capped, and the error names the values.
    decision: z.string().refine((s) => ['allow_once', 'allow_always', 'deny'].includes(s), 'decision must be allow_once, allow_always or deny') as unknown as z.ZodType<'allow_once' | 'allow_always' | 'deny'>,
  }),
  outputSchema: z.looseObject({ outcome: z.string() }),
  annotations: { openWorldHint: false },
  handler: async (args, { deps }) => {
    const { outcome, request } = await deps.dispatcher.reply(args.job_id, args.request_id, { decision: args.decision, decidedBy: 'tool', how: 'dispatch_reply' });
    return toolResult({
      job_id: request.jobId,
      request_id: request.id,
      outcome,
      decision: request.decision,
      decided_by: request.decidedBy,
      ...(request.note ? { note: request.note } : {}),
    });
  },
});
