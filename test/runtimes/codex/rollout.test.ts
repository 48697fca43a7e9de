import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codexHome, configuredModel, findRollout, lastTotal, readThreadUsage, uuidV7Time } from '../../../src/runner/codex/rollout.js';

const ID = '01a2136f-f8a7-7183-8be1-774452e27945';
const root = mkdtempSync(join(tmpdir(), 'ad-rollout-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tokenLine = (input: number, output: number) =>
  JSON.stringify({ type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: output } } } });

describe('the rollout reader', () => {
  it('reads the creation time of a UUIDv7 and nothing from other UUIDs', () => {
    expect(new Date(uuidV7Time(ID)!).toISOString()).toMatch(/^2026-11-25T/);
    expect(uuidV7Time('11111111-2222-4333-8444-555555555555')).toBeUndefined();
  });

  it('finds a thread rollout in its date folder and reads its last total', () => {
    const d = new Date(uuidV7Time(ID)!);
    const dir = join(root, 'sessions', String(d.getFullYear()), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `rollout-2026-11-25T16-00-34-${ID}.jsonl`), [tokenLine(100, 20), '{"type":"other"}', tokenLine(200, 40), ''].join('\n'));
    expect(findRollout(root, ID)).toContain(ID);
    expect(readThreadUsage(root, ID)).toEqual({ inputTokens: 200, outputTokens: 40, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(readThreadUsage(root, '01a2136f-f8a7-7183-8be1-000000000000')).toBeUndefined();
  });

  it('skips a line cut by the tail read', () => {
    expect(lastTotal(`${tokenLine(5, 1)}\n${tokenLine(9, 9).slice(0, 30)}`)).toMatchObject({ inputTokens: 5 });
  });

  it.each([
    ['model = "gpt-5.5"\n[features]\nmodel = "x"\n', 'gpt-5.5'],
    ["model='o3'\n", 'o3'],
    ['[profiles.a]\nmodel = "gpt-5"\n', undefined],
    ['', undefined],
  ])('reads the configured model from %j', (toml, model) => {
    expect(configuredModel('/h', () => toml)).toBe(model);
  });

  it('resolves CODEX_HOME like Codex', () => {
    expect(codexHome({ CODEX_HOME: '/c', HOME: '/h' })).toBe('/c');
    expect(codexHome({ HOME: '/h' })).toBe('/h/.codex');
    expect(codexHome({})).toBeUndefined();
  });
});
