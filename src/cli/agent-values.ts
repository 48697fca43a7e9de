// The agent flags of `add` and `update` (agent-options.ts) as the config layer's option values; apart from the
// flag definitions, which every start loads, since only the two commands' bodies need it.
import type { AgentOptionValues } from '../config/index.js';
import type { AgentFlags } from './agent-options.js';

// Flags → the config layer's option values (snake_case keys, text as given).
export function toOptionValues(flags: AgentFlags): AgentOptionValues {
  const values: AgentOptionValues = {
    directory: flags.directory,
    description: flags.description,
    timeout: flags.timeout,
    model: flags.model,
    permission_mode: flags.permissionMode,
    allowed_tools: flags.allowedTools,
    disallowed_tools: flags.disallowedTools,
    max_budget_usd: flags.maxBudgetUsd,
    daily_budget_usd: flags.dailyBudgetUsd,
    capabilities: flags.capabilities,
    risky_capabilities: flags.riskyCapabilities,
    runtime: flags.runtime,
    host: flags.host,
    approvals: flags.approvals,
    approval_timeout: flags.approvalTimeout,
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as AgentOptionValues;
}
