// A raw JSON-RPC client speaking MCP 2026-07-28 the way Claude Code 2.1.328 does: every request carries the
// `_meta` envelope, and (when asked) declares the Tasks extension. Works over a spawned process's stdio
// (newline-delimited JSON) or any message pipe (the SDK's InMemoryTransport).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** A JSON-RPC response as received. */
export interface RpcResponse {
  id: number | string;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** Options of one request. */
export interface CallOptions {
  /** Declare io.modelcontextprotocol/tasks in the envelope's client capabilities (default true). */
  tasks?: boolean;
  timeoutMs?: number;
}

/** A raw 2026 client over a message pipe. */
export class Raw2026Client {
  private next = 1;
  private readonly waiting = new Map<number | string, (response: RpcResponse) => void>();
  /** Every message received that was not a response (notifications, server requests). */
  readonly notifications: Record<string, unknown>[] = [];

  constructor(private readonly write: (message: Record<string, unknown>) => void) {}

  // Feed one received message.
  receive(message: Record<string, unknown>): void {
    const id = message.id as number | string | undefined;
    const resolve = id === undefined ? undefined : this.waiting.get(id);
    if (resolve && !('method' in message)) {
      this.waiting.delete(id!);
      resolve(message as unknown as RpcResponse);
    } else {
      this.notifications.push(message);
    }
  }

  // Send a request and wait for its response.
  request(method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<RpcResponse> {
    const id = this.next++;
    const extensions = options.tasks === false ? {} : { 'io.modelcontextprotocol/tasks': {} };
    const _meta = {
      ...((params._meta as Record<string, unknown> | undefined) ?? {}),
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw-2026-test', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': { extensions },
    };
    const timeoutMs = options.timeoutMs ?? 20_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.write({ jsonrpc: '2.0', id, method, params: { ...params, _meta } });
    });
  }

  // The opening Claude Code sends: server/discover (answered by the SDK's serveStdio).
  discover(options: CallOptions = {}): Promise<RpcResponse> {
    return this.request('server/discover', {}, options);
  }

  // tools/call, with a progress token as Claude Code sends one.
  callTool(name: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<RpcResponse> {
    return this.request('tools/call', { name, arguments: args, _meta: { progressToken: this.next } }, options);
  }

  // Poll tasks/get until the task is no longer working (or `timeoutMs` passes).
  async pollUntilDone(taskId: string, timeoutMs = 60_000, everyMs = 100): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { result, error } = await this.request('tasks/get', { taskId });
      if (error) throw new Error(`tasks/get failed: ${JSON.stringify(error)}`);
      if (result && result.status !== 'working' && result.status !== 'input_required') return result;
      if (Date.now() > deadline) throw new Error(`task ${taskId} still ${String(result?.status)} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

// A client on a spawned server's stdin/stdout (one JSON message per line).
export function stdioClient(child: ChildProcessWithoutNullStreams): Raw2026Client {
  const client = new Raw2026Client((message) => child.stdin.write(`${JSON.stringify(message)}\n`));
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) client.receive(JSON.parse(line) as Record<string, unknown>);
    }
  });
  return client;
}
