// `dispatch_jobs`: recent jobs, newest first, as short summaries.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { clampedNumber } from '../clamp.js';
import { JOB_STATUSES, type JobStatus } from '../../jobs/types.js';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_jobs';

// `dispatch_jobs` as data.
export const tool = defineTool({
  name,
  description: 'List recent jobs, newest first. Filter by status or agent.',
  inputSchema: z.object({
    status: z.union([z.enum(JOB_STATUSES), z.literal('')]).default(''),
    agent: z.string().max(200).default(''),
    limit: clampedNumber(1, 1000, 50),
  }),
  outputSchema: z.looseObject({ jobs: z.array(z.looseObject({})) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async (args, { deps }) => {
    const filter: { status?: JobStatus; agent?: string; limit: number } = { limit: args.limit };
    if (args.status) filter.status = args.status;
    if (args.agent) filter.agent = args.agent;
    const jobs = (await deps.dispatcher.jobs(filter)).map((j) => ({
      id: j.id,
      job_id: j.id,
      agent: j.agent,
      status: j.status,
      task: j.task,
      created_at: new Date(j.createdAt).toISOString(),
      ...(j.endedAt ? { completed_at: new Date(j.endedAt).toISOString() } : {}),
      ...(j.ok !== undefined ? { success: j.ok } : {}),
      ...(j.costUsd !== undefined ? { cost_usd: j.costUsd } : {}),
      ...(j.lastLine ? { last_progress: j.lastLine } : {}),
      ...(j.host ? { host: j.host } : {}),
    }));
    return toolResult({ jobs });
  },
});
