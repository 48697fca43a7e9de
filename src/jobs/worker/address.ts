// Where the local worker of one environment lives: its socket, pidfile and lock name, all derived from the state
// dir and a hash of what a job's run depends on (the environment, the working directory, the command that starts
// agent-dispatch). Servers started with the same environment share one worker; a different environment (another
// ANTHROPIC_BASE_URL, PATH or config file) gets its own, so a job never runs with another session's settings.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** A Unix socket path longer than this does not fit sockaddr_un on every platform (104 on macOS, 108 on Linux). */
const MAX_SOCKET_PATH = 100;

/** The rendezvous of one local worker. */
export interface WorkerAddress {
  /** Short hash naming this worker among the user's workers. */
  key: string;
  /** The 0600 Unix socket it listens on. */
  socket: string;
  /** JSON {pid, startedAt, version, socket} while it serves (for doctor and people). */
  pidfile: string;
  /** The lease pool whose single slot makes one process the worker of this key. */
  pool: string;
}

/** What the key is computed from. */
export interface WorkerIdentity {
  env: NodeJS.ProcessEnv;
  cwd: string;
  command: readonly string[];
}

// A stable hash of the identity (environment entries sorted, so their order does not matter).
export function workerKey(identity: WorkerIdentity): string {
  const env = Object.entries(identity.env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify({ env, cwd: identity.cwd, command: identity.command })).digest('hex').slice(0, 16);
}

// The address of the worker with this key, or undefined when its socket path would be too long to bind.
export function workerAddress(stateDir: string, key: string): WorkerAddress | undefined {
  if (!/^[0-9a-f]{16}$/.test(key)) return undefined;
  const socket = join(stateDir, `worker-${key}.sock`);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) return undefined;
  return { key, socket, pidfile: join(stateDir, `worker-${key}.pid`), pool: `worker:${key}` };
}
