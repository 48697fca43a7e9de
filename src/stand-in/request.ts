// Reads a Messages API request the way a test wants to see it: the user's prompt, the turn, tool results.

/** A tool_result the CLI sent back, with its content flattened to text. */
export interface ToolResult {
  toolUseId: string;
  content: string;
  isError: boolean;
}

/** One request the stand-in received, as kept in its log. */
export interface LoggedRequest {
  /** 1-based arrival order. */
  seq: number;
  /** Arrival time (ms since the epoch), for measuring retry gaps. */
  receivedAt: number;
  method: string;
  /** Path without the query string, e.g. `/v1/messages`. */
  path: string;
  /** Raw query string without `?` (the CLI sends `beta=true`). */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined when it was not JSON). */
  body: any;
  model: string;
  stream: boolean;
  maxTokens: number | undefined;
  /** System prompt blocks joined with blank lines. */
  system: string;
  /** `messages` as sent. */
  messages: any[];
  /** Names in the API `tools` list (MCP tools are deferred and do not appear here). */
  tools: string[];
  /** The user's own prompt text: the newest user message's text with `<system-reminder>` blocks removed. */
  prompt: string;
  /** Index in `messages` of the message holding `prompt` (-1 when none). */
  promptIndex: number;
  /** Number of assistant messages after the prompt: which scripted turn answers this request. */
  turnIndex: number;
  /** tool_result blocks in the newest user message. */
  toolResults: ToolResult[];
  /** Every tool_result block in the request, oldest first. */
  allToolResults: ToolResult[];
  /** Filled in after the reply: the rule that answered, and what was sent. */
  rule?: string;
  response?: { status: number; kind: 'text' | 'tool_use' | 'error' | 'json'; text?: string; toolNames?: string[] };
}

const REMINDER = /<system-reminder>[\s\S]*?<\/system-reminder>/g;

// Text of a content value: a string, or the text of its text/tool_result blocks.
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block: any) => {
      if (block?.type === 'text' && typeof block.text === 'string') return block.text;
      if (block?.type === 'tool_result') return contentText(block.content);
      if (block?.type === 'tool_use') return JSON.stringify(block.input ?? {});
      return '';
    })
    .filter((s: string) => s !== '')
    .join('\n');
}

// The user's own words in a message: its text blocks minus system reminders; '' for tool results only.
export function promptTextOf(message: any): string {
  if (message?.role !== 'user') return '';
  const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : (message.content ?? []);
  if (!Array.isArray(blocks)) return '';
  return blocks
    .filter((b: any) => b?.type === 'text' && typeof b.text === 'string')
    .map((b: any) => (b.text as string).replace(REMINDER, '').trim())
    .filter((s: string) => s !== '')
    .join('\n');
}

function toolResultsOf(message: any): ToolResult[] {
  if (!Array.isArray(message?.content)) return [];
  return message.content
    .filter((b: any) => b?.type === 'tool_result')
    .map((b: any) => ({ toolUseId: String(b.tool_use_id ?? ''), content: contentText(b.content), isError: b.is_error === true }));
}

function systemText(system: unknown): string {
  if (typeof system === 'string') return system;
  return Array.isArray(system) ? system.map((b: any) => (typeof b?.text === 'string' ? b.text : '')).join('\n\n') : '';
}

// Build the log entry for one request (pure; `seq` and HTTP details come from the server).
export function describeRequest(
  http: { seq: number; method: string; url: string; headers: LoggedRequest['headers']; receivedAt?: number },
  body: any,
): LoggedRequest {
  const [path = '', query = ''] = http.url.split('?', 2);
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  let promptIndex = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (promptTextOf(messages[i]) !== '') {
      promptIndex = i;
      break;
    }
  }
  const after = promptIndex >= 0 ? messages.slice(promptIndex + 1) : messages;
  const lastUser = [...messages].reverse().find((m) => m?.role === 'user');
  return {
    seq: http.seq,
    receivedAt: http.receivedAt ?? Date.now(),
    method: http.method,
    path,
    query,
    headers: http.headers,
    body,
    model: typeof body?.model === 'string' ? body.model : '',
    stream: body?.stream === true,
    maxTokens: typeof body?.max_tokens === 'number' ? body.max_tokens : undefined,
    system: systemText(body?.system),
    messages,
    tools: Array.isArray(body?.tools) ? body.tools.map((t: any) => String(t?.name ?? '')) : [],
    prompt: promptIndex >= 0 ? promptTextOf(messages[promptIndex]) : '',
    promptIndex,
    turnIndex: after.filter((m) => m?.role === 'assistant').length,
    toolResults: toolResultsOf(lastUser),
    allToolResults: messages.flatMap(toolResultsOf),
  };
}

// Everything the model was shown in one request (system prompt, every message, tool results), for `toContain`.
export function allText(request: LoggedRequest): string {
  return [request.system, ...request.messages.map((m) => contentText(m?.content))].join('\n\n');
}
