import { chmodSync, existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfigStore } from '../../src/config/store.js';
import { staleTemps } from '../../src/config/temps.js';
import { tempDir } from './temp.js';

const yaml = (dir: string) => `# my agents\nagents:\n  api:\n    directory: ${dir}\n`;

describe('temp files left by a killed edit', () => {
  it.each([
    ['a dead writer', 4242, 0, false, true],
    ['a live writer', 4242, 0, true, false],
    ['a live pid over an hour old (reused pid)', 4242, 2 * 3600, true, true],
    ['this process', process.pid, 0, true, true],
  ])('counts the temp of %s as stale: %s', (_, pid, ageSeconds, alive, stale) => {
    const dir = tempDir();
    const path = join(dir, 'agents.yaml');
    const temp = join(dir, `.agents.yaml.${pid}.abcdef012345.tmp`);
    writeFileSync(temp, 'x');
    const then = new Date(Date.now() - ageSeconds * 1000);
    utimesSync(temp, then, then);
    expect(staleTemps(path, { isAlive: () => alive })).toEqual(stale ? [temp] : []);
  });

  it('ignores files that only look alike', () => {
    const dir = tempDir();
    for (const name of ['.agents.yaml.lock', '.other.yaml.1.ab.tmp', '.agents.yaml.x.ab.tmp', 'agents.yaml.1.ab.tmp']) writeFileSync(join(dir, name), '');
    expect(staleTemps(join(dir, 'agents.yaml'), { isAlive: () => false })).toEqual([]);
  });

  it('are removed by the next edit, which keeps the file\'s content and comments', async () => {
    const dir = tempDir();
    const path = join(dir, 'agents.yaml');
    writeFileSync(path, yaml(dir));
    const temp = join(dir, '.agents.yaml.999999.abcdef012345.tmp');
    writeFileSync(temp, 'half a yam');
    await createConfigStore({ path }).addAgent('web', { directory: dir });
    expect(existsSync(temp)).toBe(false);
    expect(readFileSync(path, 'utf8')).toMatch(/^# my agents\nagents:\n {2}api:[\s\S]*web:/);
  });
});

describe('a read-only agents.yaml', () => {
  it.each([0o444, 0o400])('is refused with mode %o and left exactly as it was', async (mode) => {
    const dir = tempDir();
    const path = join(dir, 'agents.yaml');
    writeFileSync(path, yaml(dir));
    chmodSync(path, mode);
    const before = statSync(path);
    const store = createConfigStore({ path });
    await expect(store.addAgent('web', { directory: dir })).rejects.toMatchObject({
      code: 'CONFIG_WRITE_FAILED',
      message: expect.stringContaining(`is read-only (mode 0${mode.toString(8)})`),
      hint: expect.stringContaining(`chmod u+w ${path}`),
    });
    await expect(store.removeAgent('api')).rejects.toThrow(/read-only/);
    const after = statSync(path);
    expect([after.ino, after.mode & 0o777]).toEqual([before.ino, mode]);
    expect(readFileSync(path, 'utf8')).toBe(yaml(dir));
    // Still readable: a read-only config is a fine config to run with.
    expect(Object.keys(store.get().config.agents)).toEqual(['api']);
  });
});
