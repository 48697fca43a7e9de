// Event latency: from the fixture CLI writing a stream-json line to onEvent receiving it. The fixture stamps
// each text event with its wall clock (performance.timeOrigin + now(), sub-millisecond); the baseline in the same
// run reads the same fixture with a raw spawn and splits lines itself. 300 events, 5 ms apart; target p50 ≤ 5 ms.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '../dist/index.js';
import { percentile } from './lib/paired.mjs';

const FIXTURE = join(import.meta.dirname, '..', 'test', 'fixtures', 'bin', 'claude-ok.mjs');
const EVENTS = 300;
const env = { ...process.env, FIXTURE_EVENTS: String(EVENTS), FIXTURE_GAP_MS: '5' };
const now = () => performance.timeOrigin + performance.now();

function rawLatencies(dir) {
  return new Promise((resolve, reject) => {
    const out = [];
    let buffer = '';
    const child = spawn(FIXTURE, ['--session-id', randomUUID()], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const t = now();
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        const event = JSON.parse(line);
        if (event.type === 'assistant') out.push(t - Number(event.message.content[0].text));
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

async function runnerLatencies(dir) {
  const out = [];
  const runner = createRunner({ binaries: { claude: FIXTURE }, env });
  const result = await runner.run(
    { agent: { name: 'latency', directory: dir, description: '', runtime: 'claude', timeout: 120 }, task: 'events' },
    { onEvent: (e) => { if (e.type === 'text') out.push(now() - Number(e.text)); } },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'ad-bench-'));
try {
  const raw = await rawLatencies(dir);
  const ours = await runnerLatencies(dir);
  const line = (name, xs) => `${name} p50 ${percentile(xs, 0.5).toFixed(3)} ms   p95 ${percentile(xs, 0.95).toFixed(3)} ms   max ${Math.max(...xs).toFixed(3)} ms   (n=${xs.length})`;
  console.log(line('raw spawn     ', raw));
  console.log(line('runner onEvent', ours));
  const p50 = percentile(ours, 0.5);
  console.log(`added p50 ${(p50 - percentile(raw, 0.5)).toFixed(3)} ms   ratio ${(p50 / percentile(raw, 0.5)).toFixed(2)}x   target p50 ≤ 5 ms: ${p50 <= 5 ? 'OK' : 'OVER TARGET'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
