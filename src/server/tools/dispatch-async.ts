// `dispatch_async`: start a background job that outlives this session; returns its id at once.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { approvalsField, dispatchFields, groupField, isolationFields } from '../params.js';
import { toRequest } from '../run-dispatch.js';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_async';

// `dispatch_async` as data.
export const tool = defineTool({
  name,
  description:
    'Like dispatch, but returns a job_id at once and outlives this session; then dispatch_wait/_status/_cancel.',
  // base_ref is left out here only to fit tools/list's size cap: background isolated jobs start from HEAD.
  inputSchema: z.object({ ...dispatchFields, isolation: isolationFields.isolation, ...approvalsField, group: groupField }),
  outputSchema: z.looseObject({ job_id: z.string(), status: z.string() }),
  annotations: { openWorldHint: true },
  handler: async (args, { deps }) => {
    const job = await deps.dispatcher.start(toRequest(args));
    return toolResult({ job_id: job.id, status: job.status, agent: job.agent });
  },
});
