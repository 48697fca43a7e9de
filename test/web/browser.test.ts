// The dashboard in a real browser (Debian's Chromium through playwright-core), with dispatches that run the
// real Claude Code CLI against the stand-in model. Skipped when /usr/bin/chromium is missing.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetsFromConfig } from '../../src/web/deps.js';
import { startWeb, type WebHandle } from '../../src/web/serve.js';
import { generateToken } from '../../src/config/token.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { REPO_ROOT } from '../support/harness.js';
import { HAS_CHROMIUM, launchChromium, signedInPage } from '../support/browser.js';
import { connect } from '../server/fakes.js';
import { realServices, type RealServices } from './real-service.js';

const SHOTS = join(REPO_ROOT, 'test-output', 'screenshots');
const TOKEN = generateToken();

let env: RealServices;
let web: WebHandle;
let browser: Browser;
let page: Page;

describe.skipIf(!HAS_CHROMIUM)('the dashboard in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    env = await realServices({});
    env.bb.model.setRules([
      {
        match: 'SHOW_README',
        reply: [toolUse('Read', { file_path: join(env.alphaDir, 'README.md') }, { text: 'Reading the readme.', delayMs: 800 }), text('The readme says: alpha project readme.', { delayMs: 800 })],
      },
      { match: 'SLOW_TASK', reply: text('too late', { delayMs: 60_000 }) },
      {
        match: 'LIVE_JOB',
        reply: [toolUse('Read', { file_path: join(env.alphaDir, 'README.md') }, { delayMs: 1000 }), text('finished while you watched', { delayMs: 1000 })],
      },
    ]);
    web = await startWeb({
      store: env.store,
      dispatcher: env.service,
      agents: () => Object.entries(env.config.agents).map(([name, a]) => ({ name, directory: a.directory, description: a.description, healthy: true })),
      budgets: () => budgetsFromConfig(env.config),
      token: TOKEN,
      port: 0,
    });
    browser = await launchChromium();
    page = await signedInPage(browser, web, { width: 1280, height: 800 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await env?.cleanup();
  });

  it('signs in with the one-time link and drops the code from the address', async () => {
    expect(page.url()).toBe(web.url);
    expect(await page.locator('h1').textContent()).toContain('Jobs');
  });

  it('sends a browser without a session to the sign-in form, which signs it in with the pasted token', async () => {
    const context = await browser.newContext();
    try {
      const fresh = await context.newPage();
      const response = await fresh.goto(`${web.url}costs`);
      expect(response?.status()).toBe(401);
      await fresh.getByLabel('Access token').fill('wrong token');
      await fresh.getByRole('button', { name: 'Sign in' }).click();
      expect(await fresh.getByRole('alert').textContent()).toContain('That is not the access token.');
      await fresh.getByLabel('Access token').fill(TOKEN);
      await fresh.getByRole('button', { name: 'Sign in' }).click();
      await fresh.waitForURL(`${web.url}costs`);
      expect(await fresh.locator('h1').textContent()).toContain('Costs');
      const history = fresh.url();
      expect(history).not.toContain(TOKEN);
    } finally {
      await context.close();
    }
  }, 30_000);

  it('signs a browser in through the --open file, with nothing secret on the opener\'s command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ad-open-'));
    const opened: string[] = [];
    const other = await startWeb({ store: env.store, dispatcher: env.service, agents: () => [], budgets: () => ({ agents: {} }), token: TOKEN, port: 0, open: true, openerDir: dir, openFile: (path) => opened.push(path) });
    const context = await browser.newContext();
    try {
      const fresh = await context.newPage();
      await fresh.goto(pathToFileURL(opened[0] as string).href);
      await fresh.waitForURL(other.url);
      expect(await fresh.locator('h1').textContent()).toContain('Jobs');
    } finally {
      await context.close();
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('shows a dispatch made through the MCP server appear and turn done without a reload', async () => {
    await page.goto(web.url);
    await page.locator('#live.on').waitFor();
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    const mcp = await connect({ dispatcher: env.service, catalog: env.deps.catalog });
    try {
      const call = mcp.client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'SHOW_README please', caller: 'browser-test' } });
      const row = page.locator('#job-rows tr', { hasText: 'SHOW_README please' });
      await row.locator('.badge.running').waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(SHOTS, 'jobs-running.png') });
      const result = await call;
      expect(result.isError).toBeFalsy();
      await row.locator('.badge.done').waitFor({ timeout: 10_000 });
      expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
      expect(await page.locator('#job-count').textContent()).toBe('1 job');
      await expect.poll(() => row.locator('td').nth(6).textContent()).toMatch(/^\$0\.\d+/);
      await page.screenshot({ path: join(SHOTS, 'jobs-done.png') });
    } finally {
      await mcp.close();
    }
  }, 60_000);

  it('opens the job and shows its tool calls, result and prompt', async () => {
    await page.goto(web.url);
    await page.locator('#job-rows a', { hasText: 'SHOW_README please' }).first().click();
    await page.waitForURL(/\/jobs\/[0-9a-f]{32}$/);
    const timeline = page.locator('ol.timeline');
    await expect.poll(() => timeline.locator('.tool_use .kind').allTextContents()).toEqual(['Read']);
    expect(await timeline.locator('.tool_use code').first().textContent()).toBe(join(env.alphaDir, 'README.md'));
    expect(await timeline.locator('.tool_result pre').first().textContent()).toContain('alpha project readme');
    expect(await page.locator('pre.result').textContent()).toBe('The readme says: alpha project readme.');
    expect(await page.locator('details summary').allTextContents()).toEqual(expect.arrayContaining(['Dispatched by', 'Task']));
    await page.screenshot({ path: join(SHOTS, 'job.png'), fullPage: true });
  }, 30_000);

  it('updates an open job page as the agent works, without a reload', async () => {
    const dispatched = env.service.dispatch({ agent: 'alpha', task: 'LIVE_JOB watch me', caller: 'browser-test' });
    await env.bb.model.waitForRequest((r) => r.prompt.includes('LIVE_JOB'));
    const [job] = env.store.list({ status: 'running' });
    await page.goto(`${web.url}jobs/${job?.id}`);
    await page.locator('#live.on').waitFor();
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.locator('#job-live .badge.done').waitFor({ timeout: 20_000 });
    expect(await page.locator('ol.timeline .tool_use .kind').allTextContents()).toEqual(['Read']);
    expect(await page.locator('pre.result').textContent()).toBe('finished while you watched');
    expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect((await dispatched).result.ok).toBe(true);
  }, 60_000);

  it('cancels a running job from its page', async () => {
    const dispatched = env.service.dispatch({ agent: 'alpha', task: 'SLOW_TASK forever', caller: 'browser-test' });
    await env.bb.model.waitForRequest((r) => r.prompt.includes('SLOW_TASK'));
    const [job] = env.store.list({ status: 'running' });
    expect(job?.task).toBe('SLOW_TASK forever');
    await page.goto(`${web.url}jobs/${job?.id}`);
    await page.locator('#live.on').waitFor();
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await page.waitForURL(/\?cancel=/);
    await page.locator('#job-live .badge.cancelled').waitFor({ timeout: 10_000 });
    expect(await page.locator('.notice').first().textContent()).toBe('The job was stopped.');
    const outcome = await dispatched;
    expect(outcome.result).toMatchObject({ ok: false, error: { type: 'cancelled' } });
    await page.screenshot({ path: join(SHOTS, 'job-cancelled.png') });
  }, 60_000);

  it('draws the cost chart against the daily budget', async () => {
    await page.goto(`${web.url}costs`);
    const chart = page.locator('#cost-chart svg.chart');
    await chart.waitFor();
    expect(await chart.locator('rect').count()).toBeGreaterThan(0);
    expect(await chart.locator('line.budget').count()).toBe(1);
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(400);
    expect(await page.locator('table.costs tbody tr').first().textContent()).toContain('alpha');
    await page.screenshot({ path: join(SHOTS, 'costs.png'), fullPage: true });
  }, 30_000);

  it('shows the agents with their record', async () => {
    await page.goto(`${web.url}agents`);
    const alpha = page.locator('#agent-alpha');
    expect(await alpha.locator('.badge').count()).toBeGreaterThanOrEqual(2);
    expect(await alpha.textContent()).toContain('67 %');
    await page.screenshot({ path: join(SHOTS, 'agents.png'), fullPage: true });
  }, 30_000);
});
