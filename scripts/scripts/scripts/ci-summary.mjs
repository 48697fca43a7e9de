// Prints the plain "N passed, N failed" line CI reads, adding up every run's vitest JSON report.
// Usage: node scripts/ci-summary.mjs REPORT STATUS [REPORT STATUS ...]  (one pair per run: main, Node 22, ...)
// A run that failed without a report (build, type or lint failure; a Node that would not install) counts as
// one failure; a run's own line goes to stderr, the total is the last line on stdout.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
for (let i = 0; i < args.length; i += 2) {
  const file = args[i];
  const status = Number(args[i + 1] ?? 0);
  let run = { passed: 0, failed: 0, skipped: 0 };
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    run = { passed: report.numPassedTests ?? 0, failed: report.numFailedTests ?? 0, skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0) };
    if (status !== 0 && run.failed === 0) run.failed = 1;
  } catch {
    run.failed = status === 0 ? 0 : 1;
  }
  if (args.length > 2) console.error(`${file}: ${run.passed} passed, ${run.failed} failed${run.skipped ? `, ${run.skipped} skipped` : ''}`);
  passed += run.passed;
  failed += run.failed;
  skipped += run.skipped;
  if (status !== 0 || run.failed > 0) ok = false;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
