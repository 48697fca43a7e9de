// 1,000 concurrent `list_agents` calls against the built `agent-dispatch serve` over stdio (a real MCP client),
// with 6 agents whose projects hold a CLAUDE.md, a README and a package.json of tens of KB each. Prints the
// server's peak RSS (VmHWM) next to its RSS after one call (the baseline, same run), and the wall time of the
// burst next to 1,000 × the median time of one call.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'agent-dispatch.js');
const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const AGENTS = 6;
// The client queues 1,000 writes on the server's stdin, each waiting for 'drain': expected here, not a leak.
EventEmitter.defaultMaxListeners = CALLS + 10;
const mb = (kb) => `${(kb / 1024).toFixed(0).padStart(5)} MB`;

const root = mkdtempSync(join(tmpdir(), 'ad-bench-list-'));
const home = join(root, 'home');
mkdirSync(home);
let yaml = 'agents:\n';
for (let i = 0; i < AGENTS; i += 1) {
  const dir = join(root, `p${i}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'CLAUDE.md'), `# Project ${i}\n\nRules for project ${i}.\n\n${'- a rule of this project\n'.repeat(800)}`);
  writeFileSync(join(dir, 'README.md'), `# p${i}\n\nA service that does thing ${i}.\n\n${'Some documentation text. '.repeat(2400)}`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `p${i}`, description: `package ${i}`, dependencies: Object.fromEntries(Array.from({ length: 400 }, (_, j) => [`dep-${j}`, '^1.0.0'])) }, null, 2));
  yaml += `  p${i}:\n    directory: ${dir}\n`;
}
writeFileSync(join(root, 'agents.yaml'), yaml);
const env = { PATH: process.env.PATH ?? '', HOME: home, AGENT_DISPATCH_CONFIG: join(root, 'agents.yaml'), AGENT_DISPATCH_STATE_DIR: join(root, 'state') };

const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve'], env, stderr: 'ignore' });
const client = new Client({ name: 'bench', version: '1' });
const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${transport.pid}/status`, 'utf8'))?.[1] ?? NaN);
const call = async () => {
  const res = await client.callTool({ name: 'list_agents', arguments: {} }, undefined, { timeout: 600_000 });
  if (res.isError || res.structuredContent?.agents?.length !== AGENTS) throw new Error(`list_agents failed: ${JSON.stringify(res.content).slice(0, 300)}`);
};

try {
  await client.connect(transport);
  const single = [];
  for (let i = 0; i < 30; i += 1) {
    const t0 = performance.now();
    await call();
    single.push(performance.now() - t0);
  }
  single.sort((a, b) => a - b);
  const one = single[Math.floor(single.length / 2)];
  const baseRss = kb('VmRSS');
  const baseHwm = kb('VmHWM');
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CALLS }, call));
  const burst = performance.now() - t0;
  const peak = kb('VmHWM');
  console.log(`list_agents, ${AGENTS} agents with ~60 KB of project files each`);
  console.log(`  server RSS after single calls (baseline) ${mb(baseRss)}  (peak so far ${mb(baseHwm)})`);
  console.log(`  server peak RSS during ${CALLS} concurrent calls ${mb(peak)}  ratio ${(peak / baseRss).toFixed(2)}x, +${mb(peak - baseRss).trim()}`);
  console.log(`  one call (median of 30) ${one.toFixed(1)} ms; ${CALLS} concurrent: ${burst.toFixed(0)} ms = ${(burst / (one * CALLS)).toFixed(2)}x of ${CALLS} x one call`);
} finally {
  await client.close().catch(() => {});
  rmSync(root, { recursive: true, force: true });
}
