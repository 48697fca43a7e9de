// The scratch set-up shared by the benches that drive `agent-dispatch serve`: a temp root with its own HOME, one
// agent directory, an agents.yaml, and the environment that points a server at them and at the instant fixture agent.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
/** The server under test: this build, or another build's bin/agent-dispatch.js given in AD_BENCH_BIN. */
export const BIN = process.env.AD_BENCH_BIN ?? join(ROOT, 'bin', 'agent-dispatch.js');
/** A `claude` stand-in that prints init + result and exits at once. */
export const FIXTURE = join(ROOT, 'test', 'fixtures', 'bin', 'claude-tiny.sh');

// Make the scratch root. `settings` is YAML under `settings:` (indented by the caller); `git`: the agent directory
// is a work tree with one commit. Call cleanup() when done.
export function createServerBench({ name, settings, git = false, logLevel = 'warn' }) {
  const root = mkdtempSync(join(tmpdir(), `ad-bench-${name}-`));
  const agentDir = join(root, 'project');
  mkdirSync(agentDir);
  mkdirSync(join(root, 'home'));
  if (git) {
    writeFileSync(join(agentDir, 'README.md'), 'bench\n');
    const run = (...args) => execFileSync('git', ['-C', agentDir, '-c', 'user.email=b@example.com', '-c', 'user.name=b', ...args], { stdio: 'ignore' });
    run('init', '-q');
    run('add', '.');
    run('commit', '-qm', 'one');
  }
  writeFileSync(join(root, 'agents.yaml'), `agents:\n  bench:\n    directory: ${agentDir}\nsettings:\n${settings}`);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: join(root, 'home'),
    AGENT_DISPATCH_CONFIG: join(root, 'agents.yaml'),
    AGENT_DISPATCH_STATE_DIR: join(root, 'state'),
    AGENT_DISPATCH_CLAUDE_BIN: FIXTURE,
    AGENT_DISPATCH_LOG_LEVEL: logLevel,
  };
  return { root, agentDir, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

// CPU time of one live process (user + system, ms) from /proc: a figure the machine's load hardly moves.
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
