// Node.js, the claude executable and a real authenticated request (pure over gathered facts).
import { formatCost, formatDuration } from '../../ui/text.js';
import type { AuthFacts, CheckResult, ClaudeFacts } from '../types.js';

/** The oldest Node.js major this package supports (package.json engines). */
export const MIN_NODE_MAJOR = 20;

// Node.js must meet engines.node.
export function checkNode(version: string): CheckResult {
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? NaN);
  if (major >= MIN_NODE_MAJOR) return { id: 'node', title: 'Node.js', status: 'ok', message: version.replace(/^v?/, 'v') };
  return {
    id: 'node',
    title: 'Node.js',
    status: 'fail',
    message: `${version} is too old; agent-dispatch needs Node.js ${MIN_NODE_MAJOR} or newer`,
    fix: [`nvm install ${MIN_NODE_MAJOR} && npm install -g agent-dispatch`],
  };
}

// The claude CLI is found and answers --version.
export function checkClaude(claude: ClaudeFacts): CheckResult {
  const base = { id: 'claude', title: 'Claude Code CLI' };
  if (claude.path === undefined) {
    const how = claude.bin === 'claude' ? '`claude` is not on PATH' : `AGENT_DISPATCH_CLAUDE_BIN=${claude.bin} is not an executable file`;
    return {
      ...base,
      status: 'fail',
      message: `${how}; agents cannot run`,
      fix: ['npm install -g @anthropic-ai/claude-code', ...(claude.bin === 'claude' ? [] : ['unset AGENT_DISPATCH_CLAUDE_BIN'])],
    };
  }
  if (claude.version === undefined) {
    return {
      ...base,
      status: 'fail',
      message: `${claude.path} does not run: ${claude.versionError ?? 'no version printed'}`,
      fix: [`${claude.path} --version`, 'npm install -g @anthropic-ai/claude-code'],
    };
  }
  return { ...base, status: 'ok', message: `${claude.version} (${claude.path})` };
}

// A tiny real request went through, so dispatches can authenticate.
export function checkAuth(auth: AuthFacts): CheckResult {
  const base = { id: 'auth', title: 'Authentication' };
  if (auth.kind === 'skipped') {
    return { ...base, status: 'skip', message: auth.reason === 'offline' ? 'skipped (--offline)' : 'skipped: no claude to run' };
  }
  if (auth.ok) return { ...base, status: 'ok', message: `a one-turn request succeeded (${formatDuration(auth.durationMs)}, ${formatCost(auth.costUsd)})` };
  const failure = auth.failure ?? { type: 'cli_error', message: 'the request failed' };
  switch (failure.type) {
    case 'auth': {
      const detail = failure.message.replace(/^could not authenticate with the model API: /, '');
      return {
        ...base,
        status: 'fail',
        message: auth.apiKeySet ? `the API key in ANTHROPIC_API_KEY was rejected: ${detail}` : `not logged in: ${detail}`,
        fix: auth.apiKeySet ? ['export ANTHROPIC_API_KEY=<a valid key>', 'unset ANTHROPIC_API_KEY && claude auth login'] : ['claude auth login'],
      };
    }
    case 'rate_limit':
    case 'overloaded':
      return { ...base, status: 'warn', message: `the API is busy (${failure.type}), so the credentials were not confirmed: ${failure.message}`, fix: ['agent-dispatch doctor'] };
    case 'timeout':
      return {
        ...base,
        status: 'fail',
        message: `no answer from the model API: ${failure.message}`,
        fix: ['claude -p "Reply with OK" --max-turns 1', 'env | grep -E "ANTHROPIC_BASE_URL|HTTPS?_PROXY"'],
      };
    default:
      // Run the same request by hand to see the CLI's own words.
      return { ...base, status: 'fail', message: `${failure.message}${failure.hint ? ` (${failure.hint})` : ''}`, fix: ['claude -p "Reply with OK" --max-turns 1'] };
  }
}
