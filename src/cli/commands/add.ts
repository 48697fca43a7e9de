// `agent-dispatch add NAME DIR`: register a project directory as an agent (add-run.ts).
import type { Command } from 'commander';
import { addAgentFlags, type AgentFlags } from '../agent-options.js';
import type { CliContext } from '../context.js';

// Register `add`.
export function registerAdd(program: Command, ctx: CliContext): void {
  const command = program
    .command('add')
    .description('Register a project directory as an agent')
    .argument('<name>', 'agent name: letters, digits, "-" and "_", starting with a letter or digit')
    .argument('<dir>', 'the project directory (~ and relative paths are accepted)');
  addAgentFlags(command, false)
    .addHelpText(
      'after',
      `
Examples:
  agent-dispatch add infra ~/projects/infra
  agent-dispatch add api . --allowed-tools "Read,Grep,Bash(npm test:*)" --timeout 600
  agent-dispatch add db ../db --permission-mode plan --capabilities migrations,sql
  agent-dispatch add backend /srv/backend --host dev-server`,
    )
    .action(async (name: string, dir: string, flags: AgentFlags) => (await import('./add-run.js')).runAdd(ctx, name, dir, flags));
}
