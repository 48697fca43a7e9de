// Builds MCP server instances from the tools and the services; no transport, no globals. The SDK's serving
// entries (serveStdio, createMcpHandler) call the factory per protocol era: stdio once per connection (twice when
// a client probes with server/discover and falls back to initialize), HTTP once per request. So an instance is
// cheap: the low-level `Server`, our compact tools/list (computed once per process) and our tools/call.
//
// Why not McpServer: its tools/list is not compact (a `$schema` per schema), and its output validation turns a
// Task answer of a tool with an outputSchema into an isError result.
//
// Extension seam (the Tasks work plugs in here, nothing else changes):
// - `options.extend(server, context, load)` runs on every instance before it is returned (so before it connects);
//   `load()` resolves the services (await it in handlers, as tools/call does); `context.authInfo?.token` is the
//   caller's principal over HTTP (sha256 of the bearer token), undefined over stdio. On
//   `context.era === 'modern'` it may declare `capabilities.extensions['io.modelcontextprotocol/tasks']` with
//   `server.registerCapabilities(...)` and register `tasks/get|update|cancel` with the 3-argument
//   `server.setRequestHandler(method, { params }, handler)`. Legacy instances must not get either.
// - `options.tasks` (a TaskSeam, call-tool.ts) decides per call whether a tool that has a `task` hook is answered
//   as a Task, and shapes that answer. ToolCtx carries what it needs: `era`, `principal`, `mcp.mcpReq.envelope`
//   (read with envelope.ts: `declaresExtension(ctx.mcp, TASKS)`).
import { Server, type McpRequestContext, type McpServerFactory, type Tool } from '@modelcontextprotocol/server';
import { VERSION } from '../shared/version.js';
import { callTool, type TaskSeam } from './call-tool.js';
import { loaderOf, type DepsSource, type ServerDeps } from './deps.js';
import type { AnyToolDef } from './tool-def.js';
import { toolListOf } from './tool-list.js';
import { BUILT_TOOL_LIST } from './built-tool-list.js';
import { createHeldCalls } from './held-calls.js';
import { TOOLS } from './tools/index.js';

const INSTRUCTIONS =
  'agent-dispatch runs tasks in other project directories as headless Claude Code agents. ' +
  'Call list_agents first. Use dispatch for one task, dispatch_parallel for several, dispatch_session to continue, ' +
  'dispatch_async + dispatch_wait for long work. Every dispatch has a job_id: if a call is lost, dispatch_status/fetch_result recover it.';

/** Ways to extend what the factory builds. */
export interface FactoryOptions {
  /** Runs on every new instance before the SDK connects it (capabilities are frozen after that). */
  extend?: (server: Server, context: McpRequestContext, load: () => Promise<ServerDeps>) => void;
  tasks?: TaskSeam;
  /** Sees every tool call in flight (stdio shutdown waits for them to record their end). */
  onCall?: (running: Promise<unknown>) => void;
  /** Sees every instance built (stdio sends its log lines to them). */
  onServer?: (server: Server, context: McpRequestContext) => void;
  /** The tools to serve (default: all of them). */
  tools?: readonly AnyToolDef[];
}

// The factory the SDK's serving entries call.
export function createServerFactory(source: DepsSource, options: FactoryOptions = {}): McpServerFactory {
  const tools = options.tools ?? TOOLS;
  const listed = (): Tool[] => (tools === TOOLS && BUILT_TOOL_LIST) || toolListOf(tools);
  // One per process: a retried round may reach another server instance (stdio's per-era ones, HTTP's per-request).
  const held = createHeldCalls();
  const byName = new Map(tools.map((t) => [t.name, t]));
  const load = loaderOf(source);
  const { logger } = source;
  return (context) => {
    const server = new Server(
      { name: 'agent-dispatch', version: VERSION },
      { capabilities: { logging: {}, tools: { listChanged: true } }, instructions: INSTRUCTIONS },
    );
    // Claude Code sends this list at every session start, so its size is paid again and again: no per-schema
    // `$schema`, no default `execution` block (tool-list.ts).
    server.setRequestHandler('tools/list', () => ({ tools: listed() }));
    const principal = context.authInfo?.token;
    const env = { tools: byName, load, logger, era: context.era, principal, tasks: options.tasks, onCall: options.onCall, held, clientCapabilities: () => server.getClientCapabilities() };
    server.setRequestHandler('tools/call', async (request, mcp) => {
      const result = await callTool(env, request.params, mcp);
      if ('content' in result && !('resultType' in result)) {
        // The era's wire shape of a tool result (a text block for structured-only results, the 2025 wrap of
        // non-object structured content): the SDK asks low-level tools/call handlers to apply it.
        const entry = listed().find((t) => t.name === request.params.name);
        return server.projectCallToolResult(result as Parameters<Server['projectCallToolResult']>[0], entry?.outputSchema);
      }
      // A Task answer (the seam's CreateTaskResult): the SDK lets `resultType: 'task'` through on tools/call.
      return result as Parameters<Server['projectCallToolResult']>[0];
    });
    options.extend?.(server, context, load);
    options.onServer?.(server, context);
    return server;
  };
}
