import { describe, expect, it } from 'vitest';
import { parseDiff, parseLog, parseStatus } from '../../../src/runner/git/parse.js';
import { buildChanges, diffStat, findOverlaps } from '../../../src/runner/git/changes.js';

const OID = 'b92f2fc5dc95886461fec0615a22de1e01c77623';
const H = `100644 100644 100644 ${'a'.repeat(40)} ${'a'.repeat(40)}`;

describe('parseStatus', () => {
  it.each([
    ['a branch and its head', `# branch.oid ${OID}\0# branch.head main\0`, { head: OID, branch: 'main', entries: [] }],
    ['an unborn branch', '# branch.oid (initial)\0# branch.head main\0', { branch: 'main', entries: [] }],
    ['a detached HEAD', `# branch.oid ${OID}\0# branch.head (detached)\0`, { head: OID, entries: [] }],
    ['a modified file with spaces', `1 .M N... ${H} my file.txt\0`, { entries: [{ kind: 'changed', xy: '.M', path: 'my file.txt' }] }],
    ['a staged rename', `2 R. N... ${H} R100 new name.txt\0old name.txt\0`, { entries: [{ kind: 'renamed', xy: 'R.', path: 'new name.txt', from: 'old name.txt' }] }],
    ['a submodule', `1 .M SC.. 160000 160000 160000 ${'a'.repeat(40)} ${'a'.repeat(40)} lib\0`, { entries: [{ kind: 'changed', xy: '.M', path: 'lib', submodule: true }] }],
    ['an unmerged file', `u UU N... 100644 100644 100644 100644 ${'a'.repeat(40)} ${'b'.repeat(40)} ${'c'.repeat(40)} x.c\0`, { entries: [{ kind: 'unmerged', xy: 'UU', path: 'x.c' }] }],
    ['untracked and ignored files', '? new.txt\0! build/out.o\0', { entries: [{ kind: 'untracked', path: 'new.txt' }, { kind: 'ignored', path: 'build/out.o' }] }],
    ['nothing', '', { entries: [] }],
  ])('reads %s', (_, out, expected) => {
    expect(parseStatus(out)).toEqual(expected);
  });
});

describe('parseDiff', () => {
  const raw = (letter: string) => `:100644 100644 ${'a'.repeat(7)} ${'0'.repeat(7)} ${letter}`;
  it.each([
    ['a modification', `${raw('M')}\0a.txt\0` + '3\t1\ta.txt\0', [{ letter: 'M', path: 'a.txt', additions: 3, deletions: 1, binary: false }]],
    ['a binary file', `${raw('M')}\0b.dat\0` + '-\t-\tb.dat\0', [{ letter: 'M', path: 'b.dat', additions: 0, deletions: 0, binary: true }]],
    ['a rename', `${raw('R087')}\0old.txt\0new.txt\0` + '1\t1\t\0old.txt\0new.txt\0', [{ letter: 'R', path: 'new.txt', from: 'old.txt', additions: 1, deletions: 1, binary: false }]],
    ['a deletion and an addition', `${raw('D')}\0gone\0${raw('A')}\0tab\tname\0` + '0\t4\tgone\0' + '2\t0\ttab\tname\0', [
      { letter: 'D', path: 'gone', additions: 0, deletions: 4, binary: false },
      { letter: 'A', path: 'tab\tname', additions: 2, deletions: 0, binary: false },
    ]],
    ['nothing', '', []],
  ])('reads %s', (_, out, expected) => {
    expect(parseDiff(out)).toEqual(expected);
  });
});

describe('parseLog', () => {
  it.each([
    ['two commits', `${OID}\x1fAdd a\0${'c'.repeat(40)}\x1fFix: b\x1fc\0`, [{ oid: OID, subject: 'Add a' }, { oid: 'c'.repeat(40), subject: 'Fix: b\x1fc' }]],
    ['nothing', '', []],
  ])('reads %s', (_, out, expected) => {
    expect(parseLog(out)).toEqual(expected);
  });
});

describe('buildChanges', () => {
  const d = (letter: string, path: string, extra: object = {}) => ({ letter, path, additions: 1, deletions: 0, binary: false, ...extra });
  it.each([
    ['maps statuses and sorts by path', { diff: [d('M', 'b'), d('A', 'a'), d('D', 'c'), d('R', 'e', { from: 'd' }), d('T', 'f')], untracked: [], commits: [] }, ['a:added', 'b:modified', 'c:deleted', 'e:renamed', 'f:modified']],
    ['lists untracked files with their lines', { diff: [], untracked: [{ path: 'u', lines: 7, binary: false }], commits: [] }, ['u:untracked']],
  ])('%s', (_, input, expected) => {
    expect(buildChanges(input).files.map((f) => `${f.path}:${f.status}`)).toEqual(expected);
  });

  it('marks files dirty before the run, and whether the run changed them further', () => {
    const report = buildChanges({
      diff: [d('M', 'mine'), d('M', 'both'), d('M', 'agent')],
      untracked: [],
      commits: [],
      dirtyBefore: new Map([['mine', 'h1'], ['both', 'h2']]),
      dirtyAfter: new Map([['mine', 'h1'], ['both', 'h3']]),
    });
    expect(report.files).toEqual([
      { path: 'agent', status: 'modified', additions: 1, deletions: 0 },
      { path: 'both', status: 'modified', additions: 1, deletions: 0, dirtyBefore: true, changedByRun: true },
      { path: 'mine', status: 'modified', additions: 1, deletions: 0, dirtyBefore: true, changedByRun: false },
    ]);
  });

  it('caps the list and counts what it left out, while the summary covers every file', () => {
    const report = buildChanges({ diff: Array.from({ length: 5 }, (_, i) => d('A', `f${i}`)), untracked: [], commits: [], maxFiles: 2 });
    expect(report.files).toHaveLength(2);
    expect(report.omitted).toBe(3);
    expect(report.diffStat).toBe('5 files changed, 5 insertions(+), 0 deletions(-)');
  });

  it.each([
    [[], 0, '0 files changed, 0 insertions(+), 0 deletions(-)'],
    [[{ path: 'a', status: 'added' as const, additions: 1, deletions: 2 }], 1, '1 file changed, 1 insertion(+), 2 deletions(-), 1 commit'],
  ])('summarises %j with %i commits in one line', (files, commits, line) => {
    expect(diffStat(files, commits)).toBe(line);
  });

  it('counts no overlap on a file the user had changed and the runs left alone', () => {
    const report = (changedByRun: boolean) => ({ files: [{ path: 'mine.txt', status: 'modified' as const, additions: 1, deletions: 0, dirtyBefore: true, changedByRun }], commits: [], diffStat: '', repo: '/r' });
    expect(findOverlaps([report(false), report(false)])).toEqual([]);
    expect(findOverlaps([report(true), report(true)])).toEqual([{ path: 'mine.txt', items: [0, 1] }]);
  });

  it('finds the paths more than one report changed in the same repository, renames by both names', () => {
    const r = (...paths: string[]) => ({ ...buildChanges({ diff: paths.map((p) => (p.includes('>') ? d('R', p.split('>')[1] as string, { from: p.split('>')[0] }) : d('M', p))), untracked: [], commits: [] }), repo: '/r' });
    expect(findOverlaps([r('a', 'b'), r('b', 'c'), undefined, r('x>c', 'z'), r('z'), { ...r('a'), repo: '/other' }])).toEqual([
      { path: 'b', items: [0, 1] },
      { path: 'c', items: [1, 3] },
      { path: 'z', items: [3, 4] },
    ]);
  });
});
