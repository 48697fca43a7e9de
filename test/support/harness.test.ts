// The harness without the real CLI: environment, project dirs, process-group kills, cleanup.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLAUDE_BIN, claudeEnv, createSandbox, echoMcpConfig, runClaude, type Sandbox } from './harness.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.cleanup();
  sandbox = undefined;
});

// Running and not a zombie (an orphan killed with its group may wait a moment for init to reap it).
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('claudeEnv', () => {
  it('builds the CLI environment from nothing but what the stand-in needs', () => {
    const env = claudeEnv({ home: '/h', baseUrl: 'http://127.0.0.1:1', tmpDir: '/t', isSandbox: true, extra: { FOO: 'bar', CLAUDE_CODE_MAX_RETRIES: undefined } });
    expect(env).toEqual({
      PATH: expect.stringContaining('node_modules/.bin'),
      HOME: '/h',
      TMPDIR: '/t',
      ANTHROPIC_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      IS_SANDBOX: '1',
      FOO: 'bar',
    });
  });

  it('keeps retries at zero unless told otherwise', () => {
    expect(claudeEnv({ home: '/h', baseUrl: 'u' }).CLAUDE_CODE_MAX_RETRIES).toBe('0');
    expect(claudeEnv({ home: '/h', baseUrl: 'u', maxRetries: 2 }).CLAUDE_CODE_MAX_RETRIES).toBe('2');
  });
});

describe('sandbox', () => {
  it('creates project dirs with a CLAUDE.md and nested files, and removes everything on cleanup', async () => {
    sandbox = createSandbox();
    const dir = sandbox.project('alpha', { claudeMd: 'rules', files: { 'src/a.txt': 'A' } });
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe('rules');
    expect(readFileSync(join(dir, 'src', 'a.txt'), 'utf8')).toBe('A');
    expect(sandbox.env('http://x').HOME).toBe(sandbox.home);
    const root = sandbox.root;
    await sandbox.cleanup();
    sandbox = undefined;
    expect(existsSync(root)).toBe(false);
  });

  it('refuses project names that would escape the sandbox', () => {
    sandbox = createSandbox();
    expect(() => sandbox!.project('../evil')).toThrow(/name must be/);
  });

  it('kills the whole process group of a run still going at cleanup', async () => {
    sandbox = createSandbox();
    const script = "const c=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});console.log(c.pid);setInterval(()=>{},1000)";
    let grandchild = 0;
    const run = sandbox.runClaude(['-e', script], { cwd: sandbox.root, env: {}, bin: process.execPath, onSpawn: (child) => child.stdout?.once('data', (d) => (grandchild = Number(String(d).trim()))) });
    await expect.poll(() => grandchild).toBeGreaterThan(0);
    await sandbox.cleanup();
    sandbox = undefined;
    expect((await run).signal).toBe('SIGKILL');
    await expect.poll(() => alive(grandchild)).toBe(false);
  });
});

describe('runClaude', () => {
  it('reports timedOut when it has to kill an overrunning run', async () => {
    const run = await runClaude(['-e', 'setInterval(()=>{},1000)'], { cwd: process.cwd(), env: {}, bin: process.execPath, timeoutMs: 100 });
    expect(run).toMatchObject({ timedOut: true, signal: 'SIGTERM' });
  });

  it('parses json, stream-json lines and the result event', async () => {
    const lines = ['{"type":"system"}', 'not json', '{"type":"result","result":"r"}'].join('\\n');
    const run = await runClaude(['-e', `console.log('${lines}')`], { cwd: process.cwd(), env: {}, bin: process.execPath });
    expect(run.events()).toEqual([{ type: 'system' }, { type: 'result', result: 'r' }]);
    expect(run.result()).toEqual({ type: 'result', result: 'r' });
    expect(() => run.json()).toThrow(/not JSON/);
  });

  it('points at the pinned CLI and an MCP config that starts the echo server with node', () => {
    expect(CLAUDE_BIN).toMatch(/node_modules\/\.bin\/claude$/);
    const config = JSON.parse(echoMcpConfig({ name: 'e2', logFile: '/tmp/x.log' }));
    expect(config.mcpServers.e2).toMatchObject({ command: process.execPath, args: [expect.stringMatching(/echo-mcp-server\.mjs$/)], env: { MCP_LOG: '/tmp/x.log' } });
  });
});
