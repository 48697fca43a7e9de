// doctor's look at the local workers: each `worker-KEY.pid` in the state dir, and what its worker answers on
// its socket (a killed worker leaves both files behind; the next dispatch_async replaces them).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectWorker, type WorkerStatus } from '../../jobs/worker/index.js';
import type { WorkerFacts } from './types.js';

// Every worker with a pidfile in `stateDir`, asked for its status (1 s each, all at once).
export async function gatherWorkers(stateDir: string): Promise<WorkerFacts[]> {
  let names: string[];
  try {
    names = readdirSync(stateDir).filter((name) => /^worker-[0-9a-f]{16}\.pid$/.test(name));
  } catch {
    return [];
  }
  return Promise.all(names.map((name) => askWorker(join(stateDir, name))));
}

async function askWorker(pidfile: string): Promise<WorkerFacts> {
  let socket: string | undefined;
  try {
    socket = (JSON.parse(readFileSync(pidfile, 'utf8')) as { socket?: string }).socket;
    if (typeof socket !== 'string') return { pidfile, error: 'the pidfile names no socket' };
    const conn = await connectWorker(socket, 1_000);
    try {
      const { status } = (await conn.ask({ op: 'status' }, 1_000)) as { status: WorkerStatus };
      return { pidfile, socket, pid: status.pid, version: status.version, running: status.running.length, retiring: status.retiring };
    } finally {
      conn.close();
    }
  } catch (error) {
    return { pidfile, ...(socket ? { socket } : {}), error: (error as Error).message };
  }
}
