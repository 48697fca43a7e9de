// startWeb: the dashboard on 127.0.0.1 (never another interface), optionally opened in the browser.
import { platform } from 'node:os';
import { spawnDetached } from '../runner/spawn.js';
import { DispatchError } from '../shared/errors.js';
import { silentLogger } from '../shared/log.js';
import { checkPort, listenLoopback, LOOPBACK } from '../server/http-listen.js';
import { createApp } from './app.js';
import type { WebDeps } from './deps.js';

/** Default dashboard port. */
export const DEFAULT_WEB_PORT = 7788;

/** Options of startWeb: the dashboard's services plus where to listen. */
export interface StartWebOptions extends Omit<WebDeps, 'port'> {
  /** Default DEFAULT_WEB_PORT; 0 picks a free port. */
  port?: number;
  /** Open the dashboard in the user's browser (with a one-time sign-in code, not the token). */
  open?: boolean;
  /** How to open a URL (default: xdg-open, or `open` on macOS, through runner/spawn). */
  openUrl?: (url: string) => void;
}

/** A running dashboard. */
export interface WebHandle {
  /** The plain address, e.g. http://127.0.0.1:7788/ */
  url: string;
  /** The address with the access token, to print for the user (it signs the browser in, then drops the token). */
  signInUrl: string;
  port: number;
  /** A fresh one-time sign-in URL (valid two minutes). */
  oneTimeUrl(): string;
  close(): Promise<void>;
}

// The default opener: the desktop's URL handler, detached, never through a shell.
export function openInBrowser(url: string): void {
  const command = platform() === 'darwin' ? 'open' : 'xdg-open';
  spawnDetached(command, [url]);
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
  const oneTimeUrl = () => `${url}?token=${app.issueLoginCode()}`;
  logger.debug(`dashboard listening at ${url}`);
  if (options.open) {
    try {
      (options.openUrl ?? openInBrowser)(oneTimeUrl());
    } catch (error) {
      logger.warn(`could not open a browser (${(error as Error).message}); open the printed address yourself`);
    }
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    signInUrl: `${url}?token=${encodeURIComponent(options.token)}`,
    port: bound,
    oneTimeUrl,
    close() {
      closing ??= (async () => {
        app.closeStreams();
        await listening.close();
      })();
      return closing;
    },
  };
}
