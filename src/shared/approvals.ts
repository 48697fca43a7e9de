// Approvals (issue 18): a headless agent's permission request, relayed to whoever can answer it, and the answer.
import { DispatchError } from './errors.js';

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

/** Characters kept of a request's input as JSON (the request shown must be the one run: bigger inputs are refused). */
export const MAX_APPROVAL_INPUT_CHARS = 200_000;
/** Requests of one job that may wait at once: more are denied (a run cannot flood its book or the person). */
export const MAX_PENDING_APPROVALS = 16;

const REQUEST_ID = /^[0-9a-f]{8}$/;

// A request's input as the JSON every book keeps; throws INVALID_INPUT when it is too big to be shown whole.
export function approvalInputJson(toolName: string, input: unknown): string {
  const json = JSON.stringify(input ?? null);
  if (json.length > MAX_APPROVAL_INPUT_CHARS) throw new DispatchError('INVALID_INPUT', `The ${toolName} request is larger than ${MAX_APPROVAL_INPUT_CHARS} characters; it cannot be shown whole, so it is denied.`);
  return json;
}

// The error for a job that already has MAX_PENDING_APPROVALS requests waiting.
export function tooManyPending(jobId: string): DispatchError {
  return new DispatchError('INVALID_INPUT', `Job ${jobId} already has ${MAX_PENDING_APPROVALS} requests waiting for an answer; this one is denied.`);
}

// A request id as given (any case, spaces around) → its stored form, or undefined when it is not one.
export function normalRequestId(raw: unknown): string | undefined {
  const id = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return REQUEST_ID.test(id) ? id : undefined;
}

// Check an answer before any book takes it: the request id's form and a known decision. Returns the normal id.
export function checkAnswer(rawRequestId: unknown, answer: { decision?: unknown } | undefined): string {
  const requestId = normalRequestId(rawRequestId);
  if (requestId === undefined) throw new DispatchError('INVALID_INPUT', `Malformed request id ${JSON.stringify(String(rawRequestId).slice(0, 40))}: it is 8 hex characters.`, { hint: 'Use the request_id shown by dispatch_status or `agent-dispatch jobs show ID`.' });
  if (!(APPROVAL_DECISIONS as readonly unknown[]).includes(answer?.decision)) throw new DispatchError('INVALID_INPUT', `Unknown decision ${JSON.stringify(answer?.decision)}: use ${APPROVAL_DECISIONS.join(', ')}.`);
  return requestId;
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

// The allowed_tools rule that "allow always" adds: the exact command for Bash, the tool itself otherwise. Undefined
// when a Bash command cannot be written as a rule that matches it alone: Claude Code reads `*` (and a trailing
// `:*`) as wildcards, and parentheses or a line break end the rule early. Then "allow always" allows once.
export function ruleFor(toolName: string, input: unknown): string | undefined {
  if (toolName !== 'Bash') return toolName;
  const command = (input as { command?: unknown } | null)?.command;
  if (typeof command !== 'string' || command.trim() === '' || /[()*\n\r]/.test(command)) return undefined;
  return `Bash(${command.trim()})`;
}

/** Characters of a Bash command shown before it is cut (a command longer than this is said to be cut). */
const MAX_COMMAND_CHARS = 20_000;

// Control and bidirectional-override characters, shown escaped so that a request cannot redraw a terminal or
// reorder what a person reads. Line breaks and tabs stay.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HIDING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const visible = (s: string) => s.replace(HIDING, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);

/** The first words of describeRequest's warning that a field is cut. */
const CUT_MARK = 'NOT SHOWN WHOLE';

// One line naming the request (its command, file or input), at most `maxChars`: for a confirmation, not a decision.
export function requestSummary(toolName: string, input: unknown, maxChars = 200): string {
  const first = describeRequest(toolName, input, maxChars).split('\n').find((line) => !line.startsWith(CUT_MARK)) ?? '';
  return first.length > maxChars ? `${first.slice(0, maxChars)}…` : first;
}

// A person's view of the request: the command, the file and a preview of the edit, then every other field as JSON.
// Every field of the input appears; a long one is cut with a line saying how much is not shown.
export function describeRequest(toolName: string, input: unknown, maxChars = 1500): string {
  const i = (input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  const lines: string[] = [];
  const cutNotes: string[] = [];
  const show = (label: string, key: string, limit: number, block: boolean) => {
    const value = i[key];
    if (typeof value !== 'string') return false;
    const shown = value.length > limit ? `${value.slice(0, limit)}…` : value;
    if (value.length > limit) cutNotes.push(`${label}: ${limit.toLocaleString('en-US')} of ${value.length.toLocaleString('en-US')} characters shown`);
    lines.push(block ? `${label}:\n${visible(shown)}` : `${label}: ${visible(shown)}`);
    return true;
  };
  const rendered = new Set<string>();
  const field = (label: string, key: string, limit: number, block = false) => void (show(label, key, limit, block) && rendered.add(key));
  field('command', 'command', MAX_COMMAND_CHARS);
  field('file', 'file_path', MAX_COMMAND_CHARS);
  field('path', 'path', MAX_COMMAND_CHARS);
  field('notebook', 'notebook_path', MAX_COMMAND_CHARS);
  field('replace', 'old_string', maxChars, true);
  field('with', 'new_string', maxChars, true);
  field('content', 'content', maxChars, true);
  const rest = input !== null && typeof input === 'object' && !Array.isArray(input) ? Object.fromEntries(Object.entries(i).filter(([k]) => !rendered.has(k))) : input;
  if (rest === undefined || rendered.size === 0 || Object.keys(rest as object).length > 0) {
    const json = JSON.stringify(rest ?? null);
    if (json.length > maxChars) cutNotes.push(`other fields: ${maxChars.toLocaleString('en-US')} of ${json.length.toLocaleString('en-US')} characters shown`);
    lines.push(`${rendered.size > 0 ? 'other fields' : 'input'}: ${visible(json.length > maxChars ? `${json.slice(0, maxChars)}…` : json)}`);
  }
  // The warning comes first: what is not shown may be what matters.
  if (cutNotes.length > 0) lines.unshift(`${CUT_MARK} (${cutNotes.join('; ')}): see the whole input with \`agent-dispatch jobs show ID --json\` before allowing.`);
  return lines.join('\n');
}
