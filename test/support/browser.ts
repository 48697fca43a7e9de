// Debian's Chromium through playwright-core, as the browser tests use it: headless, no sandbox (CI runs as root),
// nothing fetched from the network. `HAS_CHROMIUM` is false when it is not installed (skip).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian puts Chromium. */
export const CHROMIUM = '/usr/bin/chromium';
/** True when the browser tests can run. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);

// Launch a headless Chromium.
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// Open a page signed in to a dashboard: its one-time link sets the session cookie and lands on the home page.
export async function signedInPage(browser: Browser, web: { oneTimeUrl(): string; url: string }, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage(viewport ? { viewport } : {});
  await page.goto(web.oneTimeUrl());
  await page.waitForURL(web.url);
  return page;
}
