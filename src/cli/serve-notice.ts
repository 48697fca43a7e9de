// `agent-dispatch serve` typed at a terminal sits silent, waiting for MCP messages: say who is meant to start it.
import type { TextSink } from './context.js';

/** The one line printed to stderr (stdout belongs to the MCP transport). */
export const SERVE_TERMINAL_NOTICE =
  'agent-dispatch serve speaks MCP over stdin/stdout and is started by an MCP client such as Claude Code; register it with `agent-dispatch init`. Ctrl-C stops it.\n';

// Print the notice when stdin is a terminal (a client's pipe never is).
export function noteTerminalServe(stderr: TextSink, stdin: { isTTY?: boolean } = process.stdin): void {
  if (stdin.isTTY === true) stderr.write(SERVE_TERMINAL_NOTICE);
}
