// The registration of the shared HTTP server (`agent-dispatch serve --http`): a loopback URL and the
// per-install bearer token, created on first use.
import { loadOrCreateToken, resolveTokenPath } from '../../config/token.js';
import { DispatchError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';
import { homeOf } from '../home.js';
import type { ServerSpec } from './mcp-entry.js';

// The MCP endpoint on 127.0.0.1:port with the token header. Throws INVALID_INPUT for a bad port.
export function httpSpec(ctx: CliContext, portText: string): ServerSpec {
  const port = /^\d{1,5}$/.test(portText.trim()) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new DispatchError('INVALID_INPUT', `--port must be a whole number from 1 to 65535, got "${portText}".`, { hint: 'The default, 7787, is what `agent-dispatch serve --http` uses.' });
  }
  const { token } = loadOrCreateToken(resolveTokenPath({ env: ctx.env, homedir: homeOf(ctx) }));
  return { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: `Bearer ${token}` } };
}
