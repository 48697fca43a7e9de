// Approvals (issue 18) on the dashboard in Chromium: a background job of the real Claude Code CLI waits in
// input_required; its page shows the request exactly as it will run, and the Allow button lets it finish.
// The services are the CLI's own composition. Skipped when /usr/bin/chromium is missing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/cli/services.js';
import { generateToken } from '../../src/config/token.js';
import { startWeb, type WebHandle } from '../../src/web/serve.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, stopLocalWorkers, type ProductSetup } from '../support/product.js';
import { HAS_CHROMIUM, launchChromium, signedInPage } from '../support/browser.js';

let bb: Backbone;
let services: Services;
let web: WebHandle;
let browser: Browser;
let page: Page;
let alpha: string;
let product: ProductSetup | undefined;

describe.skipIf(!HAS_CHROMIUM)('approvals on the dashboard in Chromium', () => {
  beforeAll(async () => {
    assertBuilt();
    bb = await createBackbone({
      rules: [{ match: 'dashboard', reply: [toolUse('Bash', { command: 'touch from-dashboard.txt && echo made-dashboard' }), (c) => text(`tool said: ${c.lastToolResult}`)] }],
    });
    alpha = bb.project('alpha');
    product = setupProduct(bb, { agents: { alpha: { directory: alpha, permission_mode: 'default', approvals: 'ask' } } });
    services = createServices({ env: product.env, cwd: bb.sandbox.root, stdout: { write: () => true }, stderr: { write: () => true }, selfCommand: [process.execPath, AGENT_DISPATCH_BIN] });
    web = await startWeb({ store: services.store, dispatcher: services.dispatcher, agents: () => [], budgets: () => ({ agents: {} }), token: generateToken(), port: 0 });
    browser = await launchChromium();
    page = await signedInPage(browser, web);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await services?.dispatcher.abortAll('test over');
    services?.close();
    // The background job ran in the local worker, which outlives the services: stop it before the sandbox goes.
    if (product) await stopLocalWorkers(product.stateDir);
    await bb?.cleanup();
  });

  it('shows the waiting request and lets the job finish once Allow is clicked', async () => {
    const job = await services.dispatcher.start({ agent: 'alpha', task: 'dashboard' });
    for (let i = 0; i < 300 && !services.store.get(job.id).pendingApprovals; i++) await new Promise((r) => setTimeout(r, 100));
    const [request] = services.store.get(job.id).pendingApprovals ?? [];
    expect(request?.toolName).toBe('Bash');

    // Without a session, the same route is refused like cancel.
    const anonymous = await fetch(`${web.url}jobs/${job.id}/approvals/${request!.id}`, { method: 'POST', body: new URLSearchParams({ decision: 'allow_once' }), redirect: 'manual' });
    expect(anonymous.status).toBe(401);

    await page.goto(`${web.url}jobs/${job.id}`);
    expect(await page.locator('h2', { hasText: 'Input required' }).count()).toBe(1);
    expect(await page.locator('div.approval pre').textContent()).toBe('command: touch from-dashboard.txt && echo made-dashboard');
    await page.getByRole('button', { name: 'Allow once' }).click();
    await page.waitForURL(/cancel=decided/);
    const done = await services.dispatcher.wait(job.id, 60_000);
    expect(done.job.status).toBe('done');
    expect(done.job.result?.text).toContain('made-dashboard');
    expect(existsSync(join(alpha, 'from-dashboard.txt'))).toBe(true);
    expect(services.store.events(job.id).events.map((e) => e.event)).toContainEqual(expect.objectContaining({ type: 'approval_decision', decidedBy: 'dashboard', decision: 'allow_once' }));
  });
});
