// Temp directories for config tests, removed after each test file.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// A fresh temp directory (real path, so comparisons with resolved paths hold), removed when the file's tests end.
export function tempDir(prefix = 'ad-config-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
