// A 2026-07-28 MCP client in raw JSON-RPC (no SDK), to show what goes over the wire: every request carries the
// `_meta` envelope (protocol version, client info, client capabilities), and over HTTP the MCP-Protocol-Version,
// Mcp-Method and Mcp-Name headers. Used against our server over stdio (lines), in process and over HTTP.

/** The protocol revision this client speaks. */
export const MODERN = '2026-07-28';
/** The Tasks extension's key, for a client that declares it. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** A JSON-RPC message as received. */
export type Message = { jsonrpc: '2.0'; id?: string | number; method?: string; params?: any; result?: any; error?: { code: number; message: string; data?: unknown } };

// The per-request envelope; `capabilities` are the client's (e.g. `{ extensions: { [TASKS_EXTENSION]: {} } }`).
export function envelope(capabilities: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientInfo': { name: 'raw-2026', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': capabilities,
  };
}

// A request with the envelope merged into params._meta.
export function modernRequest(id: number, method: string, params: Record<string, any> = {}, meta: Record<string, unknown> = {}): Message {
  return { jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...envelope(), ...meta, ...(params._meta ?? {}) } } };
}

/** A client over any message channel: `send` writes one message, `receive` must be fed every message read. */
export function modernClient(send: (message: Message) => void) {
  let next = 1;
  const waiting = new Map<string | number, (m: Message) => void>();
  const notifications: Message[] = [];
  return {
    notifications,
    receive(message: Message) {
      if (message.id !== undefined && message.method === undefined) waiting.get(message.id)?.(message);
      else notifications.push(message);
    },
    // Send a request and resolve with its answer (result or error), the notifications it caused included.
    request(method: string, params: Record<string, any> = {}, meta: Record<string, unknown> = {}): Promise<Message> {
      const id = next++;
      const answered = new Promise<Message>((resolve) => waiting.set(id, resolve));
      send(modernRequest(id, method, params, meta));
      return answered;
    },
  };
}

/** Split a stream of newline-delimited JSON into messages. */
export function lineReader(onMessage: (m: Message) => void): (chunk: Buffer | string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk.toString();
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      const line = buffer.slice(0, at).trim();
      buffer = buffer.slice(at + 1);
      if (line) onMessage(JSON.parse(line) as Message);
    }
  };
}

// One 2026-07-28 POST: the headers a modern client sends; the answer's messages (a JSON body or an SSE stream).
export async function modernPost(url: string, token: string, id: number, method: string, params: Record<string, any> = {}, options: { name?: string; meta?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...(options.name !== undefined ? { 'mcp-name': options.name } : {}),
      ...options.headers,
    },
    body: JSON.stringify(modernRequest(id, method, params, options.meta)),
  });
  const text = await response.text();
  const messages: Message[] = (response.headers.get('content-type') ?? '').includes('text/event-stream')
    ? text.split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5)) as Message)
    : text.trim() ? [JSON.parse(text) as Message] : [];
  return { status: response.status, contentType: response.headers.get('content-type'), messages, answer: messages.find((m) => m.id === id) };
}
