// doctor's host check for SSH agents (pure over gathered facts).
import { describe, expect, it } from 'vitest';
import { checkHosts, type HostFacts } from '../../src/cli/doctor/checks/hosts.js';

const facts = (patch: Partial<Omit<HostFacts, 'probe'>> & { probe?: Partial<HostFacts['probe']> } = {}): HostFacts => ({
  agent: 'api',
  host: 'dev',
  directory: '/srv/api',
  binary: 'claude',
  ...patch,
  probe: { reachable: true, directoryExists: true, cliPath: '/usr/bin/claude', cliVersion: '2.1.328 (Claude Code)', durationMs: 30, ...patch.probe },
});

describe('checkHosts', () => {
  it.each([
    [facts({ login: { ok: true } }), 'ok', /dev reachable without a prompt \(30 ms\), claude 2\.1\.328 \(Claude Code\), \/srv\/api present, logged in/],
    [facts(), 'ok', /login not checked/],
    [facts({ probe: { reachable: false, failure: { type: 'unreachable', message: 'host dev: it refused authentication', hint: 'load the key' } } }), 'fail', /refused authentication/],
    [facts({ probe: { cliPath: undefined } }), 'fail', /`claude` is not on its non-interactive PATH/],
    [facts({ probe: { directoryExists: false } }), 'fail', /\/srv\/api does not exist there/],
    [facts({ login: { ok: false, type: 'auth', message: 'Invalid API key' } }), 'fail', /test dispatch failed \(auth\): Invalid API key/],
    [facts({ login: { ok: false, type: 'rate_limit', message: 'slow down' } }), 'warn', /rate_limit/],
  ])('%#: %s', (input, status, message) => {
    const [result] = checkHosts([input]);
    expect(result).toMatchObject({ id: 'host.api', status, message: expect.stringMatching(message) });
    if (status !== 'ok') expect(result!.fix?.length).toBeGreaterThan(0);
  });
});
