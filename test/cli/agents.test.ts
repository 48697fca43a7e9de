import { describe, expect, it } from 'vitest';
import { sandbox } from './config-harness.js';

describe('add, update, remove, list and describe', () => {
  const box = sandbox();
  const api = box.project('api', { 'CLAUDE.md': '# API\n\nOrders and payments service.\n', 'package.json': '{"dependencies":{"pg":"8"}}' });

  it('adds an agent with a description generated from the project', async () => {
    const result = await box.run(['add', 'api', 'api']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`Added agent api → ${api}`);
    expect(box.read()).toBe(`agents:\n  api:\n    directory: ${api}\n    description: "Orders and payments service. Stack: Node.js. DB: PostgreSQL."\n`);
  });

  it('expands ~ and takes every option', async () => {
    box.project('../home/proj');
    const result = await box.run(['add', 'web', '~/proj', '--description', 'Storefront', '--timeout', '90', '--model', 'haiku', '--permission-mode', 'plan',
      '--allowed-tools', 'Read, Grep', '--disallowed-tools', 'Write', '--max-budget-usd', '1.5', '--daily-budget-usd', '10',
      '--capabilities', 'ui,css', '--risky-capabilities', 'deploy', '--runtime', 'codex']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('has no CLAUDE.md');
    const list = JSON.parse((await box.run(['list', '--json'])).stdout) as Record<string, unknown>[];
    expect(list.find((a) => a.name === 'web')).toEqual({
      name: 'web', directory: `${box.home}/proj`, description: 'Storefront', runtime: 'codex', healthy: true, has_claude_md: false, timeout: 90,
      model: 'haiku', permission_mode: 'plan', allowed_tools: ['Read', 'Grep'], disallowed_tools: ['Write'], max_budget_usd: 1.5, daily_budget_usd: 10,
      capabilities: ['ui', 'css'], risky_capabilities: ['deploy'], groups: [], last_run: null,
    });
  });

  it('lists agents in a table with their health', async () => {
    box.write(`${box.read()}  gone:\n    directory: /nonexistent/x\n`);
    const { code, stdout } = await box.run(['list']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+HEALTH\s+LAST RUN\s+RUNTIME\s+PERMISSIONS\s+DIRECTORY\s+DESCRIPTION$/);
    expect(lines[1]).toMatch(/^api\s+ok\s+-\s+claude\s+default\s+.*\/work\/api\s+Orders and payments service\./);
    expect(lines[2]).toMatch(/^gone\s+missing dir\s+-/);
    expect(lines[3]).toMatch(/^web\s+no CLAUDE\.md\s+-\s+codex\s+plan, 2 allowed, 1 denied\s+~\/proj\s+Storefront$/);
    expect(stdout).toContain('1 agent with a missing directory; fix: agent-dispatch update NAME --directory DIR');
    expect(stdout).not.toContain('\u001b[');
  });

  it('colours the table only on a terminal and never with NO_COLOR', async () => {
    expect((await box.run(['list'], { tty: true })).stdout).toContain('\u001b[32mok');
    expect((await box.run(['list'], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });

  it('cuts the description column to the terminal width', async () => {
    const { stdout } = await box.run(['list'], { tty: true, columns: 80, env: { NO_COLOR: '1' } });
    const table = stdout.trimEnd().split('\n').filter((line) => !line.includes('; fix: '));
    expect(table).toHaveLength(4);
    for (const line of table) expect([...line].length).toBeLessThanOrEqual(80);
    expect(table[1]).toMatch(/…$/);
  });

  it('updates fields and clears them with "none"', async () => {
    const updated = await box.run(['update', 'web', '--timeout', '300', '--model', 'none', '--allowed-tools', 'none', '--directory', 'api']);
    expect(updated).toMatchObject({ code: 0, stdout: 'Updated agent web: directory=' + api + ', timeout=300, model cleared, allowed_tools cleared\n' });
    const web = (JSON.parse((await box.run(['list', '--json'])).stdout) as Record<string, unknown>[]).find((a) => a.name === 'web');
    expect(web).toMatchObject({ directory: api, timeout: 300 });
    expect(web).not.toHaveProperty('model');
    expect(web).not.toHaveProperty('allowed_tools');
  });

  it('turns approvals on for an agent, with its timeout, in the file', async () => {
    const updated = await box.run(['update', 'web', '--approvals', 'ask', '--approval-timeout', '120']);
    expect(updated).toMatchObject({ code: 0, stdout: 'Updated agent web: approvals=ask, approval_timeout=120\n' });
    expect(box.read()).toContain('approvals: ask\n    approval_timeout: 120\n');
  });

  it('refuses an update without options as bad usage', async () => {
    const result = await box.run(['update', 'web']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nothing to update');
  });

  it('describes an agent with the origin of each default and the tri-state tool lists', async () => {
    box.write(`${box.read()}settings:\n  default_timeout: 500\n  default_disallowed_tools: [WebFetch]\n`);
    await box.run(['update', 'api', '--allowed-tools', 'Read']);
    box.write(box.read().replace('    allowed_tools:\n      - Read\n', '    allowed_tools: []\n'));
    const { code, stdout } = await box.run(['describe', 'api']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/timeout\s+500 s \(from settings\.default_timeout\)/);
    expect(stdout).toMatch(/allowed tools\s+none: an empty list, which overrides settings\.default_allowed_tools/);
    expect(stdout).toMatch(/disallowed tools\s+WebFetch \(from settings\.default_disallowed_tools\)/);
    expect(stdout).toMatch(/databases\s+PostgreSQL/);
    const json = JSON.parse((await box.run(['describe', 'api', '--json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'api', timeout: 500, allowed_tools: [], disallowed_tools: ['WebFetch'], model: null, sources: { timeout: 'settings', allowed_tools: 'agent', disallowed_tools: 'settings' }, directory_exists: true, project: { dbs: ['PostgreSQL'], has_claude_md: true } });
  });

  it('describes a directory with the description add would write', async () => {
    expect(await box.run(['describe', './api'])).toMatchObject({ code: 0, stdout: 'Orders and payments service. Stack: Node.js. DB: PostgreSQL.\n' });
    expect(JSON.parse((await box.run(['describe', 'api/', '--json'])).stdout)).toEqual({
      directory: api, description: 'Orders and payments service. Stack: Node.js. DB: PostgreSQL.', summary: 'Orders and payments service.', summary_source: 'CLAUDE.md',
      mcp_servers: [], stacks: ['Node.js'], dbs: ['PostgreSQL'], has_claude_md: true, has_mcp_config: false,
    });
  });

  it('says what it accepts when the target is neither an agent nor a directory', async () => {
    const result = await box.run(['describe', 'nothing']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No agent or directory named "nothing". Known agents: api, gone, web.');
  });

  it('removes an agent and names the groups that still list it', async () => {
    box.write(`${box.read()}groups:\n  shop:\n    members:\n      - agent: gone\n`);
    const result = await box.run(['remove', 'gone']);
    expect(result).toMatchObject({ code: 0, stdout: 'Removed agent gone.\n' });
    expect(result.stderr).toBe('note: group "shop" still lists "gone"; drop it with: agent-dispatch group update shop --remove-member gone\n');
    expect(box.read()).not.toContain('  gone:\n');
  });

  it('fails with the known agents when removing or updating an unknown agent', async () => {
    for (const argv of [['remove', 'nope'], ['update', 'nope', '--timeout', '5']]) {
      const result = await box.run(argv);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Unknown agent "nope". Known agents: api, web.');
      expect(result.stderr).toContain('hint: ');
    }
  });

  it('prints warnings for unknown keys to stderr and keeps --json clean', async () => {
    box.write(box.read().replace('  api:\n', '  api:\n    colour: blue\n'));
    const result = await box.run(['list', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: .*agents\.yaml:\d+:5: agents\.api\.colour: unknown key, ignored/);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
  });
});

describe('an empty setup', () => {
  const box = sandbox();

  it('lists nothing with a hint, and [] as JSON', async () => {
    expect(await box.run(['list'])).toMatchObject({ code: 0, stdout: 'No agents yet. Add one with: agent-dispatch add NAME DIR\n' });
    expect((await box.run(['list', '--json'])).stdout).toBe('[]\n');
    expect(box.read()).toBe('');
  });
});

describe('--help', () => {
  const box = sandbox();

  it.each([['add'], ['update'], ['remove'], ['list'], ['describe'], ['group'], ['group', 'add'], ['group', 'list'], ['group', 'inspect'], ['group', 'update'], ['group', 'remove']])(
    'shows an example for %s',
    async (...command) => {
      const result = await box.run([...command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Examples?:\n {2}agent-dispatch /);
    },
  );
});
