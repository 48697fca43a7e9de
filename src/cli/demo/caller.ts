// Runs Claude Code as the caller: `claude -p PROMPT` with agent-dispatch as its only MCP server, reporting each
// tool call and tool result from its stream-json output as it happens.
import { LineBuffer } from '../../runner/stream.js';
import { superviseProcess } from '../../runner/spawn.js';
import { DispatchError } from '../../shared/errors.js';

/** What the demo hears from the caller while it runs. */
export interface CallerEvents {
  onToolUse?(name: string, input: Record<string, unknown>): void;
  /** `content` is what the caller's model was shown (JSON of our structuredContent). */
  onToolResult?(isError: boolean, content: string): void;
}

/** The caller's final state. */
export interface CallerOutcome {
  reply: string;
  isError: boolean;
  costUsd: number;
  durationMs: number;
  /** The MCP servers the caller reported at start, with their status. */
  mcpServers: { name: string; status: string }[];
}

/** How to start the caller. */
export interface CallerOptions {
  claudeBin: string;
  /** argv that starts agent-dispatch, e.g. [node, bin/agent-dispatch.js]. */
  selfCommand: string[];
  prompt: string;
  cwd: string;
  env: Record<string, string>;
  signal?: AbortSignal;
}

const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((b) => (typeof b?.text === 'string' ? b.text : '')).join('') : '';

// The argv: our server registered the way a user registers it, nothing else, and its tools allowed.
export function callerArgs(prompt: string, selfCommand: string[]): string[] {
  const mcpConfig = { mcpServers: { 'agent-dispatch': { command: selfCommand[0], args: [...selfCommand.slice(1), 'serve'] } } };
  return ['-p', prompt, '--mcp-config', JSON.stringify(mcpConfig), '--strict-mcp-config', '--allowedTools', 'mcp__agent-dispatch', '--output-format', 'stream-json', '--verbose'];
}

// Run the caller to its end; throws when it could not start or ended without a result.
export async function runCaller(options: CallerOptions, events: CallerEvents = {}): Promise<CallerOutcome> {
  const lines = new LineBuffer();
  const outcome: CallerOutcome = { reply: '', isError: true, costUsd: 0, durationMs: 0, mcpServers: [] };
  let sawResult = false;
  let stderr = '';
  const handle = (event: Record<string, any>) => {
    if (event.type === 'system' && event.subtype === 'init') outcome.mcpServers = event.mcp_servers ?? [];
    for (const block of event.type === 'assistant' || event.type === 'user' ? (event.message?.content ?? []) : []) {
      if (block?.type === 'tool_use') events.onToolUse?.(String(block.name), block.input ?? {});
      if (block?.type === 'tool_result') events.onToolResult?.(block.is_error === true, textOf(block.content));
    }
    if (event.type === 'result') {
      sawResult = true;
      Object.assign(outcome, { reply: String(event.result ?? ''), isError: event.is_error === true, costUsd: Number(event.total_cost_usd ?? 0), durationMs: Number(event.duration_ms ?? 0) });
    }
  };
  const child = superviseProcess({
    command: options.claudeBin,
    args: callerArgs(options.prompt, options.selfCommand),
    cwd: options.cwd,
    env: options.env,
    timeoutMs: 180_000,
    signal: options.signal,
    onStdout(chunk) {
      lines.append(chunk);
      for (let line = lines.next(); line !== null; line = lines.next()) if (line.kind === 'json') handle(line.value);
    },
    onStderr: (chunk) => void (stderr = (stderr + chunk.toString('utf8')).slice(-4000)),
  });
  const exit = await child.exited;
  if (exit.spawnError) throw new DispatchError('SPAWN_FAILED', `Could not start ${options.claudeBin}: ${exit.spawnError.message}`);
  if (!sawResult) {
    const why = exit.reason ? `was stopped (${exit.reason})` : `exited with ${exit.exitCode ?? exit.signal} and no result`;
    throw new DispatchError('SPAWN_FAILED', `The caller (claude -p) ${why}.${stderr ? `\nIts stderr:\n${stderr}` : ''}`);
  }
  return outcome;
}
