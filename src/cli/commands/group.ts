// `agent-dispatch group add|list|inspect|update|remove`: groups are named working sets of agents with an
// orchestrator brief (description) and member-facing facts (shared_context).
import type { Command } from 'commander';
import type { Config } from '../../config/index.js';
import { loadConfigTools } from './config-tools.js';
import type { CliContext } from '../context.js';
import { colorEnabled, paint, plural, renderFields, renderTable, type Cell } from '../format.js';

// Collect a repeatable option into a list.
const collect = (value: string, previous: string[] = []) => [...previous, value];

// A group's members with their hint and health, for inspect and --json.
async function memberRows(config: Config, name: string) {
  const { checkAgentHealth, getGroup } = await loadConfigTools();
  return Promise.all(
    getGroup(config, name).members.map(async (m) => {
      const known = Object.hasOwn(config.agents, m.agent);
      const healthy = known && (await checkAgentHealth(config.agents[m.agent]!.directory)).directoryExists;
      return { agent: m.agent, use_for: m.use_for ?? '', healthy, unknown: !known };
    }),
  );
}

// The member's status cell.
const memberState = (m: { healthy: boolean; unknown: boolean }): Cell =>
  m.unknown ? { text: 'unknown agent', style: 'red' } : m.healthy ? { text: 'ok', style: 'green' } : { text: 'missing dir', style: 'red' };

