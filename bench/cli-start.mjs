// Start-up of the CLI: `agent-dispatch --help` and `agent-dispatch list` (three agents; again with a job store, whose
// LAST RUN column loads SQLite) next to a bare `node -e 0`,
// in turn, 15 runs each after a warm-up; medians of wall and CPU time and their ratio to bare node in the same run
// (issue 13's target: ≤ 100 ms where bare node takes 55 ms, so ≤ 1.8x). CPU time (user + system of the reaped
// child, from /proc/self/stat) holds on a loaded machine where wall time does not. AD_BENCH_BIN compares another build.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from './lib/paired.mjs';
import { BIN, createServerBench } from './lib/server-env.mjs';

const RUNS = 15;
const bench = createServerBench({ name: 'cli', settings: '  max_concurrency: 5\n' });
for (const name of ['one', 'two']) mkdirSync(join(bench.root, name));
// `list` after a job store exists (an empty one: `jobs` creates it), as for anyone who has dispatched once.
const withStore = { ...bench.env, AGENT_DISPATCH_STATE_DIR: join(bench.root, 'state-with-jobs') };
const commands = {
  'node -e 0': [process.execPath, ['-e', '0']],
  '--help': [process.execPath, [BIN, '--help']],
  list: [process.execPath, [BIN, 'list']],
  'list+jobs': [process.execPath, [BIN, 'list'], withStore],
};

// CPU time (ms) of this process's reaped children: cutime + cstime.
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

// Wall and CPU time of one run to its exit, in ms.
function time([command, args, env = bench.env]) {
  const [t0, c0] = [performance.now(), childrenCpuMs()];
  const run = spawnSync(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
  return { wall: performance.now() - t0, cpu: childrenCpuMs() - c0 };
}

try {
  // Two more agents for `list` to show (the bench set-up has one).
  for (const name of ['one', 'two']) spawnSync(process.execPath, [BIN, 'add', name, join(bench.root, name), '--description', name], { env: bench.env });
  spawnSync(process.execPath, [BIN, 'jobs'], { env: withStore });
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = -1; i < RUNS; i += 1) {
    for (const [name, command] of Object.entries(commands)) {
      const t = time(command);
      if (i >= 0) times[name].push(t);
    }
  }
  const p50 = (name, key) => percentile(times[name].map((t) => t[key]), 0.5);
  const [bareWall, bareCpu] = [p50('node -e 0', 'wall'), p50('node -e 0', 'cpu')];
  console.log(`runs: ${RUNS} each, in turn, after one warm-up; target ≤ ${(100 / 55).toFixed(2)}x bare node`);
  for (const name of Object.keys(times)) {
    const [wall, cpu] = [p50(name, 'wall'), p50(name, 'cpu')];
    const verdict = name === 'node -e 0' ? '' : `   ${cpu / bareCpu <= 100 / 55 ? 'OK' : 'OVER TARGET'} by CPU`;
    console.log(`${name.padEnd(10)} wall p50 ${wall.toFixed(0).padStart(4)} ms (${(wall / bareWall).toFixed(2)}x)   CPU p50 ${cpu.toFixed(0).padStart(4)} ms (${(cpu / bareCpu).toFixed(2)}x)${verdict}`);
  }
} finally {
  bench.cleanup();
}
