import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCommand, spawnDetached, superviseProcess } from '../../src/runner/spawn.js';
import { isAlive, killAll, survivorsAfter, tempDir } from './helpers.js';

const node = process.execPath;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

describe('runCommand', () => {
  it('returns exit code, stdout and stderr', async () => {
    const result = await runCommand(node, ['-e', 'console.log("out"); console.error("err"); process.exit(3)']);
    expect(result).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });
  });

  it('passes arguments without a shell', async () => {
    const result = await runCommand(node, ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', '$(whoami)', '-x', 'a b']);
    expect(JSON.parse(result.stdout)).toEqual(['$(whoami)', '-x', 'a b']);
  });

  it('writes the input to stdin and closes it', async () => {
    const result = await runCommand(node, ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(s.toUpperCase()))'], { input: 'hello' });
    expect(result.stdout).toBe('HELLO\n');
  });

  it('runs in the given directory with the given environment', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const result = await runCommand(node, ['-e', 'console.log(process.cwd(), process.env.ONLY)'], { cwd: dir, env: { ONLY: 'me' } });
    expect(result.stdout).toBe(`${dir} me\n`);
  });

  it('kills a command that overruns its timeout', async () => {
    const result = await runCommand(node, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 100 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' });
  });

  it('reports a missing executable instead of throwing', async () => {
    const result = await runCommand('/nonexistent/tool', []);
    expect(result.exitCode).toBeNull();
    expect(result.error).toMatch(/ENOENT/);
  });

  it('keeps at most maxBytes of output', async () => {
    const result = await runCommand(node, ['-e', 'process.stdout.write("x".repeat(100000))'], { maxBytes: 10 });
    expect(result.stdout).toBe('x'.repeat(10));
  });
});

describe('superviseProcess', () => {
  it('reports the pid and process group as soon as the child starts', async () => {
    let info: { pid: number; pgid: number } | undefined;
    const run = superviseProcess({
      command: node, args: ['-e', ''], cwd: process.cwd(), env: {}, onStdout() {}, onStderr() {},
      onSpawn: (i) => (info = i),
    });
    const exit = await run.exited;
    expect(info?.pid).toBe(exit.pid);
    expect(info?.pgid).toBe(info?.pid);
  });

  it('gives the child its own process group', async () => {
    let own = '';
    const run = superviseProcess({
      command: node, args: ['-e', 'const fs=require("fs");const s=fs.readFileSync("/proc/self/stat","utf8");console.log(process.pid, s.slice(s.lastIndexOf(")")+2).split(" ")[2])'],
      cwd: process.cwd(), env: {}, onStdout: (c) => (own += c), onStderr() {},
    });
    await run.exited;
    const [pid, pgid] = own.trim().split(' ');
    expect(pgid).toBe(pid);
  });
});

describe('spawnDetached', () => {
  it('starts a process that outlives the call and writes to the log file', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const logFile = join(dir, 'log');
    const pid = spawnDetached(node, ['-e', 'console.log("started", process.env.MARK); setTimeout(() => {}, 200)'], { logFile, env: { MARK: 'm1' } });
    cleanups.unshift(() => killAll([pid]));
    expect(pid).toBeGreaterThan(0);
    expect(await survivorsAfter([pid], 5000)).toEqual([]);
    expect(readFileSync(logFile, 'utf8')).toBe('started m1\n');
  });

  it('keeps running while we wait', () => {
    const pid = spawnDetached(node, ['-e', 'setTimeout(() => {}, 5000)']);
    cleanups.push(() => killAll([pid]));
    expect(isAlive(pid)).toBe(true);
  });
});
