import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ListQuery } from '../../../src/jobs/store/index.js';
import { MIRROR_THRESHOLD } from '../../../src/jobs/store/list.js';
import { runResult, clockedStorePerTest } from '../support/store.js';

const t = clockedStorePerTest();

// A deterministic pseudo-random sequence.
function random(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

// Long listings come from the mirror; paging the same query in small SQL pages must give the same rows.
function viaSql(query: ListQuery, total: number) {
  const out = [];
  for (let offset = 0; offset < total; offset += 500) out.push(...t.store.list({ ...query, limit: 500, offset }));
  return out;
}

describe('long listings from the in-memory mirror', () => {
  it('match the SQL listing through creates, updates, ties, cursors and gc', () => {
    const next = random(7);
    const ids: string[] = [];
    const work = (n: number) => {
      for (let i = 0; i < n; i++) {
        if (next() < 0.7) t.clock += 1; // the rest share a millisecond: ties are ordered by insertion
        const job = t.store.create({ kind: 'async', request: { agent: `a${Math.floor(next() * 4)}`, task: `t${i}`, caller: next() < 0.5 ? 'x' : 'y' } });
        ids.push(job.id);
        const roll = next();
        if (roll < 0.3) continue;
        t.store.markRunning(job.id);
        if (roll < 0.5) t.store.saveProgress(job.id, { turns: 1, lastTool: 'Read', tail: ['reading'], updatedAt: t.clock });
        else t.store.finish(job.id, roll < 0.8 ? { status: 'done', result: runResult() } : { status: 'failed', reason: 'r' });
      }
    };
    const big = MIRROR_THRESHOLD + 500;
    const queries: ListQuery[] = [{}, { status: 'running' }, { status: ['done', 'failed'] }, { agent: 'a2' }, { caller: 'y', status: 'pending' }];
    const check = () => {
      for (const query of queries) expect(t.store.list({ ...query, limit: big })).toEqual(viaSql(query, big));
      const all = viaSql({}, big);
      const cursor = all[Math.floor(all.length / 2)]?.id as string;
      expect(t.store.list({ before: cursor, limit: big })).toEqual(viaSql({ before: cursor }, big));
      expect(t.store.list({ offset: 3, limit: big })).toEqual(viaSql({}, big + 3).slice(3));
    };
    work(1200);
    check();
    work(50);
    for (const id of ids.slice(0, 40)) t.store.requestCancel(id);
    check();
    t.clock += 10 * 86_400_000;
    t.store.gc(1);
    work(20);
    check();
  });

  it('returns read-only summaries', () => {
    t.store.create({ kind: 'async', request: { agent: 'a', task: 't' } });
    const [summary] = t.store.list({ limit: MIRROR_THRESHOLD + 1 });
    expect(Object.isFrozen(summary)).toBe(true);
  });

  it('sees writes made by another store on the same file', () => {
    t.store.create({ kind: 'async', request: { agent: 'a', task: 'first' } });
    expect(t.store.list({ limit: MIRROR_THRESHOLD + 1 })).toHaveLength(1);
    const other = t.env.open();
    const job = other.create({ kind: 'async', request: { agent: 'a', task: 'second' } });
    other.finish(job.id, { status: 'done' });
    expect(t.store.list({ limit: MIRROR_THRESHOLD + 1 }).map((j) => [j.task, j.status])).toEqual([
      ['second', 'done'],
      ['first', 'pending'],
    ]);
  });

  it('starts over when the database file is replaced', () => {
    const quiet = t.env.open({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
    quiet.create({ kind: 'async', request: { agent: 'a', task: 't' } });
    expect(quiet.list({ limit: MIRROR_THRESHOLD + 1 })).toHaveLength(1);
    for (const suffix of ['', '-wal', '-shm']) rmSync(t.env.path + suffix, { force: true });
    expect(quiet.list({ limit: MIRROR_THRESHOLD + 1 })).toEqual([]);
  });

  it('rejects an unknown cursor like the SQL path', () => {
    expect(() => t.store.list({ before: 'f'.repeat(32), limit: MIRROR_THRESHOLD + 1 })).toThrow(/not a known job/);
  });
});
