// Shapes permission requests (approvals, issue 18) for callers: the tools, the CLI and the dashboard.
import { describeRequest, type ApprovalRequest } from '../shared/approvals.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

// One pending request, with what answers it.
export function toApprovalView(request: ApprovalRequest): Record<string, unknown> {
  return {
    request_id: request.id,
    tool: request.toolName,
    input: request.input,
    shown: describeRequest(request.toolName, request.input),
    asked_at: iso(request.askedAt),
    denied_at: iso(request.expiresAt),
    answer_with: `dispatch_reply(job_id="${request.jobId}", request_id="${request.id}", decision="allow_once"|"allow_always"|"deny"), or \`agent-dispatch jobs approve ${request.jobId} ${request.id}\``,
  };
}

// The status a caller sees: a running job whose agent waits for an answer is input_required.
export function displayStatus(status: string, pendingApprovals: number | undefined): string {
  return status === 'running' && (pendingApprovals ?? 0) > 0 ? 'input_required' : status;
}
