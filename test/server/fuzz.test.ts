// Fuzzed MCP input: every tool, called through a real in-process MCP client, with wrong types, huge, empty,
// unicode and NUL-byte strings, extra keys, negative, fractional, NaN and infinite numbers. Each call ends in a
// result or a protocol error (never a hang or a crash); input that is plainly wrong is an error; the server
// answers the next call. The catalog is the real one over a temp agents.yaml, and so are the dispatch service and
// its SQLite job store; only the runner is scripted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { createConfigStore } from '../../src/config/store.js';
import { parseConfigText } from '../../src/config/load.js';
import { createCatalog } from '../../src/server/catalog.js';
import { serveInProcess } from './fakes.js';
import { silentLogger } from '../../src/shared/log.js';
import { createRig, fakeRunner, type Rig } from '../jobs/service-harness.js';

type Args = Record<string, unknown>;
type Tool = { name: string; inputSchema: { properties?: Record<string, { type?: string | string[] }>; required?: string[] } };

let rig: Rig;
let dir: string;
let configPath: string;
let client: Client;
let tools: Tool[];

const HUGE = 'x'.repeat(9 * 1024 * 1024);
const STRINGS: [string, string][] = [
  ['empty', ''],
  ['whitespace', ' \t\n '],
  ['a NUL byte', 'a\0b'],
  ['only NUL', '\0'],
  ['emoji and RTL', '😀 مرحبا ‮ evil'],
  ['combining marks', 'e\u0301\u0301\u0301'],
  ['a lone surrogate', 'a\ud800b'],
  ['a flag', '--dangerously-skip-permissions'],
  ['a path escape', '../../../../etc/passwd'],
  ['a 32-hex id', 'f'.repeat(32)],
  ['9 MiB', HUGE],
];
const WRONG: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['an object', { a: 1 }],
  ['an array', [1, 'two']],
];
const NUMBERS: [string, number][] = [
  ['-1', -1],
  ['-1e308', -1e308],
  ['1e308', 1e308],
  ['0.5', 0.5],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['MAX_SAFE + 2', Number.MAX_SAFE_INTEGER + 2],
];

// Valid-looking arguments for a tool, so each fuzzed field is the only odd one.
function baseArgs(tool: Tool): Args {
  // remove_agent gets a name that is not configured, so the agents stay for the next calls.
  const byName: Args = { agent: 'api', task: 'do it', name: tool.name === 'remove_agent' ? 'ghost' : 'api', directory: join(dir, 'api'), job_id: 'f'.repeat(32), ref: 'f'.repeat(32), requester: 'api', responder: 'web', topic: 'talk', session_id: '11111111-2222-4333-8444-555555555555', dispatches: [{ agent: 'alpha', task: 'x' }] };
  const args: Args = {};
  for (const key of tool.inputSchema.required ?? []) args[key] = byName[key] ?? 'x';
  return args;
}

// Call and classify: 'ok', 'tool-error' or 'protocol-error'; a hang fails the test by its timeout.
async function outcome(name: string, args: Args): Promise<'ok' | 'tool-error' | 'protocol-error'> {
  try {
    const res = await client.callTool({ name, arguments: args });
    return res.isError ? 'tool-error' : 'ok';
  } catch (error) {
    if (error instanceof McpError) return 'protocol-error';
    throw error;
  }
}

async function stillUp(): Promise<void> {
  const res = await client.callTool({ name: 'list_agents', arguments: {} });
  expect(res.isError).toBeFalsy();
  expect((res.structuredContent as { agents: unknown[] }).agents.length).toBeGreaterThanOrEqual(2);
}

const typeOf = (schema: { type?: string | string[] } | undefined) => [schema?.type ?? []].flat();

