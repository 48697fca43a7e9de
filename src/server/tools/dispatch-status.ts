// `dispatch_status`: a job's state, what its agent is doing now, and its result once done. Never blocks.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { jobIdField } from '../params.js';
import { toJobView } from '../../views/job-view.js';
import { viewOptions } from '../run-dispatch.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_status';

/** Output schema shared by the tools that return one job. */
export const jobOutput = z.looseObject({ id: z.string(), job_id: z.string(), status: z.string(), agent: z.string() });

// Register `dispatch_status`.
export function registerDispatchStatus(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'A job\'s status (input_required: answer pending_requests with dispatch_reply), progress, cost, result.',
      inputSchema: { job_id: jobIdField },
      outputSchema: jobOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async (args) => toolResult(toJobView(deps.dispatcher.status(args.job_id), Date.now(), viewOptions(deps)))),
  );
}
