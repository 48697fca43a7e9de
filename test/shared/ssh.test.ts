// Validation of an agent's host and ssh_options (issue 17): nothing that makes ssh run or read a command.
import { describe, expect, it } from 'vitest';
import { normalizeSshOption, parseSshHost, remoteDirectoryProblem, sshHostProblem, sshOptionProblem } from '../../src/shared/ssh.js';

describe('sshHostProblem', () => {
  it.each([
    ['dev-server'],
    ['user@dev.example.com'],
    ['deploy@10.0.0.5:2222'],
    ['[::1]:22'],
    ['root@127.0.0.1'],
    ['my_alias'],
  ])('accepts %s', (host) => expect(sshHostProblem(host)).toBeUndefined());

  it.each([
    ['', /empty/],
    ['-oProxyCommand=touch x', /starts with "-"/],
    ['host name', /whitespace/],
    ['host\nProxyCommand x', /whitespace/],
    ['host;id', /alias or/],
    ['$(id)', /alias or/],
    ['a@b@c', /alias or/],
    ['host:0', /port 0/],
    ['host:70000', /port 70000/],
    ['host`id`', /alias or/],
  ])('refuses %j', (host, problem) => expect(sshHostProblem(host)).toMatch(problem));
});

describe('parseSshHost', () => {
  it.each([
    ['dev', { destination: 'dev' }],
    ['u@h:2222', { destination: 'u@h', port: 2222 }],
    ['[::1]:22', { destination: '[::1]', port: 22 }],
  ])('splits %s', (host, target) => expect(parseSshHost(host)).toEqual(target));
});

describe('sshOptionProblem', () => {
  it.each([['IdentityFile=~/.ssh/id_dev'], ['identitiesonly=yes'], ['Port=2222'], ['ProxyJump=bastion,u@jump:22'], ['StrictHostKeyChecking=accept-new'], ['Ciphers=aes128-ctr,aes256-ctr'], ['ServerAliveInterval=1']])(
    'accepts %s',
    (option) => expect(sshOptionProblem(option)).toBeUndefined(),
  );

  it.each([
    ['ProxyCommand=nc %h %p', /not an allowed option/],
    ['LocalCommand=touch x', /not an allowed option/],
    ['PermitLocalCommand=yes', /not an allowed option/],
    ['KnownHostsCommand=/bin/x', /not an allowed option/],
    ['Include=/tmp/evil', /not an allowed option/],
    ['Match=exec true', /not an allowed option/],
    ['RemoteCommand=id', /not an allowed option/],
    ['PKCS11Provider=/tmp/x.so', /not an allowed option/],
    ['ControlPath=/tmp/x', /not an allowed option/],
    ['BatchMode=no', /not an allowed option/],
    ['StrictHostKeyChecking=no', /host key checking stays on/],
    ['IdentityFile=/a\nProxyCommand=x', /newline/],
    ['IdentityFile=/a b', /space/],
    ['User=$(id)', /shell character/],
    ['ProxyJump=-oProxyCommand=x', /starts with "-"/],
    ['ProxyJump=ok,bad host', /space/],
    ['IdentityFile', /Key=Value/],
    ['User=', /no value/],
  ])('refuses %j', (option, problem) => expect(sshOptionProblem(option)).toMatch(problem));

  it('passes the canonical key name to ssh', () => expect(normalizeSshOption(' identityfile = ~/.ssh/k ')).toBe('IdentityFile=~/.ssh/k'));
});

describe('remoteDirectoryProblem', () => {
  it.each([['/srv/app', undefined], ['~', undefined], ['~/app', undefined], ['app', /absolute/], ['', /empty/], ['/a\nb', /newline/]])('%j', (dir, problem) => {
    if (problem === undefined) expect(remoteDirectoryProblem(dir)).toBeUndefined();
    else expect(remoteDirectoryProblem(dir)).toMatch(problem);
  });
});
