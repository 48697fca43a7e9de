// doctor's output: one aligned line per check, the fix commands under each warn and fail, and a summary.
import type { Palette } from '../ui/color.js';
import type { Summary } from './checks/index.js';
import type { CheckResult, CheckStatus } from './types.js';

const LABEL: Record<CheckStatus, string> = { ok: 'ok', warn: 'warn', fail: 'fail', skip: 'skip' };

// The report as text (pure).
export function renderReport(results: readonly CheckResult[], summary: Summary, c: Palette): string {
  const paint: Record<CheckStatus, (s: string) => string> = { ok: c.green, warn: c.yellow, fail: c.red, skip: c.dim };
  const width = Math.min(28, Math.max(...results.map((r) => r.title.length)));
  const indent = ' '.repeat(2 + 4 + 2 + width + 2);
  const lines: string[] = [];
  for (const r of results) {
    const [first = '', ...rest] = r.message.split('\n');
    lines.push(`  ${paint[r.status](LABEL[r.status].padEnd(4))}  ${r.title.padEnd(width)}  ${first}`);
    for (const more of rest) lines.push(`${indent}${more}`);
    if (r.status === 'warn' || r.status === 'fail') {
      (r.fix ?? []).forEach((cmd, i) => lines.push(`${indent}${c.dim(i === 0 ? 'fix:' : ' or:')} ${c.cyan(cmd)}`));
    }
  }
  lines.push('', summaryLine(summary, c), '');
  return lines.join('\n');
}

// "All checks passed." or "1 failure, 2 warnings: …".
export function summaryLine(summary: Summary, c: Palette): string {
  if (summary.fail === 0 && summary.warn === 0) return c.green(`All checks passed.${summary.skip > 0 ? ` (${summary.skip} skipped)` : ''}`);
  const parts = [
    summary.fail > 0 ? c.red(`${summary.fail} failure${summary.fail === 1 ? '' : 's'}`) : '',
    summary.warn > 0 ? c.yellow(`${summary.warn} warning${summary.warn === 1 ? '' : 's'}`) : '',
  ].filter((p) => p !== '');
  return `${parts.join(', ')}. Run the fix commands above, then \`agent-dispatch doctor\` again.`;
}
