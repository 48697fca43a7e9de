// The body of `agent-dispatch remove NAME` (defined in remove.ts): unregister an agent. Group entries that name
// it are kept (and reported), so a removal never silently rewrites a group.
import type { CliContext } from '../context.js';
import { colorEnabled, paint } from '../format.js';
import { loadConfigTools } from './config-tools.js';

// Remove the agent and point at the groups that still name it.
export async function runRemove(ctx: CliContext, name: string): Promise<void> {
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
}
