// Tools as data: each `tools/*.ts` exports one ToolDef, and the server factory serves them through its own
// tools/list and tools/call handlers (public SDK API only; no registry of the SDK is touched).
import type { z } from 'zod';
import type { CallToolResult, ClientCapabilities, ServerContext, ToolAnnotations } from '@modelcontextprotocol/server';
import type { ServerDeps } from './deps.js';
import type { HeldCalls } from './held-calls.js';
import type { ProgressSink, SinkOptions } from './progress.js';

/** The protocol era of the server instance serving a call: 2025-11-25 (`initialize`) or 2026-07-28 (`server/discover`). */
export type Era = 'legacy' | 'modern';

/** What a tool handler gets besides its validated arguments. */
export interface ToolCtx {
  /** The services, loaded (tool calls wait for them). */
  deps: ServerDeps;
  era: Era;
  /** Aborted when the client cancels the call or goes away. */
  signal: AbortSignal;
  /** What the client declared at `initialize` (legacy era; a 2026 request carries its own in the envelope). */
  clientCapabilities?: ClientCapabilities | undefined;
  /** sha256 (hex) of the HTTP bearer token that made the call; undefined over stdio. Tasks are owned by it. */
  principal?: string;
  /** The SDK's request context as received: `mcp.mcpReq.envelope` holds the 2026 `_meta` envelope (client
   *  capabilities, so whether the client declared the tasks extension), `mcp.mcpReq.inputResponses` the MRTR answers. */
  mcp: ServerContext;
  /** A progress sink for this call (notifications/progress on the call's token, rate-limited). */
  progress(options: SinkOptions): ProgressSink;
  /** Runs held between the rounds of a multi-round-trip call (a 2026-07-28 synchronous dispatch that asks). */
  held?: HeldCalls;
}

/** A job started for a call that will be answered as a Task (the tasks seam turns it into the task answer). */
export interface TaskSeed {
  jobId: string;
  /** How the job's result is shaped into this tool's answer later (return_ref, summary_chars, label...). */
  shape?: Record<string, unknown>;
}

/** The optional Task path of a tool: used only when the tasks seam accepts the call (see create-server.ts). */
export interface TaskHook<A> {
  /** Start the work in the background and say which job it is; a CallToolResult answers synchronously instead
   *  (a cache hit, or a refusal such as the budget). */
  start(args: A, ctx: ToolCtx): Promise<TaskSeed | CallToolResult>;
}

/** One MCP tool. */
export interface ToolDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title?: string;
  description: string;
  /** The input; also what tools/list shows (compacted) and what tools/call validates with. */
  inputSchema: S;
  outputSchema?: z.ZodType;
  annotations?: ToolAnnotations;
  /** The synchronous answer. Throwing is allowed: the caller turns it into an isError result. */
  handler(args: z.output<S>, ctx: ToolCtx): Promise<CallToolResult>;
  task?: TaskHook<z.output<S>>;
}

// Declare a tool, with the handler's argument type inferred from the input schema.
export function defineTool<S extends z.ZodObject>(tool: ToolDef<S>): ToolDef<S> {
  return tool;
}

// A ToolDef with its argument type erased, for the list of every tool.
export type AnyToolDef = ToolDef<z.ZodObject>;
