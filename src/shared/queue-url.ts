// The worker pool's Redis URL (settings.queue / AGENT_DISPATCH_QUEUE, issue 15): checked, parsed into connection
// options and redacted for display. Pure. The password never leaves parseQueueUrl's result: everything shown to
// people (logs, errors, doctor, records) goes through redactQueueUrl.

/** Where the pool's Redis is, as ioredis options (no URL, so no password can leak through a printed URL). */
export interface QueueEndpoint {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** rediss://: TLS, verifying the server's name. */
  tls?: { servername: string };
  /** The URL with the password replaced by ***, for every message. */
  redacted: string;
}

/** The environment variable that overrides settings.queue. */
export const QUEUE_ENV = 'AGENT_DISPATCH_QUEUE';

// Parse with the WHATWG parser; undefined for anything that is not a URL at all.
function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

// Why a queue URL is not usable, in words (without echoing its password), or undefined when it is fine.
export function queueUrlProblem(text: string): string | undefined {
  const url = parse(text.trim());
  if (!url) return 'it is not a URL';
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `the scheme is ${url.protocol.replace(/:$/, '')}, not redis or rediss`;
  if (url.hostname === '') return 'it names no host';
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) return `the database "${db.slice(0, 20)}" is not a number from 0 to 99`;
  if (url.search !== '' || url.hash !== '') return 'query strings and fragments are not supported';
  return undefined;
}

// redis://user:***@host:port/db: what may be shown anywhere.
export function redactQueueUrl(text: string): string {
  const url = parse(text.trim());
  if (!url) return '(not a URL)';
  const user = url.username ? `${decodeURIComponent(url.username)}${url.password ? ':***' : ''}@` : url.password ? ':***@' : '';
  const db = url.pathname.replace(/^\//, '');
  return `${url.protocol}//${user}${url.host}${db ? `/${db}` : ''}`;
}

// The URL as ioredis options; throws an Error naming the redacted URL when it is not usable.
export function parseQueueUrl(text: string): QueueEndpoint {
  const problem = queueUrlProblem(text);
  const redacted = redactQueueUrl(text);
  if (problem !== undefined) throw new Error(`The queue URL ${redacted} is not usable: ${problem}.`);
  const url = new URL(text.trim());
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const db = url.pathname.replace(/^\//, '');
  return {
    host: hostname,
    port: url.port === '' ? 6379 : Number(url.port),
    db: db === '' ? 0 : Number(db),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: { servername: hostname } } : {}),
    redacted,
  };
}

// The queue in force: AGENT_DISPATCH_QUEUE when set (even to a bad value, which then fails loudly), else settings.queue.
export function queueUrlOf(settingsQueue: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env[QUEUE_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  return settingsQueue?.trim() || undefined;
}
