// Domain types shared by every layer. The config's on-disk shape lives in config/schema.ts;
// these are the resolved, runtime-facing shapes that the runner, jobs, cache and server pass around.
import type { ApprovalsMode } from './approvals.js';

/** Runtimes an agent can run on. `claude` is the default. */
export type RuntimeName = 'claude' | 'codex' | 'gemini' | 'opencode';

/** Permission modes accepted by Claude Code's `--permission-mode`. */
export const PERMISSION_MODES = ['default', 'acceptEdits', 'plan', 'bypassPermissions', 'dontAsk', 'auto', 'manual'] as const;
export type PermissionMode = (typeof PERMISSION_MODES)[number];

/** An agent with settings defaults applied: everything the runner needs, nothing it must look up. */
export interface ResolvedAgent {
  name: string;
  directory: string;
  description: string;
  runtime: RuntimeName;
  /** Seconds. */
  timeout: number;
  model?: string;
  maxBudgetUsd?: number;
  /** Cap on agentic turns (Claude Code `--max-turns`); unset: the CLI's own limit. */
  maxTurns?: number;
  permissionMode?: PermissionMode;
  /** undefined: no flag; []: explicitly empty (the tri-state of the reference is resolved before this point). */
  allowedTools?: string[];
  disallowedTools?: string[];
  /** Extra environment for this agent's process. */
  env?: Record<string, string>;
  /** SSH destination ([user@]host[:port] or an ssh_config alias): the agent runs there, `directory` is a path on it. */
  host?: string;
  /** Extra `Key=Value` ssh options (allowlisted, see shared/ssh.ts). */
  sshOptions?: string[];
  /** `worktree`: every dispatch runs in a fresh git worktree of the agent's repository (issue 19). */
  isolation?: Isolation;
  /** `ask`: permission requests reach the caller (issue 18); unset or `deny`: the CLI denies them. */
  approvals?: ApprovalsMode;
  /** Seconds a permission request waits for an answer before it is denied (default 300). */
  approvalTimeout?: number;
}

/** Where a dispatch runs: the agent's own checkout, or a fresh git worktree of it. */
export type Isolation = 'none' | 'worktree';

/** Failure classes shared by every runtime. */
export const ERROR_TYPES = [
  'permission',
  'timeout',
  'budget',
  'max_turns',
  'auth',
  'rate_limit',
  'overloaded',
  'not_found',
  'recursion',
  'cancelled',
  'cli_error',
  'unreachable',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** One denied tool call, as the CLI reports it. */
export interface PermissionDenial {
  toolName: string;
  toolUseId?: string;
  toolInput?: unknown;
}

/** Token counts for one run. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

/** A live event from a running agent, common to every runtime. */
export type RunEvent =
  | { type: 'init'; sessionId?: string; model?: string; tools?: string[]; mcpServers?: { name: string; status: string }[] }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; toolUseId: string; isError: boolean; content: string }
  | { type: 'result'; ok: boolean; text: string; sessionId?: string; costUsd?: number; numTurns?: number }
  | { type: 'approval_request'; requestId: string; toolName: string; input: unknown }
  | { type: 'approval_decision'; requestId: string; toolName: string; decision: string; decidedBy: string; how: string; note?: string };

/** What to run: resolved agent, prompt parts and per-call options. */
export interface RunRequest {
  agent: ResolvedAgent;
  task: string;
  goal?: string;
  caller?: string;
  /** Free-form context; a group's shared_context is already folded in by the caller. */
  context?: string;
  /** Start a new session with this id (a UUID). */
  sessionId?: string;
  /** Continue an existing session. */
  resumeSessionId?: string;
  /** With resumeSessionId: branch into a new session instead of appending. */
  forkSession?: boolean;
  /** JSON Schema for structured output (`response_format: json`). */
  jsonSchema?: Record<string, unknown>;
  /** Overrides agent.timeout, in seconds. */
  timeoutSeconds?: number;
  /** The prompt built from the parts above, when the caller already built it (built once per dispatch). */
  prompt?: string;
  /** Overrides agent.isolation. */
  isolation?: Isolation;
  /** With isolation `worktree`: the commit-ish the worktree starts from (default: the repository's HEAD). */
  baseRef?: string;
  /** Overrides agent.approvals. */
  approvals?: ApprovalsMode;
}

