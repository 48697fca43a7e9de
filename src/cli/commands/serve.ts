// `agent-dispatch serve`: the MCP server over stdio (what Claude Code starts), or over HTTP with --http.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { parseWebPort } from './web.js';

// Register `serve`.
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('Run the MCP server (stdio by default; Claude Code starts this)')
    .option('--http', 'serve Streamable HTTP on 127.0.0.1 instead, for many clients at once')
    .option('--port <port>', 'HTTP port (with --http)', '7787')
    .addHelpText('after', '\nClaude Code starts it once registered with `agent-dispatch init`.\nExamples:\n  agent-dispatch init\n  agent-dispatch serve --http --port 7787')
    .action(async (options: { http?: boolean; port: string }) => {
      if (!options.http) {
        // Stdio answers the handshake and tools/list before the services load (Claude Code waits on it each session).
        const { runStdioServe } = await import('../serve-stdio.js');
        await runStdioServe(ctx);
        return;
      }
      const { cleanupWorktrees, createServices } = await import('../services.js');
      const services = createServices(ctx);
      try {
        // Keep job history bounded as the user asked (job_retention_days; 0 keeps everything).
        const retention = services.config.get().config.settings.job_retention_days;
        if (retention > 0) services.store.applyRetention(retention);
      } catch (error) {
        services.logger.warn(`job retention skipped: ${(error as Error).message}`);
      }
      cleanupWorktrees(services);
      try {
        const { runHttpServer } = await import('../serve-http.js');
        await runHttpServer(ctx, services, parseWebPort(options.port));
      } finally {
        services.close();
      }
    });
}
