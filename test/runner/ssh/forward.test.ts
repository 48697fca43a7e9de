// The remote forward of a run's approval endpoint: its ssh command lines and how ssh's answers are read (pure).
import { describe, expect, it } from 'vitest';
import { controlPath } from '../../../src/runner/ssh/args.js';
import { forwardArgs, forwardFailure, forwardFailureKind, parseForwardPort } from '../../../src/runner/ssh/forward.js';
import { relayUrl } from '../../../src/runner/ssh/relay-forward.js';

const endpoint = { host: 'u@h:2222', sshOptions: ['identityfile=~/k'] };

describe('forwardArgs', () => {
  it.each(['forward', 'cancel'] as const)('asks the agent\'s master to %s the dynamic forward to the socket, with the options that name that master', (op) => {
    expect(forwardArgs(endpoint, { controlDir: '/run/x' }, op, '/tmp/ad-relay-1/mcp.sock')).toEqual([
      '-o', 'IdentityFile=~/k',
      '-o', 'BatchMode=yes',
      '-o', `ControlPath=${controlPath('/run/x', endpoint)}`,
      '-O', op, '-R', '0:/tmp/ad-relay-1/mcp.sock',
      '-p', '2222',
      '--', 'u@h',
    ]);
  });

  it('refuses without connection reuse', () => {
    expect(() => forwardArgs({ host: 'h' }, {}, 'forward', '/s')).toThrow(/connection reuse/);
  });
});

describe('parseForwardPort', () => {
  it.each([
    ['45205\n', 45205],
    ['  1\n', 1],
    ['65535', 65535],
    ['', undefined],
    ['0\n', undefined],
    ['65536\n', undefined],
    ['Allocated port 4 for remote forward\n', undefined],
    ['123\n456\n', undefined],
  ])('reads %j as %s', (stdout, port) => {
    expect(parseForwardPort(stdout)).toBe(port);
  });
});

describe('forwardFailureKind', () => {
  it.each([
    ['mux_client_forward: forwarding request failed: remote port forwarding failed for listen port 0\nmuxclient: master forward request failed\n', 'refused'],
    ['Control socket connect(/run/x/abc-1234): No such file or directory\n', 'no-master'],
    ['Control socket connect(/run/x/abc-1234): Connection refused\n', 'no-master'],
    ['ssh: connect to host h port 22: Connection refused\n', 'other'],
  ] as const)('reads %j as %s', (stderr, kind) => {
    expect(forwardFailureKind(stderr)).toBe(kind);
  });
});

describe('forwardFailure', () => {
  it.each([
    ['refused', 'unreachable', /sshd there refused \(muxclient: master forward request failed\)/, /AllowTcpForwarding/],
    ['no-reuse', 'cli_error', /needs SSH connection reuse/, /approvals "deny"/],
    ['other', 'unreachable', /could not open the forward/, /ssh u@h:2222 true/],
  ] as const)('%s: a %s failure that says what to do', (kind, type, message, hint) => {
    const failure = forwardFailure(kind, { agent: 'infra', host: 'u@h:2222' }, 'mux_client_forward: x\nmuxclient: master forward request failed\n');
    expect(failure.type).toBe(type);
    expect(failure.message).toMatch(/^Agent infra: approvals "ask" on SSH host u@h:2222/);
    expect(failure.message).toMatch(message);
    expect(failure.hint).toMatch(hint);
  });
});

it('points the remote CLI at the forwarded port on its own loopback', () => {
  expect(relayUrl(41234)).toBe('http://127.0.0.1:41234/mcp');
});
