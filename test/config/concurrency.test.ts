// Two real processes add 50 agents each to the same file at the same time: all 100 must survive.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { bundleConfigFixture, tempDir } from './temp.js';

const dir = tempDir();

// Start the child and resolve once it says it is ready; `done` settles with its exit code and output.
function startChild(script: string, args: string[]) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => out.includes('ready') && resolve());
    void done.then((r) => reject(new Error(`child exited before it was ready: ${r.err}`)));
  });
  return { ready, done };
}

describe('config edits across processes', () => {
  it('keeps all 100 agents when two processes each add 50 at the same time', async () => {
    const script = await bundleConfigFixture('add-many', dir);
    const project = join(dir, 'project');
    mkdirSync(project);
    const configDir = join(dir, 'config');
    const config = join(configDir, 'agents.yaml');
    const go = join(dir, 'go');
    mkdirSync(configDir);
    writeFileSync(config, '# shared by two writers\nagents: {}\n');
    const children = ['left', 'right'].map((prefix) => startChild(script, [config, prefix, '50', project, go]));
    await Promise.all(children.map((c) => c.ready));
    writeFileSync(go, '');
    const results = await Promise.all(children.map((c) => c.done));
    for (const r of results) expect(r, r.err).toMatchObject({ code: 0 });
    const text = readFileSync(config, 'utf8');
    const { config: parsed } = parseConfigText(text, { file: config, homedir: dir });
    const names = Object.keys(parsed.agents);
    expect(names).toHaveLength(100);
    for (const prefix of ['left', 'right']) for (let i = 0; i < 50; i++) expect(names).toContain(`${prefix}-${i}`);
    expect(text.startsWith('# shared by two writers\n')).toBe(true);
    expect(readdirSync(configDir)).toEqual(['agents.yaml']);
  });
});
