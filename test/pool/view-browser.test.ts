// The pool's dashboard in a real browser (Debian's Chromium through playwright-core): `agent-dispatch web` on a
// machine with only the queue, a worker process on "another host" running the real Claude Code CLI against the
// stand-in model. The row of a job started elsewhere appears and finishes without a reload, with its host, and
// its page shows the timeline. Skipped without /usr/bin/chromium or /usr/bin/redis-server.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { registerWeb } from '../../src/cli/commands/web.js';
import type { CliContext } from '../../src/cli/context.js';
import { configSchema } from '../../src/config/schema.js';
import { createPoolDispatcher, type PoolDispatcher } from '../../src/pool/index.js';
import { parseQueueUrl } from '../../src/shared/queue-url.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { CLAUDE_BIN, createBackbone, REPO_ROOT, type Backbone } from '../support/harness.js';
import { assertBuilt } from '../support/product.js';
import { HAVE_REDIS, startRedis, startWorker, stopWorker, type TestRedis, type TestWorker } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(REPO_ROOT, 'test-output', 'screenshots');

let redis: TestRedis;
let bb: Backbone;
let worker: TestWorker;
let caller: PoolDispatcher;
let browser: Browser;
let tmp: string;

describe.skipIf(!HAVE_REDIS || !existsSync(CHROMIUM))('the pool dashboard in Chromium', () => {
  beforeAll(async () => {
    assertBuilt();
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'ad-poolview-browser-'));
    redis = await startRedis();
    bb = await createBackbone({
      rules: [{ match: 'BROWSER_Q', reply: [toolUse('Bash', { command: 'echo seen-in-the-browser' }, { delayMs: 800 }), text('BROWSER_ANSWER', { delayMs: 800 })] }],
    });
    worker = await startWorker(redis, { host: 'far-host', agents: { watcher: {} }, env: { ...(bb.env() as Record<string, string>), AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN } });
    caller = await createPoolDispatcher({ endpoint: parseQueueUrl(redis.url), config: () => configSchema.parse({ settings: { queue: redis.url } }) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (worker) await stopWorker(worker, 'SIGKILL');
    await caller?.close();
    await redis?.stop();
    bb?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('shows a job started on another host appear, run on its worker host and finish, then its timeline', async () => {
    const home = join(tmp, 'viewer');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'agents.yaml'), stringify({ settings: { queue: redis.url } }));
    const out: string[] = [];
    const controller = new AbortController();
    const ctx: CliContext = {
      env: { HOME: home, XDG_STATE_HOME: join(home, 'state'), AGENT_DISPATCH_CONFIG: join(home, 'agents.yaml'), AGENT_DISPATCH_STATE_DIR: join(home, 'state'), AGENT_DISPATCH_LOG_LEVEL: 'error' },
      cwd: home,
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: () => {} },
      signal: controller.signal,
    };
    const done = buildProgram(ctx, [registerWeb]).parseAsync(['web', '--port', '0'], { from: 'user' });
    const page = await browser.newPage();
    try {
      await expect.poll(() => out.join(''), { timeout: 15_000 }).toContain('Dashboard: ');
      await page.goto(/Dashboard: (\S+)/.exec(out.join(''))![1]!);
      await page.locator('#no-jobs').waitFor();
      await expect.poll(() => page.locator('th', { hasText: 'Host' }).count()).toBe(1);

      const job = await caller.start({ agent: 'watcher', task: 'BROWSER_Q: run it where it lives' });
      const row = page.locator(`#job-${job.id}`);
      await row.locator('td.host', { hasText: 'far-host' }).waitFor({ timeout: 20_000 });
      await page.locator(`#job-${job.id}[data-status="done"]`).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SHOTS, 'pool-jobs.png'), fullPage: true });

      await row.locator('td.task a').click();
      await page.locator('.timeline').waitFor();
      expect(await page.locator('.timeline').innerText()).toContain('echo seen-in-the-browser');
      expect(await page.locator('#job-live').innerText()).toContain('far-host');
      expect(await page.locator('#job-live').innerText()).toContain('BROWSER_ANSWER');
      await page.screenshot({ path: join(SHOTS, 'pool-job.png'), fullPage: true });
    } finally {
      await page.close();
      controller.abort();
      await done;
    }
  }, 120_000);
});
