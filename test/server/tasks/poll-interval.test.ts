import { describe, expect, it } from 'vitest';
import { pollIntervalMs } from '../../../src/server/tasks/poll-interval.js';

describe('pollIntervalMs', () => {
  it.each([
    [0, 1_000],
    [59_999, 1_000],
    [60_000, 2_000],
    [599_999, 2_000],
    [600_000, 5_000],
    [86_400_000, 5_000],
  ])('polls a task %i ms old every %i ms', (age, expected) => {
    expect(pollIntervalMs(age)).toBe(expected);
  });

  it('stays within what Claude Code accepts without clamping (250 ms to 30 s)', () => {
    for (const age of [0, 1e5, 1e6, 1e9]) expect(pollIntervalMs(age)).toSatisfy((ms: number) => ms >= 250 && ms <= 30_000);
  });
});
