// `dispatch_wait`: block until a job ends or the wait times out (the job keeps running then).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { clampedNumber } from '../clamp.js';
import type { ServerDeps } from '../deps.js';
import { jobIdField } from '../params.js';
import { toJobView } from '../../views/job-view.js';
import { viewOptions } from '../run-dispatch.js';
import { guarded, toolResult } from '../results.js';
import { jobOutput } from './dispatch-status.js';

/** Tool name. */
export const name = 'dispatch_wait';

// Register `dispatch_wait`.
export function registerDispatchWait(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Wait until a job ends or timeout_seconds pass (then timed_out_waiting; it goes on).',
      inputSchema: { job_id: jobIdField, timeout_seconds: clampedNumber(0, 3600, 60, { int: false }) },
      outputSchema: jobOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async (args, extra) => {
      const { job, timedOut } = await deps.dispatcher.wait(args.job_id, args.timeout_seconds * 1000, extra.signal);
      const view = toJobView(job, Date.now(), viewOptions(deps));
      if (timedOut) view.timed_out_waiting = true;
      return toolResult(view);
    }),
  );
}
