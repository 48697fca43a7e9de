// Recursion markers leaking into a top-level shell: AGENT_DISPATCH_DEPTH and Claude Code's CLAUDECODE. Pure.
import type { CheckResult } from '../types.js';
import { editCommand } from './config.js';

// Variables a real Claude Code session sets next to CLAUDECODE (claude-cli.md §10); without them it leaked.
const SESSION_MARKERS = ['CLAUDE_CODE_ENTRYPOINT', 'CLAUDE_CODE_SESSION_ID', 'CLAUDE_PID'];

// One result for the environment.
export function checkEnvironment(env: Record<string, string | undefined>, maxDepth: number, configPath: string): CheckResult {
  const base = { id: 'environment', title: 'Environment' };
  const rawDepth = env.AGENT_DISPATCH_DEPTH?.trim() ?? '';
  const depth = /^\d{1,6}$/.test(rawDepth) ? Number(rawDepth) : 0;
  const inSession = env.CLAUDECODE === '1' && SESSION_MARKERS.some((k) => (env[k] ?? '') !== '');
  const chain = env.AGENT_DISPATCH_CHAIN?.trim();
  const unset = 'unset AGENT_DISPATCH_DEPTH AGENT_DISPATCH_CHAIN';
  if (depth >= maxDepth && depth > 0) {
    return {
      ...base,
      status: 'fail',
      message: `AGENT_DISPATCH_DEPTH=${depth} reaches max_dispatch_depth (${maxDepth}): every dispatch from here is refused as recursion`,
      // Inside a dispatched agent this is the guard working; raising settings.max_dispatch_depth allows deeper nesting.
      fix: inSession ? [editCommand(configPath)] : [unset],
    };
  }
  if (depth > 0 && !inSession) {
    return {
      ...base,
      status: 'warn',
      message: `AGENT_DISPATCH_DEPTH=${depth} is set outside any dispatched agent${chain ? ` (chain ${chain})` : ''}: dispatches from here start ${depth} level(s) deep`,
      fix: [unset, 'grep -n AGENT_DISPATCH ~/.bashrc ~/.zshrc ~/.profile'],
    };
  }
  if (env.CLAUDECODE !== undefined && env.CLAUDECODE !== '' && !inSession) {
    return {
      ...base,
      status: 'warn',
      message: `CLAUDECODE=${env.CLAUDECODE} is set, but this is not a Claude Code session; tools that check it think they are nested`,
      fix: ['unset CLAUDECODE', 'grep -n CLAUDECODE ~/.bashrc ~/.zshrc ~/.profile'],
    };
  }
  if (depth > 0) return { ...base, status: 'ok', message: `inside a dispatched agent at depth ${depth} of ${maxDepth}${chain ? ` (chain ${chain})` : ''}` };
  if (inSession) return { ...base, status: 'ok', message: 'inside a Claude Code session; agent-dispatch strips its session variables before starting agents' };
  return { ...base, status: 'ok', message: 'no recursion variables set' };
}
