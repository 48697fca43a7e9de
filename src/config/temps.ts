// Temp files a killed edit left beside agents.yaml (`.agents.yaml.<pid>.<random>.tmp`, see atomic.ts): found for
// `doctor` and removed at the next edit. One whose writer may still be running is left alone.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pidExists } from './lock.js';

/** A temp file older than this is stale whatever its pid says (the pid may have been reused). */
const MAX_TEMP_AGE_MS = 60 * 60 * 1000;

/** How to judge a temp file; injected by tests. */
export interface StaleOptions {
  now?: number;
  isAlive?: (pid: number) => boolean;
  /** Our own pid: an edit in this process is synchronous, so none of ours is in flight when this runs. */
  self?: number;
}

// Paths of the leftover temp files of the config at `path`.
export function staleTemps(path: string, options: StaleOptions = {}): string[] {
  const { now = Date.now(), isAlive = pidExists, self = process.pid } = options;
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(/^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isSafeInteger(pid)) continue;
    let age: number;
    try {
      age = now - statSync(join(dir, name)).mtimeMs;
    } catch {
      continue;
    }
    if (pid === self || !isAlive(pid) || age > MAX_TEMP_AGE_MS) out.push(join(dir, name));
  }
  return out;
}

// Remove the leftover temp files; returns how many went. Never throws: clean-up must not block an edit.
export function removeStaleTemps(path: string, options: StaleOptions = {}): number {
  let removed = 0;
  for (const temp of staleTemps(path, options)) {
    try {
      rmSync(temp, { force: true });
      removed += 1;
    } catch {
      // A file we cannot remove stays for doctor to report.
    }
  }
  return removed;
}
