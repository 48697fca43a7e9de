// A stderr-only logger: under `serve`, stdout belongs to the MCP transport. Listeners can be attached
// (the MCP server forwards log lines to its client as notifications/message).

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Minimal logger interface passed to services. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that others can listen to. */
export interface LogHub extends Logger {
  /** Receive every line at or above the logger's level; returns a detach function. */
  attach(listener: (level: LogLevel, message: string) => void): () => void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

// A logger that writes `agent-dispatch: level: message` lines to stderr (or `write`) and to its listeners.
export function createLogger(options: { level?: LogLevel; write?: (line: string) => void } = {}): LogHub {
  const level = options.level ?? (process.env.AGENT_DISPATCH_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  const min = ORDER[level] ?? 1;
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const listeners = new Set<(level: LogLevel, message: string) => void>();
  const at = (level: LogLevel) => (message: string) => {
    if (ORDER[level] < min) return;
    write(`agent-dispatch: ${level}: ${message}\n`);
    for (const listener of listeners) {
      try {
        listener(level, message);
      } catch {}
    }
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    attach(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** A logger that drops everything (tests, quiet commands). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
