// The tools/call handler: find the tool, validate its input, wait for the services, run it. Unknown tools and bad
// input are isError results worded as the v1 SDK's McpServer worded them (clients and tests rely on that text),
// not protocol errors, so a model can read what to fix.
import type { CallToolResult, ClientCapabilities, Result, ServerContext } from '@modelcontextprotocol/server';
import type { Logger } from '../shared/log.js';
import type { ServerDeps } from './deps.js';
import { progressSink } from './progress.js';
import { errorResult } from './results.js';
import type { HeldCalls } from './held-calls.js';
import type { AnyToolDef, Era, TaskSeed, ToolCtx } from './tool-def.js';

/** The Tasks seam (implemented by the tasks work, not here): decides per call whether a tool with a `task` hook
 *  answers as a Task, and turns the started job into the task answer (`{resultType: 'task', taskId, ...}`). */
export interface TaskSeam {
  /** True when this call may be answered as a task (modern era, the client declared the extension). */
  accepts(ctx: ToolCtx, tool: AnyToolDef): boolean;
  answer(seed: TaskSeed, ctx: ToolCtx, tool: AnyToolDef): Promise<Result>;
}

/** What one call needs besides the request. */
export interface CallEnv {
  tools: ReadonlyMap<string, AnyToolDef>;
  load: () => Promise<ServerDeps>;
  logger: Logger;
  era: Era;
  principal?: string | undefined;
  tasks?: TaskSeam | undefined;
  /** The capabilities the client declared at `initialize` (legacy era): approvals elicit only when it can answer. */
  clientCapabilities?: (() => ClientCapabilities | undefined) | undefined;
  /** Sees each call in flight (stdio shutdown waits for them to record their end). */
  onCall?: ((running: Promise<unknown>) => void) | undefined;
  /** Runs held between the rounds of multi-round-trip calls (held-calls.ts), one registry per process. */
  held?: HeldCalls | undefined;
}

// v1's message for a protocol-level fault of the call, kept as an isError result (McpError's prefix included).
const invalidParams = (message: string): CallToolResult => ({ content: [{ type: 'text', text: `MCP error -32602: ${message}` }], isError: true });

// A path as v1 printed it: `a.b[0].c`.
const dotPath = (path: readonly PropertyKey[]) =>
  path.reduce<string>((acc, seg, i) => (i === 0 ? String(seg) : typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${String(seg)}`), '');

// Run one tools/call.
export async function callTool(env: CallEnv, params: { name: string; arguments?: Record<string, unknown> | undefined }, mcp: ServerContext): Promise<CallToolResult | Result> {
  const tool = env.tools.get(params.name);
  if (!tool) return invalidParams(`Tool ${params.name} not found`);
  const parsed = await tool.inputSchema.safeParseAsync(params.arguments ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.message} at ${dotPath(i.path)}` : i.message)).join('\n');
    return invalidParams(`Input validation error: Invalid arguments for tool ${tool.name}: ${issues}`);
  }
  let deps: ServerDeps;
  try {
    deps = await env.load();
  } catch (error) {
    return errorResult(error, env.logger);
  }
  const channel = { token: mcp.mcpReq._meta?.progressToken, notify: (n: { method: string; params: Record<string, unknown> }) => mcp.mcpReq.notify(n) };
  const ctx: ToolCtx = {
    deps,
    era: env.era,
    signal: mcp.mcpReq.signal,
    mcp,
    progress: (options) => progressSink(channel, options),
    clientCapabilities: env.clientCapabilities?.(),
    ...(env.principal !== undefined ? { principal: env.principal } : {}),
    ...(env.held ? { held: env.held } : {}),
  };
  const running = (async (): Promise<CallToolResult | Result> => {
    if (tool.task && env.tasks?.accepts(ctx, tool)) {
      const started = await tool.task.start(parsed.data, ctx);
      return 'jobId' in started ? env.tasks.answer(started as TaskSeed, ctx, tool) : started;
    }
    return tool.handler(parsed.data, ctx);
  })();
  env.onCall?.(running);
  try {
    return await running;
  } catch (error) {
    return errorResult(error, deps.logger);
  }
}
