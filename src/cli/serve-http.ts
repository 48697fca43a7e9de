// `serve --http`: the MCP tools over Streamable HTTP on 127.0.0.1, guarded by the per-install token, until Ctrl-C.
import { loadOrCreateToken, resolveTokenPath } from '../config/token.js';
import type { CliContext } from './context.js';
import { homeOf, type Services } from './services.js';

// Serve until the user interrupts; prints the URL and where the token is.
export async function runHttpServer(ctx: CliContext, services: Services, port: number): Promise<void> {
  const { token, path } = loadOrCreateToken(resolveTokenPath({ env: ctx.env, homedir: homeOf(ctx) }), { logger: services.logger });
  const { serveHttp } = await import('../server/http.js');
  const server = await serveHttp({ deps: { dispatcher: services.dispatcher, catalog: services.catalog, logger: services.logger, worktrees: services.worktrees }, port, token });
  ctx.stderr.write(`agent-dispatch: MCP over HTTP at ${server.url} (send "Authorization: Bearer <token>"; the token is in ${path})\n`);
  await new Promise<void>((resolve) => {
    if (!ctx.signal || ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await services.dispatcher.abortAll('HTTP server stopping');
  await server.close('the HTTP server was stopped');
}
