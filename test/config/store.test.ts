import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfigStore } from '../../src/config/store.js';
import { tempDir } from './temp.js';

const root = tempDir();
const project = join(root, 'project');
mkdirSync(project);
let n = 0;

// A fresh config path (in its own not-yet-existing directory) and a store for it.
function fresh(text?: string) {
  const dir = join(root, `cfg-${n++}`);
  const path = join(dir, 'agents.yaml');
  if (text !== undefined) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, text);
  }
  return { dir, path, store: createConfigStore({ path, homedir: root }) };
}

// Run `fn` and return the error it throws (or rejects with).
async function failure(fn: () => unknown): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a failure');
}

// Push a file's times into the past so it is no longer "racy".
const age = (path: string) => utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

describe('createConfigStore', () => {
  it('reads a missing file as an empty config without creating it', () => {
    const { path, store } = fresh();
    expect(store.get().config.agents).toEqual({});
    expect(existsSync(path)).toBe(false);
  });

  it('resolves its path from the environment when none is given', () => {
    const store = createConfigStore({ env: { AGENT_DISPATCH_CONFIG: '/x/agents.yaml' }, homedir: root });
    expect(store.path).toBe('/x/agents.yaml');
    expect(createConfigStore({ env: { HOME: '/home/z' } }).path).toBe('/home/z/.config/agent-dispatch/agents.yaml');
  });

  it('returns the same parsed object while the file is unchanged', () => {
    const { path, store } = fresh('agents:\n  a: {directory: /a}\n');
    age(path);
    const first = store.get();
    expect(store.get()).toBe(first);
    expect(store.get()).toBe(first);
  });

  it('sees a same-size change made in the same instant as the last read', () => {
    const { path, store } = fresh('agents:\n  a: {directory: /a, timeout: 100}\n');
    expect(store.get().config.agents.a?.timeout).toBe(100);
    const before = statSync(path);
    writeFileSync(path, 'agents:\n  a: {directory: /a, timeout: 200}\n');
    utimesSync(path, before.atime, before.mtime);
    expect(store.get().config.agents.a?.timeout).toBe(200);
  });

  it('sees an agent another process added', () => {
    const { path, store } = fresh('agents: {}\n');
    expect(Object.keys(store.get().config.agents)).toEqual([]);
    writeFileSync(path, 'agents:\n  b: {directory: /b}\n');
    expect(Object.keys(store.get().config.agents)).toEqual(['b']);
  });

  it('throws the located error for an invalid file, and recovers when it is fixed', async () => {
    const { path, store } = fresh('agents:\n  a: {directory: /a, timeout: -1}\n');
    expect(() => store.get()).toThrow(/agents\.yaml:2:\d+: agents\.a\.timeout: must be a whole number/);
    writeFileSync(path, 'agents:\n  a: {directory: /a, timeout: 1}\n');
    expect(store.get().config.agents.a?.timeout).toBe(1);
  });

  it('creates the file 0600 in a new 0700 directory and leaves no temp or lock files', async () => {
    const { dir, path, store } = fresh();
    const result = await store.addAgent('api', { directory: project, description: 'The API' });
    expect(result.config.agents.api).toMatchObject({ directory: project, description: 'The API' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['agents.yaml']);
    expect(store.get().config.agents.api?.directory).toBe(project);
  });

  it('adds, updates and removes agents and groups', async () => {
    const { path, store } = fresh('# mine\nagents: {}\n');
    await store.addAgent('api', { directory: project });
    await store.addAgent('web', { directory: project, timeout: 60 });
    await store.updateAgent('web', { timeout: null, model: 'haiku', allowed_tools: ['Read'] });
    await store.addGroup('shop', { description: 'Shop', members: [{ agent: 'api', use_for: 'orders' }] });
    await store.updateGroup('shop', { addMembers: [{ agent: 'web' }], shared_context: 'facts' });
    await store.removeAgent('api');
    const { config, warnings } = store.get();
    expect(config.agents).toEqual({ web: { directory: project, description: '', runtime: 'claude', model: 'haiku', allowed_tools: ['Read'] } });
    expect(config.groups.shop).toEqual({ description: 'Shop', shared_context: 'facts', members: [{ agent: 'api', use_for: 'orders' }, { agent: 'web' }] });
    expect(warnings.map((w) => w.message)).toEqual(['"api" is not a configured agent']);
    await store.removeGroup('shop');
    expect(readFileSync(path, 'utf8')).toBe(`# mine\nagents:\n  web:\n    directory: ${project}\n    model: haiku\n    allowed_tools:\n      - Read\ngroups: {}\n`);
  });

  it.each([
    ['a YAML syntax error', 'agents:\n  a: [1,\n', 'CONFIG_INVALID', /YAML syntax error/],
    ['an invalid value elsewhere', 'agents:\n  a: {directory: /a, permission_mode: yolo}\n', 'CONFIG_INVALID', /agents\.a\.permission_mode: must be one of/],
    ['a duplicate name', 'agents:\n  api: {directory: /a}\n', 'AGENT_EXISTS', /Agent "api" already exists/],
  ])('never writes over a file with %s', async (_, text, code, message) => {
    const { path, store } = fresh(text);
    const error = await failure(() => store.addAgent('api', { directory: project }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it.each([
    ['a missing directory', () => ({ directory: join(root, 'nope') }), 'DIRECTORY_NOT_FOUND'],
    ['a relative directory', () => ({ directory: 'project' }), 'INVALID_INPUT'],
    ['a negative timeout', () => ({ directory: project, timeout: -1 }), 'INVALID_INPUT'],
    ['an unknown permission mode', () => ({ directory: project, permission_mode: 'yolo' as never }), 'INVALID_INPUT'],
  ])('rejects %s before touching the file', async (_, input, code) => {
    const text = 'agents: {}   # keep me\n';
    const { path, store } = fresh(text);
    expect((await failure(() => store.addAgent('api', input()))).code).toBe(code);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it.each(['a/b', '-x', 'x'.repeat(10_000), 'a\uDC00'])('rejects the agent name %j before touching the file', async (name) => {
    const { path, store } = fresh('agents: {}\n');
    expect((await failure(() => store.addAgent(name, { directory: project }))).code).toBe('INVALID_INPUT');
    expect(readFileSync(path, 'utf8')).toBe('agents: {}\n');
  });

  it('refuses a group member that is not an agent, and an empty update', async () => {
    const { store } = fresh('agents:\n  a: {directory: /a}\n');
    const ghost = await failure(() => store.addGroup('g', { members: [{ agent: 'ghost' }] }));
    expect([ghost.code, ghost.message]).toEqual(['AGENT_NOT_FOUND', expect.stringContaining('Known agents: a')]);
    const empty = await failure(() => store.updateAgent('a', {}));
    expect([empty.code, empty.message]).toEqual(['INVALID_INPUT', expect.stringContaining('Nothing to update')]);
    expect(await failure(() => store.updateAgent('b', { timeout: 5 }))).toMatchObject({ code: 'AGENT_NOT_FOUND' });
    expect(await failure(() => store.removeGroup('g'))).toMatchObject({ code: 'GROUP_NOT_FOUND' });
  });

  it('reports a config directory it cannot create as a write failure', async () => {
    writeFileSync(join(root, 'plain-file'), 'x');
    const store = createConfigStore({ path: join(root, 'plain-file', 'agents.yaml'), homedir: root });
    const error = await failure(() => store.addAgent('a', { directory: project }));
    expect(error.code).toBe('CONFIG_WRITE_FAILED');
    expect(error.message).toMatch(/^Cannot write the config .*plain-file\/agents\.yaml: a parent of it is a file, not a directory\.$/);
    expect(error.hint).toContain('AGENT_DISPATCH_CONFIG');
  });

  it('writes through a symlinked config instead of replacing the link', async () => {
    const { dir, path: real } = fresh('agents: {}\n');
    const link = join(dir, 'link.yaml');
    symlinkSync(real, link);
    await createConfigStore({ path: link, homedir: root }).addAgent('a', { directory: project });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('  a:\n');
  });

  it('keeps every edit when two stores in one process edit at once', async () => {
    const { path } = fresh();
    const one = createConfigStore({ path, homedir: root });
    const two = createConfigStore({ path, homedir: root });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? one : two).addAgent(`agent-${i}`, { directory: project })));
    expect(Object.keys(one.get().config.agents)).toHaveLength(20);
  });
});
