// The runner hooks the new adapters rely on, with a scripted stand-in process: the environment handed to
// buildInvocation, cleanup once the run has ended, and `halt` ending a run the adapter wants stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZERO_USAGE, type InvocationContext, type RuntimeAdapter } from '../../src/runner/adapter.js';
import { createRunner } from '../../src/runner/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ad-hooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Prints two JSON lines, then would idle for a minute.
const SCRIPT = 'console.log(JSON.stringify({n:1})); console.log(JSON.stringify({stop:true})); setTimeout(() => {}, 60000);';

function fakeAdapter(log: { ctx?: InvocationContext; cleaned: number; exit?: unknown }): RuntimeAdapter {
  return {
    name: 'codex',
    defaultBinary: process.execPath,
    installHint: '',
    buildInvocation(_request, ctx) {
      log.ctx = ctx;
      return { args: ['-e', SCRIPT], env: { FROM_ADAPTER: '1' }, cleanup: () => void (log.cleaned += 1) };
    },
    createParser() {
      let halt = false;
      return {
        push(value) {
          if (value.stop) halt = true;
          return [];
        },
        get done() {
          return false;
        },
        get halt() {
          return halt;
        },
        finish(exit) {
          log.exit = exit;
          return { ok: halt, text: '', costUsd: 0, usage: { ...ZERO_USAGE }, numTurns: 0, permissionDenials: [] };
        },
      };
    },
  };
}

describe('the runner hooks for adapters', () => {
  it('passes the child environment to buildInvocation, stops a halted run at once, and cleans up after it', async () => {
    const log: { ctx?: InvocationContext; cleaned: number; exit?: any } = { cleaned: 0 };
    const runner = createRunner({ env: { PATH: process.env.PATH ?? '', AGENT_DISPATCH_CHAIN: 'top' }, adapters: { codex: fakeAdapter(log) }, killGraceMs: 500 });
    const result = await runner.run({ agent: { name: 'worker', directory: dir, description: '', runtime: 'codex', timeout: 120, env: { AGENT_ONLY: 'x' } }, task: 'go' });
    expect(log.ctx?.env).toMatchObject({ AGENT_DISPATCH_CHAIN: 'top,worker', AGENT_DISPATCH_DEPTH: '1', AGENT_ONLY: 'x' });
    expect(log.ctx?.env).not.toHaveProperty('FROM_ADAPTER');
    expect(log.exit).toMatchObject({ reason: 'finished', signal: 'SIGTERM' });
    expect(result.ok).toBe(true);
    expect(log.cleaned).toBe(1);
  });

  it('cleans up when the executable is missing', async () => {
    const log: { cleaned: number } = { cleaned: 0 };
    const runner = createRunner({ env: {}, adapters: { codex: fakeAdapter(log) }, binaries: { codex: join(dir, 'missing-bin') } });
    const result = await runner.run({ agent: { name: 'worker', directory: dir, description: '', runtime: 'codex', timeout: 60 }, task: 'go' });
    expect(result.error?.type).toBe('not_found');
    expect(log.cleaned).toBe(1);
  });
});
