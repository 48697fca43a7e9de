// `agent-dispatch demo`: runs the end-to-end scenario offline in a temp directory (see cli/demo/).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Register `demo`.
export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('Show agent-dispatch end to end, offline: two sample agents, Claude Code as the caller, a stand-in model')
    .option('--keep', 'keep the temp directory (agents.yaml, sample projects, job store) for a look afterwards')
    .addHelpText('after', '\nExamples:\n  agent-dispatch demo\n  agent-dispatch demo --keep')
    .action(async (options: { keep?: boolean }) => {
      // Loaded on demand: the demo pulls in the MCP client and the stand-in model, which nothing else needs.
      const { runDemo } = await import('../demo/run.js');
      await runDemo(ctx, { keep: options.keep === true });
    });
}
