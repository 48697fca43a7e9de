import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/config/lock.js';
import { tempDir } from './temp.js';

const dir = tempDir();
let n = 0;
const lockPath = () => join(dir, `agents-${n++}.yaml.lock`);

// The pid of a process that has already exited.
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('withFileLock', () => {
  it('holds the lock file with our pid while the function runs, and removes it after', async () => {
    const path = lockPath();
    const seen = await withFileLock(path, () => readFileSync(path, 'utf8'));
    expect(seen).toBe(`${process.pid}\n`);
    expect(existsSync(path)).toBe(false);
  });

  it('removes the lock even when the function throws', async () => {
    const path = lockPath();
    await expect(withFileLock(path, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock whose owner has exited', async () => {
    const path = lockPath();
    writeFileSync(path, `${deadPid()}\n`);
    expect(await withFileLock(path, () => 'ran')).toBe('ran');
    expect(existsSync(path)).toBe(false);
  });

  it('takes over an empty lock file left by a crash between create and write', async () => {
    const path = lockPath();
    writeFileSync(path, '');
    utimesSync(path, new Date(Date.now() - 5_000), new Date(Date.now() - 5_000));
    expect(await withFileLock(path, () => 'ran')).toBe('ran');
  });

  it('takes over a lock with our own pid that predates this process', async () => {
    const path = lockPath();
    writeFileSync(path, `${process.pid}\n`);
    const old = new Date(Date.now() - process.uptime() * 1000 - 10_000);
    utimesSync(path, old, old);
    expect(await withFileLock(path, () => 'ran')).toBe('ran');
  });

  it('waits for a live owner, then gives up with a message naming it and leaves its lock alone', async () => {
    const path = lockPath();
    writeFileSync(path, '1\n');
    const error = await withFileLock(path, () => 'ran', { timeoutMs: 150 }).catch((e: unknown) => e as { code: string; message: string; hint: string });
    expect(error).toMatchObject({ code: 'CONFIG_WRITE_FAILED' });
    expect((error as { message: string }).message).toMatch(/locked by process 1 \(lock file .*\)/);
    expect((error as { hint: string }).hint).toContain(`delete ${path}`);
    expect(readFileSync(path, 'utf8')).toBe('1\n');
  });

  it('lets a waiter in as soon as the owner releases', async () => {
    const path = lockPath();
    const order: string[] = [];
    let release!: () => void;
    const first = withFileLock(path, () => new Promise<void>((resolve) => (release = () => (order.push('first'), resolve()))), { pid: 1 });
    await new Promise((r) => setTimeout(r, 20));
    const second = withFileLock(path, () => void order.push('second'));
    setTimeout(() => release(), 30);
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });
});
