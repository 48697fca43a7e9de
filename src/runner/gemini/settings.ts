// The per-run Gemini CLI environment. Gemini has no flag or variable for usage statistics, so the adapter writes
// a settings file for the run and names it in GEMINI_CLI_SYSTEM_SETTINGS_PATH (the system layer wins over the
// user's ~/.gemini/settings.json, which is never touched). Any system settings file already in force is copied
// into it first. Gemini ignores a settings file under a group/world-writable directory (such as /tmp), so the
// run directory lives under the user's cache dir. The run's TMPDIR points inside it too: on every API error
// Gemini writes the whole conversation to a world-readable "$TMPDIR/gemini-client-error-*.json".
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

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

// Creates `<root>/gemini-XXXX/{settings.json,tmp/}` (0700) and returns the variables that point at it.
export function prepareRunFiles(root: string, settings: Record<string, unknown> | undefined): GeminiRunFiles {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(root, 'gemini-'));
  chmodSync(dir, 0o700);
  try {
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp, { mode: 0o700 });
    const env: Record<string, string> = { TMPDIR: tmp };
    if (settings !== undefined) {
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

// Default root for run directories: $XDG_CACHE_HOME/agent-dispatch/runs, else ~/.cache/agent-dispatch/runs.
export function defaultRunRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'agent-dispatch', 'runs');
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
