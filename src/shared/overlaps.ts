// dispatch_parallel's `overlaps`: a pure function of the items' change reports, kept here (not in runner/git) so
// the MCP server's answer builder loads no runner code at start-up.
import type { ChangeReport } from './types.js';

// Paths more than one report changed in the same repository (dispatch_parallel's `overlaps`), with the
// indexes of those reports; a rename counts under both names.
export function findOverlaps(reports: (ChangeReport | undefined)[]): { path: string; items: number[] }[] {
  const seen = new Map<string, { path: string; items: number[] }>();
  reports.forEach((report, index) => {
    if (!report) return;
    // A file the user had already changed and the run left alone is nobody's overlap.
    const touched = report.files.filter((f) => !(f.dirtyBefore && !f.changedByRun));
    for (const path of new Set(touched.flatMap((f) => (f.from ? [f.path, f.from] : [f.path])))) {
      const key = `${report.repo ?? ''}\0${path}`;
      const entry = seen.get(key) ?? { path, items: [] };
      entry.items.push(index);
      seen.set(key, entry);
    }
  });
  return [...seen.values()].filter((e) => e.items.length > 1).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
