// Runs `claude mcp get/add/remove` for the agent-dispatch server (never through a shell) and reads the answers.
import { runCommand, type CommandResult } from '../../runner/spawn.js';
import { DispatchError } from '../../shared/errors.js';
import { mcpAddArgs, mcpAddInput, parseMcpGet, SERVER_NAME, type McpEntry, type McpScope, type ServerSpec } from './mcp-entry.js';

/** What `claude mcp get agent-dispatch` said. */
export type Lookup = { kind: 'found'; entry: McpEntry } | { kind: 'missing' } | { kind: 'error'; message: string };

/** The three commands init and doctor need. */
export interface ClaudeMcp {
  readonly bin: string;
  get(): Promise<Lookup>;
  add(spec: ServerSpec, scope: McpScope): Promise<void>;
  remove(scope: McpScope): Promise<void>;
}

/** Where and how to run claude. */
export interface ClaudeMcpOptions {
  bin: string;
  env: NodeJS.ProcessEnv;
  /** `--scope project` and `local` registrations belong to this directory. */
  cwd: string;
  signal?: AbortSignal;
  /** `mcp get` starts the server to check it; allow for a slow first start. */
  timeoutMs?: number;
}

// The claude executable agent-dispatch runs: AGENT_DISPATCH_CLAUDE_BIN, else `claude` from PATH.
export function claudeBinary(env: NodeJS.ProcessEnv): string {
  const override = env.AGENT_DISPATCH_CLAUDE_BIN?.trim();
  return override ? override : 'claude';
}

// A missing executable is its own error: the fix is installing Claude Code, not retrying.
export function notFound(bin: string, message: string): DispatchError {
  return new DispatchError('CLAUDE_NOT_FOUND', `Cannot run the Claude Code CLI (${bin}): ${message}`, {
    hint: 'Install Claude Code (npm install -g @anthropic-ai/claude-code) so `claude` is on PATH, or set AGENT_DISPATCH_CLAUDE_BIN to its path.',
  });
}

const output = (r: CommandResult) => `${r.stderr}\n${r.stdout}`.trim();

// Build the wrapper.
export function createClaudeMcp(options: ClaudeMcpOptions): ClaudeMcp {
  const run = async (args: string[], input?: string) => {
    const result = await runCommand(options.bin, args, {
      cwd: options.cwd,
      env: options.env,
      ...(input === undefined ? {} : { input }),
      timeoutMs: options.timeoutMs ?? 30_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.error) throw notFound(options.bin, result.error);
    return result;
  };
  const check = (result: CommandResult, what: string) => {
    if (result.exitCode === 0) return;
    const why = result.timedOut ? 'it timed out' : output(result).split('\n').slice(-3).join(' ') || `exit ${result.exitCode ?? result.signal}`;
    throw new DispatchError('SPAWN_FAILED', `\`claude ${what}\` failed: ${why}`, {
      hint: 'Run the same command yourself to see the whole message; `agent-dispatch init --print` shows the JSON to add by hand.',
    });
  };
  return {
    bin: options.bin,
    async get() {
      const result = await run(['mcp', 'get', SERVER_NAME]);
      if (result.exitCode !== 0) {
        if (/no mcp server named/i.test(output(result))) return { kind: 'missing' };
        return { kind: 'error', message: output(result).split('\n').slice(-3).join(' ') || `claude mcp get exited with ${result.exitCode ?? result.signal}` };
      }
      const entry = parseMcpGet(result.stdout);
      return entry ? { kind: 'found', entry } : { kind: 'error', message: `unexpected output from claude mcp get: ${result.stdout.slice(0, 200)}` };
    },
    async add(spec, scope) {
      const args = mcpAddArgs(spec, scope);
      check(await run(args, mcpAddInput(spec)), args.slice(0, 5).join(' '));
    },
    async remove(scope) {
      check(await run(['mcp', 'remove', SERVER_NAME, '--scope', scope]), `mcp remove ${SERVER_NAME} --scope ${scope}`);
    },
  };
}
