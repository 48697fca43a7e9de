// Shared bits for the runner's process tests: fixture paths, temp dirs, pid files, and "is this pid really gone".
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedAgent } from '../../src/shared/types.js';

// Process liveness (shared with the end-to-end and job tests).
export { isAlive, killAll, survivorsAfter } from '../e2e/procs.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'bin');
export const fixture = (name: string) => join(FIXTURES, `${name}.mjs`);

// A temp directory removed by the returned cleanup.
export function tempDir(prefix = 'ad-runner-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function agentIn(directory: string, patch: Partial<ResolvedAgent> = {}): ResolvedAgent {
  return { name: 'fixture', directory, description: '', runtime: 'claude', timeout: 30, ...patch };
}

export function readPids(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
