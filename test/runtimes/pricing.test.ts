import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../src/config/schema.js';
import { checkedPrices, createRuntimeAdapters, DEFAULT_PRICES, priceTable, type ModelPrice } from '../../src/runner/runtimes.js';
import { createPricer, findPrice, parseJsonAnswer } from '../../src/runner/runtime-support.js';

// The price the runtimes would use for a model under these settings.
const priceOf = (model: string, prices?: Record<string, ModelPrice>) => findPrice(priceTable(prices), model);

const table = { 'gpt-5': { input_per_mtok: 1, output_per_mtok: 10 }, 'gpt-5-mini': { input_per_mtok: 0.2, output_per_mtok: 2 }, 'stand-in': { input_per_mtok: 3, output_per_mtok: 15 } };

describe('the price table', () => {
  it.each([
    ['gpt-5', 'gpt-5'],
    ['gpt-5-mini', 'gpt-5-mini'],
    ['gpt-5-2025-08-07', 'gpt-5'],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini'],
    ['standin/stand-in', 'stand-in'],
    ['openai/gpt-5-2025-08-07', 'gpt-5'],
    ['gpt-5.5', undefined],
    ['gpt-50', undefined],
    ['', undefined],
  ])('prices %j as %s', (model, key) => {
    expect(findPrice(table, model)).toBe(key === undefined ? undefined : table[key as keyof typeof table]);
  });

  it('computes cost per million tokens, cache reads at their own price', () => {
    const pricer = createPricer({ m: { input_per_mtok: 2, cached_input_per_mtok: 0.5, cache_write_per_mtok: 2.5, output_per_mtok: 8 } });
    expect(pricer('m', { inputTokens: 1_000_000, outputTokens: 500_000, cacheReadInputTokens: 2_000_000, cacheCreationInputTokens: 400_000 })).toBeCloseTo(2 + 4 + 1 + 1, 10);
    expect(pricer('unknown', { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 })).toBeUndefined();
  });

  it('lets settings.prices add and override models, dropping unusable entries', () => {
    expect(priceOf('gpt-5', { 'gpt-5': { input_per_mtok: 9, output_per_mtok: 9 } })).toEqual({ input_per_mtok: 9, output_per_mtok: 9 });
    expect(priceOf('my-model', { 'my-model': { input_per_mtok: 1, output_per_mtok: 2 } })).toEqual({ input_per_mtok: 1, output_per_mtok: 2 });
    expect(checkedPrices({ a: { input_per_mtok: -1, output_per_mtok: 1 }, b: { input_per_mtok: 1, output_per_mtok: Number.NaN }, c: { input_per_mtok: 1, output_per_mtok: 1, cached_input_per_mtok: -2 } })).toEqual({});
    expect(priceOf('gpt-5', undefined)).toBe(DEFAULT_PRICES['gpt-5']);
  });

  it('reads settings.prices from agents.yaml and refuses unusable prices there', () => {
    const settings = settingsSchema.parse({ prices: { 'my-model': { input_per_mtok: 0.5, output_per_mtok: 4, cached_input_per_mtok: 0.05 } } });
    expect(priceOf('my-model', settings.prices)).toEqual({ input_per_mtok: 0.5, output_per_mtok: 4, cached_input_per_mtok: 0.05 });
    expect(settingsSchema.safeParse({ prices: { m: { input_per_mtok: -1, output_per_mtok: 1 } } }).success).toBe(false);
    expect(settingsSchema.safeParse({ prices: { m: { input_per_mtok: 1 } } }).success).toBe(false);
  });

  it('registers all four runtimes under their names', () => {
    const adapters = createRuntimeAdapters();
    expect(Object.entries(adapters).map(([name, a]) => [name, a.name, a.defaultBinary])).toEqual([
      ['claude', 'claude', 'claude'],
      ['codex', 'codex', 'codex'],
      ['gemini', 'gemini', 'gemini'],
      ['opencode', 'opencode', 'opencode'],
    ]);
  });
});

describe('parseJsonAnswer', () => {
  it.each([
    ['{"a": 1}', { a: 1 }],
    ['```json\n{"a": 1}\n```', { a: 1 }],
    ['  {"a": [1, 2]}  ', { a: [1, 2] }],
    ['[1, 2]', undefined],
    ['Sure! {"a": 1}', undefined],
    ['{broken', undefined],
  ])('reads %j', (text, value) => {
    expect(parseJsonAnswer(text)).toEqual(value);
  });
});
