import { describe, expect, it } from 'vitest';
import { unknownTask, unreadableTask } from '../../../src/server/tasks/unknown-task.js';

const NOW = Date.parse('2026-12-03T05:00:00.000Z');

describe('answers for tasks the server cannot serve', () => {
  it('answers an unknown id with a final failed task carrying -32602', () => {
    expect(unknownTask('nope', NOW)).toMatchObject({
      taskId: 'nope', status: 'failed', createdAt: '2026-12-03T05:00:00.000Z', ttlMs: 0, error: { code: -32602, message: expect.stringContaining('Unknown or expired task "nope"') },
    });
  });

  it('cuts a huge id in its message', () => {
    expect(unknownTask('x'.repeat(10_000), NOW).error?.message.length).toBeLessThan(300);
  });

  it('answers an unreadable store with -32603 and says how to find the run later', () => {
    const task = unreadableTask('ab'.repeat(16), NOW, 'database is locked');
    expect(task).toMatchObject({ status: 'failed', error: { code: -32603 } });
    expect(task.statusMessage).toContain(`dispatch_status(job_id="${'ab'.repeat(16)}")`);
  });
});
