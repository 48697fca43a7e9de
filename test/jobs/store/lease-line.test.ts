// The in-process waiting line: a freed slot wakes one sleeping waiter of its pool, not every waiter.
import { describe, expect, it } from 'vitest';
import { createWaitLine, type Waiter } from '../../../src/jobs/store/lease-line.js';

// Waiters asleep in `pool`, recording their wake-ups.
function sleepers(pool: string, tickets: number[], woken: [number, boolean][]): Waiter[] {
  return tickets.map((ticket) => {
    const waiter: Waiter = { ticket, pool };
    waiter.wake = (thorough) => void woken.push([ticket, thorough]);
    return waiter;
  });
}

describe('wait line', () => {
  it('wakes only the first sleeping waiter of the pool whose slot came free', () => {
    const line = createWaitLine();
    const woken: [number, boolean][] = [];
    for (const w of [...sleepers('', [1, 2, 3], woken), ...sleepers('job:a', [4, 5], woken)]) line.add(w);
    line.wakeNext('');
    expect(woken).toEqual([[1, false]]);
    // The first is awake (checking): a second freed slot goes to the next one asleep.
    line.wakeNext('');
    line.wakeNext('job:a');
    expect(woken).toEqual([[1, false], [2, false], [4, false]]);
  });

  it('wakes the head of each pool on a foreign commit or a tick, and forgets removed waiters', () => {
    const line = createWaitLine();
    const woken: [number, boolean][] = [];
    const waiters = [...sleepers('', [1, 2], woken), ...sleepers('job:a', [3, 4], woken)];
    for (const w of waiters) line.add(w);
    line.remove(waiters[0] as Waiter);
    line.wakeHeads(true);
    expect(woken).toEqual([[2, true], [3, true]]);
    expect(line.tickets()).toEqual([2, 3, 4]);
  });
});
