import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { existingSystemSettings, forcedSettings, mergeSettings, prepareRunFiles } from '../../../src/runner/gemini/settings.js';
import { secureCacheDir } from '../support.js';

// A fresh clone has no node_modules/.cache yet; and Gemini distrusts anything below /tmp (see secureCacheDir).
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
    const files = prepareRunFiles(join(root, 'runs'), { a: 1 });
    const dir = join(files.env.TMPDIR!, '..');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(files.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH!, 'utf8'))).toEqual({ a: 1 });
    files.cleanup();
    expect(existsSync(dir)).toBe(false);
  });

  it('sets no settings path when the system settings could not be read', () => {
    const files = prepareRunFiles(join(root, 'runs'), undefined);
    expect(Object.keys(files.env)).toEqual(['TMPDIR']);
    files.cleanup();
  });
});
