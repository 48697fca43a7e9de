// `dispatch_status`: a job's state, what its agent is doing now, and its result once done. Never blocks.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { jobIdField } from '../params.js';
import { toJobView } from '../../views/job-view.js';
import { viewOptions } from '../run-dispatch.js';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_status';

/** Output schema shared by the tools that return one job. */
export const jobOutput = z.looseObject({ id: z.string(), job_id: z.string(), status: z.string(), agent: z.string() });

// `dispatch_status` as data.
export const tool = defineTool({
  name,
  description: 'Show a job (any dispatch\'s job_id): status, last tool, turns, elapsed, cost so far; the result once done.',
  inputSchema: z.object({ job_id: jobIdField }),
  outputSchema: jobOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async (args, { deps }) => toolResult(toJobView(await deps.dispatcher.status(args.job_id), Date.now(), viewOptions(deps))),
});
