// The approval relay for a run on an SSH host (issue 18): the same one-tool MCP server as the stdio relay, served
// over Streamable HTTP on a Unix socket in a private folder (never a TCP port here). The runner forwards a port on
// the host's loopback to that socket over the agent's SSH master connection (`ssh -O forward -R 0:<socket>`), and
// the remote CLI calls it with the run's bearer token. The tool decides through the run's broker as the stdio
// relay does; a request without the token, from a browser, or under a foreign Host is refused before the SDK.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createAdaptorServer } from '@hono/node-server';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { APPROVAL_HTTP_PATH, APPROVAL_SERVER, APPROVAL_TOKEN_VAR, APPROVAL_TOOL } from '../shared/approvals.js';
import type { ServeRemoteRelay } from '../shared/types.js';
import { VERSION } from '../shared/version.js';
import { bearerToken, sameSecret } from '../http/guard.js';
import { decideThroughBroker, inputSchema, RELAY_TOOL_DESCRIPTION } from './approval-relay.js';
import { MAX_MESSAGE_BYTES } from './limits.js';

// Why a request is refused before it reaches the MCP handler, or undefined when it may go on (pure).
export function relayRequestProblem(headers: { authorization?: string | null; host?: string | null; origin?: string | null }, path: string, token: string): { status: 401 | 403 | 404; message: string } | undefined {
  if (path !== APPROVAL_HTTP_PATH) return { status: 404, message: `Not found: the MCP endpoint is ${APPROVAL_HTTP_PATH}.` };
  // The port is the one sshd picked on the host, so only the name is checked: a DNS-rebinding page comes under another.
  if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(headers.host ?? '')) return { status: 403, message: 'Forbidden Host.' };
  if (headers.origin) return { status: 403, message: 'Browsers may not call this endpoint.' };
  if (!sameSecret(bearerToken(headers.authorization ?? undefined), token)) return { status: 401, message: "This endpoint needs the run's bearer token." };
  return undefined;
}

// Serve the relay of one run (relayEnv names its broker's socket and secret); close() ends it and removes the folder.
export const serveApprovalRelayHttp: ServeRemoteRelay = async (relayEnv) => {
  const token = randomBytes(32).toString('hex');
  const dir = mkdtempSync(join(tmpdir().length <= 40 ? tmpdir() : '/tmp', 'ad-relay-'));
  chmodSync(dir, 0o700);
  const socketPath = join(dir, 'mcp.sock');
  const env = { ...relayEnv };
  const mcp = createMcpHandler(
    () => {
      const server = new McpServer({ name: APPROVAL_SERVER, version: VERSION });
      server.registerTool(APPROVAL_TOOL, { description: RELAY_TOOL_DESCRIPTION, inputSchema: z.object(inputSchema) }, (args, ctx) =>
        decideThroughBroker(env, args, { token: ctx.mcpReq._meta?.progressToken, notify: (n) => ctx.mcpReq.notify(n) }),
      );
      return server;
    },
    { maxRequestBodySize: MAX_MESSAGE_BYTES },
  );
  const fetch = (request: Request): Response | Promise<Response> => {
    const refused = relayRequestProblem({ authorization: request.headers.get('authorization'), host: request.headers.get('host'), origin: request.headers.get('origin') }, new URL(request.url).pathname, token);
    if (refused) return Response.json({ error: refused.message }, { status: refused.status, ...(refused.status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {}) });
    return mcp.fetch(request);
  };
  // overrideGlobalObjects: false keeps the global Response intact for the rest of the process.
  const server = createAdaptorServer({ fetch, overrideGlobalObjects: false }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    chmodSync(socketPath, 0o600);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    socketPath,
    env: { [APPROVAL_TOKEN_VAR]: token },
    close: () =>
      (closing ??= (async () => {
        // A request still waiting for its decision ends now: the forward is gone and the CLI sees a failed call.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await mcp.close().catch(() => {});
        await closed;
        rmSync(dir, { recursive: true, force: true });
      })()),
  };
};
