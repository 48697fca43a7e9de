// Every runtime adapter in remote mode (issue 17): the prompt goes to stdin, never into argv (the remote shell
// re-parses the command line), and nothing refers to a local temp file.
import { describe, expect, it } from 'vitest';
import { createRuntimeAdapters } from '../../../src/runner/runtimes.js';
import type { RunRequest, RuntimeName } from '../../../src/shared/types.js';

const adapters = createRuntimeAdapters();
const PROMPT = "fix it; $(id) 'quoted'";
const request = (runtime: RuntimeName, patch: Partial<RunRequest> = {}): RunRequest => ({
  agent: { name: 'r', directory: '/srv/r', description: '', runtime, timeout: 60, host: 'dev' },
  task: PROMPT,
  ...patch,
});
const ctx = { prompt: PROMPT, newSessionId: '11111111-2222-4333-8444-555555555555', env: {}, remote: true };

describe('adapters in remote mode', () => {
  it.each(['claude', 'codex', 'gemini', 'opencode'] as const)('%s puts the prompt on stdin only', (runtime) => {
    const invocation = adapters[runtime].buildInvocation(request(runtime), ctx);
    expect(invocation.stdin).toBe(PROMPT);
    expect(invocation.args.join('\n')).not.toContain('$(id)');
    expect(JSON.stringify(invocation.env)).not.toMatch(/agent-dispatch\/runs|gemini-/);
    invocation.cleanup?.();
  });

  it('refuses a JSON response_format for Codex on a host (its schema would be a local file)', () => {
    expect(() => adapters.codex.buildInvocation(request('codex', { jsonSchema: { type: 'object' } }), ctx)).toThrow(/not available for a Codex agent on a remote host/);
  });
});
