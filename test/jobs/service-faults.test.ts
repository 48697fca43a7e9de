// When the store cannot write as a run ends (disk full), the answer still goes back, and the final write and the
// slot's release are retried until they land: the job ends, and later dispatches do not wait forever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRig, fakeRunner, type Rig } from './service-harness.js';
import { runResult } from './support/store.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

const diskFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

describe('a store that cannot write when a run ends', () => {
  it('ends the job and frees its slot once the store can write again, so the next dispatch runs', async () => {
    const runner = fakeRunner((r) => runResult({ agent: r.agent.name, text: `answer to ${r.task}`, costUsd: 0.25 }));
    rig = createRig({ runner, settings: { max_concurrency: 1 } });
    const finish = rig.store.finish.bind(rig.store);
    let failures = 3;
    // The final write fails (and with it the slot's release, which shares its transaction) three times.
    rig.store.finish = (id, input) => {
      if (input.status === 'done' && failures > 0) {
        failures -= 1;
        throw diskFull();
      }
      return finish(id, input);
    };
    const first = await rig.service.dispatch({ agent: 'api', task: 'one' });
    expect(first.result).toMatchObject({ ok: true, text: 'answer to one' });
    await vi.waitFor(() => expect(rig!.store.get(first.jobId)).toMatchObject({ status: 'done', result: { text: 'answer to one' } }), { timeout: 5_000 });
    const second = await rig.service.dispatch({ agent: 'api', task: 'two' });
    expect(second.result).toMatchObject({ ok: true, text: 'answer to two' });
    expect(rig.store.leaseState()).toEqual({ held: [], waiting: [] });
    expect(rig.store.spend({ since: 0 })).toEqual({ costUsd: 0.5, runs: 2 });
  });

  it('frees the slot at once when only the job row cannot be written, and a sweep records the end later', async () => {
    const runner = fakeRunner((r) => runResult({ agent: r.agent.name }));
    rig = createRig({ runner, settings: { max_concurrency: 1 } });
    const finish = rig.store.finish.bind(rig.store);
    let full = true;
    rig.store.finish = (id, input) => {
      if (full && input.status === 'done') throw diskFull();
      return finish(id, input);
    };
    const first = await rig.service.dispatch({ agent: 'api', task: 'one' });
    // The slot was released on its own after the combined write failed: the next dispatch does not wait.
    const next = rig.service.dispatch({ agent: 'web', task: 'two' });
    full = false;
    expect((await next).result.ok).toBe(true);
    rig.service.sweep();
    expect(rig.store.get(first.jobId).status).toBe('done');
  });
});