// Register `group` and its subcommands.
export function registerGroup(program: Command, ctx: CliContext): void {
  const group = program
    .command('group')
    .description('Manage groups: named working sets of agents (add, list, inspect, update, remove)')
    .addHelpText('after', '\nExamples:\n  agent-dispatch group add shop --member infra:deploy --member api\n  agent-dispatch group list\n  agent-dispatch group inspect shop');
  const color = () => colorEnabled(ctx.stdout, ctx.env);
  const print = (value: unknown) => ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

  group
    .command('add')
    .description('Create a group')
    .argument('<name>', 'group name: letters, digits, "-" and "_"')
    .option('--description <text>', 'for the orchestrator: how to coordinate the group (never sent to members)')
    .option('--shared-context <text>', 'facts for members, prepended to dispatches made with this group')
    .option('--member <agent[:use_for]>', 'a member and what to use it for (repeatable)', collect)
    .addHelpText(
      'after',
      `
Example:
  agent-dispatch group add shop \\
    --description "Deploy via infra, then verify via analytics" \\
    --shared-context "Prod runs in the Portainer stack shop." \\
    --member infra:"deploy, restart, logs" --member analytics`,
    )
    .action(async (name: string, flags: { description?: string; sharedContext?: string; member?: string[] }) => {
      const { validateName, parseGroupOptions, openConfigStore, printWarnings } = await loadConfigTools();
      validateName('group', name);
      const input = parseGroupOptions({ description: flags.description, shared_context: flags.sharedContext, members: flags.member ?? [] }, 'add');
      const loaded = await openConfigStore(ctx).addGroup(name, input);
      printWarnings(ctx, loaded);
      ctx.stdout.write(`${paint('Added', 'green', color())} group ${paint(name, 'bold', color())} with ${plural(input.members?.length ?? 0, 'member')}.\n`);
    });

  group
    .command('list')
    .description('List groups with their member count and description')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', '\nExample:\n  agent-dispatch group list --json')
    .action(async (flags: { json?: boolean }) => {
      const { groupNames, openConfigStore, printWarnings } = await loadConfigTools();
      const loaded = openConfigStore(ctx).get();
      printWarnings(ctx, loaded);
      const { config } = loaded;
      const rows = await Promise.all(groupNames(config).map(async (name) => ({ name, description: config.groups[name]!.description, members: await memberRows(config, name) })));
      if (flags.json) return void print(rows);
      if (rows.length === 0) return void ctx.stdout.write('No groups yet. Create one with: agent-dispatch group add NAME --member AGENT\n');
      const table = rows.map((r): Cell[] => [{ text: r.name, style: 'bold' }, String(r.members.length), r.members.map((m) => m.agent).join(', '), r.description]);
      const maxWidth = ctx.stdout.isTTY ? (ctx.stdout.columns ?? 100) : undefined;
      ctx.stdout.write(renderTable(['NAME', 'MEMBERS', 'AGENTS', 'DESCRIPTION'], table, { color: color(), ...(maxWidth !== undefined && { maxWidth }) }));
    });

  group
    .command('inspect')
    .description("Show a group's brief, shared context and members")
    .argument('<name>', 'the group')
    .option('--json', 'print JSON instead of text')
    .addHelpText('after', '\nExample:\n  agent-dispatch group inspect shop')
    .action(async (name: string, flags: { json?: boolean }) => {
      const { getGroup, openConfigStore, printWarnings } = await loadConfigTools();
      const loaded = openConfigStore(ctx).get();
      printWarnings(ctx, loaded);
      const entry = getGroup(loaded.config, name);
      const members = await memberRows(loaded.config, name);
      if (flags.json) return void print({ name, description: entry.description, shared_context: entry.shared_context ?? '', members });
      const c = color();
      ctx.stdout.write(`${paint(name, 'bold', c)}\n${renderFields([['description', entry.description || '-']], c)}`);
      ctx.stdout.write(`\n${paint('shared context', 'dim', c)}\n${entry.shared_context?.trimEnd().replace(/^/gm, '  ') || '  -'}\n\n`);
      if (members.length === 0) return void ctx.stdout.write('No members. Add one with: agent-dispatch group update ' + name + ' --add-member AGENT\n');
      ctx.stdout.write(renderTable(['MEMBER', 'STATE', 'USE FOR'], members.map((m) => [m.agent, memberState(m), m.use_for || '-']), { color: c }));
    });

  group
    .command('update')
    .description('Change a group ("none" clears a text field)')
    .argument('<name>', 'the group')
    .option('--description <text>', 'new orchestrator brief; "none" clears it')
    .option('--shared-context <text>', 'new member-facing facts; "none" clears them')
    .option('--add-member <agent[:use_for]>', 'add a member, or change its use_for (repeatable)', collect)
    .option('--remove-member <agent>', 'remove a member (repeatable)', collect)
    .addHelpText('after', '\nExamples:\n  agent-dispatch group update shop --add-member api:"orders endpoints"\n  agent-dispatch group update shop --remove-member api --shared-context none')
    .action(async (name: string, flags: { description?: string; sharedContext?: string; addMember?: string[]; removeMember?: string[] }, cmd: Command) => {
      if (Object.values(flags).every((v) => v === undefined)) cmd.error('error: nothing to update: pass at least one option (see --help)', { exitCode: 2, code: 'agent-dispatch.usage' });
      const { getGroup, parseGroupOptions, openConfigStore, printWarnings } = await loadConfigTools();
      const patch = parseGroupOptions(
        { description: flags.description, shared_context: flags.sharedContext, add_members: flags.addMember, remove_members: flags.removeMember },
        'update',
      );
      const loaded = await openConfigStore(ctx).updateGroup(name, patch);
      printWarnings(ctx, loaded);
      ctx.stdout.write(`${paint('Updated', 'green', color())} group ${paint(name, 'bold', color())}: ${plural(getGroup(loaded.config, name).members.length, 'member')}.\n`);
    });

  group
    .command('remove')
    .description('Remove a group (its agents stay)')
    .argument('<name>', 'the group')
    .addHelpText('after', '\nExample:\n  agent-dispatch group remove shop')
    .action(async (name: string) => {
      const { openConfigStore, printWarnings } = await loadConfigTools();
      printWarnings(ctx, await openConfigStore(ctx).removeGroup(name));
      ctx.stdout.write(`${paint('Removed', 'green', color())} group ${paint(name, 'bold', color())}.\n`);
    });
}
