// The access token file: path in the state dir, created owner-only with random bytes, reused, replaced when exposed.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateToken, resolveTokenPath, TOKEN_PATTERN } from '../../src/config/token.js';

describe('resolveTokenPath', () => {
  it.each([
    [{ XDG_STATE_HOME: '/x/state' }, '/x/state/agent-dispatch/access-token'],
    [{}, '/home/u/.local/state/agent-dispatch/access-token'],
    [{ XDG_STATE_HOME: 'relative' }, '/home/u/.local/state/agent-dispatch/access-token'],
  ])('puts the token in the state directory (%j)', (env, expected) => {
    expect(resolveTokenPath({ env, homedir: '/home/u' })).toBe(expected);
  });
});

describe('loadOrCreateToken', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ad-token-'));
    path = join(dir, 'state', 'agent-dispatch', 'access-token');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a random token in an owner-only file inside an owner-only directory', () => {
    const first = loadOrCreateToken(path);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(TOKEN_PATTERN);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state', 'agent-dispatch')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path, 'utf8')).toBe(`${first.token}\n`);
  });

  it('reuses the token across runs', () => {
    const first = loadOrCreateToken(path);
    expect(loadOrCreateToken(path)).toEqual({ token: first.token, path, created: false });
  });

  it('makes a different token for every install', () => {
    const other = join(dir, 'other', 'access-token');
    expect(loadOrCreateToken(path).token).not.toBe(loadOrCreateToken(other).token);
  });

  it('replaces a token that others could read, and says so', () => {
    const first = loadOrCreateToken(path);
    chmodSync(path, 0o644);
    const warnings: string[] = [];
    const second = loadOrCreateToken(path, { logger: { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} } });
    expect(second.token).not.toBe(first.token);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(warnings[0]).toContain('readable by others (mode 644)');
  });

  it.each([['an empty file', ''], ['a short value', 'abc'], ['text with spaces', 'not a token at all, really not one']])('replaces %s', (_, body) => {
    loadOrCreateToken(path);
    writeFileSync(path, body, { mode: 0o600 });
    expect(loadOrCreateToken(path).token).toMatch(TOKEN_PATTERN);
  });

  it('replaces a symlink instead of reading through it', () => {
    loadOrCreateToken(path);
    const target = join(dir, 'elsewhere');
    writeFileSync(target, `${'a'.repeat(43)}\n`, { mode: 0o600 });
    rmSync(path);
    symlinkSync(target, path);
    const result = loadOrCreateToken(path);
    expect(result.token).not.toBe('a'.repeat(43));
    expect(statSync(path).isFile()).toBe(true);
  });
});
