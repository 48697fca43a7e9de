// `dispatch_cancel`: stop a job, whichever process runs it; its whole process tree dies.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { jobIdField } from '../params.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'dispatch_cancel';

// Register `dispatch_cancel`.
export function registerDispatchCancel(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description:
        'Cancel a job: a running one dies with its whole process tree.',
      inputSchema: { job_id: jobIdField },
      outputSchema: z.looseObject({ outcome: z.string(), status: z.string() }),
      annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async (args) => {
      const { outcome, job } = await deps.dispatcher.cancel(args.job_id);
      return toolResult({ job_id: job.id, outcome, status: job.status });
    }),
  );
}
