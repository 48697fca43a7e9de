// `agent-dispatch init`: create the config and register the MCP server with Claude Code, idempotently; `--print`
// gives the JSON for other MCP clients instead (init-run.ts).
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import type { InitOptions } from './init-run.js';

// Register `init`.
export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('Create the config file and register agent-dispatch with Claude Code')
    .addOption(new Option('--scope <scope>', 'where Claude Code keeps the registration: user (all projects), project (.mcp.json here), local').choices(['user', 'project', 'local']).default('user'))
    .option('--print', 'print the JSON for other MCP clients (Claude Desktop, Cursor, …) instead of registering')
    .option('--http', 'register the shared HTTP server (`agent-dispatch serve --http`) instead of a stdio server')
    .option('--port <port>', 'port of the HTTP server (with --http)', '7787')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  agent-dispatch init                     # config + user-scope registration',
        '  agent-dispatch init --scope project     # write .mcp.json in this directory instead',
        '  agent-dispatch init --print             # JSON for Claude Desktop, Cursor, …',
        '  agent-dispatch init --http --port 7787  # use one shared `serve --http` server',
        '',
        'Running init again changes nothing unless the registration points at another installation.',
      ].join('\n'),
    )
    .action(async (options: InitOptions) => (await import('./init-run.js')).runInit(ctx, options));
}
