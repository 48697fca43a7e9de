import { describe, expect, it } from 'vitest';
import { sandbox } from './config-harness.js';

describe('group commands', () => {
  const box = sandbox();
  const infra = box.project('infra');
  box.write(`agents:\n  infra:\n    directory: ${infra}\n  api:\n    directory: /nonexistent/api\n`);

  it('adds a group with members, a brief and shared facts', async () => {
    const result = await box.run(['group', 'add', 'shop', '--description', 'Deploy, then verify', '--shared-context', 'Stack "shop".\nCounter 1.', '--member', 'infra:deploy, logs', '--member', 'api']);
    expect(result).toMatchObject({ code: 0, stdout: 'Added group shop with 2 members.\n', stderr: '' });
    expect(box.read()).toContain('groups:\n  shop:\n    description: Deploy, then verify\n    shared_context: |-\n      Stack "shop".\n      Counter 1.\n    members:\n      - agent: infra\n        use_for: deploy, logs\n      - agent: api\n');
  });

  it('lists groups as a table and as JSON with member health', async () => {
    const table = await box.run(['group', 'list']);
    expect(table.stdout).toMatch(/^NAME\s+MEMBERS\s+AGENTS\s+DESCRIPTION\nshop\s+2\s+infra, api\s+Deploy, then verify\n$/);
    expect(JSON.parse((await box.run(['group', 'list', '--json'])).stdout)).toEqual([
      {
        name: 'shop',
        description: 'Deploy, then verify',
        members: [
          { agent: 'infra', use_for: 'deploy, logs', healthy: true, unknown: false },
          { agent: 'api', use_for: '', healthy: false, unknown: false },
        ],
      },
    ]);
  });

  it('inspects a group', async () => {
    const { code, stdout } = await box.run(['group', 'inspect', 'shop']);
    expect(code).toBe(0);
    expect(stdout).toContain('shared context\n  Stack "shop".\n  Counter 1.\n');
    expect(stdout).toMatch(/MEMBER\s+STATE\s+USE FOR\ninfra\s+ok\s+deploy, logs\napi\s+missing dir\s+-\n/);
  });

  it('updates members and clears text with "none"', async () => {
    const result = await box.run(['group', 'update', 'shop', '--remove-member', 'api', '--add-member', 'infra:everything', '--shared-context', 'none']);
    expect(result).toMatchObject({ code: 0, stdout: 'Updated group shop: 1 member.\n' });
    expect(JSON.parse((await box.run(['group', 'inspect', 'shop', '--json'])).stdout)).toEqual({
      name: 'shop',
      description: 'Deploy, then verify',
      shared_context: '',
      members: [{ agent: 'infra', use_for: 'everything', healthy: true, unknown: false }],
    });
  });

  it.each([
    ['a member that is not an agent', ['group', 'add', 'g2', '--member', 'ghost'], 1, /Cannot add "ghost" to a group: no such agent\. Known agents: api, infra\./],
    ['a duplicate group', ['group', 'add', 'shop'], 1, /Group "shop" already exists\./],
    ['a bad group name', ['group', 'add', 'a b'], 1, /Invalid group name "a b": it contains a space/],
    ['a bad member name', ['group', 'add', 'g3', '--member', '../x'], 1, /Invalid agent name "\.\.\/x"/],
    ['an unknown group', ['group', 'inspect', 'shp'], 1, /Unknown group "shp"\. Did you mean "shop"\? Known groups: shop\./],
    ['an update without options', ['group', 'update', 'shop'], 2, /nothing to update/],
    ['"none" in add', ['group', 'add', 'g4', '--description', 'none'], 1, /"none" clears description in update/],
    ['an unknown subcommand', ['group', 'rename', 'shop'], 2, /unknown command 'rename'/],
  ])('rejects %s without touching the file', async (_, argv, code, message) => {
    const before = box.read();
    const result = await box.run(argv);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(box.read()).toBe(before);
  });

  it('flags a member whose agent was removed as unknown', async () => {
    await box.run(['remove', 'infra']);
    expect(JSON.parse((await box.run(['group', 'inspect', 'shop', '--json'])).stdout).members).toEqual([{ agent: 'infra', use_for: 'everything', healthy: false, unknown: true }]);
    expect((await box.run(['group', 'inspect', 'shop'])).stderr).toMatch(/warning: .*groups\.shop\.members\[0\]\.agent: "infra" is not a configured agent/);
  });

  it('removes a group and keeps its agents', async () => {
    expect(await box.run(['group', 'remove', 'shop'])).toMatchObject({ code: 0, stdout: 'Removed group shop.\n' });
    expect((await box.run(['group', 'list'])).stdout).toBe('No groups yet. Create one with: agent-dispatch group add NAME --member AGENT\n');
    expect(box.read()).toContain('  api:\n');
  });
});
