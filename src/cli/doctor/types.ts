// What doctor gathers (facts, by I/O in gather.ts) and what its checks conclude (pure functions over facts).
import type { ConfigIssue, LoadedConfig } from '../../config/index.js';
import type { ErrorType, ResolvedAgent } from '../../shared/types.js';
import type { Lookup } from '../init/claude-mcp.js';
import type { ServerSpec } from '../init/mcp-entry.js';

/** ok: fine; warn: works but something is off; fail: something will not work; skip: could not be checked. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One conclusion. Every warn and fail names at least one command that fixes it. */
export interface CheckResult {
  /** Stable id for --json consumers, e.g. "claude", "agent.backend". */
  id: string;
  title: string;
  status: CheckStatus;
  message: string;
  /** Commands to paste, in order of preference. */
  fix?: string[];
}

/** The claude executable. */
export interface ClaudeFacts {
  /** What agent-dispatch runs: AGENT_DISPATCH_CLAUDE_BIN or "claude". */
  bin: string;
  /** Absolute path found; undefined when it is not on PATH. */
  path?: string;
  version?: string;
  versionError?: string;
}

/** The authentication probe: one tiny real request. */
export type AuthFacts =
  | { kind: 'skipped'; reason: 'offline' | 'no-claude' }
  | { kind: 'ran'; ok: boolean; failure?: { type: ErrorType; message: string; hint?: string }; costUsd?: number; durationMs: number; apiKeySet: boolean };

/** The config file. */
export interface ConfigFacts {
  path: string;
  exists: boolean;
  loaded?: LoadedConfig;
  error?: { message: string; hint?: string; issues: ConfigIssue[] };
  /** Temp files a killed edit left beside the config (the next edit removes them). */
  staleTemps?: string[];
}

/** One agent's directory and settings. */
export interface AgentFacts {
  name: string;
  agent: ResolvedAgent;
  capabilities: string[];
  riskyCapabilities: string[];
  directory: 'ok' | 'missing' | 'not_directory' | 'unreadable';
  hasClaudeMd: boolean;
}

/** Claude Code's registration of the server, and the one this installation wants. */
export type RegistrationFacts = { kind: 'skipped'; reason: string } | { kind: 'looked_up'; lookup: Lookup; expected: ServerSpec; cwd: string };

/** The job store. */
export interface StoreFacts {
  path: string;
  error?: string;
  /** Jobs whose owner had died, marked failed by this run. */
  recovered?: number;
  /** Jobs pending or running now (with a live owner). */
  active?: number;
}

/** One local worker found by its pidfile in the state dir (src/jobs/worker/). */
export interface WorkerFacts {
  pidfile: string;
  socket?: string;
  pid?: number;
  version?: string;
  /** Jobs it runs now. */
  running?: number;
  retiring?: boolean;
  /** Why it did not answer on its socket (a killed worker leaves its files behind). */
  error?: string;
}

/** Everything the checks look at. */
export interface DoctorFacts {
  nodeVersion: string;
  claude: ClaudeFacts;
  auth: AuthFacts;
  config: ConfigFacts;
  agents: AgentFacts[];
  registration: RegistrationFacts;
  store: StoreFacts;
  /** Local workers with a pidfile (absent: not looked for). */
  workers?: WorkerFacts[];
  isRoot: boolean;
  /** The variables the checks read (IS_SANDBOX, AGENT_DISPATCH_DEPTH, CLAUDECODE, …). */
  env: Record<string, string | undefined>;
  /** settings.max_dispatch_depth (default 3 when the config does not load). */
  maxDepth: number;
}
