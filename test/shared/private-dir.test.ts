import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePrivateDir } from '../../src/shared/private-dir.js';

const root = mkdtempSync(join(tmpdir(), 'ad-private-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ensurePrivateDir', () => {
  it('makes a missing directory, with its parents, owner-only', () => {
    const dir = join(root, 'a', 'b');
    expect(ensurePrivateDir(dir)).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it.each<[string, (path: string) => void]>([
    ['a directory others may enter', (path) => (mkdirSync(path), chmodSync(path, 0o755))],
    ['a file', (path) => writeFileSync(path, '')],
  ])('refuses %s', (_what, make) => {
    const path = join(root, `x-${Math.random().toString(16).slice(2)}`);
    make(path);
    expect(ensurePrivateDir(path)).toBe(false);
  });
});
