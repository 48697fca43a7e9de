// The progress sink of a tool call sends the lines of the job's own progress tracker (one tracker per run): an
// event with a line becomes a notification, one without sends nothing.
import { describe, expect, it } from 'vitest';
import { progressSink, type ProgressChannel } from '../../src/server/progress.js';

// A channel that records the notifications sent through it.
function extra(): { extra: ProgressChannel; sent: { method: string; params: Record<string, unknown> }[] } {
  const sent: { method: string; params: Record<string, unknown> }[] = [];
  const channel: ProgressChannel = { token: 'p1', notify: async (n) => void sent.push(n) };
  return { extra: channel, sent };
}

describe('progressSink', () => {
  it('sends the line handed with an event, and nothing for an event without one', () => {
    const { extra: context, sent } = extra();
    let t = 0;
    const sink = progressSink(context, { label: 'api', minIntervalMs: 0, now: () => (t += 1000) });
    sink.onEvent({ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } }, 'turn 1 · Bash: ls');
    sink.onEvent({ type: 'tool_result', toolUseId: 't1', isError: false, content: 'ok' });
    sink.close();
    expect(sent).toEqual([{ method: 'notifications/progress', params: { progressToken: 'p1', progress: 1, message: 'api · turn 1 · Bash: ls' } }]);
  });
});
