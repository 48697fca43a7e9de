// `agent-dispatch doctor` with the real Claude Code CLI and the stand-in model: a healthy setup passes, and each
// injected fault (missing directory, broken YAML, no claude, a 401, a registration elsewhere) is reported with its fix.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStore } from '../../src/jobs/store/index.js';
import { fail, text } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';

interface Check {
  id: string;
  status: string;
  message: string;
  fix?: string[];
}

let bb: Backbone;
let setup: ProductSetup;
let alpha: string;
const healthyConfig = () => ({ agents: { alpha: { directory: alpha, description: 'Alpha' } } });

const run = (args: string[], env: NodeJS.ProcessEnv = setup.env) =>
  bb.sandbox.runClaude([AGENT_DISPATCH_BIN, ...args], { bin: process.execPath, cwd: bb.sandbox.root, env });
const doctorJson = async (args: string[] = [], env?: NodeJS.ProcessEnv) => {
  const result = await run(['doctor', '--json', ...args], env);
  let report: { ok: boolean; checks: Check[] };
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw new Error(`doctor --json printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, report, check: (id: string) => report.checks.find((c) => c.id === id) };
};
const claude = (args: string[]) => bb.sandbox.runClaude(args, { cwd: bb.sandbox.root, env: setup.env });

beforeAll(async () => {
  assertBuilt();
  bb = await createBackbone({ defaultReply: text('OK') });
  alpha = bb.project('alpha', { claudeMd: 'Alpha rules.' });
  setup = setupProduct(bb, healthyConfig());
  const init = await run(['init']);
  expect(init.code, init.stderr).toBe(0);
});

afterAll(async () => {
  await bb?.cleanup();
});

describe('agent-dispatch doctor', () => {
  it('passes a healthy setup, with a real authenticated request, and recovers stale jobs', async () => {
    mkdirSync(setup.stateDir, { recursive: true });
    const store = createJobStore({ path: join(setup.stateDir, 'jobs.db') });
    store.create({ kind: 'async', request: { agent: 'alpha', task: 'left behind' }, owner: { pid: 2 ** 22 + 17 } });
    store.close();
    const before = bb.model.messageRequests().length;
    const result = await run(['doctor']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}ok {4}Authentication +a one-turn request succeeded/m);
    expect(result.stdout).toMatch(/^ {2}ok {4}Claude Code registration +user scope, connected/m);
    expect(result.stdout).toContain('1 job was left running by a process that died; now marked failed');
    expect(result.stdout).toContain('All checks passed.');
    expect(result.stdout).not.toContain('\x1b[');
    expect(bb.model.messageRequests().length).toBe(before + 1);
    expect(bb.model.lastRequest!.tools).toEqual([]);
  });

  it('reports a missing agent directory with the commands that fix it', async () => {
    writeFileSync(setup.configPath, `agents:\n  alpha:\n    directory: ${alpha}\n  ghost:\n    directory: ${join(bb.sandbox.root, 'gone')}\n`);
    const { code, report, check } = await doctorJson(['--offline']);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(check('agent.alpha')).toMatchObject({ status: 'ok' });
    expect(check('agent.ghost')).toMatchObject({ status: 'fail', message: `directory ${join(bb.sandbox.root, 'gone')} does not exist` });
    expect(check('agent.ghost')!.fix).toContain('agent-dispatch update ghost --directory DIR');
    expect(check('auth')).toMatchObject({ status: 'skip' });
  });

  it('reports broken YAML with its line and a command that opens the editor there', async () => {
    writeFileSync(setup.configPath, 'agents:\n  alpha:\n    directory: [unclosed\n');
    const { code, check } = await doctorJson(['--offline']);
    expect(code).toBe(1);
    const config = check('config')!;
    expect(config.status).toBe('fail');
    expect(config.message).toMatch(new RegExp(`${setup.configPath}:\\d+:\\d+: YAML syntax error`));
    expect(config.fix![0]).toMatch(new RegExp(`^\\$\\{EDITOR:-vi\\} \\+\\d+ ${setup.configPath}$`));
    writeFileSync(setup.configPath, `agents:\n  alpha:\n    directory: ${alpha}\n`);
  });

  it('mentions temp files a killed edit left, and the next edit removes them', async () => {
    const temp = join(dirname(setup.configPath), `.${basename(setup.configPath)}.999999.0123456789ab.tmp`);
    writeFileSync(temp, 'agents: {}\n');
    const { check } = await doctorJson(['--offline']);
    expect(check('config.temps')).toMatchObject({ status: 'warn', message: expect.stringContaining(temp), fix: [`rm ${temp}`] });
    const add = await run(['add', 'beta', alpha, '--description', 'Beta']);
    expect(add.code, add.stderr).toBe(0);
    expect(existsSync(temp)).toBe(false);
    expect((await doctorJson(['--offline'])).check('config.temps')).toBeUndefined();
    expect((await run(['remove', 'beta'])).code).toBe(0);
  });

  it('reports a missing claude and skips what needs it', async () => {
    const env = { ...setup.env, PATH: '/usr/bin:/bin', AGENT_DISPATCH_CLAUDE_BIN: undefined };
    const { code, check } = await doctorJson([], env);
    expect(code).toBe(1);
    expect(check('claude')).toMatchObject({ status: 'fail', message: '`claude` is not on PATH; agents cannot run', fix: ['npm install -g @anthropic-ai/claude-code'] });
    expect(check('auth')).toMatchObject({ status: 'skip' });
    expect(check('registration')).toMatchObject({ status: 'skip' });
  });

  it('reports a rejected API key (401) with the fix', async () => {
    bb.model.setRules([{ fail: fail(401, { message: 'invalid x-api-key' }) }]);
    try {
      const result = await run(['doctor']);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^ {2}fail {2}Authentication +the API key in ANTHROPIC_API_KEY was rejected: Invalid API key/m);
      expect(result.stdout).toMatch(/^ +fix: export ANTHROPIC_API_KEY=<a valid key>$/m);
      expect(result.stdout).toMatch(/^ +or: unset ANTHROPIC_API_KEY && claude auth login$/m);
      expect(result.stdout).toContain('1 failure');
    } finally {
      bb.model.setRules([]);
    }
  });

  it('reports a registration that points at another installation', async () => {
    expect((await claude(['mcp', 'remove', 'agent-dispatch', '--scope', 'user'])).code).toBe(0);
    expect((await claude(['mcp', 'add', '--scope', 'user', 'agent-dispatch', '--', process.execPath, '/elsewhere/agent-dispatch.js', 'serve'])).code).toBe(0);
    const { code, check } = await doctorJson(['--offline']);
    expect(code).toBe(1);
    const registration = check('registration')!;
    expect(registration).toMatchObject({ status: 'fail', fix: ['agent-dispatch init'] });
    expect(registration.message).toContain(`to start ${process.execPath} /elsewhere/agent-dispatch.js serve, which fails`);
    expect(registration.message).toContain(`this installation is ${process.execPath} ${AGENT_DISPATCH_BIN} serve`);
    // The fix it names works.
    expect((await run(['init'])).code).toBe(0);
    expect((await doctorJson(['--offline'])).check('registration')).toMatchObject({ status: 'ok' });
  });
});
