// Health of remote agents' directories for list_agents and `list`: one ssh command per host checks every
// directory asked for in the same tick, over the shared connection, and the answers are kept briefly
// (10 s by default) so listing 20 remote agents costs one round trip, and a second listing none.
import type { SshEndpoint } from './args.js';
import type { SshClient } from './connection.js';
import { classifySshExit } from './outcome.js';

/** One directory's health on its host; `error` says why the host could not be asked. */
export interface RemoteHealth {
  directoryExists: boolean;
  hasClaudeMd: boolean;
  error?: string;
}

/** Checks remote directories, batched per host and cached. */
export interface RemoteHealthChecker {
  check(endpoint: SshEndpoint, directory: string): Promise<RemoteHealth>;
}

// Prints 0 (missing), 1 (directory) or 2 (directory with CLAUDE.md) per argument.
const HEALTH_SCRIPT = [
  'for d; do',
  '  case $d in "~") d=$HOME ;; "~/"*) d=$HOME/${d#"~/"} ;; esac',
  '  if [ -d "$d" ]; then if [ -f "$d/CLAUDE.md" ] || [ -f "$d/.claude/CLAUDE.md" ]; then echo 2; else echo 1; fi; else echo 0; fi',
  'done',
].join('\n');

// Creates the checker; `ttlMs` is how long an answer is reused, `now` is injectable for tests.
export function createRemoteHealth(client: SshClient, options: { ttlMs?: number; now?: () => number; timeoutMs?: number } = {}): RemoteHealthChecker {
  const ttlMs = options.ttlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<RemoteHealth> }>();
  const batches = new Map<string, { endpoint: SshEndpoint; dirs: Map<string, (h: RemoteHealth) => void> }>();

  const flush = async (key: string) => {
    const batch = batches.get(key);
    batches.delete(key);
    if (!batch) return;
    const dirs = [...batch.dirs.keys()];
    const res = await client.exec(batch.endpoint, HEALTH_SCRIPT, dirs, { timeoutMs: options.timeoutMs ?? 15_000 });
    const codes = res.exitCode === 0 ? res.stdout.trim().split('\n') : [];
    const failure = res.exitCode === 0 ? undefined : (classifySshExit(255, res.stderr, { agent: '-', host: batch.endpoint.host, directory: '', binary: '' })?.message.replace(/^Agent -: /, '') ?? `ssh to ${batch.endpoint.host} failed${res.timedOut ? ' (timed out)' : ''}`);
    dirs.forEach((dir, i) => {
      const code = codes[i];
      batch.dirs.get(dir)!(failure ? { directoryExists: false, hasClaudeMd: false, error: failure } : { directoryExists: code === '1' || code === '2', hasClaudeMd: code === '2' });
    });
  };

  return {
    check(endpoint, directory) {
      const hostKey = `${endpoint.host}\n${(endpoint.sshOptions ?? []).join('\n')}`;
      const key = `${hostKey}\n\n${directory}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      let batch = batches.get(hostKey);
      if (!batch) {
        batch = { endpoint, dirs: new Map() };
        batches.set(hostKey, batch);
        setImmediate(() => void flush(hostKey));
      }
      const pending = batch.dirs;
      const value = new Promise<RemoteHealth>((resolve) => {
        const earlier = pending.get(directory);
        pending.set(directory, earlier ? (h) => (earlier(h), resolve(h)) : resolve);
      });
      cache.set(key, { at: now(), value });
      return value;
    },
  };
}
