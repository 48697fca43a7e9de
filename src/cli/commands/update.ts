// `agent-dispatch update NAME [options]`: change an agent's settings; "none" clears a field.
import type { Command } from 'commander';
import type { AgentPatch } from '../../config/index.js';
import { addAgentFlags, toOptionValues, type AgentFlags } from '../agent-options.js';
import type { CliContext } from '../context.js';
import { asUsage } from '../usage.js';
import { loadConfigTools } from './config-tools.js';
import { colorEnabled, paint } from '../format.js';

// "timeout=600, model cleared" for the changed keys.
export function describePatch(patch: AgentPatch): string {
  return Object.entries(patch)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === null ? `${k} cleared` : `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`))
    .join(', ');
}

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
      const values = toOptionValues(flags);
      const { parseAgentOptions, cliHome, openConfigStore, printWarnings } = await loadConfigTools();
      if (Object.keys(values).length === 0) cmd.error('error: nothing to update: pass at least one option (see --help)', { exitCode: 2, code: 'agent-dispatch.usage' });
      // A flag's value the config refuses is bad usage (exit 2); the directory's state is checked after (exit 1).
      asUsage(() => parseAgentOptions({ ...values, directory: undefined }, { mode: 'update', cwd: ctx.cwd, homedir: cliHome(ctx) }));
      const patch = parseAgentOptions(values, { mode: 'update', cwd: ctx.cwd, homedir: cliHome(ctx) });
      const loaded = await openConfigStore(ctx).updateAgent(name, patch);
      printWarnings(ctx, loaded);
      const color = colorEnabled(ctx.stdout, ctx.env);
      ctx.stdout.write(`${paint('Updated', 'green', color)} agent ${paint(name, 'bold', color)}: ${describePatch(patch)}\n`);
    });
}
