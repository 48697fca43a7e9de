// `agent-dispatch group add|list|inspect|update|remove`: groups are named working sets of agents with an
// orchestrator brief (description) and member-facing facts (shared_context). The bodies are in group-run.ts.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { GroupAddFlags, GroupUpdateFlags } from './group-run.js';

// Collect a repeatable option into a list.
const collect = (value: string, previous: string[] = []) => [...previous, value];

// Register `group` and its subcommands.
export function registerGroup(program: Command, ctx: CliContext): void {
  const group = program
    .command('group')
    .description('Manage groups: named working sets of agents (add, list, inspect, update, remove)')
    .addHelpText('after', '\nExamples:\n  agent-dispatch group add shop --member infra:deploy --member api\n  agent-dispatch group list\n  agent-dispatch group inspect shop');

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
    .action(async (name: string, flags: GroupAddFlags) => (await import('./group-run.js')).addGroup(ctx, name, flags));

  group
    .command('list')
    .description('List groups with their member count and description')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', '\nExample:\n  agent-dispatch group list --json')
    .action(async (flags: { json?: boolean }) => (await import('./group-run.js')).listGroups(ctx, flags));

  group
    .command('inspect')
    .description("Show a group's brief, shared context and members")
    .argument('<name>', 'the group')
    .option('--json', 'print JSON instead of text')
    .addHelpText('after', '\nExample:\n  agent-dispatch group inspect shop')
    .action(async (name: string, flags: { json?: boolean }) => (await import('./group-run.js')).inspectGroup(ctx, name, flags));

  group
    .command('update')
    .description('Change a group ("none" clears a text field)')
    .argument('<name>', 'the group')
    .option('--description <text>', 'new orchestrator brief; "none" clears it')
    .option('--shared-context <text>', 'new member-facing facts; "none" clears them')
    .option('--add-member <agent[:use_for]>', 'add a member, or change its use_for (repeatable)', collect)
    .option('--remove-member <agent>', 'remove a member (repeatable)', collect)
    .addHelpText('after', '\nExamples:\n  agent-dispatch group update shop --add-member api:"orders endpoints"\n  agent-dispatch group update shop --remove-member api --shared-context none')
    .action(async (name: string, flags: GroupUpdateFlags, cmd: Command) => {
      if (Object.values(flags).every((v) => v === undefined)) cmd.error('error: nothing to update: pass at least one option (see --help)', { exitCode: 2, code: 'agent-dispatch.usage' });
      await (await import('./group-run.js')).updateGroup(ctx, name, flags);
    });

  group
    .command('remove')
    .description('Remove a group (its agents stay)')
    .argument('<name>', 'the group')
    .addHelpText('after', '\nExample:\n  agent-dispatch group remove shop')
    .action(async (name: string) => (await import('./group-run.js')).removeGroup(ctx, name));
}
