// `agent-dispatch __approval-relay` (hidden): the MCP server a dispatched Claude Code run starts to ask for
// approvals. bin/agent-dispatch.js routes the plain form to its own small entry; this serves other launchers.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Register the hidden relay command.
export function registerApprovalRelay(program: Command, ctx: CliContext): void {
  program
    .command('__approval-relay', { hidden: true })
    .description('Relay a dispatched agent\'s permission requests to agent-dispatch (started by Claude Code)')
    .action(async () => {
      const { runApprovalRelay } = await import('../../server/approval-relay.js');
      await runApprovalRelay(ctx.env);
    });
}
