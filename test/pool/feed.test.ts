// The pool's change feed against a private redis-server: records written and announced the way the caller and the
// worker do it become numbered changes, coalesced per job for a catch-up, and a page older than the feed reloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeBatch } from '../../src/jobs/store/types.js';
import { createPoolFeed, type PoolFeed } from '../../src/pool/feed.js';
import { openRedis } from '../../src/pool/connect.js';
import type { Redis } from '../../src/pool/worker.js';
import { K } from '../../src/pool/keys.js';
import { toJobRecord } from '../../src/pool/records.js';
import { createPoolJobView } from '../../src/pool/view.js';
import { parseQueueUrl } from '../../src/shared/queue-url.js';
import { HAVE_REDIS, startRedis, type TestRedis } from './support.js';

let server: TestRedis;
let redis: Redis;
const feeds: PoolFeed[] = [];
const idOf = (n: number) => n.toString(16).padStart(32, 'a');

// A record as the caller writes it.
async function create(n: number, fields: Record<string, string> = {}) {
  const id = idOf(n);
  await redis.multi().hset(K.job(id), { id, kind: 'async', status: 'pending', agent: 'api', caller: 'me', task: `task ${n}`, createdAt: String(Date.now()), ...fields }).zadd(K.jobs, Date.now(), id).exec();
  return id;
}

describe.skipIf(!HAVE_REDIS)('the pool change feed', () => {
  beforeAll(async () => {
    server = await startRedis();
    redis = await openRedis(parseQueueUrl(server.url));
  }, 30_000);

  afterAll(async () => {
    await Promise.all(feeds.map((f) => f.close()));
    await redis?.quit();
    await server?.stop();
  });

  const feedOf = (pollMs = 60_000) => {
    const feed = createPoolFeed({ redis, pollMs, settleMs: 20 });
    feeds.push(feed);
    return feed;
  };

  it('turns a queued job and its events into changes, and coalesces them for a page catching up', async () => {
    const before = await create(1, { status: 'done' });
    const feed = feedOf();
    const start = await feed.currentSeq();
    const batches: ChangeBatch[] = [];
    feed.subscribe((b) => batches.push(b), { since: start });
    const id = await create(2);
    await redis.publish(K.wakeChannel, 'agent.api');
    await expect.poll(() => batches.flatMap((b) => b.changes).some((c) => c.id === id && c.status === 'pending')).toBe(true);
    await redis.hset(K.job(id), { status: 'running', host: 'gpu-box', startedAt: String(Date.now()) });
    await redis.publish(K.jobChannel(id), JSON.stringify({ event: { type: 'text', text: 'hi' } }));
    await expect.poll(() => batches.flatMap((b) => b.changes).some((c) => c.id === id && c.status === 'running' && c.host === 'gpu-box')).toBe(true);
    const caughtUp = await feed.changesSince(start);
    expect(caughtUp.purged).toBe(false);
    expect(caughtUp.changes.map((c) => [c.id, c.status])).toEqual([[id, 'running']]);
    expect(caughtUp.seq).toBe(await feed.currentSeq());
    expect(caughtUp.changes.some((c) => c.id === before)).toBe(false);
    expect((await feed.changesSince(caughtUp.seq)).changes).toEqual([]);
  });

  it('notices a change no message announced on its next look at the active jobs', async () => {
    const id = await create(3);
    const feed = createPoolFeed({ redis, pollMs: 100 });
    feeds.push(feed);
    const start = await feed.currentSeq();
    await redis.hset(K.job(id), { status: 'done', endedAt: String(Date.now()), ok: '1', cost: '0.5' });
    await expect.poll(async () => (await feed.changesSince(start)).changes.find((c) => c.id === id)?.status).toBe('done');
  });

  it('lists, pages and counts jobs by agent, state and caller for the dashboard, newest first', async () => {
    const ids: string[] = [];
    for (const [n, status, caller] of [[10, 'done', 'a'], [11, 'failed', 'b'], [12, 'done', 'b'], [13, 'running', 'a'], [14, 'done', 'a']] as const) {
      ids.push(await create(n, { agent: 'lister', status, caller }));
      await new Promise((r) => setTimeout(r, 3)); // distinct creation times
    }
    const view = createPoolJobView({ redis, status: async (id) => toJobRecord(await redis.hgetall(K.job(id))), pollMs: 60_000 });
    try {
      const idsOf = async (query: Parameters<typeof view.list>[0]) => (await view.list(query)).map((j) => j.id);
      expect(await idsOf({ agent: 'lister' })).toEqual([...ids].reverse());
      expect(await idsOf({ agent: 'lister', status: 'done' })).toEqual([ids[4], ids[2], ids[0]]);
      expect(await idsOf({ agent: 'lister', status: 'done', limit: 1, offset: 1 })).toEqual([ids[2]]);
      expect(await idsOf({ agent: 'lister', status: ['failed', 'running'] })).toEqual([ids[3], ids[1]]);
      expect(await view.count({ agent: 'lister', caller: 'a' })).toBe(3);
      expect(await view.count({ agent: 'nobody' })).toBe(0);
      await expect(view.get('../etc')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect((await view.get(ids[0]!)).agent).toBe('lister');
    } finally {
      await view.close();
    }
  });

  it('asks a page rendered before the feed started to reload', async () => {
    const feed = feedOf();
    const start = await feed.currentSeq();
    expect(await feed.changesSince(start - 1000)).toMatchObject({ changes: [], purged: true });
  });
});
