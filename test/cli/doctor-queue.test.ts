import { describe, expect, it } from 'vitest';
import { checkQueue, type QueueFacts } from '../../src/cli/doctor/checks/queue.js';

const healthy: QueueFacts = { redacted: 'redis://:***@q:6379', fromEnv: false, debugLeaks: false, version: '7.0.15', evictionPolicy: 'noeviction', aof: true, workers: [{ host: 'gpu', pid: 7, agents: ['api'], running: 1, maxConcurrency: 2 }] };

describe('checkQueue', () => {
  it('says nothing without a queue', () => {
    expect(checkQueue(undefined)).toEqual([]);
  });

  it.each([
    ['a healthy queue', {}, [['queue', 'ok'], ['queue.workers', 'ok']]],
    ['an unreachable queue', { error: { message: 'connection refused', hint: 'Is redis-server running?' } }, [['queue', 'fail']]],
    ['an old Redis', { version: '6.0.9' }, [['queue', 'ok'], ['queue.version', 'warn'], ['queue.workers', 'ok']]],
    ['a too old Redis', { version: '4.0.0' }, [['queue', 'ok'], ['queue.version', 'fail'], ['queue.workers', 'ok']]],
    ['an evicting Redis', { evictionPolicy: 'allkeys-lru' }, [['queue', 'ok'], ['queue.eviction', 'fail'], ['queue.workers', 'ok']]],
    ['AOF off', { aof: false }, [['queue', 'ok'], ['queue.aof', 'warn'], ['queue.workers', 'ok']]],
    ['no workers', { workers: [] }, [['queue', 'ok'], ['queue.workers', 'warn']]],
    ['DEBUG=ioredis', { debugLeaks: true }, [['queue.debug', 'warn'], ['queue', 'ok'], ['queue.workers', 'ok']]],
  ] as const)('reports %s', (_what, change, expected) => {
    const results = checkQueue({ ...healthy, ...change } as QueueFacts);
    expect(results.map((r) => [r.id, r.status])).toEqual(expected);
    for (const r of results) expect(r.status === 'ok' || (r.fix?.length ?? 0) > 0).toBe(true);
  });

  it('lists the live workers with what they serve', () => {
    expect(checkQueue(healthy).at(-1)!.message).toBe('gpu (pid 7, 1/2 busy): api');
  });
});
