// The config as a service: `get()` re-reads only when the file's identity, size or times changed (one stat
// per call; a file changed in the last 2 s is also compared by content), and every edit runs read → validate → change → validate → atomic write under the file lock.
import { realpathSync } from 'node:fs';
import { homedir as osHomedir } from 'node:os';
import { isAbsolute } from 'node:path';
import type { Document } from 'yaml';
import { DispatchError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/log.js';
import { assertWritable, ensureConfigDir, writeFileAtomic } from './atomic.js';
import {
  addAgentToDocument,
  addGroupToDocument,
  removeAgentFromDocument,
  removeGroupFromDocument,
  updateAgentInDocument,
  updateGroupInDocument,
  type GroupInput,
  type GroupPatch,
} from './edit.js';
import { lookupConfig, rememberConfig } from './cached-load.js';
import { formatIssue } from './issues.js';
import { ConfigInvalidError, parseConfigText, parseYaml, validateDocument, type LoadedConfig } from './load.js';
import { withFileLock } from './lock.js';
import { fingerprint, readConfigText } from './read.js';
import { removeStaleTemps } from './temps.js';
import { resolveConfigPath } from './paths.js';
import { detectStyle, renderEdited } from './render.js';
import { AGENT_KEYS, emptyConfig, type Config } from './schema.js';
import { checkAgentValue, checkDirectory, validateName, type AgentInput, type AgentPatch } from './validate.js';

/** How to build a store. */
export interface ConfigStoreOptions {
  /** The agents.yaml path; defaults to the one resolved from `env` (AGENT_DISPATCH_CONFIG, XDG_CONFIG_HOME, ~). */
  path?: string;
  env?: Record<string, string | undefined>;
  /** For `~` in paths; defaults to env.HOME, then os.homedir(). */
  homedir?: string;
  /** Base for a relative AGENT_DISPATCH_CONFIG; defaults to the process's working directory. */
  cwd?: string;
  logger?: Logger;
  /** How long an edit waits for another process's lock (default 10 s). */
  lockTimeoutMs?: number;
  /** Where validated configs are cached (cached-load.ts), so an unchanged file is not parsed again; none by default. */
  cacheDir?: string;
}

/** The config file as a service shared by the server, the CLI and the job layer. */
export interface ConfigStore {
  readonly path: string;
  /** The current config and its warnings; cheap when the file is unchanged. Throws ConfigInvalidError. */
  get(): LoadedConfig;
  addAgent(name: string, input: AgentInput): Promise<LoadedConfig>;
  updateAgent(name: string, patch: AgentPatch): Promise<LoadedConfig>;
  removeAgent(name: string): Promise<LoadedConfig>;
  addGroup(name: string, input: GroupInput): Promise<LoadedConfig>;
  updateGroup(name: string, patch: GroupPatch): Promise<LoadedConfig>;
  removeGroup(name: string): Promise<LoadedConfig>;
}

// File times are coarse (a kernel tick, up to 2 s on some file systems): a write in the same tick as our
// read keeps size and mtime. Like git's "racy" check, a file modified this recently is compared by content.
const RACY_MS = 2_000;

// Read the file's text, or undefined when it is missing (size, encoding and read errors: read.ts).
const readText = (path: string) => readConfigText(path);

// The file an edit must replace: a symlinked agents.yaml (dotfile managers) is written through, not replaced.
function writeTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

// Check every value of an agent patch with the schema's rules, and the directory on disk (for a local agent;
// a remote agent's directory is checked on its host by the caller).
function checkPatch(patch: AgentPatch, remote: boolean): void {
  for (const key of AGENT_KEYS) {
    const value = patch[key];
    if (value === undefined || value === null) continue;
    checkAgentValue(key, value);
  }
  if (typeof patch.directory === 'string' && !remote) {
    if (!isAbsolute(patch.directory)) throw new DispatchError('INVALID_INPUT', `The directory must be an absolute path, got "${patch.directory}".`);
    checkDirectory(patch.directory);
  }
}

// Group members must name configured agents.
function checkMembers(config: Config, members: readonly { agent: string }[] | undefined): void {
  for (const m of members ?? []) {
    validateName('agent', m.agent);
    if (!Object.hasOwn(config.agents, m.agent)) {
      const known = Object.keys(config.agents).sort();
      throw new DispatchError('AGENT_NOT_FOUND', `Cannot add "${m.agent}" to a group: no such agent. Known agents: ${known.length === 0 ? '(none)' : known.join(', ')}.`, {
        hint: `Add the agent first with \`agent-dispatch add ${m.agent} DIR\`.`,
      });
    }
  }
}

// Create a store for one config file.
export function createConfigStore(options: ConfigStoreOptions = {}): ConfigStore {
  const env = options.env ?? process.env;
  const homedir = options.homedir ?? (env.HOME !== undefined && env.HOME !== '' ? env.HOME : osHomedir());
  const path = options.path ?? resolveConfigPath({ env, homedir, cwd: options.cwd ?? process.cwd() });
  const logger = options.logger ?? silentLogger;
  let cache: { key: string; racy: boolean; text: string | undefined; result: { value: LoadedConfig } | { error: unknown } } | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  // The file's text parsed, or its validated form from the cache when it was parsed before (by any process).
  const spot = { path, homedir, cacheDir: options.cacheDir };
  function parseCached(text: string): LoadedConfig {
    const hit = lookupConfig(spot, text);
    if (hit !== undefined) return hit;
    const loaded = parseConfigText(text, { file: path, homedir });
    rememberConfig(spot, text, loaded);
    return loaded;
  }

  // Parse `text` (undefined: missing file) unless it is what the cache already holds.
  function remember(key: string, mtimeMs: number, text: string | undefined, readAt: number) {
    const racy = mtimeMs > readAt - RACY_MS;
    if (cache !== undefined && cache.text === text) {
      cache = { ...cache, key, racy };
      return;
    }
    let result: { value: LoadedConfig } | { error: unknown };
    try {
      result = { value: text === undefined ? { config: emptyConfig(), warnings: [] } : parseCached(text) };
    } catch (error) {
      result = { error };
    }
    cache = { key, racy, text, result };
  }

  function get(): LoadedConfig {
    const stat = fingerprint(path);
    const key = stat?.key ?? 'missing';
    if (cache === undefined || cache.key !== key || cache.racy) {
      const readAt = Date.now();
      remember(key, stat?.mtimeMs ?? 0, stat === undefined ? undefined : readText(path), readAt);
    }
    const { result } = cache as NonNullable<typeof cache>;
    if ('error' in result) throw result.error;
    return result.value;
  }

  // Serialise this process's edits, then take the cross-process lock, then edit.
  function edit(change: (doc: Document, config: Config) => void): Promise<LoadedConfig> {
    const run = queue.then(async () => {
      const target = writeTarget(path);
      ensureConfigDir(target);
      return withFileLock(
        `${target}.lock`,
        () => {
          const cleaned = removeStaleTemps(target);
          if (cleaned > 0) logger.info(`removed ${cleaned} temp file(s) a killed edit left beside ${target}`);
          assertWritable(target);
          const original = readText(target) ?? '';
          const { doc, counter } = parseYaml(original, path);
          const current = validateDocument(doc, counter, { file: path, homedir });
          const baseline = doc.toString(detectStyle(original));
          change(doc, current.config);
          const text = renderEdited(original, doc, baseline);
          let next: LoadedConfig;
          try {
            next = parseConfigText(text, { file: path, homedir });
          } catch (error) {
            if (!(error instanceof ConfigInvalidError)) throw error;
            throw new DispatchError('INVALID_INPUT', `The change would make the config invalid: ${error.issues.map((i) => `${i.keyPath}: ${i.message}`).join('; ')}`);
          }
          writeFileAtomic(target, text);
          const stat = fingerprint(path);
          cache = { key: stat?.key ?? 'missing', racy: true, text, result: { value: next } };
          return next;
        },
        { logger, ...(options.lockTimeoutMs !== undefined && { timeoutMs: options.lockTimeoutMs }) },
      );
    });
    queue = run.catch(() => undefined);
    return run;
  }

  const store: ConfigStore = {
    path,
    get,
    async addAgent(name, input) {
      validateName('agent', name);
      checkPatch(input, typeof input.host === 'string');
      return edit((doc, config) => addAgentToDocument(doc, config, name, input));
    },
    async updateAgent(name, patch) {
      if (Object.values(patch).every((v) => v === undefined)) {
        throw new DispatchError('INVALID_INPUT', `Nothing to update for agent "${name}": no field was given.`, { hint: 'Pass at least one field to change; "none" clears a field.' });
      }
      const current = (() => {
        try {
          return get().config.agents[name];
        } catch {
          return undefined;
        }
      })();
      checkPatch(patch, patch.host === null ? false : typeof patch.host === 'string' || current?.host !== undefined);
      return edit((doc, config) => updateAgentInDocument(doc, config, name, patch));
    },
    removeAgent(name) {
      return edit((doc, config) => removeAgentFromDocument(doc, config, name));
    },
    async addGroup(name, input) {
      validateName('group', name);
      return edit((doc, config) => {
        checkMembers(config, input.members);
        addGroupToDocument(doc, config, name, input);
      });
    },
    updateGroup(name, patch) {
      return edit((doc, config) => {
        checkMembers(config, [...(patch.members ?? []), ...(patch.addMembers ?? [])]);
        updateGroupInDocument(doc, config, name, patch);
      });
    },
    removeGroup(name) {
      return edit((doc, config) => removeGroupFromDocument(doc, config, name));
    },
  };
  return store;
}

// Format warnings for a person, one per line.
export function formatWarnings(loaded: LoadedConfig): string[] {
  return loaded.warnings.map(formatIssue);
}
