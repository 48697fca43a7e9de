// startWeb: the dashboard on 127.0.0.1 (never another interface), optionally opened in the browser.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDetached } from '../runner/index.js';
import { DispatchError } from '../shared/errors.js';
import { silentLogger } from '../shared/log.js';
import { checkPort, listenLoopback, LOOPBACK } from '../http/listen.js';
import { createApp } from './app.js';
import type { WebDeps } from './deps.js';
import { LOGIN_CODE_MS } from './auth.js';
import { html } from './html.js';

export { LOGIN_CODE_MS } from './auth.js';

/** Default dashboard port. */
export const DEFAULT_WEB_PORT = 7788;

/** Options of startWeb: the dashboard's services plus where to listen. */
export interface StartWebOptions extends Omit<WebDeps, 'port'> {
  /** Default DEFAULT_WEB_PORT; 0 picks a free port. */
  port?: number;
  /** Open the dashboard in the user's browser (through a private file holding a one-time sign-in link). */
  open?: boolean;
  /** How to open a file in the browser (default: xdg-open, or `open` on macOS, through runner/spawn). */
  openFile?: (path: string) => void;
  /** Where the opener file's private directory goes (default: the system temp directory). */
  openerDir?: string;
}

/** A running dashboard. */
export interface WebHandle {
  /** The plain address, e.g. http://127.0.0.1:7788/ */
  url: string;
  port: number;
  /** A fresh one-time sign-in link (one browser, once, within LOGIN_CODE_MS); the token itself is never in a link. */
  oneTimeUrl(): string;
  close(): Promise<void>;
}

// The default opener: the desktop's handler for the file, detached, never through a shell.
export function openInBrowser(path: string): void {
  const command = platform() === 'darwin' ? 'open' : 'xdg-open';
  spawnDetached(command, [path]);
}

// A page that forwards the browser to `url`, written to a new private directory (0700, file 0600). Opening its
// path keeps the one-time code off the opener's command line, which every local user can read in `ps`.
export function writeOpener(url: string, dir: string = tmpdir()): { path: string; remove(): void } {
  const folder = mkdtempSync(join(dir, 'agent-dispatch-open-'));
  const path = join(folder, 'dashboard.html');
  const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>agent-dispatch</title></head><body><p><a href="${url}">Open the agent-dispatch dashboard</a></p></body></html>`;
  writeFileSync(path, page.value, { mode: 0o600, flag: 'wx' });
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

// Listen, and open the browser if asked. Resolves once the server accepts connections.
export async function startWeb(options: StartWebOptions): Promise<WebHandle> {
  if (typeof options.token !== 'string' || options.token.length < 16) {
    throw new DispatchError('INVALID_INPUT', 'startWeb needs the access token (at least 16 characters).');
  }
  const logger = options.logger ?? silentLogger;
  const requested = checkPort(options.port ?? DEFAULT_WEB_PORT);
  let bound = requested;
  const app = createApp({ ...options, port: () => bound });
  const listening = await listenLoopback(app.fetch, requested);
  bound = listening.port;
  const url = `http://${LOOPBACK}:${bound}/`;
  const oneTimeUrl = () => `${url}?code=${app.issueLoginCode()}`;
  logger.debug(`dashboard listening at ${url}`);
  let opener: ReturnType<typeof writeOpener> | undefined;
  let openerTimer: NodeJS.Timeout | undefined;
  if (options.open) {
    try {
      opener = writeOpener(oneTimeUrl(), options.openerDir);
      // The browser reads the file at once; after the code's lifetime it is of no use to anyone.
      openerTimer = setTimeout(() => opener?.remove(), LOGIN_CODE_MS).unref();
      (options.openFile ?? openInBrowser)(opener.path);
    } catch (error) {
      logger.warn(`could not open a browser (${(error as Error).message}); open the printed address yourself`);
    }
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    port: bound,
    oneTimeUrl,
    close() {
      closing ??= (async () => {
        clearTimeout(openerTimer);
        opener?.remove();
        app.closeStreams();
        await listening.close();
      })();
      return closing;
    },
  };
}
