// The body shared by the single-agent dispatch tools: build the request, run it with progress, shape the answer.
import { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { DispatchRequest, JobKind } from '../jobs/types.js';
import type { ServerDeps } from './deps.js';
import type { AskCaller } from '../shared/approvals.js';
import { progressSink, type ToolExtra } from './progress.js';
import { toDispatchView, toRefView, type ViewOptions } from '../views/dispatch-result.js';
import { errorResult, toolError, toolResult } from './results.js';

/** Output schema of the dispatch tools (loose: optional fields appear only when set). */
export const dispatchOutput = z.looseObject({
  agent: z.string(),
  success: z.boolean(),
  result: z.string().optional(),
});

/** Tool arguments common to the dispatch tools. */
export interface DispatchArgs {
  agent: string;
  task: string;
  context?: string;
  caller?: string;
  goal?: string;
  response_format?: string;
  timeout_seconds?: number;
  group?: string;
  session_id?: string;
  isolation?: 'none' | 'worktree';
  base_ref?: string;
  return_ref?: boolean;
  summary_chars?: number;
  approvals?: string;
}

// Translate tool arguments into a dispatch request (empty strings mean "not set", as in the reference).
export function toRequest(args: DispatchArgs): DispatchRequest {
  const request: DispatchRequest = { agent: args.agent, task: args.task };
  if (args.context) request.context = args.context;
  if (args.caller) request.caller = args.caller;
  if (args.goal) request.goal = args.goal;
  if (args.group) request.group = args.group;
  if (args.response_format) request.responseFormat = args.response_format as DispatchRequest['responseFormat'];
  if (args.timeout_seconds) request.timeoutSeconds = args.timeout_seconds;
  if (args.session_id) request.sessionId = args.session_id;
  if (args.isolation) request.isolation = args.isolation;
  if (args.base_ref) request.baseRef = args.base_ref;
  if (args.approvals === 'ask' || args.approvals === 'deny') request.approvals = args.approvals;
  return request;
}

// How answers are shaped for this server: the inline limit comes from settings.max_output_bytes.
export function viewOptions(deps: Pick<ServerDeps, 'catalog'>): ViewOptions {
  const inlineBytes = deps.catalog.inlineAnswerBytes?.();
  return inlineBytes ? { inlineBytes } : {};
}

// The caller's elicitation for approvals `ask`, when its client can answer one.
export function askCallerOf(deps: ServerDeps, extra: ToolExtra): { askCaller?: AskCaller } {
  const askCaller = deps.askCallerFor?.(extra);
  return askCaller ? { askCaller } : {};
}

// Run one dispatch for a tool call. Agent failures come back as isError results that still carry the
// structured answer (error_type, hint, session_id, job_id), so the model can act on them.
export async function runDispatch(
  deps: ServerDeps,
  extra: ToolExtra,
  args: DispatchArgs & { useCache: boolean; label: string; kind?: JobKind; log?: boolean },
): Promise<CallToolResult> {
  const sink = progressSink(extra, { label: args.label, log: args.log ?? false });
  try {
    const outcome = await deps.dispatcher.dispatch(toRequest(args), {
      signal: extra.signal,
      onJob: sink.onJob,
      onEvent: sink.onEvent,
      useCache: args.useCache,
      kind: args.kind ?? 'sync',
      ...askCallerOf(deps, extra),
    });
    sink.close();
    const view = toDispatchView(outcome, viewOptions(deps));
    const data = args.return_ref ? toRefView(outcome, args.summary_chars ?? 500) : { ...view };
    return outcome.result.ok ? toolResult(data) : toolError(view.error ?? 'The dispatch failed.', data);
  } catch (error) {
    return errorResult(error, deps.logger);
  } finally {
    sink.close();
  }
}
