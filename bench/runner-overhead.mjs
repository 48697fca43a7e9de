// Runner overhead: createRunner().run() vs a raw child_process.spawn of the same trivial fixture CLI
// (a /bin/sh script printing init + result, exit 0: a node fixture's 40+ ms start-up noise would hide
// a millisecond). p50 over 50 alternating runs each, plus the p50 of the paired differences; target ≤ 2 ms.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '../dist/index.js';
import { measurePaired, percentile } from './lib/paired.mjs';

const FIXTURE = join(import.meta.dirname, '..', 'test', 'fixtures', 'bin', 'claude-tiny.sh');
const RUNS = 50;
const WARMUP = 5;
const dir = mkdtempSync(join(tmpdir(), 'ad-bench-'));

// The baseline: spawn with pipes, read stdout to the end, wait for close.
function rawRun() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const args = ['-p', '--output-format', 'stream-json', '--verbose', '--session-id', randomUUID(), '--', 'hi'];
    const child = spawn(FIXTURE, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => (out.includes('"type":"result"') ? resolve(performance.now() - t0) : reject(new Error('no result'))));
  });
}

const runner = createRunner({ binaries: { claude: FIXTURE } });
const agent = { name: 'bench', directory: dir, description: '', runtime: 'claude', timeout: 60 };
async function runnerRun() {
  const t0 = performance.now();
  const result = await runner.run({ agent, task: 'hi' });
  if (!result.ok) throw new Error(`runner failed: ${JSON.stringify(result.error)}`);
  return performance.now() - t0;
}

try {
  const { raw, ours, paired } = await measurePaired(rawRun, runnerRun, { runs: RUNS, warmup: WARMUP });
  const [rawP50, oursP50] = [percentile(raw, 0.5), percentile(ours, 0.5)];
  const overhead = oursP50 - rawP50;
  console.log(`runs: ${RUNS} each (after ${WARMUP} warm-up pairs)`);
  console.log(`raw spawn      p50 ${rawP50.toFixed(2)} ms   p90 ${percentile(raw, 0.9).toFixed(2)} ms`);
  console.log(`runner.run()   p50 ${oursP50.toFixed(2)} ms   p90 ${percentile(ours, 0.9).toFixed(2)} ms`);
  console.log(`paired diff    p50 ${paired.toFixed(2)} ms`);
  console.log(`overhead p50   ${overhead.toFixed(2)} ms (target ≤ 2 ms)   ratio ${(oursP50 / rawP50).toFixed(3)}x   ${overhead <= 2 ? 'OK' : 'OVER TARGET'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
