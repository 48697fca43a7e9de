// The body shared by the single-agent dispatch tools: build the request, run it with progress, shape the answer.
import { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { DispatchRequest, JobKind } from '../jobs/types.js';
import type { ServerDeps } from './deps.js';
import type { ToolCtx } from './tool-def.js';
import type { ViewOptions } from '../views/dispatch-result.js';
import { dispatchAnswer } from './dispatch-answer.js';
import { errorResult } from './results.js';
import { askCallerOf } from './ask-caller.js';
import { declaredCapabilities } from './envelope.js';
import { DispatchError } from '../shared/errors.js';

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
  approvals?: string;
  return_ref?: boolean;
  summary_chars?: number;
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

// Run one dispatch for a tool call. Agent failures come back as isError results that still carry the
// structured answer (error_type, hint, session_id, job_id), so the model can act on them.
export async function runDispatch(ctx: ToolCtx, args: RunArgs): Promise<CallToolResult> {
  if (asksInRounds(ctx)) return runInRounds(ctx, args);
  const { deps } = ctx;
  return withProgress(ctx, args, async (sink) => {
    const outcome = await deps.dispatcher.dispatch(toRequest(args), {
      signal: ctx.signal,
      onJob: sink.onJob,
      onEvent: sink.onEvent,
      useCache: args.useCache,
      kind: args.kind ?? 'sync',
      ...askCallerOf(ctx),
    });
    return dispatchAnswer(outcome, args, viewOptions(deps));
  });
}

/** What runDispatch takes: the tool's arguments and how this tool runs them. */
type RunArgs = DispatchArgs & { useCache: boolean; label: string; kind?: JobKind; log?: boolean };
type Sink = ReturnType<ToolCtx['progress']>;

// Open the call's progress sink for `body`, close it however the body ends, and turn a throw into an isError result.
async function withProgress(ctx: ToolCtx, args: RunArgs, body: (sink: Sink) => Promise<CallToolResult>): Promise<CallToolResult> {
  const sink = ctx.progress({ label: args.label, log: args.log ?? false });
  try {
    return await body(sink);
  } catch (error) {
    return errorResult(error, ctx.deps.logger);
  } finally {
    sink.close();
  }
}

// A synchronous call on a 2026-07-28 connection whose client can answer a form: questions go back as input_required
// rounds (held-calls.ts). A 2025 call elicits in-call (ask-caller.ts); a client that cannot answer gets neither.
function asksInRounds(ctx: ToolCtx): ctx is ToolCtx & { held: NonNullable<ToolCtx['held']> } {
  return ctx.era === 'modern' && ctx.held !== undefined && declaredCapabilities(ctx.mcp)?.elicitation !== undefined;
}

// One round of a held dispatch: the first starts the run, a retried one (with requestState) brings answers.
async function runInRounds(ctx: ToolCtx & { held: NonNullable<ToolCtx['held']> }, args: RunArgs): Promise<CallToolResult> {
  const { deps } = ctx;
  return withProgress(ctx, args, async (sink) => {
    const state = ctx.mcp.mcpReq.requestState?.();
    if (state !== undefined) {
      const call = typeof state === 'string' ? ctx.held.get(state) : undefined;
      if (!call || call.owner !== ctx.principal) {
        throw new DispatchError('INVALID_INPUT', 'This dispatch is not waiting for an answer here any more (the server restarted, or its run ended a while ago).', {
          hint: 'Find its job with dispatch_jobs and read the result with dispatch_status or fetch_result.',
        });
      }
      call.answer(ctx.mcp.mcpReq.inputResponses as Record<string, unknown> | undefined);
      return (await call.round(ctx.signal, sink)) as CallToolResult;
    }
    const controller = new AbortController();
    const call = ctx.held.create(() => controller.abort(new DOMException('The call was cancelled.', 'AbortError')), ctx.principal);
    call.settle(
      deps.dispatcher
        .dispatch(toRequest(args), { signal: controller.signal, onJob: sink.onJob, onEvent: call.onEvent, useCache: args.useCache, kind: args.kind ?? 'sync', askCaller: call.ask })
        .then((outcome) => dispatchAnswer(outcome, args, viewOptions(deps)), (error: unknown) => errorResult(error, deps.logger)),
    );
    return (await call.round(ctx.signal, sink)) as CallToolResult;
  });
}
