// Sits between stdin and the MCP SDK's stdio transport. The SDK's reader closes the whole transport when one
// message passes its buffer limit, which ended the server and every call in flight without a word. Here each
// line (one message) is passed on whole, and a line over the limit is dropped instead: its beginning and end are
// kept so the request's id can be answered with an error, and the server goes on serving.
import { Transform, type TransformCallback } from 'node:stream';

const EDGE = 4096;

/** What is known about a dropped message. */
export interface OversizeInfo {
  bytes: number;
  /** The id of the request, when the message's first or last bytes show it; null otherwise. */
  id: string | number | null;
}

// The id of a JSON-RPC request whose middle is missing: `{"jsonrpc":"2.0","id":7,…` or `…,"id":7}` (pure).
// At the end, a single closing brace right after the value means a top-level key: a nested `"id"` is followed by
// at least two.
export function requestIdOf(head: string, tail: string): string | number | null {
  const value = String.raw`(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")`;
  const atStart = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${value}\s*,`).exec(head);
  const atEnd = new RegExp(String.raw`,\s*"id"\s*:\s*${value}\s*(?:,\s*"jsonrpc"\s*:\s*"2\.0"\s*)?\}\s*$`).exec(tail);
  const found = atStart?.[1] ?? atEnd?.[1];
  if (found === undefined) return null;
  try {
    return JSON.parse(found) as string | number;
  } catch {
    return null;
  }
}

// A stream that passes complete lines of at most maxBytes (newline excluded) and drops longer ones.
export function limitLines(maxBytes: number, onOversize: (info: OversizeInfo) => void): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let dropping: { bytes: number; head: Buffer; tail: Buffer } | undefined;

  const drop = (piece: Buffer) => {
    if (!dropping) {
      const start = Buffer.concat([...pending, piece]);
      dropping = { bytes: start.length, head: Buffer.from(start.subarray(0, EDGE)), tail: Buffer.from(start.subarray(-EDGE)) };
      pending = [];
      pendingBytes = 0;
      return;
    }
    dropping.bytes += piece.length;
    dropping.tail = Buffer.concat([dropping.tail, piece.subarray(-EDGE)]).subarray(-EDGE);
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      let at = 0;
      while (at < chunk.length) {
        const newline = chunk.indexOf(0x0a, at);
        const end = newline === -1 ? chunk.length : newline;
        const piece = chunk.subarray(at, end);
        if (dropping || pendingBytes + piece.length > maxBytes) drop(piece);
        else {
          pending.push(piece);
          pendingBytes += piece.length;
        }
        if (newline === -1) break;
        if (dropping) {
          const { bytes, head, tail } = dropping;
          dropping = undefined;
          onOversize({ bytes, id: requestIdOf(head.toString('utf8'), tail.toString('utf8')) });
        } else {
          pending.push(Buffer.from('\n'));
          this.push(Buffer.concat(pending));
          pending = [];
          pendingBytes = 0;
        }
        at = newline + 1;
      }
      done();
    },
    flush(done: TransformCallback) {
      if (pendingBytes > 0) this.push(Buffer.concat(pending));
      done();
    },
  });
}
