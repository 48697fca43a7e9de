// `agent-dispatch demo` as a new user runs it (`npm run demo` = build, then this): the whole scenario offline,
// every step printed, exit 0, and nothing left behind (temp directory, processes).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAUDE_BIN, REPO_ROOT } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt } from '../support/product.js';
import { DEMO_NEXT_STEPS } from '../../src/cli/demo/run.js';

let home: string;
let run: { status: number | null; stdout: string; stderr: string };

// Processes whose working directory lies under `root` (a deleted one reads "<path> (deleted)").
function processesUnder(root: string): number[] {
  return readdirSync('/proc').flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      return readlinkSync(`/proc/${name}/cwd`).startsWith(root) ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

beforeAll(() => {
  assertBuilt();
  home = mkdtempSync(join(tmpdir(), 'ad-demo-home-'));
  // A user's environment: PATH with the pinned CLI first (as `npm run` sets it), a HOME of its own. No API key:
  // the demo must not need one.
  const result = spawnSync(process.execPath, [AGENT_DISPATCH_BIN, 'demo'], {
    cwd: REPO_ROOT,
    env: { PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH}`, HOME: home, AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN },
    encoding: 'utf8',
    timeout: 170_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
}, 180_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('agent-dispatch demo', () => {
  it('exits 0 and says the demo passed', () => {
    expect(run.status, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('Demo passed.');
  });

  it("closes with the README's first steps (init, not a hand-made `claude mcp add`)", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const forReal = readme.slice(readme.indexOf('### Using it for real'), readme.indexOf('## MCP tools'));
    for (const step of DEMO_NEXT_STEPS) {
      expect(run.stdout).toContain(`\n    ${step}\n`);
      expect(forReal).toMatch(new RegExp(`^${step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s`, 'm'));
    }
    expect(run.stdout).not.toContain('claude mcp add');
  });

  it('prints what it starts: the workspace, the stand-in model, the CLI it found, and our server with its tools', () => {
    expect(run.stdout).toMatch(/▸ workspace {2}\/\S+agent-dispatch-demo-\S+/);
    expect(run.stdout).toMatch(/agent payments .*The payments API/);
    expect(run.stdout).toMatch(/▸ model {6}stand-in Anthropic Messages API at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout).toContain(`▸ claude     ${CLAUDE_BIN} (2.1.328 (Claude Code); found via AGENT_DISPATCH_CLAUDE_BIN)`);
    expect(run.stdout).toMatch(/▸ server {5}agent-dispatch serve over stdio \(pid \d+\): 23 tools listed/);
    expect(run.stdout).toMatch(/list_agents → (payments|frontend) \(healthy\), (payments|frontend) \(healthy\)/);
  });

  it('shows a direct dispatch with its progress, answer, cost, duration and job id', () => {
    expect(run.stdout).toMatch(/→ dispatch \{"agent":"frontend"/);
    expect(run.stdout).toMatch(/· frontend · job [0-9a-f]{32} started/);
    expect(run.stdout).toMatch(/← frontend answered "web-frontend is a React 19 app that calls payments-api at \/api\/pay\."\n {6}job [0-9a-f]{32} · \$0\.\d{4} · (\d+ ms|[\d.]+ s) · 1 turn\(s\)/);
  });

  it('shows Claude Code calling dispatch and dispatch_parallel, the agents\' answers and the caller\'s replies', () => {
    expect(run.stdout).toContain('→ mcp__agent-dispatch__dispatch {"agent":"payments"');
    expect(run.stdout).toContain('← payments answered "payments-api listens on port 8123 and keeps its data in Postgres 16."');
    expect(run.stdout).toContain('▸ caller\'s reply: "The payments agent says: payments-api listens on port 8123 and keeps its data in Postgres 16."');
    expect(run.stdout).toContain('→ mcp__agent-dispatch__dispatch_parallel {"dispatches":[');
    expect(run.stdout).toMatch(/▸ caller's reply: "Both answered\. payments: payments-api .* frontend: web-frontend .*"/);
    expect(run.stdout).toMatch(/▸ jobs {7}4 recorded in the job store/);
  });

  it('removes its temp directory and leaves no process behind', () => {
    const root = /▸ workspace {2}(\S+)/.exec(run.stdout)?.[1];
    expect(root).toBeDefined();
    expect(run.stdout).toContain(`removed ${root}`);
    expect(existsSync(root!)).toBe(false);
    expect(processesUnder(root!)).toEqual([]);
  });
});
