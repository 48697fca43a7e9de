// The local ssh command line and the classification of ssh's failures (pure).
import { describe, expect, it } from 'vitest';
import { buildSshArgs, checkEndpoint, controlPath } from '../../../src/runner/ssh/args.js';
import { classifySshExit, stripExitRecord } from '../../../src/runner/ssh/outcome.js';

describe('buildSshArgs', () => {
  it('puts the user options first, then BatchMode, the shared control socket, keepalives and the port', () => {
    const args = buildSshArgs({ host: 'u@h:2222', sshOptions: ['identityfile=~/k'] }, 'CMD', { controlDir: '/run/x' });
    expect(args).toEqual([
      '-T', '-x', '-a',
      '-o', 'IdentityFile=~/k',
      '-o', 'BatchMode=yes',
      '-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath('/run/x', { host: 'u@h:2222', sshOptions: ['identityfile=~/k'] })}`, '-o', 'ControlPersist=60',
      '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3', '-o', 'ConnectTimeout=10',
      '-p', '2222',
      '--', 'u@h', 'CMD',
    ]);
  });

  it('opens its own connection when there is no socket directory', () => {
    expect(buildSshArgs({ host: 'h' }, 'CMD')).toEqual(expect.arrayContaining(['ControlMaster=no', 'ControlPath=none']));
  });

  it('gives agents with different options different masters', () => {
    expect(controlPath('/d', { host: 'h', sshOptions: ['User=a'] })).not.toBe(controlPath('/d', { host: 'h', sshOptions: ['User=b'] }));
    expect(controlPath('/d', { host: 'h' })).toMatch(/^\/d\/[0-9a-z]{7}-%C$/);
  });

  it.each([
    [{ host: '-oProxyCommand=x' }, /Invalid host/],
    [{ host: 'h', sshOptions: ['ProxyCommand=x'] }, /Invalid ssh option/],
  ])('refuses %j', (endpoint, message) => expect(() => checkEndpoint(endpoint)).toThrow(message));
});

describe('classifySshExit', () => {
  const where = { agent: 'api', host: 'dev', directory: '/srv/api', binary: 'claude' };
  it.each([
    [255, 'ssh: Could not resolve hostname dev: Name or service not known', /does not resolve \(DNS\)/],
    [255, 'ssh: connect to host dev port 22: Connection refused', /refused the connection/],
    [255, 'root@dev: Permission denied (publickey).', /refused authentication/],
    [255, '@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.', /host key has changed/],
    [255, 'No ED25519 host key is known for [127.0.0.1]:22 and you have requested strict checking.\nHost key verification failed.', /not known or does not match/],
    [255, 'ssh: connect to host dev port 22: Connection timed out', /could not be reached/],
    [255, 'Timeout, server dev not responding.', /connection was lost/],
    [255, '', /failed or was lost/],
    [97, 'agent-dispatch-remote: no-directory /srv/api', /\/srv\/api does not exist on dev/],
    [98, 'agent-dispatch-remote: no-cli claude', /`claude` was not found on dev/],
  ])('exit %i with %j → unreachable', (code, stderr, message) => {
    expect(classifySshExit(code, stderr, where)).toMatchObject({ type: 'unreachable', message: expect.stringMatching(message), hint: expect.any(String) });
  });

  it.each([
    [255, 'some crash\nagent-dispatch-remote: exit 255'],
    [1, 'Error: bad'],
    [97, 'the CLI itself exited 97\nagent-dispatch-remote: exit 97'],
    [0, ''],
  ])('leaves exit %i with %j to the adapter', (code, stderr) => expect(classifySshExit(code, stderr, where)).toBeUndefined());
});

describe('the wrapper exit record', () => {
  it('is dropped from the stderr a person reads, the CLI lines kept', () => expect(stripExitRecord('warn: x\nagent-dispatch-remote: exit 0\n')).toBe('warn: x\n'));

  it('names the known_hosts entry with its port in the host key hint', () => {
    const failure = classifySshExit(255, 'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!', { agent: 'a', host: 'u@10.0.0.5:2222', directory: '/', binary: 'claude' });
    expect(failure?.hint).toContain("ssh-keygen -R '[10.0.0.5]:2222'");
  });
});
