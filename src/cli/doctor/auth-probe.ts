// The authentication check: one tiny real `claude -p` (no tools, no MCP servers, no retries, not saved),
// classified by the same rules the runner applies to dispatches, so "ok" here means dispatches can authenticate.
import { tmpdir } from 'node:os';
import type { ClaudeResult } from '../../runner/claude/events.js';
import { classifyClaudeOutcome } from '../../runner/claude/outcome.js';
import { NESTED_SESSION_VARS } from '../../runner/env.js';
import { runCommand } from '../../runner/spawn.js';
import type { AuthFacts } from './types.js';

/** The probe's argv after the binary: one turn, no tools, no MCP servers, nothing saved. */
export const PROBE_ARGS = ['-p', '--output-format', 'json', '--max-turns', '1', '--strict-mcp-config', '--tools', '', '--no-session-persistence', '--', 'Reply with the single word OK.'];

// The JSON result printed by `--output-format json` (the last line that parses).
export function parseResult(stdout: string): ClaudeResult | undefined {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'result') return value as ClaudeResult;
    } catch {
      // not JSON: the CLI printed something else
    }
  }
  return undefined;
}

// Run the probe with `bin`. Never throws.
export async function probeAuth(bin: string, env: NodeJS.ProcessEnv, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<AuthFacts> {
  const childEnv: NodeJS.ProcessEnv = { ...env, CLAUDE_CODE_MAX_RETRIES: '0' };
  for (const key of NESTED_SESSION_VARS) delete childEnv[key];
  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = Date.now();
  const run = await runCommand(bin, PROBE_ARGS, { cwd: tmpdir(), env: childEnv, timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  const durationMs = Date.now() - started;
  const apiKeySet = (env.ANTHROPIC_API_KEY ?? '') !== '';
  if (run.error) return { kind: 'ran', ok: false, failure: { type: 'not_found', message: run.error }, durationMs, apiKeySet };
  const result = parseResult(run.stdout);
  const failure = classifyClaudeOutcome(
    { ...(result ? { result } : {}), exitCode: run.exitCode, signal: run.signal, stderr: run.stderr, ...(run.timedOut ? { reason: 'timeout' as const } : {}) },
    { agent: 'doctor', timeoutSeconds: Math.round(timeoutMs / 1000) },
  );
  return {
    kind: 'ran',
    ok: failure === undefined,
    ...(failure ? { failure: { type: failure.type, message: failure.message.replace(/^Agent doctor /, ''), ...(failure.hint ? { hint: failure.hint } : {}) } } : {}),
    ...(result?.total_cost_usd !== undefined ? { costUsd: result.total_cost_usd } : {}),
    durationMs,
    apiKeySet,
  };
}
