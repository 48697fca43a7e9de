// The client side of the worker socket: connect, read the hello, ask one thing, close. Used by servers handing a
// job over (launch.ts), by waiters that want the end pushed (wait.ts), and by a losing worker forwarding its jobs.
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { ProcessRef } from '../store/process.js';
import { isProcessAlive } from '../store/process.js';
import { ownProblem } from '../../shared/own-path.js';
import type { WorkerAddress } from './address.js';
import { onMessages, parseHello, send, type Hello, type Request } from './wire.js';

/** An open connection to a worker that said hello. */
export interface WorkerConnection {
  hello: Hello;
  /** Sends a request and resolves with the next answer line (rejects on timeout or a closed socket). */
  ask(request: Request, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): void;
}

/** Why no connection was made: nobody listens (start one) or something is wrong (use the per-job path). */
export class WorkerUnavailable extends Error {
  constructor(
    message: string,
    readonly absent: boolean,
  ) {
    super(message);
    this.name = 'WorkerUnavailable';
  }
}

// The socket file must be a socket of this user: the state dir is 0700, but a path planted by someone else is
// never talked to. (Node cannot read SO_PEERCRED; the hello's pid is checked against /proc instead, below.)
function checkSocketFile(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    throw new WorkerUnavailable(`no worker socket at ${path}`, (error as NodeJS.ErrnoException).code === 'ENOENT');
  }
  const problem = ownProblem(stat, { type: 'socket' });
  if (problem) throw new WorkerUnavailable(`${path} ${problem.kind === 'owner' ? 'belongs to another user' : 'is not a socket'}`, false);
}

// The worker process must be alive, be the one that started at `startedAt`, and (where /proc exists) be ours.
function checkPeer(hello: Hello): void {
  if (!isProcessAlive(hello.pid, hello.startedAt)) throw new WorkerUnavailable(`worker ${hello.pid} is not running`, false);
  try {
    if (process.getuid && statSync(`/proc/${hello.pid}`).uid !== process.getuid()) throw new WorkerUnavailable(`worker ${hello.pid} runs as another user`, false);
  } catch (error) {
    if (error instanceof WorkerUnavailable) throw error;
    // No /proc (macOS): the socket file's owner was checked already.
  }
}

// The serving worker named by the pidfile, after the same checks as a hello (its socket file, its process).
// Rejects with WorkerUnavailable, absent when no live worker serves: no pidfile, or one left by a dead worker.
export function readWorker(address: WorkerAddress): ProcessRef {
  let named: { pid?: unknown; startedAt?: unknown };
  try {
    named = JSON.parse(readFileSync(address.pidfile, 'utf8')) as typeof named;
  } catch (error) {
    throw new WorkerUnavailable(`no readable pidfile at ${address.pidfile}: ${(error as Error).message}`, true);
  }
  if (!Number.isSafeInteger(named.pid)) throw new WorkerUnavailable(`${address.pidfile} names no pid`, true);
  const ref: ProcessRef = { pid: named.pid as number, ...(typeof named.startedAt === 'number' ? { startedAt: named.startedAt } : {}) };
  if (!isProcessAlive(ref.pid, ref.startedAt)) throw new WorkerUnavailable(`worker ${ref.pid} is not running`, true);
  checkPeer({ ...ref, version: '' });
  checkSocketFile(address.socket);
  return ref;
}

// Connect and wait for the hello. Rejects with WorkerUnavailable (absent: true when nobody listens there).
export function connectWorker(path: string, timeoutMs: number): Promise<WorkerConnection> {
  try {
    checkSocketFile(path);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ path });
    const queue: ((message: Record<string, unknown> | Error) => void)[] = [];
    let hello: Hello | undefined;
    const timer = setTimeout(() => fail(new WorkerUnavailable(`worker at ${path} did not answer within ${timeoutMs} ms`, false)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // ECONNREFUSED: a socket file left by a worker that died. ENOENT: removed in between.
      const absent = error.code === 'ECONNREFUSED' || error.code === 'ENOENT';
      if (!hello) fail(new WorkerUnavailable(`cannot reach the worker at ${path}: ${error.message}`, absent));
    });
    socket.on('close', () => {
      if (!hello) fail(new WorkerUnavailable(`the worker at ${path} closed the connection`, false));
      for (const waiter of queue.splice(0)) waiter(new Error('the worker closed the connection'));
    });
    onMessages(socket, (message) => {
      if (hello) return queue.shift()?.(message);
      const parsed = parseHello(message);
      if (!parsed) return fail(new WorkerUnavailable(`the process at ${path} did not greet as a worker`, false));
      try {
        checkPeer(parsed);
      } catch (error) {
        return fail(error as Error);
      }
      hello = parsed;
      clearTimeout(timer);
      resolve({
        hello,
        ask(request, askTimeoutMs) {
          return new Promise((done, failAsk) => {
            const t = askTimeoutMs === undefined ? undefined : setTimeout(() => failAsk(new Error(`the worker did not answer ${request.op} within ${askTimeoutMs} ms`)), askTimeoutMs);
            queue.push((answer) => {
              clearTimeout(t);
              if (answer instanceof Error) failAsk(answer);
              else done(answer);
            });
            send(socket, request);
          });
        },
        close: () => socket.destroy(),
      });
    });
  });
}
