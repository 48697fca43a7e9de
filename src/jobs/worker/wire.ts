// The worker's protocol: one JSON object per line over the Unix socket. The worker greets every connection with
// a hello naming itself; the client then asks one thing per line.
//   hello   worker → client  {"hello":{"pid","startedAt","version"}}
//   run     client → worker  {"op":"run","id"}     answered {"ok":true} or {"ok":false,"error"}
//   watch   client → worker  {"op":"watch","id"}   answered {"ended":id} once the job is no longer running there
//   status  client → worker  {"op":"status"}       answered {"status":{pid, version, running, retiring}}
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';

/** Who answers on the socket. */
export interface Hello {
  pid: number;
  startedAt?: number;
  version: string;
}

/** A request line. */
export type Request = { op: 'run'; id: string } | { op: 'watch'; id: string } | { op: 'status' };

/** What `status` reports. */
export interface WorkerStatus {
  pid: number;
  version: string;
  running: string[];
  retiring: boolean;
}

/** The longest line either side accepts: requests and answers are tiny. */
export const MAX_LINE = 4096;

// Write one message.
export function send(socket: Socket, message: unknown): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
}

// Call `onMessage` with each parsed line; a line that is too long or not JSON ends the connection.
export function onMessages(socket: Socket, onMessage: (message: Record<string, unknown>) => void): void {
  const lines = createInterface({ input: socket, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let message: unknown;
    try {
      message = line.length <= MAX_LINE ? JSON.parse(line) : undefined;
    } catch {
      message = undefined;
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) socket.destroy();
    else onMessage(message as Record<string, unknown>);
  });
  lines.on('error', () => socket.destroy());
}

// The request in a line from a client, or undefined when it is not one.
export function parseRequest(message: Record<string, unknown>): Request | undefined {
  if (message.op === 'status') return { op: 'status' };
  if ((message.op === 'run' || message.op === 'watch') && typeof message.id === 'string' && /^[0-9a-f]{32}$/.test(message.id)) {
    return { op: message.op, id: message.id };
  }
  return undefined;
}

// The hello in a line from the worker, or undefined when it is not one.
export function parseHello(message: Record<string, unknown>): Hello | undefined {
  const hello = message.hello as Record<string, unknown> | undefined;
  if (!hello || typeof hello !== 'object' || !Number.isSafeInteger(hello.pid) || typeof hello.version !== 'string') return undefined;
  const startedAt = typeof hello.startedAt === 'number' ? { startedAt: hello.startedAt } : {};
  return { pid: hello.pid as number, version: hello.version, ...startedAt };
}
