// "Allow always" (approvals, issue 18): add a rule to an agent's allowed_tools through the comment-keeping
// config editor. An agent that inherits settings.default_allowed_tools gets its own list: the default plus the rule.
import type { ConfigStore } from '../config/index.js';

// Build the editor the dispatch service calls; returns what it did, for the timeline and the caller.
export function createAllowAlways(config: ConfigStore): (agent: string, rule: string) => Promise<string> {
  return async (agent, rule) => {
    const current = config.get().config;
    const own = current.agents[agent];
    if (!own) throw new Error(`agent ${agent} is no longer in the config`);
    const list = own.allowed_tools ?? current.settings.default_allowed_tools ?? [];
    if (list.includes(rule)) return `${rule} was already in allowed_tools of agent ${agent}`;
    await config.updateAgent(agent, { allowed_tools: [...list, rule] });
    return `added ${rule} to allowed_tools of agent ${agent} in ${config.path}`;
  };
}
