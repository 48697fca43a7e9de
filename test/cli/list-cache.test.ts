import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox } from './config-harness.js';

describe('list through the config cache', () => {
  const box = sandbox();
  const api = box.project('api', { 'CLAUDE.md': '# API\n' });
  const cacheDir = join(box.home, '.cache', 'agent-dispatch');

  it('prints the same table and warnings from the cache as from the file', async () => {
    box.write(`agents:\n  api:\n    directory: ${api}\n    colour: blue\n`);
    const first = await box.run(['list']);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(await box.run(['list'])).toEqual(first);
    expect(first).toMatchObject({ code: 0, stderr: expect.stringMatching(/agents\.api\.colour: unknown key, ignored/) });
  });

  it('checks the directory at every run: a cached config never hides a missing one', async () => {
    const gone = box.project('gone');
    box.write(`agents:\n  gone:\n    directory: ${gone}\n`);
    expect((await box.run(['list'])).stdout).toMatch(/gone +no CLAUDE\.md/);
    rmSync(gone, { recursive: true });
    expect((await box.run(['list'])).stdout).toMatch(/gone +missing dir/);
  });

  it('reports a broken config as the commands that edit it do, every time, and caches nothing for it', async () => {
    box.write('agents:\n  api:\n    timeout: soon\n');
    const before = readdirSync(cacheDir);
    const edit = await box.run(['group', 'list']);
    expect(edit).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: Invalid config file [^]*agents\.api\.timeout: must be a whole number/) });
    for (let i = 0; i < 2; i += 1) expect(await box.run(['list'])).toEqual({ code: 1, stdout: '', stderr: edit.stderr });
    expect(readdirSync(cacheDir)).toEqual(before);
  });

  it('keeps its cache in XDG_CACHE_HOME when that is set', async () => {
    box.write(`agents:\n  api:\n    directory: ${api}\n`);
    const xdg = join(box.home, 'xdg-cache');
    expect((await box.run(['list'], { env: { XDG_CACHE_HOME: xdg } })).code).toBe(0);
    expect(existsSync(join(xdg, 'agent-dispatch'))).toBe(true);
  });
});
