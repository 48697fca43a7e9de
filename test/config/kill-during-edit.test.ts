// kill -9 during config edits: a child process edits agents.yaml in a loop and is SIGKILLed again and again at
// random moments. After every kill the file parses and holds every agent whose add had returned (and none whose
// removal had returned); the next edit clears the temp files and the lock a killed writer left.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { createConfigStore } from '../../src/config/store.js';
import { bundleConfigFixture, tempDir } from './temp.js';

const dir = tempDir('ad-kill9-');
const ROUNDS = 12;

// Run one child until it has done `minEdits` edits plus a random pause, then SIGKILL it; returns its lines.
async function runAndKill(script: string, args: string[], minEdits: number): Promise<string[]> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if ((out.match(/^added /gm)?.length ?? 0) >= minEdits) resolve();
    });
    void closed.then(() => reject(new Error(`the editing child exited by itself: ${err}`)));
  });
  // A random moment inside the next edits: before, during or after a write.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
  child.kill('SIGKILL');
  await closed;
  return out.split('\n').filter(Boolean);
}

describe('kill -9 during config edits', () => {
  it('never leaves a file that does not parse, and loses no agent whose edit returned', async () => {
    const script = await bundleConfigFixture('edit-loop', dir);
    const project = join(dir, 'project');
    mkdirSync(project);
    const configDir = join(dir, 'config');
    mkdirSync(configDir);
    const config = join(configDir, 'agents.yaml');
    writeFileSync(config, '# hand-written header\nagents: {}\n');
    const committed = new Set<string>();
    const removed = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const lines = await runAndKill(script, [config, `r${round}`, project], 1 + Math.floor(Math.random() * 4));
      const removing = new Set<string>();
      for (const line of lines) {
        const [what, name] = line.split(' ') as [string, string];
        if (what === 'added') committed.add(name);
        if (what === 'removing') removing.add(name);
        if (what === 'removed') {
          committed.delete(name);
          removed.add(name);
          removing.delete(name);
        }
      }
      // A removal the kill interrupted may or may not have landed: either is fine.
      for (const name of removing) committed.delete(name);
      const text = readFileSync(config, 'utf8');
      const names = Object.keys(parseConfigText(text, { file: config, homedir: dir }).config.agents);
      for (const name of committed) expect(names, `round ${round}: ${name}`).toContain(name);
      for (const name of removed) expect(names, `round ${round}: ${name}`).not.toContain(name);
      expect(text.startsWith('# hand-written header\n')).toBe(true);
    }
    expect(committed.size).toBeGreaterThan(ROUNDS);
    // One more edit in this process: it takes over the dead writer's lock and removes its temp files.
    await createConfigStore({ path: config, lockTimeoutMs: 5_000 }).addAgent('final', { directory: project });
    expect(readdirSync(configDir)).toEqual(['agents.yaml']);
    const names = Object.keys(parseConfigText(readFileSync(config, 'utf8'), { file: config, homedir: dir }).config.agents);
    for (const name of [...committed, 'final']) expect(names).toContain(name);
  }, 120_000);
});
