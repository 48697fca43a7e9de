// The dispatch service on a real job store with a scripted runner: every dispatch is a job with its progress,
// events and result; the cache answers with the original job; waiting ends when the job does.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../src/shared/types.js';
import { createRig, deferred, fakeRunner, type Rig } from './service-harness.js';
import { runResult } from './support/store.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

const EVENTS: RunEvent[] = [
  { type: 'init', sessionId: 's1', model: 'claude-test' },
  { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'npm test' } },
];

// A runner that reports EVENTS, then waits for `gate` before finishing with `text`.
function gatedRunner(gate: Promise<void>, text = 'All green.') {
  return fakeRunner(async (request, options) => {
    for (const event of EVENTS) options.onEvent?.(event);
    await gate;
    options.onEvent?.({ type: 'text', text });
    options.onEvent?.({ type: 'result', ok: true, text, costUsd: 0.12, numTurns: 2 });
    return runResult({ agent: request.agent.name, text, costUsd: 0.12, numTurns: 2 });
  });
}

describe('dispatch service', () => {
  it('records a synchronous dispatch as a job with live progress, its events and the result', async () => {
    const gate = deferred();
    rig = createRig({ runner: gatedRunner(gate.promise) });
    const seen: string[] = [];
    let jobId = '';
    const pending = rig.service.dispatch(
      { agent: 'api', task: 'Run the tests', caller: 'ci', goal: 'green build' },
      { onJob: (id) => (jobId = id), onEvent: (e) => seen.push(e.type) },
    );
    await vi.waitFor(() => expect(rig!.store.get(jobId).progress.lastTool).toBe('Bash: npm test'));
    expect(rig.store.get(jobId)).toMatchObject({ kind: 'sync', status: 'running', progress: { turns: 1 } });
    gate.resolve();
    const outcome = await pending;

    expect(outcome).toMatchObject({ jobId, cached: false, result: { ok: true, text: 'All green.' } });
    const job = rig.store.get(jobId);
    expect(job).toMatchObject({ status: 'done', agent: 'api', caller: 'ci', result: { text: 'All green.', costUsd: 0.12 } });
    expect(job.prompt).toContain('Run the tests');
    expect(job.prompt).toContain('green build');
    expect(rig.store.events(jobId).events.map((e) => e.event.type)).toEqual(['init', 'tool_use', 'text', 'result']);
    expect(seen).toEqual(['init', 'tool_use', 'text', 'result']);
    expect(rig.store.costsByAgent()).toMatchObject([{ agent: 'api', runs: 1, ok: 1, costUsd: 0.12 }]);
  });

  it('hands the caller each event with the progress line of the job\'s own tracker', async () => {
    const gate = deferred();
    gate.resolve();
    rig = createRig({ runner: gatedRunner(gate.promise) });
    const seen: [string, string | undefined][] = [];
    await rig.service.dispatch({ agent: 'api', task: 'x' }, { onEvent: (event, line) => seen.push([event.type, line]) });
    expect(seen).toEqual([
      ['init', 'started (claude-test)'],
      ['tool_use', 'turn 1 · Bash: npm test'],
      ['text', 'All green.'],
      ['result', 'finished'],
    ]);
  });

  it('answers a repeated request from the cache with the original job id and no new run', async () => {
    const runner = fakeRunner();
    rig = createRig({ runner });
    const first = await rig.service.dispatch({ agent: 'api', task: 'Describe the API' }, { useCache: true });
    const second = await rig.service.dispatch({ agent: 'api', task: 'Describe the API' }, { useCache: true });
    expect(second).toMatchObject({ jobId: first.jobId, cached: true, result: { text: 'done' } });
    expect(runner.calls).toHaveLength(1);
    expect(rig.store.count()).toBe(1);
    expect(rig.service.cacheStats()).toMatchObject({ hits: 1 });
  });

  it('does not cache a failed run', async () => {
    const runner = fakeRunner((r) => runResult({ agent: r.agent.name, ok: false, error: { type: 'timeout', message: 'too slow' } }));
    rig = createRig({ runner });
    await rig.service.dispatch({ agent: 'api', task: 'x' }, { useCache: true });
    const again = await rig.service.dispatch({ agent: 'api', task: 'x' }, { useCache: true });
    expect(again.cached).toBe(false);
    expect(runner.calls).toHaveLength(2);
    expect(rig.store.list().map((j) => [j.status, j.errorType])).toEqual([['failed', 'timeout'], ['failed', 'timeout']]);
  });

  it('ends a wait when the job ends in this process, and reports a wait that timed out', async () => {
    const gate = deferred();
    rig = createRig({ runner: gatedRunner(gate.promise) });
    let jobId = '';
    const pending = rig.service.dispatch({ agent: 'api', task: 'x' }, { onJob: (id) => (jobId = id) });
    await vi.waitFor(() => expect(rig!.store.get(jobId).status).toBe('running'));
    expect(await rig.service.wait(jobId, 30)).toMatchObject({ timedOut: true, job: { status: 'running' } });
    const waiting = rig.service.wait(jobId, 60_000);
    gate.resolve();
    expect(await waiting).toMatchObject({ timedOut: false, job: { status: 'done', result: { text: 'All green.' } } });
    await pending;
  });

  it('rejects an unknown agent before anything is stored', async () => {
    rig = createRig({ runner: fakeRunner() });
    await expect(rig.service.dispatch({ agent: 'nope', task: 'x' })).rejects.toMatchObject({ code: 'AGENT_NOT_FOUND' });
    expect(rig.store.count()).toBe(0);
  });

  it.each([
    ['status', (r: Rig, id: string): unknown => r.service.status(id)],
    ['wait', (r: Rig, id: string): unknown => r.service.wait(id, 10)],
    ['cancel', (r: Rig, id: string): unknown => r.service.cancel(id)],
  ])('gives %s a clear error for malformed and unknown job ids', async (_name, call) => {
    rig = createRig({ runner: fakeRunner() });
    await expect(Promise.resolve().then(() => call(rig!, 'abc'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('32 lowercase hex') });
    await expect(Promise.resolve().then(() => call(rig!, 'f'.repeat(32)))).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('refuses background jobs when no supervisor can be started', async () => {
    rig = createRig({ runner: fakeRunner() });
    await expect(rig.service.start({ agent: 'api', task: 'x' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('fails a background job whose supervisor cannot be spawned, with the reason', async () => {
    rig = createRig({ runner: fakeRunner() });
    const service = rig.openService({
      startSupervisor: () => {
        throw new Error('ENOENT agent-dispatch');
      },
    });
    await expect(service.start({ agent: 'api', task: 'x' })).rejects.toMatchObject({ code: 'SPAWN_FAILED' });
    const [job] = rig.store.list();
    expect(job).toMatchObject({ kind: 'async', status: 'failed', failureReason: expect.stringContaining('ENOENT agent-dispatch') });
    expect(rig.store.costsByAgent()).toEqual([]);
  });

  it('runs a background job handed to runJob, as the supervisor does', async () => {
    rig = createRig({ runner: fakeRunner() });
    const started: string[] = [];
    const service = rig.openService({ startSupervisor: (id) => (started.push(id), process.pid) });
    const job = await service.start({ agent: 'api', task: 'in the background', caller: 'me' });
    expect(job).toMatchObject({ kind: 'async', status: 'pending', ownerPid: process.pid });
    expect(started).toEqual([job.id]);
    const result = await rig.service.runJob(job.id);
    expect(result).toMatchObject({ ok: true });
    expect(await service.wait(job.id, 1000)).toMatchObject({ job: { status: 'done', caller: 'me' } });
    // A second supervisor for the same job finds it taken and runs nothing.
    expect(await rig.service.runJob(job.id)).toMatchObject({ ok: true });
  });

  it('fails a background job whose agent was removed before it ran', async () => {
    rig = createRig({ runner: fakeRunner() });
    const service = rig.openService({ startSupervisor: () => process.pid });
    const job = await service.start({ agent: 'api', task: 'x' });
    const other = rig.openService({ config: () => ({ ...rig!.config, agents: {} }) });
    expect(await other.runJob(job.id)).toMatchObject({ ok: false });
    expect(rig.store.get(job.id)).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('Unknown agent') });
  });
});
