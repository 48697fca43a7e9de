// Pure parsers for the machine-readable git output the measurements read: `status --porcelain=v2 -z`,
// `diff --raw --numstat -z` (renames and binaries included) and `log -z --format=%H%x1f%s`.

/** One entry of `git status --porcelain=v2 -z`. */
export interface StatusEntry {
  /** 'changed' (tracked, staged or not), 'renamed' (staged rename or copy), 'unmerged', 'untracked', 'ignored'. */
  kind: 'changed' | 'renamed' | 'unmerged' | 'untracked' | 'ignored';
  path: string;
  /** The rename's source path. */
  from?: string;
  /** Two-letter XY code (index, work tree); absent for untracked and ignored. */
  xy?: string;
  /** The path is a submodule (its `S…` field). */
  submodule?: boolean;
}

/** Parsed `git status --porcelain=v2 --branch -z`. */
export interface StatusReport {
  /** HEAD's oid; undefined on an unborn branch (`(initial)`). */
  head?: string;
  /** The current branch; undefined when HEAD is detached. */
  branch?: string;
  entries: StatusEntry[];
}

// The text after the first n space-separated fields: paths may contain spaces.
function afterFields(record: string, n: number): { fields: string[]; rest: string } {
  let at = 0;
  for (let i = 0; i < n; i += 1) {
    const next = record.indexOf(' ', at);
    if (next < 0) return { fields: record.split(' '), rest: '' };
    at = next + 1;
  }
  return { fields: record.slice(0, at - 1).split(' '), rest: record.slice(at) };
}

// Parse `git status --porcelain=v2 [--branch] -z` output.
export function parseStatus(out: string): StatusReport {
  const report: StatusReport = { entries: [] };
  const tokens = out.split('\0');
  for (let i = 0; i < tokens.length; i += 1) {
    const record = tokens[i] as string;
    if (record === '') continue;
    if (record.startsWith('# branch.oid ')) {
      const oid = record.slice('# branch.oid '.length);
      if (oid !== '(initial)') report.head = oid;
    } else if (record.startsWith('# branch.head ')) {
      const name = record.slice('# branch.head '.length);
      if (name !== '(detached)') report.branch = name;
    } else if (record.startsWith('1 ')) {
      const { fields, rest } = afterFields(record, 8);
      report.entries.push(entry('changed', rest, fields));
    } else if (record.startsWith('2 ')) {
      const { fields, rest } = afterFields(record, 9);
      i += 1;
      report.entries.push({ ...entry('renamed', rest, fields), from: tokens[i] ?? '' });
    } else if (record.startsWith('u ')) {
      const { fields, rest } = afterFields(record, 10);
      report.entries.push(entry('unmerged', rest, fields));
    } else if (record.startsWith('? ')) {
      report.entries.push({ kind: 'untracked', path: record.slice(2) });
    } else if (record.startsWith('! ')) {
      report.entries.push({ kind: 'ignored', path: record.slice(2) });
    }
  }
  return report;
}

function entry(kind: StatusEntry['kind'], path: string, fields: string[]): StatusEntry {
  const sub = fields[2] ?? 'N...';
  return { kind, path, xy: fields[1] ?? '..', ...(sub.startsWith('S') ? { submodule: true } : {}) };
}

/** One file of `git diff --raw --numstat -z`, raw and numstat records joined on the path. */
export interface DiffEntry {
  /** Raw status letter: A, M, D, R, C, T, U. */
  letter: string;
  path: string;
  from?: string;
  additions: number;
  deletions: number;
  binary: boolean;
}

// Parse `git diff --raw --numstat -z …`: raw records (":mode mode oid oid S\0path\0[path\0]") first, then
// numstat records ("a\td\tpath\0", or "a\td\t\0from\0to\0" for a rename; "-\t-" for a binary file).
export function parseDiff(out: string): DiffEntry[] {
  const tokens = out.split('\0');
  const byPath = new Map<string, DiffEntry>();
  for (let i = 0; i < tokens.length; i += 1) {
    const record = tokens[i] as string;
    if (record === '') continue;
    if (record.startsWith(':')) {
      const status = record.slice(1).split(' ')[4] ?? 'M';
      const letter = status[0] ?? 'M';
      if (letter === 'R' || letter === 'C') {
        const from = tokens[i + 1] ?? '';
        const path = tokens[i + 2] ?? '';
        i += 2;
        byPath.set(path, { letter, path, from, additions: 0, deletions: 0, binary: false });
      } else {
        const path = tokens[i + 1] ?? '';
        i += 1;
        byPath.set(path, { letter, path, additions: 0, deletions: 0, binary: false });
      }
      continue;
    }
    const tab1 = record.indexOf('\t');
    const tab2 = record.indexOf('\t', tab1 + 1);
    if (tab1 < 0 || tab2 < 0) continue;
    const added = record.slice(0, tab1);
    const deleted = record.slice(tab1 + 1, tab2);
    let path = record.slice(tab2 + 1);
    if (path === '') {
      path = tokens[i + 2] ?? '';
      i += 2;
    }
    const found = byPath.get(path) ?? { letter: 'M', path, additions: 0, deletions: 0, binary: false };
    const binary = added === '-' && deleted === '-';
    byPath.set(path, { ...found, binary, additions: binary ? 0 : Number(added) || 0, deletions: binary ? 0 : Number(deleted) || 0 });
  }
  return [...byPath.values()];
}

/** A commit: full oid and subject line. */
export interface CommitInfo {
  oid: string;
  subject: string;
}

// Parse `git log -z --format=%H%x1f%s`.
export function parseLog(out: string): CommitInfo[] {
  return out
    .split('\0')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.includes('\x1f'))
    .map((record) => {
      const at = record.indexOf('\x1f');
      return { oid: record.slice(0, at), subject: record.slice(at + 1) };
    });
}
