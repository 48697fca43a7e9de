// One agent as `list --json`, `list_agents` and the dashboard show it: resolved settings (snake_case, as in the
// file) plus a cheap health check of its directory. Project facts (MCP servers, stacks) are added by callers
// that want them, since they cost a few file reads.
import { checkAgentHealth } from './describe.js';
import { explainAgent, groupsOfAgent } from './resolve.js';
import type { Config } from './schema.js';

/** An agent's resolved settings and health. */
export interface AgentOverview {
  name: string;
  directory: string;
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

// Build the overview of one configured agent (throws AGENT_NOT_FOUND for an unknown name).
export async function agentOverview(config: Config, name: string): Promise<AgentOverview> {
  const { agent } = explainAgent(config, name);
  const own = config.agents[name]!;
  const health = await checkAgentHealth(agent.directory);
  return {
    name,
    directory: agent.directory,
    description: agent.description,
    runtime: agent.runtime,
    healthy: health.directoryExists,
    has_claude_md: health.hasClaudeMd,
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
