import { describe, expect, it } from 'vitest';
import { workerAddress, workerKey } from '../../../src/jobs/worker/address.js';

const base = { env: { HOME: '/home/a', PATH: '/bin' }, cwd: '/work', command: ['node', '/opt/ad/bin/agent-dispatch.js'] };

describe('workerKey', () => {
  it('does not depend on the order of the environment', () => {
    expect(workerKey({ ...base, env: { PATH: '/bin', HOME: '/home/a' } })).toBe(workerKey(base));
  });

  it.each([
    ['another variable', { ...base, env: { ...base.env, ANTHROPIC_BASE_URL: 'http://127.0.0.1:1' } }],
    ['another working directory', { ...base, cwd: '/elsewhere' }],
    ['another installation', { ...base, command: ['node', '/other/bin/agent-dispatch.js'] }],
  ])('changes with %s', (_what, identity) => {
    expect(workerKey(identity)).not.toBe(workerKey(base));
  });

  it('ignores unset variables', () => {
    expect(workerKey({ ...base, env: { ...base.env, GONE: undefined } })).toBe(workerKey(base));
  });
});

describe('workerAddress', () => {
  it('names the socket, pidfile and lock pool after the key', () => {
    expect(workerAddress('/s', '0123456789abcdef')).toEqual({
      key: '0123456789abcdef',
      socket: '/s/worker-0123456789abcdef.sock',
      pidfile: '/s/worker-0123456789abcdef.pid',
      pool: 'worker:0123456789abcdef',
    });
  });

  it.each([
    ['a key that is not 16 hex digits', '/s', '../../etc'],
    ['a socket path too long to bind', `/${'x'.repeat(90)}`, '0123456789abcdef'],
  ])('refuses %s', (_what, dir, key) => {
    expect(workerAddress(dir, key)).toBeUndefined();
  });
});
