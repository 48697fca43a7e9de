// The git processes one `dispatch` starts in a git work tree with the cache on (the default), and the server CPU
// per call: 20 sequential calls with distinct tasks (each a fresh run: cache key, before-run snapshot, change
// measurement), through MCP stdio, with a `git` on PATH that logs each subcommand and runs the real one. Counts do
// not move with machine load. `--base <bin/agent-dispatch.js>` runs another build in the same run for comparison.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, cpuMs, createServerBench } from './lib/server-env.mjs';

const CALLS = 20;
const at = process.argv.indexOf('--base');
const baseBin = at > 0 ? process.argv[at + 1] : process.env.AD_BENCH_BASE_BIN;
const bench = createServerBench({ name: 'git-count', settings: '  max_concurrency: 5\n', git: true, logLevel: 'error' });
const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const log = join(bench.root, 'git.log');
const wrapper = join(bench.root, 'bin');
execFileSync('mkdir', ['-p', wrapper]);
// The first argument that is not an option (or an option's value) is the subcommand.
writeFileSync(join(wrapper, 'git'), `#!/bin/sh\nsub=; skip=; for a in "$@"; do if [ -n "$skip" ]; then skip=; continue; fi; case $a in -c|-C) skip=1 ;; -*) ;; *) sub=$a; break ;; esac; done\necho "$sub" >> '${log}'\nexec '${realGit}' "$@"\n`);
chmodSync(join(wrapper, 'git'), 0o755);
const env = { ...bench.env, PATH: `${wrapper}:${bench.env.PATH}` };

async function measure(bin, label) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'serve'], env, stderr: 'inherit' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  try {
    await client.callTool({ name: 'dispatch', arguments: { agent: 'bench', task: `${label} warm-up` } });
    writeFileSync(log, '');
    const cpu0 = cpuMs(transport.pid);
    for (let i = 0; i < CALLS; i += 1) {
      const res = await client.callTool({ name: 'dispatch', arguments: { agent: 'bench', task: `${label} task ${i}` } });
      if (res.isError || res.structuredContent?.cached) throw new Error(`dispatch failed: ${JSON.stringify(res.structuredContent ?? res.content).slice(0, 300)}`);
    }
    const cpu = (cpuMs(transport.pid) - cpu0) / CALLS;
    const subs = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const counts = new Map();
    for (const s of subs) counts.set(s, (counts.get(s) ?? 0) + 1);
    const by = [...counts].map(([s, n]) => `${s} ${(n / CALLS).toFixed(1)}`).join(', ');
    console.log(`  ${label.padEnd(11)} git processes per dispatch ${(subs.length / CALLS).toFixed(1)} (${by})   server cpu per dispatch ${cpu.toFixed(1)} ms`);
  } finally {
    await client.close();
  }
}

try {
  console.log(`${CALLS} sequential dispatches in a git work tree, cache on:`);
  await measure(BIN, 'this build');
  if (baseBin) await measure(baseBin, 'base build');
} finally {
  bench.cleanup();
}
