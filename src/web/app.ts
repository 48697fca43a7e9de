// createApp: the dashboard as a hono app (no listening here; serve.ts does that, tests call app.request()).
// Every request passes the loopback guard first; pages are server-rendered and work without script.
import { Hono, type Context } from 'hono';
import { isDispatchError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/log.js';
import { limitBody } from '../http/body-limit.js';
import type { GuardEnv } from '../http/guard.js';
import { CLIENT_SCRIPT } from './assets/client.js';
import { STYLE } from './assets/style.js';
import { createDashboardAuth } from './auth.js';
import { safeNext, SIGN_IN_PATH } from './signin.js';
import { storeSource, type WebDeps } from './deps.js';
import { html } from './html.js';
import { page } from './layout.js';
import { createLiveFeed, handleEvents } from './live.js';
import { renderAgentsPage } from './pages/agents.js';
import { parseDays, renderCostsPage } from './pages/costs.js';
import { renderJobLive, renderJobPage } from './pages/job.js';
import { parseJobsQuery, renderJobsPage } from './pages/jobs.js';

/** The app plus what its server needs. */
export type WebApp = Hono<GuardEnv> & {
  /** A one-time sign-in code (for `--open`). */
  issueLoginCode(): string;
  /** End every live stream (before the server closes). */
  closeStreams(): void;
  liveClients(): number;
};

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

// Build the dashboard.
export function createApp(deps: WebDeps): WebApp {
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? Date.now;
  const auth = createDashboardAuth({ token: deps.token, port: deps.port, now, ...(deps.tokenFile ? { tokenFile: deps.tokenFile } : {}) });
  // Local jobs from the store, or in pool mode every host's jobs: the pages and the live feed read only this.
  const source = deps.source ?? storeSource(deps.store);
  const feed = createLiveFeed(source, logger);
  const app = new Hono<GuardEnv>();

  app.use('*', async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', CSP);
    h.set('X-Content-Type-Options', 'nosniff');
    // Not no-referrer: with it, Chromium sends `Origin: null` on our own form POSTs, which the CSRF check refuses.
    h.set('Referrer-Policy', 'same-origin');
    h.set('X-Frame-Options', 'DENY');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  });
  // The sign-in form is read before any session exists: keep its body small.
  app.use(SIGN_IN_PATH, limitBody(16 * 1024, (c) => c.text('Sign-in form too large.', 413)));
  app.use('*', auth.guard);
  app.use('*', auth.sameOrigin);
  // Already signed in: the sign-in page has nothing to do.
  app.get(SIGN_IN_PATH, (c) => c.redirect('/', 303));
  app.post(SIGN_IN_PATH, async (c) => c.redirect(safeNext((await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)).next), 303));

  app.get('/assets/app.css', (c) => c.body(STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'private, max-age=300' }));
  app.get('/assets/app.js', (c) => c.body(CLIENT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'private, max-age=300' }));

  const jobsPage = async (c: Context<GuardEnv>) => {
    const names = (await deps.agents()).map((a) => a.name);
    return c.html((await renderJobsPage({ source, agentNames: () => names, now }, parseJobsQuery(c.req.query()))).value);
  };
  app.get('/', jobsPage);
  app.get('/jobs', jobsPage);

  app.get('/jobs/:id', async (c) => {
    const seq = await source.currentSeq();
    const job = await source.get(c.req.param('id'));
    const diff = await worktreeDiffOf(deps, job.result?.worktree?.branch, logger);
    return c.html((await renderJobPage(source, job, now(), seq, c.req.query('cancel'), diff)).value);
  });
  app.get('/jobs/:id/live', async (c) => c.html((await renderJobLive(source, await source.get(c.req.param('id')), now())).value));
  app.post('/jobs/:id/cancel', async (c) => {
    const id = (await source.get(c.req.param('id'))).id;
    const { outcome, job } = await deps.dispatcher.cancel(id);
    logger.info(`dashboard: cancel of job ${id}: ${outcome}`);
    if ((c.req.header('accept') ?? '').includes('application/json')) return c.json({ outcome, status: job.status });
    return c.redirect(`/jobs/${id}?cancel=${outcome}`, 303);
  });

  // Approvals: the same guard, token and Origin checks as cancel (app.use('*') above).
  app.post('/jobs/:id/approvals/:request', async (c) => {
    const id = (await source.get(c.req.param('id'))).id;
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const decision = String(body.decision ?? '');
    if (decision !== 'allow_once' && decision !== 'allow_always' && decision !== 'deny') return c.text('decision must be allow_once, allow_always or deny', 400);
    const { outcome, request } = await deps.dispatcher.reply(id, c.req.param('request'), { decision, decidedBy: 'dashboard', how: 'dashboard button' });
    logger.info(`dashboard: ${decision} for request ${request.id} of job ${id}: ${outcome}`);
    if ((c.req.header('accept') ?? '').includes('application/json')) return c.json({ outcome, decision: request.decision });
    return c.redirect(`/jobs/${id}?cancel=${outcome}`, 303);
  });

  app.get('/agents', async (c) => c.html((await renderAgentsPage({ source, agents: await deps.agents(), now: now() })).value));
  app.get('/costs', async (c) => {
    const { days, problem } = parseDays(c.req.query('days'));
    return c.html((await renderCostsPage({ source, budgets: deps.budgets(), now: now(), days, ...(problem ? { problem } : {}) })).value);
  });
  app.get('/events', (c) => handleEvents(c, feed, now));

  app.notFound((c) => c.html(errorPage('Not found', 'There is no page at this address.').value, 404));
  app.onError((error, c) => {
    if (isDispatchError(error)) {
      const status = error.code === 'JOB_NOT_FOUND' ? 404 : error.code === 'INVALID_INPUT' ? 400 : 503;
      return c.html(errorPage(status === 404 ? 'Not found' : 'Cannot show this', error.message, error.hint).value, status);
    }
    logger.error(`dashboard: ${c.req.method} ${c.req.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return c.html(errorPage('Something went wrong', 'The dashboard hit an unexpected error; the details are in its log.').value, 500);
  });

  return Object.assign(app, {
    issueLoginCode: auth.issueLoginCode,
    closeStreams: () => feed.close(),
    liveClients: () => feed.clientCount(),
  });
}

function errorPage(title: string, message: string, hint?: string) {
  return page({ title }, html`<h1>${title}</h1><p>${message}</p>${hint ? html`<p class="muted">${hint}</p>` : ''}<p><a href="/">← jobs</a></p>`);
}

// An isolated run's worktree diff for its job page; a worktree merged or discarded since simply shows none.
async function worktreeDiffOf(deps: WebDeps, branch: string | undefined, logger: Logger): Promise<{ text: string; truncated: boolean } | undefined> {
  if (!branch || !deps.worktreeDiff) return undefined;
  try {
    return await deps.worktreeDiff(branch);
  } catch (error) {
    logger.debug(`no worktree diff for ${branch}: ${(error as Error).message}`);
    return undefined;
  }
}
