import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfigStore } from '../../src/config/store.js';
import { readConfigFile } from '../../src/config/load.js';
import { readConfigText } from '../../src/config/read.js';
import { tempDir } from './temp.js';

const dir = tempDir();
const yaml = 'agents:\n  api:\n    directory: /tmp\n';
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

describe('reading agents.yaml', () => {
  it.each([
    ['UTF-16 LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')]), /it is UTF-16 text; agents.yaml must be UTF-8/],
    ['UTF-16 BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(yaml)]), /it is UTF-16 text/],
    ['UTF-16 LE without a byte order mark', Buffer.from(yaml, 'utf16le'), /it is UTF-16 text/],
    ['UTF-32 LE', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('a\0\0\0')]), /it is UTF-32 text/],
    ['Latin-1', Buffer.from('agents:\n  caf\xe9:\n    directory: /tmp\n', 'latin1'), /not valid UTF-8/],
    ['a binary file', Buffer.concat([Buffer.from(`${'#'.repeat(100)}\n`), Buffer.from([0, 1, 2])]), /NUL byte at offset 101/],
  ])('refuses %s with a message that names the encoding', (_, bytes, message) => {
    const path = join(dir, `enc-${Math.random()}.yaml`);
    writeFileSync(path, bytes);
    expect(() => readConfigFile(path, '/h')).toThrow(message);
    expect(() => createConfigStore({ path }).get()).toThrow(message);
  });

  it('reads UTF-8 with a byte order mark as if it had none', () => {
    const path = join(dir, 'bom.yaml');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(yaml)]));
    expect(readConfigText(path)).toBe(yaml);
    expect(Object.keys(readConfigFile(path, '/h').config.agents)).toEqual(['api']);
  });

  it('refuses a 50 MB file at once, saying how big it is', () => {
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, yaml);
    truncateSync(path, 50 * 1024 * 1024);
    expect(() => readConfigFile(path, '/h')).toThrow(/it is 50\.0 MiB, over the 4\.0 MiB an agents\.yaml may have/);
  });

  it('edits refuse an unreadable file too, and leave it as it was', async () => {
    const path = join(dir, 'edit16.yaml');
    const bytes = Buffer.from(yaml, 'utf16le');
    writeFileSync(path, bytes);
    await expect(createConfigStore({ path }).addAgent('web', { directory: dir })).rejects.toThrow(/UTF-16/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('reads a missing file as undefined', () => {
    expect(readConfigText(join(dir, 'missing.yaml'))).toBeUndefined();
  });
});
