// Claude Code's view of the agent-dispatch MCP server: parse `claude mcp get` output and compare a registration
// with the one this installation wants. Pure; the commands themselves run in claude-mcp.ts.

/** The name agent-dispatch registers under. */
export const SERVER_NAME = 'agent-dispatch';

/** Registration scopes of `claude mcp add --scope`. */
export type McpScope = 'user' | 'project' | 'local';

/** What a registration should be: a stdio command, or the shared HTTP server. */
export type ServerSpec =
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string> }
  | { type: 'http'; url: string; headers: Record<string, string> };

/** One server as `claude mcp get` reports it. */
export interface McpEntry {
  scope?: McpScope;
  /** connected, failed, pending (project server awaiting approval), or the raw status text. */
  status: 'connected' | 'failed' | 'pending' | 'unknown';
  statusText: string;
  /** Why it failed to connect, when it did. */
  issue?: string;
  type: string;
  command?: string;
  /** Arguments joined by spaces, as the CLI prints them. */
  args?: string;
  url?: string;
  env: Record<string, string>;
  headers: Record<string, string>;
}

// Parse `claude mcp get NAME` output (claude-cli.md §11); undefined when it does not describe a server.
export function parseMcpGet(text: string): McpEntry | undefined {
  const entry: McpEntry = { status: 'unknown', statusText: '', type: '', env: {}, headers: {} };
  let section: 'env' | 'headers' | undefined;
  let seen = false;
  for (const raw of text.split(/\r?\n/)) {
    const nested = /^ {4}(\S.*)$/.exec(raw);
    if (nested && section) {
      const line = nested[1] as string;
      const [key, value] = section === 'env' ? splitOnce(line, '=') : splitOnce(line, ': ');
      if (key) (section === 'env' ? entry.env : entry.headers)[key] = value;
      continue;
    }
    const field = /^ {2}([A-Za-z][A-Za-z ]*):(?: (.*))?$/.exec(raw);
    if (!field) continue;
    section = undefined;
    const key = (field[1] as string).toLowerCase();
    const value = (field[2] ?? '').trim();
    seen = true;
    if (key === 'scope') entry.scope = scopeOf(value);
    else if (key === 'status') Object.assign(entry, statusOf(value));
    else if (key === 'issue') entry.issue = value;
    else if (key === 'type') entry.type = value;
    else if (key === 'command') entry.command = value;
    else if (key === 'args') entry.args = value;
    else if (key === 'url') entry.url = value;
    else if (key === 'environment') section = 'env';
    else if (key === 'headers') section = 'headers';
  }
  return seen && entry.type !== '' ? entry : undefined;
}

function splitOnce(line: string, sep: string): [string, string] {
  const at = line.indexOf(sep);
  return at < 0 ? [line.trim(), ''] : [line.slice(0, at).trim(), line.slice(at + sep.length)];
}

function scopeOf(text: string): McpScope | undefined {
  if (/^user/i.test(text)) return 'user';
  if (/^project/i.test(text)) return 'project';
  if (/^local/i.test(text)) return 'local';
  return undefined;
}

function statusOf(text: string): Pick<McpEntry, 'status' | 'statusText'> {
  const statusText = text.replace(/^[^\p{L}]+/u, '').trim();
  if (/connected/i.test(text) && !/failed|not connected/i.test(text)) return { status: 'connected', statusText };
  if (/pending/i.test(text)) return { status: 'pending', statusText };
  if (/fail/i.test(text)) return { status: 'failed', statusText };
  return { status: 'unknown', statusText };
}

// Whether the reported entry is the wanted registration (our own AGENT_DISPATCH_* variables must match too).
export function matchesSpec(entry: McpEntry, spec: ServerSpec): boolean {
  if (spec.type === 'http') {
    return entry.type === 'http' && entry.url === spec.url && Object.entries(spec.headers).every(([k, v]) => entry.headers[k] === v);
  }
  if (entry.type !== 'stdio' || entry.command !== spec.command || (entry.args ?? '') !== spec.args.join(' ')) return false;
  const ours = (env: Record<string, string>) =>
    JSON.stringify(Object.entries(env).filter(([k]) => k.startsWith('AGENT_DISPATCH_')).sort(([a], [b]) => a.localeCompare(b)));
  return ours(entry.env) === ours(spec.env);
}

// How the entry starts the server, for messages: "node /x/bin.js serve" or the URL.
export function describeEntry(entry: McpEntry): string {
  if (entry.type === 'stdio') return [entry.command ?? '?', entry.args ?? ''].filter((s) => s !== '').join(' ');
  return entry.url ?? entry.type;
}

// How the spec starts the server, for messages.
export function describeSpec(spec: ServerSpec): string {
  return spec.type === 'stdio' ? [spec.command, ...spec.args].join(' ') : spec.url;
}

// The arguments of `claude mcp add` for a spec. The HTTP spec carries the access token in a header, and every
// local user can read a command line: it goes through `claude mcp add-json … -`, with mcpAddInput on stdin.
export function mcpAddArgs(spec: ServerSpec, scope: McpScope): string[] {
  if (spec.type === 'http') return ['mcp', 'add-json', '--scope', scope, SERVER_NAME, '-'];
  const env = Object.entries(spec.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // The name goes before -e: the option takes several values and would swallow it.
  return ['mcp', 'add', '--scope', scope, SERVER_NAME, ...env, '--', spec.command, ...spec.args];
}

// What `claude mcp add` reads on stdin for a spec (the HTTP server's JSON), or undefined (pure).
export function mcpAddInput(spec: ServerSpec): string | undefined {
  return spec.type === 'http' ? JSON.stringify({ type: 'http', url: spec.url, headers: spec.headers }) : undefined;
}

// The JSON other MCP clients (Claude Desktop, Cursor, …) take in their mcpServers config.
export function clientConfig(spec: ServerSpec): Record<string, unknown> {
  const server =
    spec.type === 'stdio'
      ? { command: spec.command, args: spec.args, ...(Object.keys(spec.env).length > 0 ? { env: spec.env } : {}) }
      : { type: 'http', url: spec.url, headers: spec.headers };
  return { mcpServers: { [SERVER_NAME]: server } };
}
