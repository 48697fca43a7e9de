// Concurrency leases across processes (issue 7): 5 processes each run 4 jobs under a shared limit of 3.
// Prints the highest concurrency seen (must be ≤ 3), the wall time against the ideal (20 × hold / 3),
// and the hand-off gap between a release and the next start. Run `npm run build` first.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobStore } from '../dist/index.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const clock = () => performance.timeOrigin + performance.now();
const [PROCESSES, JOBS, LIMIT, HOLD_MS] = [5, 4, 3, 50];

async function child(path) {
  const store = createJobStore({ path, logger: quiet });
  await Promise.all(
    Array.from({ length: JOBS }, async () => {
      const lease = await store.acquireLease({ limit: LIMIT });
      const start = clock();
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      const end = clock();
      lease.release();
      process.stdout.write(`${JSON.stringify({ start, end })}\n`);
    }),
  );
  store.close();
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ad-bench-leases-'));
  const path = join(dir, 'jobs.db');
  createJobStore({ path, logger: quiet }).close();
  try {
    for (let round = 1; round <= 3; round++) {
      const began = clock();
      const children = Array.from({ length: PROCESSES }, () => spawn(process.execPath, [new URL(import.meta.url).pathname, 'child', path], { stdio: ['ignore', 'pipe', 'inherit'] }));
      const outputs = children.map((c) => {
        let text = '';
        c.stdout.setEncoding('utf8').on('data', (d) => (text += d));
        return once(c, 'exit').then(() => text);
      });
      const intervals = (await Promise.all(outputs)).flatMap((t) => t.split('\n').filter(Boolean).map((l) => JSON.parse(l)));
      const wall = clock() - began;
      const points = intervals.flatMap((i) => [[i.start, 1], [i.end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let open = 0;
      let peak = 0;
      for (const [, d] of points) peak = Math.max(peak, (open += d));
      // Hand-off: for each start after the first LIMIT, the time since the latest end before it.
      const ends = intervals.map((i) => i.end).sort((a, b) => a - b);
      const starts = intervals.map((i) => i.start).sort((a, b) => a - b).slice(LIMIT);
      const gaps = starts.map((s) => s - Math.max(...ends.filter((e) => e <= s))).filter(Number.isFinite).sort((a, b) => a - b);
      const span = Math.max(...intervals.map((i) => i.end)) - Math.min(...intervals.map((i) => i.start));
      const ideal = (PROCESSES * JOBS * HOLD_MS) / LIMIT;
      console.log(
        `round ${round}: ${intervals.length} leases, highest concurrency ${peak} (limit ${LIMIT}); ` +
          `busy span ${span.toFixed(0)} ms vs ideal ${ideal.toFixed(0)} ms (×${(span / ideal).toFixed(2)}); ` +
          `hand-off gap median ${gaps[gaps.length >> 1]?.toFixed(1)} ms; wall incl. 5 process starts ${wall.toFixed(0)} ms`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child(process.argv[3]);
else await main();
