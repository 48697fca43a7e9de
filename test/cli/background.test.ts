import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKER_IDLE_SECONDS, workerFor, workerIdleMs } from '../../src/cli/background.js';

const ctx = { env: { HOME: '/h', PATH: '/bin' }, cwd: '/p', selfCommand: ['node', '/opt/ad/bin/agent-dispatch.js'] };

describe('workerFor', () => {
  it('gives sessions that differ only in Claude Code session variables the same worker', () => {
    const session = { ...ctx, env: { ...ctx.env, CLAUDE_CODE_SESSION_ID: 'abc', CLAUDE_PID: '123', CLAUDECODE: '1' } };
    expect(workerFor(session, '/s')).toEqual(workerFor(ctx, '/s'));
  });

  it('gives another environment another worker', () => {
    expect(workerFor({ ...ctx, env: { ...ctx.env, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' } }, '/s')?.key).not.toBe(workerFor(ctx, '/s')?.key);
  });

  it.each([
    ['AGENT_DISPATCH_WORKER=0', { ...ctx, env: { ...ctx.env, AGENT_DISPATCH_WORKER: '0' } }],
    ['a nested dispatch (inside an agent)', { ...ctx, env: { ...ctx.env, AGENT_DISPATCH_DEPTH: '1' } }],
    ['no way to start this CLI again', { env: ctx.env, cwd: ctx.cwd }],
  ])('uses no worker with %s', (_what, context) => {
    expect(workerFor(context, '/s')).toBeUndefined();
  });
});

describe('workerIdleMs', () => {
  it.each([
    [undefined, DEFAULT_WORKER_IDLE_SECONDS * 1000],
    ['2', 2000],
    ['0.5', 500],
    ['0', DEFAULT_WORKER_IDLE_SECONDS * 1000],
    ['soon', DEFAULT_WORKER_IDLE_SECONDS * 1000],
  ])('reads AGENT_DISPATCH_WORKER_IDLE_SECONDS=%s as %i ms', (value, ms) => {
    expect(workerIdleMs(value === undefined ? {} : { AGENT_DISPATCH_WORKER_IDLE_SECONDS: value })).toBe(ms);
  });
});
