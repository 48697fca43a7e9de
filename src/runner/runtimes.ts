// The adapter registry: every runtime an agent can run on, by name, and the price table used where a CLI
// reports tokens but no cost (Codex, Gemini CLI, OpenCode without model costs in its config).
import type { RuntimeName } from '../shared/types.js';
import type { RuntimeAdapter } from './adapter.js';
import { claudeAdapter } from './claude/index.js';
import { createCodexAdapter } from './codex/index.js';
import { createGeminiAdapter } from './gemini/index.js';
import { createOpenCodeAdapter } from './opencode/index.js';
import { createPricer, type ModelPrice, type PriceTable } from './runtime-support.js';

export type { ModelPrice } from './runtime-support.js';

/**
 * Public list prices in USD per million tokens (standard tier, short context), as published by OpenAI and
 * Google in 2025. Dated model names use their family's price (`gpt-5-2025-08-07` → `gpt-5`). Users add or
 * override models with `settings.prices` in agents.yaml; a model in neither table is reported at $0.
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  'gpt-5': { input_per_mtok: 1.25, cached_input_per_mtok: 0.125, output_per_mtok: 10 },
  'gpt-5-codex': { input_per_mtok: 1.25, cached_input_per_mtok: 0.125, output_per_mtok: 10 },
  'gpt-5-mini': { input_per_mtok: 0.25, cached_input_per_mtok: 0.025, output_per_mtok: 2 },
  'gpt-5-nano': { input_per_mtok: 0.05, cached_input_per_mtok: 0.005, output_per_mtok: 0.4 },
  'gpt-4.1': { input_per_mtok: 2, cached_input_per_mtok: 0.5, output_per_mtok: 8 },
  'gpt-4.1-mini': { input_per_mtok: 0.4, cached_input_per_mtok: 0.1, output_per_mtok: 1.6 },
  'gpt-4o': { input_per_mtok: 2.5, cached_input_per_mtok: 1.25, output_per_mtok: 10 },
  'gpt-4o-mini': { input_per_mtok: 0.15, cached_input_per_mtok: 0.075, output_per_mtok: 0.6 },
  o3: { input_per_mtok: 2, cached_input_per_mtok: 0.5, output_per_mtok: 8 },
  'o4-mini': { input_per_mtok: 1.1, cached_input_per_mtok: 0.275, output_per_mtok: 4.4 },
  'gemini-2.5-pro': { input_per_mtok: 1.25, cached_input_per_mtok: 0.31, output_per_mtok: 10 },
  'gemini-2.5-flash': { input_per_mtok: 0.3, cached_input_per_mtok: 0.075, output_per_mtok: 2.5 },
  'gemini-2.5-flash-lite': { input_per_mtok: 0.1, cached_input_per_mtok: 0.025, output_per_mtok: 0.4 },
  'gemini-2.0-flash': { input_per_mtok: 0.1, cached_input_per_mtok: 0.025, output_per_mtok: 0.4 },
  'claude-opus-4-1': { input_per_mtok: 15, cached_input_per_mtok: 1.5, cache_write_per_mtok: 18.75, output_per_mtok: 75 },
  'claude-sonnet-4-5': { input_per_mtok: 3, cached_input_per_mtok: 0.3, cache_write_per_mtok: 3.75, output_per_mtok: 15 },
  'claude-sonnet-4': { input_per_mtok: 3, cached_input_per_mtok: 0.3, cache_write_per_mtok: 3.75, output_per_mtok: 15 },
  'claude-haiku-4-5': { input_per_mtok: 1, cached_input_per_mtok: 0.1, cache_write_per_mtok: 1.25, output_per_mtok: 5 },
});

/** What the registry is built from. */
export interface RuntimeAdaptersOptions {
  /** `settings.prices`: added to (and overriding) DEFAULT_PRICES. */
  prices?: Readonly<Record<string, ModelPrice>>;
  /** Parent of Gemini's per-run settings directories (default ~/.cache/agent-dispatch/runs). */
  geminiRunRoot?: string;
}

// All four adapters by runtime name; createRunner's default.
export function createRuntimeAdapters(options: RuntimeAdaptersOptions = {}): Record<RuntimeName, RuntimeAdapter> {
  const pricer = createPricer(priceTable(options.prices));
  return {
    claude: claudeAdapter,
    codex: createCodexAdapter({ pricer }),
    gemini: createGeminiAdapter({ pricer, ...(options.geminiRunRoot ? { runRoot: options.geminiRunRoot } : {}) }),
    opencode: createOpenCodeAdapter({ pricer }),
  };
}

// Keeps the entries of a user price table that are usable (non-negative finite numbers), dropping the rest.
export function checkedPrices(prices: Readonly<Record<string, ModelPrice>> | undefined): PriceTable {
  const out: Record<string, ModelPrice> = {};
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  for (const [model, price] of Object.entries(prices ?? {})) {
    if (!price || !ok(price.input_per_mtok) || !ok(price.output_per_mtok)) continue;
    if (price.cached_input_per_mtok !== undefined && !ok(price.cached_input_per_mtok)) continue;
    if (price.cache_write_per_mtok !== undefined && !ok(price.cache_write_per_mtok)) continue;
    out[model] = price;
  }
  return out;
}

// The prices the runtimes use: the built-in table, with settings.prices adding and overriding models.
export function priceTable(prices?: Readonly<Record<string, ModelPrice>>): PriceTable {
  return { ...DEFAULT_PRICES, ...checkedPrices(prices) };
}
