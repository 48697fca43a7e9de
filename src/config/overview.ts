// One agent as `list --json`, `list_agents` and the dashboard show it: resolved settings (snake_case, as in the
// file) plus a cheap health check of its directory. Project facts (MCP servers, stacks) are added by callers
// that want them, since they cost a few file reads.
import type { ResolvedAgent } from '../shared/types.js';
import { checkAgentHealth, type AgentHealth } from './describe.js';
import { explainAgent, groupsOfAgent } from './resolve.js';
import type { Config } from './schema.js';

/** An agent's resolved settings and health. */
export interface AgentOverview {
  name: string;
  directory: string;
  /** SSH host the agent runs on; absent for a local agent. */
  host?: string;
  /** Why a remote agent's host could not be checked. */
  host_error?: string;
  description: string;
  runtime: string;
  healthy: boolean;
  has_claude_md: boolean;
  timeout: number;
  model?: string;
  permission_mode?: string;
  allowed_tools?: string[];
  disallowed_tools?: string[];
  max_budget_usd?: number;
  daily_budget_usd?: number;
  capabilities?: string[];
  risky_capabilities?: string[];
  groups: string[];
}

/** How an agent's health is checked; callers that can reach SSH hosts pass one that handles `host` agents. */
export type HealthCheck = (agent: ResolvedAgent) => Promise<AgentHealth & { error?: string }>;

// Local agents: two stats. A remote agent's directory means nothing here, so without a checker it is unknown.
const defaultHealth: HealthCheck = (agent) =>
  agent.host === undefined ? checkAgentHealth(agent.directory) : Promise.resolve({ directoryExists: false, hasClaudeMd: false, error: 'not checked' });

// Build the overview of one configured agent (throws AGENT_NOT_FOUND for an unknown name).
export async function agentOverview(config: Config, name: string, health: HealthCheck = defaultHealth): Promise<AgentOverview> {
  const { agent } = explainAgent(config, name);
  const own = config.agents[name]!;
  const checked = await health(agent);
  return {
    name,
    directory: agent.directory,
    ...(agent.host !== undefined && { host: agent.host }),
    ...(checked.error !== undefined && { host_error: checked.error }),
    description: agent.description,
    runtime: agent.runtime,
    healthy: checked.directoryExists,
    has_claude_md: checked.hasClaudeMd,
    timeout: agent.timeout,
    ...(agent.model !== undefined && { model: agent.model }),
    ...(agent.permissionMode !== undefined && { permission_mode: agent.permissionMode }),
    ...(agent.allowedTools !== undefined && { allowed_tools: agent.allowedTools }),
    ...(agent.disallowedTools !== undefined && { disallowed_tools: agent.disallowedTools }),
    ...(agent.maxBudgetUsd !== undefined && { max_budget_usd: agent.maxBudgetUsd }),
    ...(own.daily_budget_usd !== undefined && { daily_budget_usd: own.daily_budget_usd }),
    ...(own.capabilities?.length && { capabilities: own.capabilities }),
    ...(own.risky_capabilities?.length && { risky_capabilities: own.risky_capabilities }),
    groups: groupsOfAgent(config, name),
  };
}
