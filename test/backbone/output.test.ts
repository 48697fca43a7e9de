// The real Claude Code CLI answers with the stand-in's text in both machine formats, and the agent's CLAUDE.md
// reaches the model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, text } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';

let bb: Backbone;
let agentDir: string;
beforeAll(async () => {
  bb = await createBackbone({
    rules: [
      { match: 'json please', reply: text('Hello from the stand-in') },
      { match: 'stream please', reply: text('streamed reply in four parts', { chunks: 4, chunkDelayMs: 20 }) },
    ],
  });
  agentDir = bb.project('alpha', { claudeMd: 'AGENT_ALPHA_RULES: answer briefly.', files: { 'src/index.txt': 'hello' } });
});
afterAll(() => bb.cleanup());

describe('claude -p against the stand-in model', () => {
  it('returns the stand-in text as a json result and sends the agent CLAUDE.md to the model', async () => {
    const run = await bb.claude(['-p', 'json please', '--output-format', 'json'], { cwd: agentDir });
    expect(run.code, run.stderr).toBe(0);
    const result = run.json();
    expect(result).toMatchObject({ type: 'result', subtype: 'success', is_error: false, result: 'Hello from the stand-in', num_turns: 1, api_error_status: null });
    expect(result.session_id).toMatch(/^[0-9a-f-]{36}$/);
    // 100 input + 20 output tokens at the default model's list price.
    expect(result.total_cost_usd).toBeCloseTo(0.0008, 6);

    const request = bb.model.lastRequest!;
    expect(request).toMatchObject({ path: '/v1/messages', query: 'beta=true', stream: true, prompt: 'json please' });
    expect(allText(request)).toContain(`Contents of ${agentDir}/CLAUDE.md`);
    expect(allText(request)).toContain('AGENT_ALPHA_RULES: answer briefly.');
    expect(allText(request)).toContain(`Primary working directory: ${agentDir}`);
  });

  it('returns the stand-in text, streamed in chunks, as stream-json events', async () => {
    const run = await bb.claude(['-p', 'stream please', '--output-format', 'stream-json', '--verbose'], { cwd: agentDir });
    expect(run.code, run.stderr).toBe(0);
    const events = run.events();
    expect(events[0]).toMatchObject({ type: 'system', subtype: 'init', cwd: agentDir, model: 'claude-opus-5-5', apiKeySource: 'ANTHROPIC_API_KEY' });
    const assistantText = events.filter((e) => e.type === 'assistant').flatMap((e) => e.message.content).map((b: any) => b.text).join('');
    expect(assistantText).toBe('streamed reply in four parts');
    expect(run.result()).toMatchObject({ subtype: 'success', is_error: false, result: 'streamed reply in four parts', session_id: events[0].session_id });
  });
});
