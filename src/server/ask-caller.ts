// The seam between approvals and the MCP connection (issue 18): askCallerOf(ctx) gives a tool call an AskCaller
// when its client can answer a form elicitation on this connection, else undefined (the job then shows
// input_required and waits for dispatch_reply, tasks/update, the CLI or the dashboard). The dispatch service only
// sees `askCaller(request, signal) => Promise<decision | undefined>`, so another transport can supply its own.
//
// Only a 2025-11-25 (legacy-era) call elicits in-call: the SDK's `ctx.mcpReq.elicitInput` throws on a 2026-07-28
// request, whose way to ask is an input_required answer. A synchronous 2026 call asks in rounds while its run is
// held (held-calls.ts); a 2026 call that runs as a Task asks through tasks/get's inputRequests.
import type { ElicitRequestFormParams } from '@modelcontextprotocol/server';
import { APPROVAL_DECISIONS, describeRequest, ruleFor, type ApprovalDecision, type ApprovalRequest, type AskCaller } from '../shared/approvals.js';
import type { ToolCtx } from './tool-def.js';

// The words and the form a person answers.
export function approvalElicitation(request: ApprovalRequest): ElicitRequestFormParams {
  const rule = ruleFor(request.toolName, request.input);
  return {
    mode: 'form',
    message:
      `Agent ${request.agent} asks to use ${request.toolName} (job ${request.jobId}, request ${request.id}):\n` +
      `${describeRequest(request.toolName, request.input)}\n` +
      `Unanswered, it is denied at ${new Date(request.expiresAt).toISOString()}.`,
    requestedSchema: {
      type: 'object',
      properties: {
        decision: {
          type: 'string',
          title: 'Decision',
          oneOf: [
            { const: 'allow_once', title: 'Allow once' },
            // Offered only when a rule matches this request alone (see ruleFor).
            ...(rule === undefined ? [] : [{ const: 'allow_always', title: `Allow always (adds ${rule} to allowed_tools of ${request.agent})` }]),
            { const: 'deny', title: 'Deny' },
          ],
        },
      },
      required: ['decision'],
    },
  };
}

// An elicitation answer → a decision: accept with a known choice; decline and cancel deny (the person said no or
// dismissed it); anything else is no answer.
export function decisionOf(result: { action: string; content?: Record<string, unknown> | undefined }): ApprovalDecision | undefined {
  if (result.action === 'decline' || result.action === 'cancel') return 'deny';
  const choice = result.content?.decision;
  return result.action === 'accept' && typeof choice === 'string' && (APPROVAL_DECISIONS as readonly string[]).includes(choice) ? (choice as ApprovalDecision) : undefined;
}

// The AskCaller of one tool call: legacy era and a client that declared elicitation, else none.
export function askCallerOf(ctx: Pick<ToolCtx, 'era' | 'mcp' | 'signal' | 'clientCapabilities'>): { askCaller?: AskCaller } {
  if (ctx.era !== 'legacy' || !ctx.clientCapabilities?.elicitation) return {};
  return {
    askCaller: async (request, signal) => {
      // No timeout of the SDK's own: the broker's approval_timeout decides, and aborts this request when it fires.
      const result = await ctx.mcp.mcpReq.elicitInput(approvalElicitation(request), {
        signal: AbortSignal.any([signal, ctx.signal]),
        timeout: 2 ** 31 - 1,
      });
      return decisionOf(result as { action: string; content?: Record<string, unknown> });
    },
  };
}
