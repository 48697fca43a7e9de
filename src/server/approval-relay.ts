// The approval relay (issue 18): a one-tool stdio MCP server that Claude Code starts for one dispatched run and
// names in --permission-prompt-tool. It forwards each permission request to the run's broker over the run's Unix
// socket, with the run's secret (both from its environment, never argv), and hands back the broker's decision.
import { connect } from 'node:net';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { APPROVAL_SECRET_VAR, APPROVAL_SERVER, APPROVAL_SOCKET_VAR, APPROVAL_TOOL } from '../shared/approvals.js';
import { VERSION } from '../shared/version.js';

/** The --permission-prompt-tool input (Claude Code 2.1.328 sends tool_name, input, tool_use_id). */
export const inputSchema = { tool_name: z.string(), input: z.record(z.string(), z.unknown()), tool_use_id: z.string().optional() };

// One request over the socket: a JSON line out, a JSON line back.
export function askBroker(socketPath: string, message: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(message)}\n`));
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('error', reject);
    socket.on('close', () => (reply.includes('\n') ? resolve(reply.slice(0, reply.indexOf('\n'))) : reject(new Error('the broker closed the connection without an answer'))));
  });
}

/** What a permission request's decision is handed back as (the tool's text is the broker's JSON reply). */
export type RelayToolResult = { content: { type: 'text'; text: string }[] };

/** How often a waiting request tells the CLI it is still alive (notifications/progress). */
export const RELAY_HEARTBEAT_MS = 15_000;

/** Sends one notification related to the tool call being answered. */
export type RelayNotify = (notification: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; message: string } }) => Promise<void>;

// Decide one permission request through the run's broker; every failure is a deny, so the CLI goes on. Shared by
// the stdio relay and the HTTP endpoint of runs on SSH hosts (approval-http.ts). While the person decides, a
// progress notification every RELAY_HEARTBEAT_MS keeps Claude Code's idle timer for the call from expiring (over
// HTTP, 2.1.328 gives up on a call that has been silent for 60 s: measured).
export async function decideThroughBroker(
  env: NodeJS.ProcessEnv,
  args: { tool_name: string; input: Record<string, unknown>; tool_use_id?: string | undefined },
  progress?: { token: string | number | undefined; notify: RelayNotify; everyMs?: number },
): Promise<RelayToolResult> {
  const deny = (message: string) => ({ content: [{ type: 'text' as const, text: JSON.stringify({ behavior: 'deny', message }) }] });
  const socket = env[APPROVAL_SOCKET_VAR];
  const secret = env[APPROVAL_SECRET_VAR];
  if (!socket || !secret) return deny('agent-dispatch started no approval broker for this run.');
  let beats = 0;
  const token = progress?.token;
  const timer = token === undefined ? undefined : setInterval(() => void progress!.notify({ method: 'notifications/progress', params: { progressToken: token, progress: ++beats, message: 'waiting for a decision' } }).catch(() => {}), progress!.everyMs ?? RELAY_HEARTBEAT_MS);
  try {
    const text = await askBroker(socket, { secret, tool_name: args.tool_name, input: args.input, ...(args.tool_use_id ? { tool_use_id: args.tool_use_id } : {}) });
    return { content: [{ type: 'text' as const, text }] };
  } catch (error) {
    return deny(`agent-dispatch could not reach the approval broker: ${(error as Error).message}`);
  } finally {
    clearInterval(timer);
  }
}

/** The tool's description, the same over stdio and HTTP. */
export const RELAY_TOOL_DESCRIPTION = 'Decides a permission request of this run (answered by the person who dispatched it).';

// Build the relay server for an environment that names the socket and the secret.
export function createApprovalRelay(env: NodeJS.ProcessEnv): McpServer {
  const server = new McpServer({ name: APPROVAL_SERVER, version: VERSION });
  server.registerTool(APPROVAL_TOOL, { description: RELAY_TOOL_DESCRIPTION, inputSchema }, (args, extra) =>
    decideThroughBroker(env, args, { token: extra._meta?.progressToken, notify: (n) => extra.sendNotification(n) }),
  );
  return server;
}

// Serve the relay on stdio until the CLI ends the run (it closes stdin or signals us).
export async function runApprovalRelay(env: NodeJS.ProcessEnv): Promise<void> {
  const server = createApprovalRelay(env);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  process.stdin.once('end', () => void server.close());
  await closed;
}
