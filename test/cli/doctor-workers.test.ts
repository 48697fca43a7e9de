import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWorkers } from '../../src/cli/doctor/checks/workers.js';
import { gatherWorkers } from '../../src/cli/doctor/workers.js';
import { storeFactory } from '../jobs/support/store.js';
import { startWorker } from '../jobs/worker/harness.js';

describe('checkWorkers', () => {
  it.each([
    ['no worker', [], 'ok', 'none running (the next background job starts one)'],
    ['a live worker', [{ pidfile: '/s/w.pid', pid: 42, version: '0.14.0', running: 2, retiring: false }], 'ok', 'pid 42 (0.14.0, 2 jobs running)'],
    ['a leaving worker', [{ pidfile: '/s/w.pid', pid: 42, version: '0.14.0', running: 1, retiring: true }], 'ok', 'pid 42 (0.14.0, 1 job running, leaving)'],
    ['files of a killed worker', [{ pidfile: '/s/w.pid', socket: '/s/w.sock', error: 'connect ECONNREFUSED' }], 'warn', '1 worker left files behind (connect ECONNREFUSED); the next background job starts a new one'],
  ] as const)('reports %s', (_what, workers, status, message) => {
    expect(checkWorkers(workers)).toMatchObject({ id: 'worker', status, message });
  });

  it('says how to remove what a killed worker left', () => {
    expect(checkWorkers([{ pidfile: '/s/w.pid', socket: '/s/w.sock', error: 'x' }]).fix).toEqual(["rm -f /s/w.pid /s/w.sock"]);
  });
});

describe('gatherWorkers', () => {
  const factory = storeFactory();
  afterEach(() => factory.cleanup());

  it('asks the serving worker for its status, and notices a pidfile nobody answers for', async () => {
    const store = factory.open();
    const worker = startWorker(store, factory.dir);
    for (let i = 0; i < 200 && !existsSync(worker.address.pidfile); i++) await new Promise((r) => setTimeout(r, 10));
    const stale = join(factory.dir, 'state', 'worker-00000000000000cc.pid');
    writeFileSync(stale, JSON.stringify({ pid: 1, socket: join(factory.dir, 'state', 'worker-00000000000000cc.sock') }));
    const facts = await gatherWorkers(join(factory.dir, 'state'));
    expect(facts).toEqual(
      expect.arrayContaining([
        { pidfile: worker.address.pidfile, socket: worker.address.socket, pid: process.pid, version: '1.0.0', running: 0, retiring: false },
        expect.objectContaining({ pidfile: stale, error: expect.stringContaining('no worker socket') }),
      ]),
    );
    worker.stop();
    await worker.ended;
  });

  it('finds nothing in a state dir that does not exist', async () => {
    expect(await gatherWorkers('/nonexistent/state')).toEqual([]);
  });
});
