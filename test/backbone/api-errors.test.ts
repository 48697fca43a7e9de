// API failures end in results a caller can tell apart: is_error with the HTTP status in api_error_status.
// CLAUDE_CODE_MAX_RETRIES keeps them quick (the CLI's default retries a 401 or 500 for about 3 minutes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fail, text } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';

let bb: Backbone;
let dir: string;
beforeAll(async () => {
  bb = await createBackbone({
    rules: [
      { match: 'auth', fail: fail(401, { message: 'invalid x-api-key' }) },
      { match: 'busy', fail: fail(429, { retryAfter: 1, message: 'slow down' }) },
      { match: 'overloaded', fail: fail(529, { message: 'Overloaded' }) },
      { match: 'flaky', fail: fail(429, { times: 1, retryAfter: 1 }), reply: text('recovered') },
    ],
  });
  dir = bb.project('error-agent');
});
afterAll(() => bb.cleanup());

describe('API failures seen through the real CLI', () => {
  it.each([
    [401, 'auth', 'authentication_error'],
    [429, 'busy', 'rate_limit_error'],
    [529, 'overloaded', 'overloaded_error'],
  ])('ends a %i (%s) with exit 1, is_error and the status in api_error_status', async (status, prompt, type) => {
    const run = await bb.claude(['-p', prompt, '--output-format', 'json'], { cwd: dir, maxRetries: 0 });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const result = run.json();
    expect(result).toMatchObject({ type: 'result', is_error: true, api_error_status: status, api_error_type: type, terminal_reason: 'api_error', total_cost_usd: 0 });
    expect(typeof result.result).toBe('string');
    expect(bb.model.messageRequests().filter((r) => r.prompt === prompt)).toHaveLength(1);
  });

  it('retries a 429 after retry-after when retries are allowed, then succeeds', async () => {
    const run = await bb.claude(['-p', 'flaky', '--output-format', 'json'], { cwd: dir, maxRetries: 2 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ is_error: false, result: 'recovered', api_error_status: null });
    expect(bb.model.messageRequests().filter((r) => r.prompt === 'flaky').map((r) => r.response?.status)).toEqual([429, 200]);
  });
});
