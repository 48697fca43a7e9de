// What the dashboard is built from: the job store for reading, the dispatcher for actions, and two views of
// the config (agents with their health, daily budgets). Passed in, so tests hand it a temp store.
import type { Config } from '../config/schema.js';
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { JobStore } from '../jobs/store/types.js';
import type { Logger } from '../shared/log.js';

/** One configured agent as the agents page shows it. */
export interface AgentInfo {
  name: string;
  directory: string;
  description?: string;
  runtime?: string;
  healthy: boolean;
  /** Why it is not healthy (missing directory, unknown runtime…). */
  problem?: string;
}

/** Daily spending caps from the config (settings.daily_budget_usd and agents.<name>.daily_budget_usd). */
export interface Budgets {
  daily?: number;
  agents: Record<string, number>;
}

/** The dashboard's dependencies. */
export interface WebDeps {
  store: JobStore;
  /** Only cancel and reply (approvals) are used: the dashboard starts no agents. */
  dispatcher: Pick<Dispatcher, 'cancel' | 'reply'>;
  /** The configured agents with their health (may check the disk, hence the promise). */
  agents: () => AgentInfo[] | Promise<AgentInfo[]>;
  budgets: () => Budgets;
  /** The per-install access token. */
  token: string;
  /** Where the token is stored, for the sign-in page to name. */
  tokenFile?: string;
  /** The listening port (for the Host and Origin checks and the cookie name). */
  port: () => number;
  logger?: Logger;
  now?: () => number;
  /** The `git diff` of an isolated run's worktree against its base, by worktree id (issue 19); capped. */
  worktreeDiff?: (id: string) => Promise<{ text: string; truncated: boolean }>;
}

// Read the daily budgets out of a parsed config (pure).
export function budgetsFromConfig(config: Config): Budgets {
  const agents: Record<string, number> = {};
  for (const [name, agent] of Object.entries(config.agents)) if (agent.daily_budget_usd !== undefined) agents[name] = agent.daily_budget_usd;
  return { ...(config.settings.daily_budget_usd !== undefined ? { daily: config.settings.daily_budget_usd } : {}), agents };
}