/** How the CLI reaches the approval broker of its run: the relay command (an MCP server) and its environment. */
export interface ApprovalRelay {
  command: string;
  args: string[];
  /** Socket path and per-run secret: passed in the child's environment, never on a command line. */
  env: Record<string, string>;
  /** The relay served over MCP Streamable HTTP for a run on an SSH host (set by the broker when asked to). */
  remote?: RemoteRelay;
  /** Set by the runner for a run on an SSH host: the CLI reaches the relay at this URL (on its host's loopback,
   *  forwarded back here); `env` then holds only the bearer token (APPROVAL_TOKEN_VAR). */
  url?: string;
}

/** The approval relay as an HTTP endpoint on a local Unix socket, for the runner to forward to an SSH host. */
export interface RemoteRelay {
  /** The Unix socket it listens on, in a private (0700) folder. */
  socketPath: string;
  /** The bearer token it requires, as the remote CLI's environment ({ APPROVAL_TOKEN_VAR: token }). */
  env: Record<string, string>;
}

/** Serves the relay of one run (its socket and secret, as in ApprovalRelay.env) over HTTP; close() ends it. */
export type ServeRemoteRelay = (relayEnv: Record<string, string>) => Promise<RemoteRelay & { close(): Promise<void> }>;

/** Options for one run that are not part of the request itself. */
export interface RunOptions {
  signal?: AbortSignal;
  /** The `git status` of the run's directory, read just before it starts for the cache key: the runner's
   *  before-run snapshot uses it instead of running git again. */
  workTreeStatus?: WorkTreeStatus;
  onEvent?: (event: RunEvent) => void;
  /** Called once the agent process exists; pgid is its process group (the job store records it). */
  onSpawn?: (info: { pid: number; pgid: number }) => void;
  /** The job this run belongs to: passed to the agent (AGENT_DISPATCH_JOB) so its own dispatches share one slot,
   *  and names an isolated run's worktree branch (`agent-dispatch/<first 8 characters>`). */
  jobId?: string;
  /** Set when the run's permission requests go to an approval broker (approvals `ask`). */
  approvalRelay?: ApprovalRelay;
}

/** A `git status --porcelain=v2 -z --branch --untracked-files=all` read of a directory (runner/git/measure.ts). */
export interface WorkTreeStatus {
  directory: string;
  output: string;
}

/** One path the run changed, as git sees it. */
export interface FileChange {
  path: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed' | 'untracked';
  /** A rename's source path. */
  from?: string;
  additions: number;
  deletions: number;
  binary?: boolean;
  /** The path was already changed (or untracked) before the run: the change may be the user's. */
  dirtyBefore?: boolean;
  /** With dirtyBefore: whether the run changed it further. */
  changedByRun?: boolean;
}

/** What git shows a run changed: files (capped), commits, and a one-line summary. */
export interface ChangeReport {
  files: FileChange[];
  /** Files left out of `files` by the cap. */
  omitted?: number;
  commits: { oid: string; subject: string }[];
  /** E.g. "3 files changed, 10 insertions(+), 2 deletions(-), 1 commit". */
  diffStat: string;
  /** The repository the paths belong to (for an isolated run: the agent's checkout, not the worktree). */
  repo?: string;
}

/** The git worktree a run used (isolation `worktree`). */
export interface WorktreeInfo {
  path: string;
  branch: string;
  /** What it was made from: a branch name, or an oid for a detached HEAD or a raw commit. */
  base: string;
  baseOid: string;
}

/** The one result shape for success and failure. */
export interface RunResult {
  ok: boolean;
  agent: string;
  runtime: RuntimeName;
  /** The whole answer text (tool results show a cut of it inline; see views/dispatch-result.ts). */
  text: string;
  /** Parsed structured output, when a JSON schema was requested and the agent produced it. */
  structured?: unknown;
  sessionId?: string;
  costUsd: number;
  usage: TokenUsage;
  numTurns: number;
  durationMs: number;
  permissionDenials: PermissionDenial[];
  exitCode: number | null;
  signal: string | null;
  /** Only on results recorded by older versions, whose runner cut `text`: the full size in bytes. */
  truncated?: { fullBytes: number };
  /** Last part of stderr, for diagnosis. */
  stderrTail: string;
  error?: { type: ErrorType; message: string; hint?: string };
  /** Set when the agent's directory is inside a git work tree: what the run changed, measured by git. */
  changes?: ChangeReport;
  /** Set for isolation `worktree`. */
  worktree?: WorktreeInfo;
}
