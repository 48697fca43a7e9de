// The dispatch chain across runtimes: a Claude agent dispatches (from its shell, through `agent-dispatch serve`)
// to a Codex agent, whose shell tries to dispatch back to the Claude agent: that A → B → A is refused with
// error type `recursion`, and the refusal travels back up through both real CLIs. Needs dist/ (npm run build).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/cli/services.js';
import { createRunner } from '../../src/runner/index.js';
import { serveInProcess } from '../server/fakes.js';
import { silentLogger } from '../../src/shared/log.js';
import { text as claudeText, toolUse } from '../support/fake-anthropic.js';
import { codexShell, text } from '../support/fake-openai-responses.js';
import { CLAUDE_BIN, createBackbone, type Backbone } from '../support/harness.js';
import { assertBuilt } from '../support/product.js';
import { createRig, RUNTIME_BINS, type RuntimeRig } from './support.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'dispatch-via-mcp.mjs');

describe('the runner refuses a dispatch cycle', () => {
  it.each([
    ['A → B → A', 'alpha,beta', 'alpha'],
    ['A → A', 'alpha', 'alpha'],
  ])('refuses %s with error type recursion, before starting anything', async (_title, chain, target) => {
    const runner = createRunner({ env: { AGENT_DISPATCH_DEPTH: '1', AGENT_DISPATCH_CHAIN: chain }, binaries: { codex: '/nonexistent/codex' } });
    const result = await runner.run({ agent: { name: target, directory: '/nonexistent', description: '', runtime: 'codex', timeout: 60 }, task: 'x' });
    expect(result).toMatchObject({ ok: false, exitCode: null, error: { type: 'recursion', message: expect.stringContaining(`${chain.replaceAll(',', ' → ')} → ${target}`) } });
  });

  it('lets a chain continue to an agent that is not on it', async () => {
    const runner = createRunner({ env: { AGENT_DISPATCH_DEPTH: '1', AGENT_DISPATCH_CHAIN: 'alpha' }, binaries: { codex: '/nonexistent/codex' } });
    const result = await runner.run({ agent: { name: 'beta', directory: '/nonexistent', description: '', runtime: 'codex', timeout: 60 }, task: 'x' });
    expect(result.error?.type).toBe('not_found'); // got past the chain check, stopped at the missing directory
  });
});

describe('a Claude agent dispatching to a Codex agent that dispatches back', () => {
  let bb: Backbone;
  let rig: RuntimeRig;
  let services: Services;
  let client: Client;
  let served: ReturnType<typeof serveInProcess>;

  beforeAll(async () => {
    assertBuilt();
    bb = await createBackbone({
      rules: [{ match: 'CHAIN step 1', reply: [toolUse('Bash', { command: `node ${FIXTURE} cx-back 'CHAIN step 2'` }), (ctx) => claudeText(`CLAUDE_SAW ${ctx.lastToolResult}`)] }],
    });
    rig = await createRig('codex', {
      rules: [{ match: 'CHAIN step 2', reply: [codexShell(`node ${FIXTURE} claude-front 'CHAIN step 3'`), (ctx) => text(`CODEX_SAW ${ctx.lastToolResult}`)] }],
    });
    const configPath = join(bb.sandbox.root, 'agents.yaml');
    writeFileSync(
      configPath,
      stringify({
        agents: {
          'claude-front': { directory: bb.project('front'), runtime: 'claude', allowed_tools: ['Bash'] },
          // The nested `serve` writes the job store outside the project: no sandbox for this agent.
          'cx-back': { directory: rig.agent('unused').directory, runtime: 'codex', permission_mode: 'bypassPermissions' },
        },
      }),
    );
    const env = {
      ...bb.env(),
      CODEX_HOME: rig.env.CODEX_HOME!,
      STANDIN_API_KEY: 'sk-test',
      AGENT_DISPATCH_CONFIG: configPath,
      AGENT_DISPATCH_STATE_DIR: join(bb.sandbox.root, 'state'),
      AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN,
      AGENT_DISPATCH_CODEX_BIN: RUNTIME_BINS.codex,
    };
    services = createServices({ env, cwd: bb.sandbox.root, stdout: { write: () => true }, stderr: { write: () => true } });
    served = serveInProcess({ dispatcher: services.dispatcher, catalog: services.catalog, logger: silentLogger });
    client = new Client({ name: 'chain-test', version: '1' });
    await client.connect(served.transport);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await served?.close();
    services?.close();
    await rig?.cleanup();
    await bb?.cleanup();
  });

  it('refuses the dispatch back with recursion, and both agents see it', async () => {
    const result = (await client.callTool({ name: 'dispatch', arguments: { agent: 'claude-front', task: 'CHAIN step 1' } })) as { structuredContent?: any };
    const data = result.structuredContent;
    expect(data, JSON.stringify(data)).toMatchObject({ agent: 'claude-front', success: true });
    // Claude saw the fixture's line for cx-back, whose answer quotes the fixture's line for claude-front.
    expect(data.result).toMatch(/^CLAUDE_SAW DISPATCH_RESULT /);
    expect(data.result).toContain('"agent":"cx-back","success":true');
    expect(data.result).toContain('CODEX_SAW');
    expect(data.result).toMatch(/\\"agent\\":\\"claude-front\\",\\"success\\":false,\\"error_type\\":\\"recursion\\"/);
    expect(data.result).toContain('claude-front → cx-back → claude-front');
    // The stand-ins saw exactly one Codex turn pair and no second Claude run.
    expect(bb.model.messageRequests().filter((r) => r.prompt.includes('CHAIN step 3'))).toEqual([]);
    expect(rig.model.modelRequests()).toHaveLength(2);
  });
});
