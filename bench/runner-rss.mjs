// Peak RSS while a fixture CLI prints 100 MB of stream-json events (64 KiB text blocks) and 10 MB of stderr.
// Each measurement runs in a fresh node process that reports process.resourceUsage().maxRSS. Baselines in the
// same run: an idle node process that loaded the bundle, and a raw spawn that reads and discards the same output.
// Target: runner peak ≤ 150 MiB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const FIXTURE = join(import.meta.dirname, '..', 'test', 'fixtures', 'bin', 'claude-flood.mjs');
const DIST = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href;
const STDOUT_BYTES = 100 * 1024 * 1024;
const STDERR_BYTES = 10 * 1024 * 1024;
const env = { ...process.env, FIXTURE_STDOUT_BYTES: String(STDOUT_BYTES), FIXTURE_STDERR_BYTES: String(STDERR_BYTES) };

const programs = {
  idle: `await import(${JSON.stringify(DIST)});`,
  raw: `
    await import(${JSON.stringify(DIST)});
    const { spawn } = await import('node:child_process');
    await new Promise((resolve) => {
      const child = spawn(${JSON.stringify(FIXTURE)}, ['--session-id', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.resume();
      child.stderr.resume();
      child.on('close', resolve);
    });`,
  runner: `
    const { createRunner } = await import(${JSON.stringify(DIST)});
    const dir = process.argv[1];
    let events = 0;
    const result = await createRunner({ binaries: { claude: ${JSON.stringify(FIXTURE)} } }).run(
      { agent: { name: 'rss', directory: dir, description: '', runtime: 'claude', timeout: 600 }, task: 'flood' },
      { onEvent: () => { events += 1; } },
    );
    if (!result.ok || events < 1500) throw new Error('bad run: ' + JSON.stringify({ ok: result.ok, events, error: result.error }));`,
};

function measure(name, dir) {
  const code = `${programs[name]}\nprocess.stdout.write(String(process.resourceUsage().maxRSS));`;
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code, dir], {
    env,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr}`);
  return { mib: Number(run.stdout) / 1024, seconds: (performance.now() - t0) / 1000 };
}

const dir = mkdtempSync(join(tmpdir(), 'ad-bench-'));
try {
  const idle = measure('idle', dir);
  const raw = measure('raw', dir);
  const ours = measure('runner', dir);
  console.log(`output: ${STDOUT_BYTES / 2 ** 20} MiB stream-json + ${STDERR_BYTES / 2 ** 20} MiB stderr`);
  console.log(`idle node + bundle   peak RSS ${idle.mib.toFixed(1)} MiB`);
  console.log(`raw spawn, discard   peak RSS ${raw.mib.toFixed(1)} MiB   (${raw.seconds.toFixed(2)} s)`);
  console.log(`runner.run()         peak RSS ${ours.mib.toFixed(1)} MiB   (${ours.seconds.toFixed(2)} s)`);
  console.log(`runner vs raw        ${(ours.mib / raw.mib).toFixed(2)}x   (${ours.mib >= raw.mib ? "+" : ""}${(ours.mib - raw.mib).toFixed(1)} MiB)   target ≤ 150 MiB: ${ours.mib <= 150 ? 'OK' : 'OVER TARGET'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
