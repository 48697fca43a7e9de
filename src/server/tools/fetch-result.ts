// `fetch_result`: the full result behind a ref or any job id, optionally cut to max_chars.
import { z } from 'zod';
import { defineTool } from '../tool-def.js';
import { clampedNumber } from '../clamp.js';
import { jobIdField } from '../params.js';
import { toDispatchView } from '../../views/dispatch-result.js';
import { toolError, toolResult } from '../results.js';
import { dispatchOutput } from '../run-dispatch.js';

/** Tool name. */
export const name = 'fetch_result';

// `fetch_result` as data.
export const tool = defineTool({
  name,
  description: 'Return the full result behind a ref (return_ref) or any job_id. max_chars > 0 cuts the text and reports full_size.',
  inputSchema: z.object({ ref: jobIdField, max_chars: clampedNumber(0, Number.MAX_SAFE_INTEGER, 0) }),
  outputSchema: dispatchOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async (args, { deps }) => {
    const job = await deps.dispatcher.status(args.ref);
    if (!job.result) {
      if (job.status === 'pending' || job.status === 'running') {
        return toolError(`Job ${job.id} is ${job.status} and has no result yet. Call dispatch_wait(job_id="${job.id}") to wait for it.`);
      }
      return toolError(`Job ${job.id} ${job.status} without a result: ${job.failureReason ?? 'no agent ran'}.`, { job_id: job.id, status: job.status });
    }
    const view: Record<string, unknown> = { ...toDispatchView({ jobId: job.id, result: job.result }, { inlineBytes: Infinity }) };
    const text = job.result.text;
    if (args.max_chars > 0 && text.length > args.max_chars) {
      view.result = text.slice(0, args.max_chars);
      view.truncated = true;
      view.full_size = text.length;
    }
    return toolResult(view);
  },
});
