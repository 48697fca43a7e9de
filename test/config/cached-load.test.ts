import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cacheFileOf, loadConfigCached, parseWithLoad } from '../../src/config/cached-load.js';
import { createConfigStore } from '../../src/config/store.js';
import { tempDir } from './temp.js';

const root = tempDir();
const project = join(root, 'project');
mkdirSync(project);
let n = 0;

const VALID = `agents:\n  api:\n    directory: ${project}\n    description: Orders\n    colour: blue\nsettings:\n  max_concurrency: 2\n`;

// A config file with `text` in its own directory, a cache directory beside it, and a parser that counts its calls.
function fresh(text?: string) {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir);
  const path = join(dir, 'agents.yaml');
  if (text !== undefined) writeFileSync(path, text);
  const parse = vi.fn(parseWithLoad);
  const cacheDir = join(dir, 'cache');
  return { dir, path, cacheDir, parse, load: (homedir = root) => loadConfigCached({ path, homedir, cacheDir, parse }) };
}

// The error `fn` throws or rejects with.
async function failure(fn: () => unknown): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await fn();
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error('expected a failure');
}

describe('the config cache', () => {
  it('parses once and then answers from the cache, with what the store reads', async () => {
    const c = fresh(VALID);
    const first = await c.load();
    const second = await c.load();
    expect(c.parse).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    expect(second).toEqual(createConfigStore({ path: c.path, homedir: root }).get());
    expect(second.warnings.map((w) => w.keyPath)).toEqual(['agents.api.colour']);
  });

  it('writes one cache file, readable by its owner only', async () => {
    const c = fresh(VALID);
    await c.load();
    expect(readdirSync(c.cacheDir)).toEqual([cacheFileOf(c.cacheDir, c.path).split('/').pop()]);
    expect(statSync(cacheFileOf(c.cacheDir, c.path)).mode & 0o777).toBe(0o600);
  });

  it('parses again when the file\'s bytes change, and replaces the entry', async () => {
    const c = fresh(VALID);
    await c.load();
    writeFileSync(c.path, VALID.replace('max_concurrency: 2', 'max_concurrency: 3'));
    expect((await c.load()).config.settings.max_concurrency).toBe(3);
    expect((await c.load()).config.settings.max_concurrency).toBe(3);
    expect(c.parse).toHaveBeenCalledTimes(2);
    expect(readdirSync(c.cacheDir)).toHaveLength(1);
  });

  it('keys on the home directory, which ~ in a directory expands to', async () => {
    const c = fresh('agents:\n  api:\n    directory: ~/project\n');
    expect((await c.load(root)).config.agents.api?.directory).toBe(project);
    expect((await c.load(join(root, 'other'))).config.agents.api?.directory).toBe(join(root, 'other', 'project'));
    expect(c.parse).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['not JSON', '{"key":'],
    ['another key', JSON.stringify({ key: 'nope', loaded: { config: {}, warnings: [] } })],
    ['a wrong shape', JSON.stringify({ key: 'x', loaded: { config: null } })],
  ])('ignores a cache file holding %s and rewrites it', async (_what, junk) => {
    const c = fresh(VALID);
    const expected = await c.load();
    writeFileSync(cacheFileOf(c.cacheDir, c.path), junk);
    expect(await c.load()).toEqual(expected);
    expect(await c.load()).toEqual(expected);
    expect(c.parse).toHaveBeenCalledTimes(2);
  });

  it('ignores a right entry that others may write to (a shared cache folder)', async () => {
    const c = fresh(VALID);
    const expected = await c.load();
    const file = cacheFileOf(c.cacheDir, c.path);
    const planted = JSON.parse(readFileSync(file, 'utf8')) as { loaded: { config: { agents: { api: { description: string } } } } };
    planted.loaded.config.agents.api.description = 'planted';
    writeFileSync(file, JSON.stringify(planted));
    chmodSync(file, 0o666);
    expect(await c.load()).toEqual(expected);
    expect(c.parse).toHaveBeenCalledTimes(2);
  });

  it('loads without a word when the cache directory cannot be made', async () => {
    const c = fresh(VALID);
    writeFileSync(join(c.dir, 'blocker'), '');
    const load = () => loadConfigCached({ path: c.path, homedir: root, cacheDir: join(c.dir, 'blocker', 'cache'), parse: c.parse });
    expect((await load()).config.agents.api?.description).toBe('Orders');
    expect((await load()).config.agents.api?.description).toBe('Orders');
    expect(c.parse).toHaveBeenCalledTimes(2);
  });

  it('never caches an invalid config, and fails exactly as the store does', async () => {
    const c = fresh('agents:\n  api:\n    directory: 42\n    timeout: soon\n');
    const store = await failure(() => createConfigStore({ path: c.path, homedir: root }).get());
    for (let i = 0; i < 2; i += 1) {
      const cached = await failure(() => c.load());
      expect({ code: cached.code, message: cached.message, hint: cached.hint }).toEqual({ code: store.code, message: store.message, hint: store.hint });
    }
    expect(c.parse).toHaveBeenCalledTimes(2);
    expect(() => readdirSync(c.cacheDir)).toThrow();
  });

  it('reports a config broken after a cached read, not the cached one', async () => {
    const c = fresh(VALID);
    await c.load();
    writeFileSync(c.path, 'agents: [\n');
    expect((await failure(() => c.load())).message).toMatch(/YAML syntax error/);
  });

  it.each([
    ['a missing file', undefined],
    ['an empty file', ''],
  ])('reads %s as the empty config, as the store does', async (_what, text) => {
    const c = fresh(text);
    expect(await c.load()).toEqual(createConfigStore({ path: c.path, homedir: root }).get());
    expect(await c.load()).toEqual({ config: expect.objectContaining({ agents: {} }), warnings: [] });
  });

  it('refuses a file that is not UTF-8 before looking at the cache, as the store does', async () => {
    const c = fresh();
    writeFileSync(c.path, Buffer.from([0xff, 0xfe, 0x61, 0x00]));
    const store = await failure(() => createConfigStore({ path: c.path, homedir: root }).get());
    expect((await failure(() => c.load())).message).toBe(store.message);
    expect(c.parse).not.toHaveBeenCalled();
  });

  it('stores the result as JSON under the key, nothing else', async () => {
    const c = fresh(VALID);
    const loaded = await c.load();
    const entry = JSON.parse(readFileSync(cacheFileOf(c.cacheDir, c.path), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual(['key', 'loaded']);
    expect(entry.loaded).toEqual(loaded);
  });
});

describe('the config store with a cache directory (the server and commands built on the services)', () => {
  // What the store read, told apart from a parse: the cached entry's description is changed under the same key.
  function plant(c: ReturnType<typeof fresh>, description: string) {
    const file = cacheFileOf(c.cacheDir, c.path);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { loaded: { config: { agents: { api: { description: string } } } } };
    entry.loaded.config.agents.api.description = description;
    writeFileSync(file, JSON.stringify(entry));
  }

  it('reads an unchanged file from the entry an earlier process wrote, and parses a changed one', async () => {
    const c = fresh(VALID);
    const store = () => createConfigStore({ path: c.path, homedir: root, cacheDir: c.cacheDir });
    expect(store().get()).toEqual(await c.load());
    plant(c, 'from the cache');
    expect(store().get().config.agents.api?.description).toBe('from the cache');
    writeFileSync(c.path, VALID.replace('Orders', 'Invoices'));
    expect(store().get().config.agents.api?.description).toBe('Invoices');
    expect(createConfigStore({ path: c.path, homedir: root }).get()).toEqual(store().get());
  });

  it('shares the entry with `list`, which then reads it without parsing', async () => {
    const c = fresh(VALID);
    createConfigStore({ path: c.path, homedir: root, cacheDir: c.cacheDir }).get();
    await c.load();
    expect(c.parse).not.toHaveBeenCalled();
  });
});
