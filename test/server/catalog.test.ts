import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfigStore, describeProject, type ProjectInfo } from '../../src/config/index.js';
import { createCatalog } from '../../src/server/catalog.js';
import { singleFlight } from '../../src/server/single-flight.js';
import { tempDir } from '../config/temp.js';

function setup(agents = 3) {
  const dir = tempDir('ad-catalog-');
  let yaml = 'agents:\n';
  for (let i = 0; i < agents; i += 1) {
    mkdirSync(join(dir, `p${i}`));
    writeFileSync(join(dir, `p${i}`, 'README.md'), `# p${i}\n\nThe service that handles number ${i}.\n`);
    yaml += `  p${i}:\n    directory: ${join(dir, `p${i}`)}\n`;
  }
  writeFileSync(join(dir, 'agents.yaml'), yaml);
  const scans: string[] = [];
  const describe = (d: string): Promise<ProjectInfo> => (scans.push(d), describeProject(d));
  const config = createConfigStore({ path: join(dir, 'agents.yaml') });
  return { dir, config, scans, catalog: createCatalog({ config, cwd: dir, homedir: dir, describe }) };
}

describe('the catalog under a burst of list_agents', () => {
  it('scans each project once for calls that overlap, and every call gets the full answer', async () => {
    const { catalog, scans } = setup(3);
    const lists = await Promise.all(Array.from({ length: 200 }, () => catalog.listAgents()));
    expect(scans).toHaveLength(3);
    for (const list of lists) expect(list.map((a) => [a.name, a.description])).toEqual([0, 1, 2].map((i) => [`p${i}`, `The service that handles number ${i}.`]));
  });

  it('scans again for a call after the last one ended, so edits to a project show at once', async () => {
    const { catalog, scans, dir } = setup(1);
    await catalog.listAgents();
    writeFileSync(join(dir, 'p0', 'README.md'), '# p0\n\nRewritten from scratch today.\n');
    const [agent] = await catalog.listAgents();
    expect(scans).toHaveLength(2);
    expect(agent?.description).toBe('Rewritten from scratch today.');
  });

  it('starts a fresh listing when the config changed', async () => {
    const { catalog, config, dir } = setup(1);
    const first = catalog.listAgents();
    await config.addAgent('extra', { directory: join(dir, 'p0') });
    expect((await first).map((a) => a.name)).toEqual(['p0']);
    expect((await catalog.listAgents()).map((a) => a.name)).toEqual(['extra', 'p0']);
  });
});

describe('singleFlight', () => {
  it('shares a run between overlapping calls with one key, and keeps no result once it settled', async () => {
    const flight = singleFlight<string, number>();
    let runs = 0;
    const run = async () => (runs += 1);
    const [a, b, c] = await Promise.all([flight('k', run), flight('k', run), flight('other', run)]);
    expect([a, b, runs]).toEqual([1, 1, 2]);
    expect(c).toBe(2);
    expect(await flight('k', run)).toBe(3);
  });

  it('lets a failure reach every caller of that run, and the next call tries again', async () => {
    const flight = singleFlight<string, number>();
    const failing = () => Promise.reject(new Error('boom'));
    await expect(Promise.all([flight('k', failing), flight('k', failing)])).rejects.toThrow('boom');
    expect(await flight('k', async () => 7)).toBe(7);
  });
});
