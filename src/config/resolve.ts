// From the file's shape to what the runner needs: settings defaults applied, with the reference's tri-state
// for tool lists (an unset list inherits the default, an empty list means "none", overriding the default).
import { DispatchError } from '../shared/errors.js';
import type { ResolvedAgent } from '../shared/types.js';
import type { AgentConfig, Config, GroupConfig } from './schema.js';
import { closest } from './suggest.js';

// Where a resolved value came from, for `describe` and inspect_agent.
export type ValueSource = 'agent' | 'settings' | 'unset';

// The agent's own value when set, else the settings default; `[]` counts as set.
function pick<T>(own: T | undefined, fallback: T | undefined): { value: T | undefined; source: ValueSource } {
  if (own !== undefined) return { value: own, source: 'agent' };
  if (fallback !== undefined) return { value: fallback, source: 'settings' };
  return { value: undefined, source: 'unset' };
}

// Names of every configured agent, sorted.
export function agentNames(config: Config): string[] {
  return Object.keys(config.agents).sort();
}

// Names of every configured group, sorted.
export function groupNames(config: Config): string[] {
  return Object.keys(config.groups).sort();
}

// "Known agents: a, b" or "No agents are configured", plus a did-you-mean when one is close.
function unknownMessage(kind: 'agent' | 'group', name: string, known: string[]): string {
  const guess = closest(name, known);
  const list = known.length === 0 ? `No ${kind}s are configured.` : `Known ${kind}s: ${known.slice(0, 50).join(', ')}${known.length > 50 ? ', …' : ''}.`;
  return `Unknown ${kind} "${name.length > 64 ? `${name.slice(0, 64)}…` : name}". ${guess !== undefined ? `Did you mean "${guess}"? ` : ''}${list}`;
}

// The agent's entry as written, or AGENT_NOT_FOUND naming the known agents.
export function getAgent(config: Config, name: string): AgentConfig {
  const agent = Object.hasOwn(config.agents, name) ? config.agents[name] : undefined;
  if (agent === undefined) {
    throw new DispatchError('AGENT_NOT_FOUND', unknownMessage('agent', name, agentNames(config)), {
      hint: 'List agents with `agent-dispatch list` (or the list_agents tool); add one with `agent-dispatch add NAME DIR`.',
    });
  }
  return agent;
}

/** Each resolved field with where it came from. */
export interface AgentResolution {
  agent: ResolvedAgent;
  sources: Record<'timeout' | 'maxBudgetUsd' | 'permissionMode' | 'allowedTools' | 'disallowedTools', ValueSource>;
}

// Resolve an agent and record where each defaulted value came from.
export function explainAgent(config: Config, name: string): AgentResolution {
  const own = getAgent(config, name);
  const s = config.settings;
  const timeout = pick(own.timeout, s.default_timeout);
  const budget = pick(own.max_budget_usd, s.default_max_budget_usd);
  const mode = pick(own.permission_mode, s.default_permission_mode);
  const allowed = pick(own.allowed_tools, s.default_allowed_tools);
  const disallowed = pick(own.disallowed_tools, s.default_disallowed_tools);
  const agent: ResolvedAgent = {
    name,
    directory: own.directory,
    description: own.description,
    runtime: own.runtime,
    timeout: timeout.value ?? 300,
    ...(own.model !== undefined && { model: own.model }),
    ...(budget.value !== undefined && { maxBudgetUsd: budget.value }),
    ...(mode.value !== undefined && { permissionMode: mode.value }),
    ...(allowed.value !== undefined && { allowedTools: [...allowed.value] }),
    ...(disallowed.value !== undefined && { disallowedTools: [...disallowed.value] }),
    ...(own.env !== undefined && { env: { ...own.env } }),
    ...(own.host !== undefined && { host: own.host }),
    ...(own.ssh_options?.length && { sshOptions: [...own.ssh_options] }),
    ...(own.isolation === 'worktree' && { isolation: own.isolation }),
    ...(own.approvals === 'ask' && { approvals: own.approvals }),
    ...(own.approval_timeout !== undefined && { approvalTimeout: own.approval_timeout }),
  };
  return {
    agent,
    sources: { timeout: timeout.source, maxBudgetUsd: budget.source, permissionMode: mode.source, allowedTools: allowed.source, disallowedTools: disallowed.source },
  };
}

// The runner-facing agent: settings defaults applied. Throws AGENT_NOT_FOUND listing the known agents.
export function resolveAgent(config: Config, name: string): ResolvedAgent {
  return explainAgent(config, name).agent;
}

// The group's entry, or GROUP_NOT_FOUND naming the known groups.
export function getGroup(config: Config, name: string): GroupConfig {
  const group = Object.hasOwn(config.groups, name) ? config.groups[name] : undefined;
  if (group === undefined) {
    throw new DispatchError('GROUP_NOT_FOUND', unknownMessage('group', name, groupNames(config)), {
      hint: 'List groups with `agent-dispatch group list` (or the list_groups tool).',
    });
  }
  return group;
}

// Whether `agent` is listed as a member of `group` (false for an unknown group).
export function isGroupMember(config: Config, group: string, agent: string): boolean {
  return Object.hasOwn(config.groups, group) && (config.groups[group]?.members ?? []).some((m) => m.agent === agent);
}

// Check membership for a group dispatch; throws INVALID_INPUT naming the members when the agent is not one.
export function assertGroupMember(config: Config, group: string, agent: string): GroupConfig {
  const entry = getGroup(config, group);
  if (!entry.members.some((m) => m.agent === agent)) {
    const members = entry.members.map((m) => m.agent);
    throw new DispatchError('INVALID_INPUT', `Agent "${agent}" is not a member of group "${group}". Members: ${members.length === 0 ? '(none)' : members.join(', ')}.`, {
      hint: `Pick a member, or add it with \`agent-dispatch group update ${group} --add-member ${agent}\`.`,
    });
  }
  return entry;
}

// The member-facing facts of a group (undefined when it has none). Throws GROUP_NOT_FOUND.
export function groupSharedContext(config: Config, group: string): string | undefined {
  const text = getGroup(config, group).shared_context;
  return text === undefined || text.trim() === '' ? undefined : text;
}

// Names of the groups an agent belongs to, sorted.
export function groupsOfAgent(config: Config, agent: string): string[] {
  return groupNames(config).filter((g) => isGroupMember(config, g, agent));
}