beforeAll(async () => {
  rig = createRig({ runner: fakeRunner() });
  dir = rig.dir;
  configPath = join(dir, 'agents.yaml');
  const catalog = createCatalog({ config: createConfigStore({ path: configPath }), cwd: dir, homedir: dir });
  const served = serveInProcess({ dispatcher: rig.service, catalog, logger: silentLogger });
  client = new Client({ name: 'fuzz', version: '1' });
  await client.connect(served.transport);
  tools = (await client.listTools()).tools as Tool[];
});

afterAll(async () => {
  await client?.close();
  await rig?.cleanup();
});

describe('fuzzed MCP input', () => {
  it('covers all 23 tools', () => {
    expect(tools).toHaveLength(23);
  });

  it('refuses a value of the wrong type in every field of every tool, and stays up', async () => {
    for (const tool of tools) {
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        const types = typeOf(schema);
        const wrong = WRONG.filter(([label]) => !(label === 'true' && types.includes('boolean')));
        for (const [label, value] of [...wrong, ...(types.includes('string') ? [] : [['a string', 'abc'] as [string, unknown]]), ...(types.includes('number') || types.includes('integer') ? [] : [['a number', 42] as [string, unknown]])]) {
          // dispatch_parallel's `dispatches` takes a JSON string or an array; an array of non-objects must still fail.
          if (types.length === 0 && label === 'an array') continue;
          const got = await outcome(tool.name, { ...baseArgs(tool), [field]: value });
          expect(got, `${tool.name}.${field} = ${label}`).not.toBe('ok');
        }
      }
      await stillUp();
    }
  }, 120_000);

  it('answers odd strings in every string field with a result or an error, never a crash', async () => {
    for (const tool of tools) {
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        if (!typeOf(schema).includes('string')) continue;
        for (const [label, value] of STRINGS) {
          const got = await outcome(tool.name, { ...baseArgs(tool), [field]: value });
          expect(['ok', 'tool-error', 'protocol-error'], `${tool.name}.${field} = ${label}`).toContain(got);
          // NUL bytes and lone surrogates are refused in names, paths and ids (in a task, the runner refuses a NUL).
          // (dispatch_jobs' agent is only a filter: an odd one matches no job.)
          if ((label === 'a NUL byte' || label === 'only NUL' || label === 'a lone surrogate') && tool.name !== 'dispatch_jobs') {
            if (['agent', 'name', 'directory', 'requester', 'responder', 'job_id', 'ref', 'session_id', 'aggregate', 'group'].includes(field)) expect(got, `${tool.name}.${field} = ${label}`).not.toBe('ok');
          }
        }
      }
      await stillUp();
    }
  }, 240_000);

  it('clamps or refuses odd numbers in every number field, never a crash', async () => {
    for (const tool of tools) {
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        const types = typeOf(schema);
        if (!types.includes('number') && !types.includes('integer')) continue;
        for (const [label, value] of NUMBERS) {
          const got = await outcome(tool.name, { ...baseArgs(tool), [field]: value });
          if (label === 'NaN' || label === 'Infinity') expect(got, `${tool.name}.${field} = ${label}`).not.toBe('ok');
          else expect(['ok', 'tool-error', 'protocol-error']).toContain(got);
        }
      }
      await stillUp();
    }
  }, 120_000);

  it('ignores extra keys and survives a missing or non-object arguments value', async () => {
    for (const tool of tools) {
      expect(['ok', 'tool-error']).toContain(await outcome(tool.name, { ...baseArgs(tool), __proto__x: 1, constructor: 'x', extra: { deep: [1, 2, 3] } }));
      for (const args of [undefined, {}]) expect(['ok', 'tool-error', 'protocol-error']).toContain(await outcome(tool.name, args as Args));
    }
    expect(await outcome('no_such_tool', {})).not.toBe('ok');
    await stillUp();
  });

  it('leaves agents.yaml parseable with both agents after all of it', () => {
    const loaded = parseConfigText(readFileSync(configPath, 'utf8'), { file: configPath, homedir: dir });
    expect(Object.keys(loaded.config.agents)).toEqual(expect.arrayContaining(['api', 'web']));
  });
});
