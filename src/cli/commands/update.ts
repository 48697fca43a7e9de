// `agent-dispatch update NAME [options]`: change an agent's settings; "none" clears a field (update-run.ts).
import type { Command } from 'commander';
import { addAgentFlags, type AgentFlags } from '../agent-options.js';
import type { CliContext } from '../context.js';

// Register `update`.
export function registerUpdate(program: Command, ctx: CliContext): void {
  const command = program
    .command('update')
    .description('Change an agent\'s settings ("none" clears a field)')
    .argument('<name>', 'the agent to change')
    .option('--directory <dir>', 'move the agent to another project directory');
  addAgentFlags(command, true)
    .addHelpText(
      'after',
      `
Examples:
  agent-dispatch update infra --allowed-tools "Bash,Read,Grep"
  agent-dispatch update infra --permission-mode bypassPermissions --timeout 900
  agent-dispatch update infra --model none --capabilities docker_logs,deploy_debug`,
    )
    .action(async (name: string, flags: AgentFlags, cmd: Command) => {
      if (Object.values(flags).every((v) => v === undefined)) cmd.error('error: nothing to update: pass at least one option (see --help)', { exitCode: 2, code: 'agent-dispatch.usage' });
      await (await import('./update-run.js')).runUpdate(ctx, name, flags);
    });
}
