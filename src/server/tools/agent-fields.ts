// The optional agent fields shared by add_agent and update_agent (reference forms: "" or 0 = not given).
import { z } from 'zod';
import type { AgentToolFields } from '../catalog-types.js';
import { text } from '../params.js';

/** Input fields for agent settings. */
export const agentFields = {
  description: text(4_000, 'description').default(''),
  timeout: z.number().int().default(0),
  max_budget_usd: z.number().default(0),
  model: text(200, 'model').default(''),
  permission_mode: text(50, 'permission_mode').default(''),
  allowed_tools: text(4_000, 'allowed_tools').default(''),
  disallowed_tools: text(4_000, 'disallowed_tools').default(''),
  capabilities: text(4_000, 'capabilities').default(''),
  risky_capabilities: text(4_000, 'risky_capabilities').default(''),
  runtime: text(20, 'runtime').default(''),
  host: text(300, 'host').default('').describe('SSH host; directory is there'),
};

// Pick the agent fields out of the parsed arguments.
export function pickAgentFields(args: AgentToolFields & Record<string, unknown>): AgentToolFields {
  const { description, timeout, max_budget_usd, model, permission_mode, allowed_tools, disallowed_tools, capabilities, risky_capabilities, runtime, host } = args;
  return { description, timeout, max_budget_usd, model, permission_mode, allowed_tools, disallowed_tools, capabilities, risky_capabilities, runtime, ...(host ? { host } : {}) };
}
