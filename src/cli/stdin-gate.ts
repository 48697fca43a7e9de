// Sits between our stdin and the MCP transport while the services start. Claude Code starts every registered MCP
// server at the start of every session and waits for `initialize` and `tools/list`, which need neither the config
// nor SQLite: those lines pass at once. The first line that needs the services (a `tools/call`) and every line after
// it are held, in order, until the services are ready.
import { PassThrough, type Readable } from 'node:stream';

/** How the gate decides and whom it tells. */
export interface GateOptions {
  /** Settles when the services exist (or failed to start: the held calls then get that error from the tools). */
  ready: Promise<unknown>;
  /** True for a line (one JSON-RPC message) that needs the services. */
  needsServices?: (line: string) => boolean;
  /** Called once, when the first line is held (a cue to start the services now). */
  onHold?: () => void;
  /** Called for every line passed on at once (not answered by `intercept`, not held). */
  onPass?: (line: string) => void;
  /** Answers a line itself: returns what to pass on instead ('' for nothing), or undefined to pass the line on. */
  intercept?: (line: string) => string | undefined;
}

const NEWLINE = 0x0a;
// Lines larger than this are held without parsing (only tools/call carries big payloads).
const PARSE_LIMIT = 1024 * 1024;

// Only tools/call runs our code; everything else (handshake, tools/list, ping, notifications) the SDK answers alone.
export function isToolCall(line: string): boolean {
  if (line.length > PARSE_LIMIT) return true;
  try {
    const message = JSON.parse(line) as { method?: unknown };
    return message?.method === 'tools/call';
  } catch {
    return false; // the transport reports the parse error itself
  }
}

// The gated copy of `source`: same bytes, same order, possibly later.
export function gateStdin(source: Readable, options: GateOptions): PassThrough {
  const needs = options.needsServices ?? isToolCall;
  const out = new PassThrough();
  let ready = false;
  let held = 0;
  let holding = false;
  let tail: Promise<unknown> = options.ready.then(
    () => (ready = true),
    () => (ready = true),
  );
  let rest: Buffer = Buffer.alloc(0);

  const push = (line: Buffer) => {
    const text = line.toString('utf8');
    const replacement = options.intercept?.(text);
    if (replacement !== undefined) {
      if (replacement !== '') pass(Buffer.from(replacement), replacement);
      return;
    }
    pass(line, text);
  };

  const pass = (line: Buffer, text: string) => {
    if (held === 0 && (ready || !needs(text))) {
      out.write(line);
      options.onPass?.(text);
      return;
    }
    if (!holding) {
      holding = true;
      options.onHold?.();
    }
    held += 1;
    tail = tail.then(() => {
      out.write(line);
      held -= 1;
    });
  };

  source.on('data', (chunk: Buffer | string) => {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (rest.length > 0) data = Buffer.concat([rest, data]);
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
      push(data.subarray(start, end + 1));
      start = end + 1;
    }
    rest = Buffer.from(data.subarray(start));
  });
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    if (rest.length > 0) push(rest);
    // EOF must reach the server at once when nothing is held: it stops in-flight runs on it.
    if (held === 0) out.end();
    else void tail.then(() => out.end());
  };
  source.once('end', finish);
  source.once('close', finish);
  source.on('error', (error) => out.emit('error', error));
  return out;
}
