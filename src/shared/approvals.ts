// Approvals (issue 18): a headless agent's permission request, relayed to whoever can answer it, and the answer.

/** The MCP server name and tool the Claude Code CLI is told to ask (`--permission-prompt-tool`). */
export const APPROVAL_SERVER = 'agent-dispatch-approvals';
export const APPROVAL_TOOL = 'decide';
export const APPROVAL_TOOL_ID = `mcp__${APPROVAL_SERVER}__${APPROVAL_TOOL}`;

/** Environment variables that tell the relay where its run's broker listens and how to prove it belongs to the run. */
export const APPROVAL_SOCKET_VAR = 'AGENT_DISPATCH_APPROVAL_SOCKET';
export const APPROVAL_SECRET_VAR = 'AGENT_DISPATCH_APPROVAL_SECRET';
/** For a run on an SSH host: the bearer token of the relay's HTTP endpoint, in the remote CLI's environment only
 *  (Claude Code expands `${VAR}` in --mcp-config headers, so the token never shows on a command line). */
export const APPROVAL_TOKEN_VAR = 'AGENT_DISPATCH_APPROVAL_TOKEN';
/** The path of the relay's HTTP endpoint (runs on SSH hosts). */
export const APPROVAL_HTTP_PATH = '/mcp';

/** How an agent's permission requests are handled: `deny` (the CLI denies them, today's behaviour) or `ask`. */
export type ApprovalsMode = 'ask' | 'deny';

/** What a person can answer. `allow_always` also adds the rule to the agent's allowed_tools. */
export const APPROVAL_DECISIONS = ['allow_once', 'allow_always', 'deny'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** Default seconds a request waits for an answer before it is denied. */
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 300;

/** One permission request of a running agent, exactly as its CLI will run it when allowed. */
export interface ApprovalRequest {
  /** Short id, unique within the job. */
  id: string;
  jobId: string;
  agent: string;
  toolName: string;
  /** The tool input the CLI will run with (the command line, the file path and content…). */
  input: unknown;
  toolUseId?: string;
  askedAt: number;
  /** When an unanswered request is denied. */
  expiresAt: number;
  decision?: ApprovalDecision;
  /** Who answered: `caller` (the dispatch's MCP client), `cli`, `dashboard`, `tool` (dispatch_reply), `timeout`, `rule`. */
  decidedBy?: string;
  /** How: e.g. "elicitation", "jobs approve", "no answer within 300 s". */
  how?: string;
  decidedAt?: number;
  /** Extra words shown with the decision (the rule added by allow_always, a deny reason). */
  note?: string;
}

/** An answer to a request. */
export interface ApprovalAnswer {
  decision: ApprovalDecision;
  decidedBy: string;
  how: string;
  note?: string;
}

/** Asks the person behind the dispatch's caller; undefined when it could not ask (no elicitation, transport gone). */
export type AskCaller = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision | undefined>;

// The allowed_tools rule that "allow always" adds: the exact command for Bash, the tool itself otherwise.
export function ruleFor(toolName: string, input: unknown): string {
  const command = (input as { command?: unknown } | null)?.command;
  if (toolName === 'Bash' && typeof command === 'string' && command.trim() !== '' && !/[()\n]/.test(command)) return `Bash(${command.trim()})`;
  return toolName;
}

// A few lines a person can judge the request by: the command, the file and a preview of the edit.
export function describeRequest(toolName: string, input: unknown, maxChars = 1500): string {
  const i = (input ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const cut = (s: string) => (s.length > maxChars ? `${s.slice(0, maxChars - 1)}…` : s);
  const lines: string[] = [];
  if (str(i.command)) lines.push(`command: ${str(i.command)}`);
  const file = str(i.file_path) ?? str(i.path) ?? str(i.notebook_path);
  if (file) lines.push(`file: ${file}`);
  if (str(i.old_string) !== undefined) lines.push(`replace:\n${cut(str(i.old_string)!)}\nwith:\n${cut(str(i.new_string) ?? '')}`);
  else if (str(i.content) !== undefined) lines.push(`content:\n${cut(str(i.content)!)}`);
  const known = new Set(['command', 'file_path', 'path', 'notebook_path', 'old_string', 'new_string', 'content']);
  const rest = Object.fromEntries(Object.entries(i).filter(([k]) => !known.has(k)));
  if (Object.keys(rest).length > 0 || lines.length === 0) lines.push(`input: ${cut(JSON.stringify(input ?? null))}`);
  return lines.join('\n');
}
