// The per-run Gemini CLI environment. Gemini has no flag or variable for usage statistics, so the adapter writes
// a settings file for the run and names it in GEMINI_CLI_SYSTEM_SETTINGS_PATH (the system layer wins over the
// user's ~/.gemini/settings.json, which is never touched). Any system settings file already in force is copied
// into it first. Gemini (0.61) skips a system settings file unless the file and every directory above it are
// owned by root and not group/world-writable, so the run directory goes to the first cache dir that passes that
// check (a HOME under /tmp fails it; the account's own home from the password database is tried next). The run's
// TMPDIR points inside it too: on every API error Gemini writes the whole conversation to a world-readable
// "$TMPDIR/gemini-client-error-*.json".
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Where Gemini CLI reads system settings when GEMINI_CLI_SYSTEM_SETTINGS_PATH is unset (Linux). */
export const DEFAULT_SYSTEM_SETTINGS = '/etc/gemini-cli/settings.json';

/** The settings the adapter forces on every run. */
export function forcedSettings(maxTurns: number | undefined): Record<string, unknown> {
  return {
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    ...(maxTurns === undefined ? {} : { model: { maxSessionTurns: maxTurns } }),
  };
}

// Deep merge of plain objects; `over` wins.
export function mergeSettings(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const a = out[key];
    out[key] = isPlain(a) && isPlain(value) ? mergeSettings(a, value) : value;
  }
  return out;
}

// The system settings in force before ours: the file named by the variable, else the default path.
// undefined when a file exists but cannot be read as JSON (then the adapter leaves system settings alone).
export function existingSystemSettings(env: Readonly<Record<string, string | undefined>>, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): Record<string, unknown> | undefined {
  const path = env.GEMINI_CLI_SYSTEM_SETTINGS_PATH || DEFAULT_SYSTEM_SETTINGS;
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? {} : undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return isPlain(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A run directory with the settings file and a private TMPDIR. */
export interface GeminiRunFiles {
  env: Record<string, string>;
  cleanup(): void;
}

// Creates `<root>/gemini-XXXX/{settings.json,tmp/}` (0700) and returns the variables that point at it. Where
// Gemini would skip the file (not root, or an untrusted directory) the variable is left unset: pointing it there
// would only hide the system settings already in force.
export function prepareRunFiles(root: string, settings: Record<string, unknown> | undefined, trusts: (dir: string) => boolean = geminiTrustsDir): GeminiRunFiles {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(root, 'gemini-'));
  chmodSync(dir, 0o700);
  try {
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp, { mode: 0o700 });
    const env: Record<string, string> = { TMPDIR: tmp };
    if (settings !== undefined && trusts(dir)) {
      const file = join(dir, 'settings.json');
      writeFileSync(file, JSON.stringify(settings, null, 2), { mode: 0o600 });
      env.GEMINI_CLI_SYSTEM_SETTINGS_PATH = file;
    }
    return { env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** What the trust check needs to know about a path: its owner and mode, or undefined when it does not exist. */
export type StatOwner = (path: string) => { uid: number; mode: number } | undefined;

const statOwner: StatOwner = (path) => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

// Would Gemini read a settings file we create under `dir`? Our files are owned by `uid`, so only root qualifies;
// every existing directory from `dir` up must be root-owned and not writable by group or others (missing ones we
// create 0700).
export function geminiTrustsDir(dir: string, { uid = process.getuid?.() ?? -1, stat = statOwner }: { uid?: number; stat?: StatOwner } = {}): boolean {
  if (uid !== 0) return false;
  for (let at = resolve(dir); ; at = dirname(at)) {
    const info = stat(at);
    if (info && (info.uid !== 0 || (info.mode & 0o022) !== 0)) return false;
    if (dirname(at) === at) return true;
  }
}

// Root for run directories: the first of $XDG_CACHE_HOME, ~/.cache and the account's home from the password
// database (when HOME points elsewhere) that Gemini trusts, each + /agent-dispatch/runs; else the first of them
// (for a user other than root none is trusted: the runs get their private TMPDIR, not the forced settings).
export function defaultRunRoot(
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: { accountHome?: string; uid?: number; stat?: StatOwner } = {},
): string {
  const accountHome = options.accountHome ?? safeAccountHome();
  const caches = [env.XDG_CACHE_HOME, join(env.HOME || homedir(), '.cache'), accountHome && join(accountHome, '.cache')];
  const roots = [...new Set(caches.filter((c): c is string => Boolean(c)).map((c) => join(c, 'agent-dispatch', 'runs')))];
  return roots.find((root) => geminiTrustsDir(root, options)) ?? (roots[0] as string);
}

function safeAccountHome(): string | undefined {
  try {
    return userInfo().homedir || undefined;
  } catch {
    return undefined;
  }
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
