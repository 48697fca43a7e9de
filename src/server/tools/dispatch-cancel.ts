// `dispatch_cancel`: stop a job, whichever process runs it; its whole process tree dies.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { jobIdField } from '../params.js';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_cancel';

// `dispatch_cancel` as data.
export const tool = defineTool({
  name,
  description:
    'Cancel a job: a running one dies with its whole process tree.',
  inputSchema: z.object({ job_id: jobIdField }),
  outputSchema: z.looseObject({ outcome: z.string(), status: z.string() }),
  annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler: async (args, { deps }) => {
    const { outcome, job } = await deps.dispatcher.cancel(args.job_id);
    return toolResult({ job_id: job.id, outcome, status: job.status });
  },
});
