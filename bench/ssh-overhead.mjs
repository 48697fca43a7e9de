// SSH agents (issue 17): time a dispatch adds when the agent runs on a host over ssh (loopback sshd started
// here), with the shared connection (ControlMaster, target ≤ 50 ms) and with a new connection per run, against
// a local run of the same tiny fixture CLI in the same script; and list_agents over 20 remote agents vs 20 local.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { importTs } from '../test/support/load-ts.mjs';
import { measurePaired, percentile } from './lib/paired.mjs';

const root = join(import.meta.dirname, '..');
const { canRunSshd, startSshd } = await importTs(join(root, 'test/runner/ssh/sshd.ts'));
if (!canRunSshd) {
  console.log('skipped: needs root, /usr/sbin/sshd and ssh');
  process.exit(0);
}
const { createRunner } = await importTs(join(root, 'src/runner/index.ts'));
const { createConfigStore } = await importTs(join(root, 'src/config/index.ts'));
const { createCatalog } = await importTs(join(root, 'src/server/catalog.ts'));
const { createHealthCheck } = await importTs(join(root, 'src/cli/host-health.ts'));
const { createSshClient } = await importTs(join(root, 'src/runner/ssh/connection.ts'));
const { buildSshArgs } = await importTs(join(root, 'src/runner/ssh/args.ts'));

const FIXTURE = join(root, 'test', 'fixtures', 'bin', 'claude-tiny.sh');
const RUNS = 30;
const FRESH_RUNS = 10;
const sshd = await startSshd();
const dir = mkdtempSync(join(tmpdir(), 'ad-bench-ssh-'));
const bin = join(dir, 'bin');
mkdirSync(bin);
symlinkSync(FIXTURE, join(bin, 'claude'));

const p = (xs, q) => percentile(xs, q).toFixed(1);
try {
  const local = { name: 'bench', directory: dir, description: '', runtime: 'claude', timeout: 60 };
  const remote = { ...local, host: sshd.host, sshOptions: sshd.sshOptions, env: { PATH: `${bin}:/usr/bin:/bin` } };
  const localRunner = createRunner({ binaries: { claude: FIXTURE } });
  const shared = createRunner({ ssh: { settings: { controlDir: sshd.controlDir } } });
  const fresh = createRunner({});
  const timed = (runner, agent) => async () => {
    const t0 = performance.now();
    const result = await runner.run({ agent, task: 'hi' });
    if (!result.ok) throw new Error(`run failed: ${JSON.stringify(result.error)} ${result.stderrTail}`);
    return performance.now() - t0;
  };

  // The floor: a bare `ssh host true` over the same shared connection, no wrapper, no runner.
  const bareSsh = () =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn('ssh', buildSshArgs({ host: sshd.host, sshOptions: sshd.sshOptions }, 'true', { controlDir: sshd.controlDir }), { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`ssh exit ${code}`))));
    });
  const floor = await measurePaired(timed(localRunner, local), bareSsh, { runs: RUNS, warmup: 3 });
  const reused = await measurePaired(timed(localRunner, local), timed(shared, remote), { runs: RUNS, warmup: 3 });
  const alone = await measurePaired(timed(localRunner, local), timed(fresh, remote), { runs: FRESH_RUNS, warmup: 1 });
  console.log(`dispatch of a tiny fixture CLI: ${RUNS} alternating pairs (reused connection), ${FRESH_RUNS} (new connection each)`);
  console.log(`local run                 p50 ${p(reused.raw, 0.5)} ms   p90 ${p(reused.raw, 0.9)} ms`);
  console.log(`bare ssh true, reused     p50 ${p(floor.ours, 0.5)} ms   p90 ${p(floor.ours, 0.9)} ms   (the floor: ssh round trip alone; load ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
  console.log(`ssh, reused connection    p50 ${p(reused.ours, 0.5)} ms   p90 ${p(reused.ours, 0.9)} ms   added p50 ${reused.paired.toFixed(1)} ms (target ≤ 50 ms) ${reused.paired <= 50 ? 'OK' : 'OVER TARGET'}   ratio ${(percentile(reused.ours, 0.5) / percentile(reused.raw, 0.5)).toFixed(2)}x`);
  console.log(`ssh, new connection each  p50 ${p(alone.ours, 0.5)} ms   p90 ${p(alone.ours, 0.9)} ms   added p50 ${alone.paired.toFixed(1)} ms   ratio ${(percentile(alone.ours, 0.5) / percentile(alone.raw, 0.5)).toFixed(2)}x`);

  // list_agents: 20 agents on one host, checked in one batched ssh call and then served from the 10 s cache.
  const listTimes = async (agents, health) => {
    const cfg = join(dir, `agents-${Object.keys(agents).length}-${Math.random()}.yaml`);
    writeFileSync(cfg, stringify({ agents }));
    const catalog = createCatalog({ config: createConfigStore({ path: cfg }), cwd: dir, homedir: dir, health });
    const t0 = performance.now();
    const first = await catalog.listAgents();
    const cold = performance.now() - t0;
    if (first.some((a) => !a.healthy)) throw new Error(`unhealthy: ${JSON.stringify(first.find((a) => !a.healthy))}`);
    const warm = [];
    for (let i = 0; i < 10; i += 1) {
      const t = performance.now();
      await catalog.listAgents();
      warm.push(performance.now() - t);
    }
    return { cold, warm: percentile(warm, 0.5) };
  };
  const localAgents = {};
  const remoteAgents = {};
  for (let i = 0; i < 20; i += 1) {
    const d = join(dir, `p${i}`);
    mkdirSync(d);
    localAgents[`a${i}`] = { directory: d, description: 'x' };
    remoteAgents[`a${i}`] = { directory: d, description: 'x', host: sshd.host, ssh_options: sshd.sshOptions };
  }
  const client = createSshClient({ controlDir: sshd.controlDir });
  const l = await listTimes(localAgents, createHealthCheck(process.env, () => client));
  const r = await listTimes(remoteAgents, createHealthCheck(process.env, () => client));
  console.log(`list_agents, 20 local agents    first ${l.cold.toFixed(1)} ms   repeat p50 ${l.warm.toFixed(1)} ms`);
  console.log(`list_agents, 20 remote agents   first ${r.cold.toFixed(1)} ms (one ssh round trip)   repeat p50 ${r.warm.toFixed(1)} ms (cached 10 s)   ratio first ${(r.cold / l.cold).toFixed(2)}x`);
} finally {
  sshd.cleanup();
  rmSync(dir, { recursive: true, force: true });
}
