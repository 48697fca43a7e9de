// `agent-dispatch remove NAME`: unregister an agent. Group entries that name it are kept (and reported),
// so a removal never silently rewrites a group.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { colorEnabled, paint } from '../format.js';
import { loadConfigTools } from './config-tools.js';

// Register `remove`.
export function registerRemove(program: Command, ctx: CliContext): void {
  program
    .command('remove')
    .description('Remove an agent from the config (its project directory is not touched)')
    .argument('<name>', 'the agent to remove')
    .addHelpText('after', '\nExample:\n  agent-dispatch remove infra')
    .action(async (name: string) => {
      const { groupsOfAgent, openConfigStore, printWarnings } = await loadConfigTools();
      const store = openConfigStore(ctx);
      const groups = groupsOfAgent(store.get().config, name);
      const loaded = await store.removeAgent(name);
      // The dangling memberships get a note with the fix below instead of a generic warning.
      printWarnings(ctx, { ...loaded, warnings: loaded.warnings.filter((w) => w.message !== `"${name}" is not a configured agent`) });
      const color = colorEnabled(ctx.stdout, ctx.env);
      ctx.stdout.write(`${paint('Removed', 'green', color)} agent ${paint(name, 'bold', color)}.\n`);
      for (const group of groups) {
        ctx.stderr.write(`note: group "${group}" still lists "${name}"; drop it with: agent-dispatch group update ${group} --remove-member ${name}\n`);
      }
    });
}
