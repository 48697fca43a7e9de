// The seam between approvals and the MCP connection (issue 18): askCallerFor(server) gives each tool call an
// AskCaller when its client can answer a form elicitation (2025-11-25), else undefined (the job then shows
// input_required and waits for dispatch_reply, the CLI or the dashboard). The dispatch service only sees
// `askCaller(request, signal) => Promise<decision | undefined>`, so another transport or SDK can supply its own.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ElicitResultSchema, type ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import { APPROVAL_DECISIONS, describeRequest, ruleFor, type ApprovalDecision, type ApprovalRequest, type AskCaller } from '../shared/approvals.js';
import type { ToolExtra } from './progress.js';

/** Builds the AskCaller of one tool call, or undefined when the client cannot be asked. */
export type AskCallerFor = (extra: ToolExtra) => AskCaller | undefined;

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
            { const: 'allow_always', title: `Allow always (adds ${rule} to allowed_tools of ${request.agent})` },
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
export function decisionOf(result: { action: string; content?: Record<string, unknown> }): ApprovalDecision | undefined {
  if (result.action === 'decline' || result.action === 'cancel') return 'deny';
  const choice = result.content?.decision;
  return result.action === 'accept' && typeof choice === 'string' && (APPROVAL_DECISIONS as readonly string[]).includes(choice) ? (choice as ApprovalDecision) : undefined;
}

// The per-call factory, built once per server (it needs the client's capabilities from the handshake).
export function askCallerFor(server: McpServer): AskCallerFor {
  return (extra) => {
    if (!server.server.getClientCapabilities()?.elicitation) return undefined;
    return async (request, signal) => {
      const params = approvalElicitation(request);
      // No timeout of the SDK's own: the broker's approval_timeout decides, and aborts this request when it fires.
      const result = await extra.sendRequest({ method: 'elicitation/create', params }, ElicitResultSchema, {
        signal: AbortSignal.any([signal, extra.signal]),
        timeout: 2 ** 31 - 1,
      });
      return decisionOf(result);
    };
  };
}
