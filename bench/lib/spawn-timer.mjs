// Preload (`node --import`) for a server under a bench: times every synchronous ChildProcess#spawn (Node's fork +
// exec of the child, which blocks the event loop) and writes the durations in ms, one per line, to
// $AD_BENCH_SPAWN_LOG when the process exits.
import { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const times = [];
const spawn = ChildProcess.prototype.spawn;
ChildProcess.prototype.spawn = function timedSpawn(...args) {
  const t0 = performance.now();
  try {
    return spawn.apply(this, args);
  } finally {
    times.push(performance.now() - t0);
  }
};
process.on('exit', () => {
  if (process.env.AD_BENCH_SPAWN_LOG) writeFileSync(process.env.AD_BENCH_SPAWN_LOG, times.map((t) => t.toFixed(3)).join('\n'));
});
