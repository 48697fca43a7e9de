// The live feed: server-sent events fed by the store's change feed, in process.
import { describe, expect, it } from 'vitest';
import { runResult } from '../jobs/support/store.js';
import { appFor, filledStorePerTest, readUntil, send } from './support.js';

const { env, ids } = filledStorePerTest();

// The data of every `event: <name>` message in an SSE text.
function messages(text: string, name: string): any[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes(`event: ${name}\n`))
    .map((block) => JSON.parse(block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')));
}

describe('GET /events', () => {
  it('sends the rendered row when a job changes state', async () => {
    const app = appFor(env.store);
    const controller = new AbortController();
    const response = await send(app, '/events', { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reading = readUntil(response, (t) => t.includes('event: rows'));
    await new Promise((r) => setTimeout(r, 20));
    env.store.markRunning(ids.pending);
    const [update] = messages(await reading, 'rows');
    expect(update.rows).toEqual([{ id: ids.pending, createdAt: expect.any(Number), html: expect.stringContaining(`<tr id="job-${ids.pending}"`) }]);
    expect(update.rows[0].html).toContain('badge running');
    controller.abort();
  });

  it('replays what changed between rendering the page and connecting', async () => {
    const app = appFor(env.store);
    const seq = env.store.currentSeq();
    env.store.finish(ids.running, { status: 'done', result: runResult({ agent: 'alpha' }) });
    const response = await send(app, `/events?since=${seq}`);
    const [update] = messages(await readUntil(response, (t) => t.includes('event: rows')), 'rows');
    expect(update.rows.map((r: { id: string }) => r.id)).toEqual([ids.running]);
    expect(update.rows[0].html).toContain('badge done');
  });

  it('resumes from Last-Event-ID after a reconnect', async () => {
    const app = appFor(env.store);
    const seq = env.store.currentSeq();
    env.store.markRunning(ids.pending);
    const response = await send(app, '/events?since=0', { headers: { 'last-event-id': String(seq) } });
    const [update] = messages(await readUntil(response, (t) => t.includes('event: rows')), 'rows');
    expect(update.rows.map((r: { id: string }) => r.id)).toEqual([ids.pending]);
  });

  it('tells a filtered page to drop a job that no longer matches', async () => {
    const app = appFor(env.store);
    const seq = env.store.currentSeq();
    env.store.markRunning(ids.pending);
    const response = await send(app, `/events?state=pending&since=${seq}`);
    const [update] = messages(await readUntil(response, (t) => t.includes('event: rows')), 'rows');
    expect(update.rows).toEqual([{ id: ids.pending, createdAt: expect.any(Number), html: null }]);
  });

  it('sends only the followed job to a job page', async () => {
    const app = appFor(env.store);
    const seq = env.store.currentSeq();
    env.store.saveProgress(ids.running, { turns: 2, tail: ['x'], updatedAt: Date.now() });
    env.store.markRunning(ids.pending);
    const response = await send(app, `/events?job=${ids.pending}&since=${seq}`);
    const text = await readUntil(response, (t) => t.includes('event: job'));
    expect(messages(text, 'job')).toEqual([{ id: ids.pending, status: 'running' }]);
    expect(text).not.toContain('event: rows');
  });

  it('sees changes written by another connection to the database (another process)', async () => {
    const app = appFor(env.store);
    const other = env.factory.open();
    const response = await send(app, '/events');
    const reading = readUntil(response, (t) => t.includes('event: rows'));
    await new Promise((r) => setTimeout(r, 30));
    const job = other.create({ kind: 'async', request: { agent: 'alpha', task: 'from elsewhere' } });
    const [update] = messages(await reading, 'rows');
    expect(update.rows[0]).toMatchObject({ id: job.id, html: expect.stringContaining('from elsewhere') });
  });

  it('asks pages to reload after jobs were garbage-collected', async () => {
    const app = appFor(env.store);
    const seq = env.store.currentSeq();
    env.store.gc(0);
    const response = await send(app, `/events?since=${seq}`);
    expect(await readUntil(response, (t) => t.includes('event: reload'))).toContain('event: reload');
  });

  it('refuses a malformed job id with 400', async () => {
    expect((await send(appFor(env.store), '/events?job=zzz')).status).toBe(400);
  });

  it('lets go of the store subscription when the last page disconnects', async () => {
    const app = appFor(env.store);
    const reader = ((await send(app, '/events')).body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    expect(app.liveClients()).toBe(1);
    await reader.cancel();
    await expect.poll(() => app.liveClients()).toBe(0);
  });

  it('ends every stream when the server shuts down', async () => {
    const app = appFor(env.store);
    const reader = ((await send(app, '/events')).body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    app.closeStreams();
    expect(app.liveClients()).toBe(0);
    let done = false;
    while (!done) done = (await reader.read()).done;
  });
});
