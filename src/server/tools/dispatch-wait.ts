// `dispatch_wait`: block until a job ends or the wait times out (the job keeps running then).
import { z } from 'zod';
import { defineTool } from '../tool-def.js';
import { clampedNumber } from '../clamp.js';
import { jobIdField } from '../params.js';
import { toJobView } from '../../views/job-view.js';
import { viewOptions } from '../run-dispatch.js';
import { toolResult } from '../results.js';
import { jobOutput } from './dispatch-status.js';

/** Tool name. */
export const name = 'dispatch_wait';

// `dispatch_wait` as data.
export const tool = defineTool({
  name,
  description: 'Wait until a job ends or timeout_seconds pass (then timed_out_waiting; it goes on).',
  inputSchema: z.object({ job_id: jobIdField, timeout_seconds: clampedNumber(0, 3600, 60, { int: false }) }),
  outputSchema: jobOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async (args, ctx) => {
    const { deps } = ctx;
    const { job, timedOut } = await deps.dispatcher.wait(args.job_id, args.timeout_seconds * 1000, ctx.signal);
    const view = toJobView(job, Date.now(), viewOptions(deps));
    if (timedOut) view.timed_out_waiting = true;
    return toolResult(view);
  },
});
