// The config commands through the built binary (`node bin/agent-dispatch.js`), as a user runs them.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'agent-dispatch.js');
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ad-bin-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Run the binary with a clean environment pointing at the sandbox.
function cli(args: string[], options: SpawnSyncOptions & { env?: Record<string, string> } = {}) {
  const env = { PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), AGENT_DISPATCH_CONFIG: join(dir, 'config', 'agents.yaml'), ...options.env };
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000, ...options, env });
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

beforeAll(() => {
  // `npm test` builds first; a lone run of this file builds if dist/ is missing.
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) expect(spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT }).status).toBe(0);
  mkdirSync(join(dir, 'home'));
  mkdirSync(join(dir, 'proj'));
  writeFileSync(join(dir, 'proj', 'CLAUDE.md'), 'Binary test project, for the CLI.\n');
});

describe('the built binary', () => {
  it('adds, lists, updates and removes an agent', () => {
    expect(cli(['add', 'bin-agent', 'proj', '--timeout', '60'])).toMatchObject({ code: 0, stderr: '' });
    const listed = cli(['list', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'bin-agent', directory: join(dir, 'proj'), description: 'Binary test project, for the CLI.', timeout: 60, healthy: true, has_claude_md: true }]);
    expect(cli(['update', 'bin-agent', '--permission-mode', 'plan']).code).toBe(0);
    expect(cli(['describe', 'bin-agent']).stdout).toMatch(/permission mode\s+plan/);
    expect(cli(['remove', 'bin-agent'])).toMatchObject({ code: 0, stdout: 'Removed agent bin-agent.\n' });
  });

  it('exits 2 for bad usage and 1 for a user error', () => {
    expect(cli(['add'])).toMatchObject({ code: 2, stderr: expect.stringContaining("missing required argument 'name'") });
    expect(cli(['remove', 'nobody-here'])).toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown agent "nobody-here"') });
  });

  it('fails cleanly when the config directory is not writable, leaving the file intact', () => {
    const configDir = join(dir, 'locked');
    const config = join(configDir, 'agents.yaml');
    mkdirSync(configDir);
    const text = '# read-only place\nagents: {}\n';
    writeFileSync(config, text, { mode: 0o644 });
    const isRoot = process.getuid?.() === 0;
    // Root writes anywhere, so as root the binary runs as `nobody` against root-owned directories.
    if (isRoot) for (const d of [dir, configDir, join(dir, 'proj'), join(dir, 'home')]) chmodSync(d, 0o755);
    else chmodSync(configDir, 0o555);
    try {
      const result = cli(['add', 'x', join(dir, 'proj')], { env: { AGENT_DISPATCH_CONFIG: config }, ...(isRoot && { uid: 65534, gid: 65534 }) });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(`error: Cannot write the config ${config}: permission denied.`);
      expect(result.stderr).toContain('hint: Make its directory writable, or set AGENT_DISPATCH_CONFIG');
      expect(readFileSync(config, 'utf8')).toBe(text);
    } finally {
      chmodSync(configDir, 0o755);
    }
  });
});
