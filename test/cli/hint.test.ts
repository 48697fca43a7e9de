// Hints written for MCP callers come out of the CLI in its own terms (pure).
import { describe, expect, it } from 'vitest';
import { cliHint } from '../../src/cli/ui/hint.js';

const ID = '0a1b2c3d-0000-4000-8000-000000000001';

describe('cliHint', () => {
  it.each([
    [
      'a Claude Code timeout with a session',
      `Resume the partial work: dispatch_session(agent="api", task="Continue where you left off", session_id="${ID}"); or retry with a larger timeout_seconds (up to 7200), or use dispatch_async.`,
      'claude',
      `Resume the partial work: \`claude --resume ${ID}\` in the agent's directory; or retry with a larger --timeout (up to 7200 seconds).`,
    ],
    ['a timeout without a session', 'Retry with a larger timeout_seconds (up to 7200), or use dispatch_async.', 'claude', 'Retry with a larger --timeout (up to 7200 seconds).'],
    ['a resumable session of another runtime', `The partial session can be resumed with session_id "${ID}".`, 'codex', `The partial session can be resumed with session ${ID}.`],
    ['an unknown session', 'Start a new session (omit session_id). Sessions live in the HOME of the user that ran them.', 'claude', 'Start a new session (run it again). Sessions live in the HOME of the user that ran them.'],
    ['an MCP config edit', 'update_agent(name="api", allowed_tools="Bash,Read")', 'claude', 'agent-dispatch update api --allowed-tools "Bash,Read"'],
    ['a bad job id', 'Use the job_id returned by dispatch_async (or shown by `agent-dispatch jobs`).', 'claude', 'Use an id that `agent-dispatch jobs` shows.'],
    ['a hint that is CLI-ready already', 'Wait a minute and retry, or run fewer dispatches at once.', 'claude', 'Wait a minute and retry, or run fewer dispatches at once.'],
  ])('rewrites %s', (_name, hint, runtime, expected) => {
    expect(cliHint(hint, runtime)).toBe(expected);
    expect(cliHint(hint, runtime)).not.toMatch(/dispatch_|session_id|timeout_seconds|update_agent/);
  });
});
