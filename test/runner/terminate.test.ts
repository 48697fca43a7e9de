import { describe, expect, it } from 'vitest';
import { armDeadline } from '../../src/runner/terminate.js';
import { fakeTimers } from './process/fakes.js';

describe('armDeadline', () => {
  it('reports a timeout when the timer fires', () => {
    const { timers, pending, fire } = fakeTimers();
    const reasons: string[] = [];
    armDeadline({ timeoutMs: 500, onStop: (r) => reasons.push(r) }, timers);
    expect(pending[0]?.ms).toBe(500);
    fire();
    expect(reasons).toEqual(['timeout']);
  });

  it('reports a cancel when the signal aborts', () => {
    const controller = new AbortController();
    const reasons: string[] = [];
    armDeadline({ signal: controller.signal, onStop: (r) => reasons.push(r) }, fakeTimers().timers);
    controller.abort();
    expect(reasons).toEqual(['cancelled']);
  });

  it('reports a signal that was aborted before arming', async () => {
    const reasons: string[] = [];
    armDeadline({ signal: AbortSignal.abort(), onStop: (r) => reasons.push(r) }, fakeTimers().timers);
    await Promise.resolve();
    expect(reasons).toEqual(['cancelled']);
  });

  it('stops listening once disarmed', () => {
    const controller = new AbortController();
    const { timers, pending } = fakeTimers();
    const reasons: string[] = [];
    const disarm = armDeadline({ timeoutMs: 5, signal: controller.signal, onStop: (r) => reasons.push(r) }, timers);
    disarm();
    controller.abort();
    expect(pending[0]?.cleared).toBe(true);
    expect(reasons).toEqual([]);
  });
});
