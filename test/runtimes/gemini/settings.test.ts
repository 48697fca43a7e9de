import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRunRoot, existingSystemSettings, forcedSettings, geminiTrustsDir, mergeSettings, prepareRunFiles, type StatOwner } from '../../../src/runner/gemini/settings.js';
import { secureCacheDir } from '../support.js';

// Gemini distrusts a settings file below /tmp or not owned by root: the product's run root passes its check.
const cache = secureCacheDir();
mkdirSync(cache, { recursive: true });
const root = mkdtempSync(join(cache, 'ad-gemini-settings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the per-run Gemini settings', () => {
  it('forces usage statistics, telemetry and auto-update off, and the turn limit when set', () => {
    expect(forcedSettings(undefined)).toEqual({
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    });
    expect(forcedSettings(4)).toMatchObject({ model: { maxSessionTurns: 4 } });
  });

  it('merges onto the system settings already in force, ours winning', () => {
    const admin = { general: { maxAttempts: 3 }, privacy: { usageStatisticsEnabled: true }, tools: { sandbox: 'docker' } };
    expect(mergeSettings(admin, forcedSettings(undefined))).toEqual({
      general: { maxAttempts: 3, enableAutoUpdate: false, enableAutoUpdateNotification: false },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      tools: { sandbox: 'docker' },
    });
  });

  it.each<[string, (path: string) => string, Record<string, unknown> | undefined]>([
    ['no system file', () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); }, {}],
    ['a JSON file', () => '{"general":{"maxAttempts":2}}', { general: { maxAttempts: 2 } }],
    ['an unreadable file (left alone)', () => { throw Object.assign(new Error('x'), { code: 'EACCES' }); }, undefined],
    ['a file that is not JSON (left alone)', () => '// comment\n{}', undefined],
  ])('reads the existing system settings: %s', (_title, read, expected) => {
    expect(existingSystemSettings({}, read)).toEqual(expected);
  });

  it('reads the file named by GEMINI_CLI_SYSTEM_SETTINGS_PATH first', () => {
    const seen: string[] = [];
    existingSystemSettings({ GEMINI_CLI_SYSTEM_SETTINGS_PATH: '/etc/custom.json' }, (p) => (seen.push(p), '{}'));
    expect(seen).toEqual(['/etc/custom.json']);
  });

  it('writes a private run directory with the settings and a TMPDIR, and removes it on cleanup', () => {
    const files = prepareRunFiles(join(root, 'runs'), { a: 1 }, () => true);
    const dir = join(files.env.TMPDIR!, '..');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(files.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH!, 'utf8'))).toEqual({ a: 1 });
    files.cleanup();
    expect(existsSync(dir)).toBe(false);
  });

  it('sets no settings path where Gemini would skip the file, so the system settings in force stay in force', () => {
    const files = prepareRunFiles(join(root, 'runs'), { a: 1 }, () => false);
    expect(Object.keys(files.env)).toEqual(['TMPDIR']);
    files.cleanup();
  });

  it('sets no settings path when the system settings could not be read', () => {
    const files = prepareRunFiles(join(root, 'runs'), undefined);
    expect(Object.keys(files.env)).toEqual(['TMPDIR']);
    files.cleanup();
  });
});

describe('where the run directories go', () => {
  // A fake file system: path → [owner uid, mode]; paths not listed do not exist.
  const fs = (entries: Record<string, [number, number]>): StatOwner => (path) => {
    const entry = entries[path];
    return entry && { uid: entry[0], mode: entry[1] };
  };
  const rootTree = fs({ '/': [0, 0o755], '/root': [0, 0o700], '/root/.cache': [0, 0o755], '/tmp': [0, 0o1777], '/tmp/h': [0, 0o700], '/home': [0, 0o755], '/home/ana': [1000, 0o755] });

  it.each([
    ['a root-owned private path', '/root/.cache/agent-dispatch/runs', 0, true],
    ['a path below the sticky, world-writable /tmp', '/tmp/h/.cache/agent-dispatch/runs', 0, false],
    ['a directory not owned by root', '/home/ana/.cache/agent-dispatch/runs', 0, false],
    ['any path, for a user other than root (Gemini wants a root-owned file)', '/root/.cache/agent-dispatch/runs', 1000, false],
  ])('Gemini trusts %s: %s', (_name, dir, uid, trusted) => {
    expect(geminiTrustsDir(dir, { uid, stat: rootTree })).toBe(trusted);
  });

  it.each([
    ['the cache under HOME when Gemini trusts it', { HOME: '/root' }, '/root/.cache/agent-dispatch/runs'],
    ['XDG_CACHE_HOME first', { HOME: '/root', XDG_CACHE_HOME: '/root/.cache' }, '/root/.cache/agent-dispatch/runs'],
    ["the account's own home when HOME is under /tmp", { HOME: '/tmp/h' }, '/root/.cache/agent-dispatch/runs'],
  ])('picks %s', (_name, env, root) => {
    expect(defaultRunRoot(env, { accountHome: '/root', uid: 0, stat: rootTree })).toBe(root);
  });

  it('keeps the first candidate when none is trusted', () => {
    expect(defaultRunRoot({ HOME: '/tmp/h' }, { accountHome: '/tmp/h', uid: 0, stat: rootTree })).toBe('/tmp/h/.cache/agent-dispatch/runs');
  });
});
