import { describe, expect, it } from 'vitest';
import { ownProblem, type OwnRule, type OwnStat } from '../../src/shared/own-path.js';

const ME = 1000;

// A stat of a given type, owner and mode.
function stat(type: 'file' | 'directory' | 'socket' | 'symlink', uid: number, mode: number): OwnStat {
  return { uid, mode, isFile: () => type === 'file', isDirectory: () => type === 'directory', isSocket: () => type === 'socket' };
}

describe('ownProblem', () => {
  const privateFile: OwnRule = { type: 'file', closedTo: 0o077 };
  it.each([
    ['my 0600 file', stat('file', ME, 0o100600), privateFile, undefined],
    ['my 0644 file, where nobody else may read', stat('file', ME, 0o100644), privateFile, { kind: 'mode', mode: 0o644 }],
    ['my 0644 file, where nobody else may write', stat('file', ME, 0o100644), { type: 'file', closedTo: 0o022 }, undefined],
    ['my 0664 file, where nobody else may write', stat('file', ME, 0o100664), { type: 'file', closedTo: 0o022 }, { kind: 'mode', mode: 0o664 }],
    ['a symlink of mine', stat('symlink', ME, 0o120777), privateFile, { kind: 'type' }],
    ['a file of another user (the owner is named first)', stat('symlink', 0, 0o100644), privateFile, { kind: 'owner', uid: 0 }],
    ['my 0700 folder', stat('directory', ME, 0o40700), { type: 'directory', closedTo: 0o077 }, undefined],
    ['my 0755 folder', stat('directory', ME, 0o40755), { type: 'directory', closedTo: 0o077 }, { kind: 'mode', mode: 0o755 }],
    ['my socket, rights unchecked', stat('socket', ME, 0o140777), { type: 'socket' }, undefined],
    ['a file where a socket should be', stat('file', ME, 0o100600), { type: 'socket' }, { kind: 'type' }],
  ] as const)('%s', (_what, s, rule, expected) => {
    expect(ownProblem(s, rule, ME)).toEqual(expected);
  });

  it('checks no owner where the platform has no uids', () => {
    expect(ownProblem(stat('file', 0, 0o100600), privateFile, undefined)).toBeUndefined();
  });
});
