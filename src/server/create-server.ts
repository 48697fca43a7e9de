// Builds the MCP server from its dependencies; no transport, no globals.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ServerDeps } from './deps.js';
import { registerTools } from './tools/index.js';
import { askCallerFor } from './ask-caller.js';
import { compactToolList, recordTools } from './tool-list.js';
import { VERSION } from '../shared/version.js';

const INSTRUCTIONS =
  'agent-dispatch runs tasks in other project directories as headless Claude Code agents. ' +
  'Call list_agents first. Use dispatch for one task, dispatch_parallel for several, dispatch_session to continue, ' +
  'dispatch_async + dispatch_wait for long work. Every dispatch has a job_id: if a call is lost, dispatch_status/fetch_result recover it.';

// Create the server with every tool registered.
export function createServer(deps: ServerDeps): McpServer {
  const server = new McpServer(
    { name: 'agent-dispatch', version: VERSION },
    { capabilities: { logging: {}, tools: { listChanged: true } }, instructions: INSTRUCTIONS },
  );
  if (deps.ready) awaitBeforeCalls(server, deps.ready);
  const records = recordTools(server);
  // The approvals seam needs this server (the client's capabilities). Object.create keeps deps' lazy getters lazy.
  registerTools(server, Object.create(deps, { askCallerFor: { value: askCallerFor(server) } }) as ServerDeps);
  // Replace the SDK's tools/list with a compact one (no per-schema $schema, no default execution block):
  // Claude Code sends this list on every session start, so its size is paid again and again.
  const original = server.server;
  original.removeRequestHandler('tools/list');
  let tools: ReturnType<typeof compactToolList> | undefined;
  original.setRequestHandler(ListToolsRequestSchema, () => ({ tools: (tools ??= compactToolList(records)) }));
  return server;
}

// Make every tool handler registered from now on wait for `ready` first.
function awaitBeforeCalls(server: McpServer, ready: () => Promise<void>): void {
  const register = server.registerTool.bind(server) as (...args: unknown[]) => unknown;
  (server as { registerTool: unknown }).registerTool = (name: string, config: unknown, cb: (...args: unknown[]) => unknown) =>
    register(name, config, async (...args: unknown[]) => {
      await ready();
      return cb(...args);
    });
}
