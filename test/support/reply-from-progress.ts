// Approvals as a caller that cannot answer forms meets them: it reads a dispatch's progress messages, and when
// one names a pending permission request it answers with dispatch_reply, as a model following the hint would;
// or it polls dispatch_status until a background job waits for an answer.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/** What the call returned, every progress message, and dispatch_reply's answer. */
export interface RepliedCall {
  structured: Record<string, unknown>;
  progress: string[];
  answered: Record<string, unknown> | undefined;
}

// Call `dispatch` with `args`; answer the first permission request seen in its progress with `decision`.
export async function dispatchAndReply(client: Client, args: Record<string, unknown>, decision: string): Promise<RepliedCall> {
  const progress: string[] = [];
  let answered: Record<string, unknown> | undefined;
  const call = client.callTool({ name: 'dispatch', arguments: args }, undefined, {
    onprogress: (p) => {
      progress.push(p.message ?? '');
      const asked = /job ([0-9a-f]{32})/.exec(progress.join('\n'));
      const request = /\(request ([0-9a-f]{8})\)/.exec(p.message ?? '');
      if (asked && request && !answered) {
        answered = {};
        void client.callTool({ name: 'dispatch_reply', arguments: { job_id: asked[1], request_id: request[1], decision } }).then((r) => (answered = r.structuredContent as Record<string, unknown>));
      }
    },
  });
  const structured = (await call).structuredContent as Record<string, unknown>;
  return { structured, progress, answered };
}

// Poll dispatch_status until the job waits for an answer (or ended); returns the last status.
export async function statusWhenAsking(client: Client, jobId: string): Promise<Record<string, unknown>> {
  let status: Record<string, unknown> = {};
  for (let i = 0; i < 300; i++) {
    status = (await client.callTool({ name: 'dispatch_status', arguments: { job_id: jobId } })).structuredContent as Record<string, unknown>;
    if (status.status === 'input_required' || ['done', 'failed', 'cancelled'].includes(status.status as string)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return status;
}
