// One limit for everything: 5 `agent-dispatch serve` processes each start 4 background jobs under
// `max_concurrency: 3`; the agents (a fixture CLI that logs its start and end and works ~300 ms) never overlap
// more than 3 at a time, because every supervisor takes a lease from the shared store first.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AGENT_DISPATCH_BIN, assertBuilt, sleepingAgentEnv } from '../support/product.js';

const SERVERS = 5;
const JOBS_PER_SERVER = 4;
const LIMIT = 3;

let dir: string;
let env: Record<string, string>;
const clients: Client[] = [];

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ad-e2e-limit-'));
  const project = join(dir, 'alpha');
  mkdirSync(project);
  env = sleepingAgentEnv(dir, { agents: { alpha: { directory: project } }, settings: { max_concurrency: LIMIT } }, { FIXTURE_LOG: join(dir, 'agents.log'), FIXTURE_SLEEP_MS: '300' });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  rmSync(dir, { recursive: true, force: true });
});

// The most intervals open at once; an end and a start at the same instant do not overlap.
function maxOverlap(lines: string[]): number {
  const points = lines.map((line) => {
    const [what, , at] = line.split(' ');
    return { at: Number(at), delta: what === 'start' ? 1 : -1 };
  });
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let max = 0;
  for (const p of points) max = Math.max(max, (open += p.delta));
  return max;
}

describe('max_concurrency across server processes', () => {
  it('never runs more agents at once than the limit, with 5 servers starting 4 jobs each', async () => {
    await Promise.all(
      Array.from({ length: SERVERS }, async () => {
        const client = new Client({ name: 'e2e-limit', version: '1' });
        await client.connect(new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env, stderr: 'pipe' }));
        clients.push(client);
      }),
    );
    const ids = (
      await Promise.all(
        clients.flatMap((client, s) =>
          Array.from({ length: JOBS_PER_SERVER }, async (_, j) => {
            const res = await client.callTool({ name: 'dispatch_async', arguments: { agent: 'alpha', task: `job ${s}.${j}` } });
            expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
            return (res.structuredContent as { job_id: string }).job_id;
          }),
        ),
      )
    ).sort();
    expect(new Set(ids).size).toBe(SERVERS * JOBS_PER_SERVER);

    // Any server can wait for any job.
    const finished = await Promise.all(
      ids.map(async (id, i) => {
        const res = await clients[i % SERVERS]!.callTool({ name: 'dispatch_wait', arguments: { job_id: id, timeout_seconds: 120 } });
        return res.structuredContent as { status: string; result?: { result: string } };
      }),
    );
    expect(finished.map((f) => [f.status, f.result?.result])).toEqual(ids.map(() => ['done', 'slept']));

    const log = readFileSync(env.FIXTURE_LOG!, 'utf8').split('\n').filter(Boolean);
    expect(log.filter((l) => l.startsWith('start'))).toHaveLength(SERVERS * JOBS_PER_SERVER);
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(SERVERS * JOBS_PER_SERVER);
    const highest = maxOverlap(log);
    console.log(`max_concurrency ${LIMIT}, ${SERVERS} servers × ${JOBS_PER_SERVER} jobs: at most ${highest} agents ran at once`);
    expect(highest).toBeLessThanOrEqual(LIMIT);
    expect(highest).toBeGreaterThan(0);
  });

  it.each([
    [['start 1 0', 'end 1 10', 'start 2 10', 'end 2 20'], 1],
    [['start 1 0', 'start 2 5', 'end 1 10', 'end 2 20'], 2],
    [['start 1 0', 'start 2 1', 'start 3 2', 'end 3 3', 'start 4 3', 'end 1 9', 'end 2 9', 'end 4 9'], 3],
  ])('counts overlapping intervals (%#)', (lines, expected) => {
    expect(maxOverlap(lines)).toBe(expected);
  });
});
