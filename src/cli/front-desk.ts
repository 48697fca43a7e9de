// Answers the MCP handshake from dist/handshake.json while the real server is not loaded yet. Claude Code starts
// every registered server at the start of every session (each `claude -p` a dispatch runs, too) and waits for
// `initialize` and `tools/list`; loading the SDK, zod and 21 tool schemas for that takes most of our start-up.
// The real server still sees the client's `initialize` (replayed under our own id, its answer dropped), so it
// knows the client's capabilities once it runs.
import { Writable } from 'node:stream';
import type { HandshakeManifest } from '../server/handshake.js';

/** The id under which the client's initialize is replayed to the real server. */
export const REPLAY_ID = 'agent-dispatch:replayed-initialize';
const PARSE_LIMIT = 64 * 1024;

/** Decides, line by line, what the desk answers itself. */
export interface FrontDesk {
  /** For a line the desk answered: what to forward instead ('' for nothing). Undefined: forward the line as is. */
  intercept(line: string): string | undefined;
  /** Stop answering (the real server is connected and answers everything from now on). */
  close(): void;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// Read and check a manifest; undefined when it is missing, unreadable or from another version.
export function parseManifest(text: string | undefined, version: string): HandshakeManifest | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as HandshakeManifest;
    const ok = value.version === version && Array.isArray(value.supportedProtocolVersions) && typeof value.latestProtocolVersion === 'string';
    return ok && isObject(value.initialize) && isObject(value.toolsList) && Array.isArray(value.methods) ? value : undefined;
  } catch {
    return undefined;
  }
}

// The desk; `write` sends one JSON-RPC message to the client.
export function createFrontDesk(manifest: HandshakeManifest, write: (message: object) => void): FrontDesk {
  let open = true;
  const answer = (id: unknown, result: object) => write({ jsonrpc: '2.0', id, result });
  return {
    close: () => void (open = false),
    intercept(line) {
      if (!open || line.length > PARSE_LIMIT) return undefined;
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return undefined;
      }
      if (!isObject(message) || message.jsonrpc !== '2.0' || typeof message.method !== 'string' || !('id' in message)) return undefined;
      const { id, method } = message;
      const params = isObject(message.params) ? message.params : undefined;
      if (method === 'initialize') {
        // Only a well-formed one; the real server gives anything else its proper error.
        if (!params || typeof params.protocolVersion !== 'string' || !isObject(params.capabilities) || !isObject(params.clientInfo)) return undefined;
        const requested = params.protocolVersion;
        const protocolVersion = manifest.supportedProtocolVersions.includes(requested) ? requested : manifest.latestProtocolVersion;
        answer(id, { protocolVersion, ...manifest.initialize });
        return `${JSON.stringify({ ...message, id: REPLAY_ID })}\n`;
      }
      if (method === 'tools/list' && params?.cursor === undefined) {
        answer(id, manifest.toolsList);
        return '';
      }
      if (method === 'ping') {
        answer(id, {});
        return '';
      }
      // Claude Code asks `server/discover` (a draft revision) first and waits for the answer.
      if (manifest.methods.length > 0 && !manifest.methods.includes(method)) {
        write({ jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } });
        return '';
      }
      return undefined;
    },
  };
}

// The real server's stdout: everything passes except its answer to the replayed initialize.
export function dropReplayAnswer(target: NodeJS.WritableStream): Writable {
  const needle = JSON.stringify(REPLAY_ID);
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const text = chunk.toString();
      if (text.includes(needle)) {
        try {
          if ((JSON.parse(text) as { id?: unknown }).id === REPLAY_ID) return callback();
        } catch {
          // not a single message: pass it on
        }
      }
      target.write(chunk, (error) => callback(error ?? null));
    },
  });
  target.on('error', (error) => out.destroy(error as Error));
  out.on('error', () => {}); // the server listens for it once it runs; before that, a gone client is no crash
  return out;
}
