// Loading agents.yaml through a cache of its validated form, so that a command which only reads the config (`list`)
// loads neither the YAML parser nor the schema (zod) while the file is unchanged: most of what it used to load.
//
// The cache holds the result of parseConfigText (the config with settings defaults applied, directories made
// absolute, and the warnings) as JSON, beside everything that result depends on, compared in full on each read:
// the file's text, its path (messages name it; relative directories resolve against it), the home directory
// (`~`), and the build (a new schema or parser means new results). Comparing the text rather than a digest of it
// cannot be fooled by a collision, and spares loading node:crypto, which costs about as much as the lookup saves.
// Nothing else is read at load time: directory health, the queue URL (AGENT_DISPATCH_QUEUE applies after load) and
// the state directory are looked at by the callers, every time. Only a valid config is stored, and each lookup
// compares the file as it is now, so an error is never hidden; a cache file that cannot be read, parsed or written
// is ignored (the config is then parsed as without a cache).
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownProblem } from '../shared/own-path.js';
import { VERSION } from '../shared/version.js';
import type { LoadedConfig } from './load.js';
import { fingerprint, readConfigText } from './read.js';

// Set by scripts/build.mjs to a hash of the sources and the lock file; absent when running from source.
declare const AD_BUILD_ID: string | undefined;

/** Bumped when the cache file's shape changes. */
const FORMAT = 1;

/** Parses the config text (undefined: no file) the way the config store does. */
export type ParseConfig = (text: string | undefined, options: { file: string; homedir: string }) => LoadedConfig | Promise<LoadedConfig>;

/** Where a config's cached form lives, for one config file and home directory. */
export interface CacheSpot {
  path: string;
  homedir: string;
  /** The cache directory; undefined: no cache. */
  cacheDir: string | undefined;
}

/** What a cached load needs. */
export interface CachedLoadOptions extends CacheSpot {
  /** Defaults to load.ts's parser, imported on a miss only. */
  parse?: ParseConfig;
}

const build = typeof AD_BUILD_ID === 'string' ? AD_BUILD_ID : `source-${VERSION}`;

// load.ts (with yaml and zod), imported on a miss: a missing file is the empty config, as in the store.
export const parseWithLoad: ParseConfig = async (text, options) => {
  const { parseConfigText } = await import('./load.js');
  if (text !== undefined) return parseConfigText(text, options);
  const { emptyConfig } = await import('./schema.js');
  return { config: emptyConfig(), warnings: [] };
};

// FNV-1a, 32 bits, for a file name only: two paths that share one just take turns in it (each entry names its path).
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

// One cache file per config path (rewritten when the file changes), so the directory never grows with edits.
export function cacheFileOf(cacheDir: string, path: string): string {
  return join(cacheDir, `config-${fnv1a(path)}.json`);
}

// The key of one load: the inputs of parseConfigText and the build that parses, compared as a whole.
export function cacheKeyOf(path: string, homedir: string, text: string | undefined): string {
  return JSON.stringify([FORMAT, build, path, homedir, text ?? null]);
}

// The stored result for `key`, or undefined when the file is missing, unreadable, corrupt or for another key.
function lookup(file: string, key: string): LoadedConfig | undefined {
  try {
    // Only an entry this user wrote counts: in a shared cache folder another user's file could say anything.
    if (ownProblem(lstatSync(file), { type: 'file', closedTo: 0o022 }) !== undefined) return undefined;
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; loaded?: Partial<LoadedConfig> };
    const loaded = entry.loaded;
    if (entry.key !== key || typeof loaded?.config !== 'object' || loaded.config === null || !Array.isArray(loaded.warnings)) return undefined;
    return loaded as LoadedConfig;
  } catch {
    return undefined;
  }
}

// Write the entry atomically (a temp file, 0600, renamed over); any failure leaves things as they were.
function store(dir: string, file: string, key: string, loaded: LoadedConfig): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, JSON.stringify({ key, loaded }), { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // No directory to leave a temp file in.
    }
  }
}

// The cached result for the file's current `text`, or undefined (no cache, a miss, or an entry not to trust).
export function lookupConfig({ path, homedir, cacheDir }: CacheSpot, text: string | undefined): LoadedConfig | undefined {
  return cacheDir === undefined ? undefined : lookup(cacheFileOf(cacheDir, path), cacheKeyOf(path, homedir, text));
}

// Remember a valid config parsed from `text`; failures to write are ignored (the next load parses again).
export function rememberConfig({ path, homedir, cacheDir }: CacheSpot, text: string | undefined, loaded: LoadedConfig): void {
  if (cacheDir !== undefined) store(cacheDir, cacheFileOf(cacheDir, path), cacheKeyOf(path, homedir, text), loaded);
}

// The loaded config, from the cache when the file is unchanged. Throws what the store's get() throws.
export async function loadConfigCached({ parse = parseWithLoad, ...spot }: CachedLoadOptions): Promise<LoadedConfig> {
  // Stat, size, encoding and read errors come from here, before any lookup, in the order the store meets them.
  const text = fingerprint(spot.path) === undefined ? undefined : readConfigText(spot.path);
  const hit = lookupConfig(spot, text);
  if (hit !== undefined) return hit;
  const loaded = await parse(text, { file: spot.path, homedir: spot.homedir });
  rememberConfig(spot, text, loaded);
  return loaded;
}
