// The bodies of `agent-dispatch group add|list|inspect|update|remove` (defined in group.ts): groups are named
// working sets of agents with an orchestrator brief (description) and member-facing facts (shared_context).
import type { Config } from '../../config/index.js';
import { loadConfigTools } from './config-tools.js';
import type { CliContext } from '../context.js';
import { colorEnabled, paint, plural, renderFields, renderTable, type Cell } from '../format.js';

/** The flags of `group add`. */
export interface GroupAddFlags {
  description?: string;
  sharedContext?: string;
  member?: string[];
}

/** The flags of `group update`. */
export interface GroupUpdateFlags {
  description?: string;
  sharedContext?: string;
  addMember?: string[];
  removeMember?: string[];
}

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

const color = (ctx: CliContext) => colorEnabled(ctx.stdout, ctx.env);
const print = (ctx: CliContext, value: unknown) => ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

// `group add NAME`.
export async function addGroup(ctx: CliContext, name: string, flags: GroupAddFlags): Promise<void> {
  const { validateName, parseGroupOptions, openConfigStore, printWarnings } = await loadConfigTools();
  validateName('group', name);
  const input = parseGroupOptions({ description: flags.description, shared_context: flags.sharedContext, members: flags.member ?? [] }, 'add');
  const loaded = await openConfigStore(ctx).addGroup(name, input);
  printWarnings(ctx, loaded);
  ctx.stdout.write(`${paint('Added', 'green', color(ctx))} group ${paint(name, 'bold', color(ctx))} with ${plural(input.members?.length ?? 0, 'member')}.\n`);
}

// `group list`.
export async function listGroups(ctx: CliContext, flags: { json?: boolean }): Promise<void> {
  const { groupNames, openConfigStore, printWarnings } = await loadConfigTools();
  const loaded = openConfigStore(ctx).get();
  printWarnings(ctx, loaded);
  const { config } = loaded;
  const rows = await Promise.all(groupNames(config).map(async (name) => ({ name, description: config.groups[name]!.description, members: await memberRows(config, name) })));
  if (flags.json) return void print(ctx, rows);
  if (rows.length === 0) return void ctx.stdout.write('No groups yet. Create one with: agent-dispatch group add NAME --member AGENT\n');
  const table = rows.map((r): Cell[] => [{ text: r.name, style: 'bold' }, String(r.members.length), r.members.map((m) => m.agent).join(', '), r.description]);
  const maxWidth = ctx.stdout.isTTY ? (ctx.stdout.columns ?? 100) : undefined;
  ctx.stdout.write(renderTable(['NAME', 'MEMBERS', 'AGENTS', 'DESCRIPTION'], table, { color: color(ctx), ...(maxWidth !== undefined && { maxWidth }) }));
}

// `group inspect NAME`.
export async function inspectGroup(ctx: CliContext, name: string, flags: { json?: boolean }): Promise<void> {
  const { getGroup, openConfigStore, printWarnings } = await loadConfigTools();
  const loaded = openConfigStore(ctx).get();
  printWarnings(ctx, loaded);
  const entry = getGroup(loaded.config, name);
  const members = await memberRows(loaded.config, name);
  if (flags.json) return void print(ctx, { name, description: entry.description, shared_context: entry.shared_context ?? '', members });
  const c = color(ctx);
  ctx.stdout.write(`${paint(name, 'bold', c)}\n${renderFields([['description', entry.description || '-']], c)}`);
  ctx.stdout.write(`\n${paint('shared context', 'dim', c)}\n${entry.shared_context?.trimEnd().replace(/^/gm, '  ') || '  -'}\n\n`);
  if (members.length === 0) return void ctx.stdout.write('No members. Add one with: agent-dispatch group update ' + name + ' --add-member AGENT\n');
  ctx.stdout.write(renderTable(['MEMBER', 'STATE', 'USE FOR'], members.map((m) => [m.agent, memberState(m), m.use_for || '-']), { color: c }));
}

// `group update NAME` (the caller has checked that some option was given).
export async function updateGroup(ctx: CliContext, name: string, flags: GroupUpdateFlags): Promise<void> {
  const { getGroup, parseGroupOptions, openConfigStore, printWarnings } = await loadConfigTools();
  const patch = parseGroupOptions({ description: flags.description, shared_context: flags.sharedContext, add_members: flags.addMember, remove_members: flags.removeMember }, 'update');
  const loaded = await openConfigStore(ctx).updateGroup(name, patch);
  printWarnings(ctx, loaded);
  ctx.stdout.write(`${paint('Updated', 'green', color(ctx))} group ${paint(name, 'bold', color(ctx))}: ${plural(getGroup(loaded.config, name).members.length, 'member')}.\n`);
}

// `group remove NAME`.
export async function removeGroup(ctx: CliContext, name: string): Promise<void> {
  const { openConfigStore, printWarnings } = await loadConfigTools();
  printWarnings(ctx, await openConfigStore(ctx).removeGroup(name));
  ctx.stdout.write(`${paint('Removed', 'green', color(ctx))} group ${paint(name, 'bold', color(ctx))}.\n`);
}
