// The job page's "Changes" section (issue 19): the files git saw the run change, its commits, and for an isolated
// run the worktree's `git diff` against its base (escaped by the html tag, capped by the caller).
import type { RunResult } from '../../shared/types.js';
import { html, type Html } from '../html.js';

/** A worktree diff as the page shows it. */
export interface DiffText {
  text: string;
  truncated: boolean;
}

// The section, or nothing when the run measured no changes.
export function renderChanges(result: RunResult | undefined, diff?: DiffText): Html {
  const changes = result?.changes;
  if (!result || (!changes && !result.worktree)) return html``;
  const wt = result.worktree;
  const where = wt ? html`<p class="small">Worktree <code>${wt.path}</code> on branch <code>${wt.branch}</code>, from <code>${wt.base}</code>.</p>` : '';
  const rows = (changes?.files ?? []).map(
    (f) => html`<tr><td><code>${f.from ? `${f.from} → ${f.path}` : f.path}</code></td><td>${f.status}${f.dirtyBefore ? (f.changedByRun ? ' (dirty before, changed further)' : ' (dirty before)') : ''}</td><td class="num">${f.binary ? 'binary' : `+${f.additions}`}</td><td class="num">${f.binary ? '' : `-${f.deletions}`}</td></tr>`,
  );
  const table = rows.length > 0 ? html`<table><thead><tr><th>File</th><th>Status</th><th>Added</th><th>Deleted</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="muted">No files changed.</p>`;
  const omitted = changes?.omitted ? html`<p class="small muted">${changes.omitted} more file(s) not listed.</p>` : '';
  const commits = changes && changes.commits.length > 0 ? html`<p class="small">Commits: ${changes.commits.map((c) => html`<code>${c.oid.slice(0, 10)}</code> ${c.subject}; `)}</p>` : '';
  const diffBlock = diff && diff.text ? html`<details><summary>git diff against ${wt?.base ?? 'base'}</summary><pre class="diff">${diff.text}</pre>${diff.truncated ? html`<p class="small muted">Diff cut; run <code>agent-dispatch worktrees diff ${wt?.branch.replace('agent-dispatch/', '') ?? ''}</code> for all of it.</p>` : ''}</details>` : '';
  return html`<h2>Changes</h2><p class="small">${changes?.diffStat ?? ''}</p>${where}${table}${omitted}${commits}${diffBlock}`;
}
