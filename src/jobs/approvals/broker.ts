// The approval broker of one run: a 0600 Unix socket in the state directory that the run's relay (the MCP server
// named by --permission-prompt-tool) connects to. A request counts only with the run's secret; each one is
// recorded in the run's book, put to the caller (elicitation) and to every other answering path (whoever writes
// to the book: the local store, or the pool's Redis for a job on a worker), and denied when nobody answers in
// time or the run ends. The clock is always the broker's: a lost caller never hangs the agent.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPROVAL_SECRET_VAR, APPROVAL_SOCKET_VAR, ruleFor, type ApprovalDecision, type ApprovalRequest, type AskCaller } from '../../shared/approvals.js';
import { ensurePrivateDir } from '../../shared/private-dir.js';
import type { Logger } from '../../shared/log.js';
import type { ApprovalRelay, RunEvent, ServeRemoteRelay } from '../../shared/types.js';
import type { JobStore } from '../store/types.js';
import type { AllowAlways } from './answer.js';
import { storeBook, type ApprovalBook } from './book.js';

/** What a broker needs. */
export interface BrokerOptions {
  /** The local job store; its book is used unless `book` is given. */
  store?: JobStore;
  /** Where requests and answers are kept (default: the store's). */
  book?: ApprovalBook;
  jobId: string;
  /** Folder for the socket (the state directory); a short temp folder is used when the path would be too long. */
  dir: string;
  /** The relay command (`agent-dispatch __approval-relay`), as argv. */
  relayCommand: readonly string[];
  timeoutMs: number;
  askCaller?: AskCaller;
  allowAlways?: AllowAlways;
  /** Live events of the run (progress lines): requests and decisions. */
  notify?: (event: RunEvent) => void;
  logger: Logger;
  /** How often answers from other processes are looked for (default 100 ms). */
  pollMs?: number;
  /** For a run on an SSH host: serves the relay over HTTP for the runner to forward there (see ApprovalRelay.remote). */
  serveRemote?: ServeRemoteRelay;
}

/** An open broker: hand `relay` to the runner, close it once the run has ended. */
export interface ApprovalBroker {
  relay: ApprovalRelay;
  /** Look for answers now rather than at the next poll (someone said an answer was written). */
  check(): void;
  close(): void;
}

/** The decision the relay hands to the CLI, in the --permission-prompt-tool result shape. */
export type RelayReply = { behavior: 'allow'; updatedInput: unknown } | { behavior: 'deny'; message: string };

// The longest socket path Linux accepts is 107 bytes; macOS 103.
const MAX_SOCKET_PATH = 100;
const MAX_LINE = 1024 * 1024;

// Open the socket and return the relay the CLI will start.
export async function openApprovalBroker(options: BrokerOptions): Promise<ApprovalBroker> {
  const secret = randomBytes(32);
  const name = `${options.jobId.slice(0, 12)}-${randomBytes(3).toString('hex')}.sock`;
  let folder = join(options.dir, 'approvals');
  let temp: string | undefined;
  if (join(folder, name).length > MAX_SOCKET_PATH || !ensurePrivateDir(folder)) folder = temp = mkdtempSync(join(tmpdir(), 'ad-approvals-'));
  const socketPath = join(folder, name);
  const book = options.book ?? storeBook(options.store!, options.jobId, options.allowAlways);
  const rules = new Set<string>();
  const live = new Set<AbortController>();
  const polls = new Set<() => void>();
  const server: Server = createServer((socket) => serve(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  chmodSync(socketPath, 0o600);
  const relayEnv = { [APPROVAL_SOCKET_VAR]: socketPath, [APPROVAL_SECRET_VAR]: secret.toString('hex') };
  let remote: Awaited<ReturnType<ServeRemoteRelay>> | undefined;
  try {
    remote = await options.serveRemote?.(relayEnv);
  } catch (error) {
    server.close();
    rmSync(temp ?? socketPath, { recursive: true, force: true });
    throw error;
  }

  function serve(socket: Socket): void {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_LINE) return void socket.destroy();
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      socket.removeAllListeners('data');
      void answer(buffer.slice(0, end)).then(
        (reply) => socket.end(`${JSON.stringify(reply)}\n`),
        (error: unknown) => socket.end(`${JSON.stringify({ behavior: 'deny', message: `agent-dispatch could not relay the request: ${(error as Error).message}` })}\n`),
      );
    });
  }

  async function answer(line: string): Promise<RelayReply> {
    const message = JSON.parse(line) as { secret?: unknown; tool_name?: unknown; input?: unknown; tool_use_id?: unknown };
    const given = Buffer.from(typeof message.secret === 'string' ? message.secret : '', 'hex');
    if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
      options.logger.warn(`job ${options.jobId}: refused an approval request without this run's secret`);
      return { behavior: 'deny', message: 'The request did not come from this run.' };
    }
    const toolName = typeof message.tool_name === 'string' ? message.tool_name : 'unknown';
    const request = await book.raise({
      toolName,
      input: message.input,
      ...(typeof message.tool_use_id === 'string' ? { toolUseId: message.tool_use_id } : {}),
      expiresAt: Date.now() + options.timeoutMs,
    });
    options.notify?.({ type: 'approval_request', requestId: request.id, toolName, input: request.input });
    const decided = await decide(request);
    options.notify?.({ type: 'approval_decision', requestId: request.id, toolName, decision: decided.decision!, decidedBy: decided.decidedBy ?? '', how: decided.how ?? '' });
    const rule = ruleFor(toolName, request.input);
    if (decided.decision === 'allow_always' && rule !== undefined) rules.add(rule);
    // The input allowed is the one recorded and shown, never one the relay could have changed since.
    if (decided.decision !== 'deny') return { behavior: 'allow', updatedInput: request.input };
    return { behavior: 'deny', message: `${decided.decidedBy === 'timeout' ? 'Nobody answered' : `Denied by ${decided.decidedBy}`} (${decided.how}).` };
  }

  // The first answer wins: the caller, another process through the store, the run's own earlier "always", or the clock.
  async function decide(request: ApprovalRequest): Promise<ApprovalRequest> {
    const submit = (decision: ApprovalDecision, decidedBy: string, how: string) => book.decide(request.id, { decision, decidedBy, how }).then((o) => o.request);
    const rule = ruleFor(request.toolName, request.input);
    if (rule !== undefined && rules.has(rule)) return submit('allow_once', 'rule', 'allowed always earlier in this run');
    const controller = new AbortController();
    let settled = false;
    live.add(controller);
    try {
      const fromCaller = options.askCaller
        ? options.askCaller(request, controller.signal).then(
            (decision) => (decision ? submit(decision, 'caller', 'elicitation') : new Promise<never>(() => {})),
            () => new Promise<never>(() => {}),
          )
        : new Promise<never>(() => {});
      const fromStore = new Promise<ApprovalRequest>((resolve) => {
        let reading = false;
        let again = false;
        const tick = () => {
          if (controller.signal.aborted) return clearInterval(timer);
          // One read at a time: a slow book (Redis away) must not pile reads up. A check() during a read reads
          // again after it, since the answer may have landed after that read was sent.
          if (reading) return void (again = true);
          reading = true;
          again = false;
          void book
            .read(request.id)
            .catch(() => undefined)
            .then((now) => {
              reading = false;
              if (controller.signal.aborted) return;
              if (now?.decision !== undefined) {
                clearInterval(timer);
                resolve(now);
              } else if (Date.now() >= request.expiresAt) {
                clearInterval(timer);
                resolve(submit('deny', 'timeout', `no answer within ${Math.round(options.timeoutMs / 1000)} s`));
              } else if (again) tick();
            });
        };
        const timer = setInterval(tick, options.pollMs ?? 100);
        polls.add(tick);
        controller.signal.addEventListener('abort', () => {
          polls.delete(tick);
          clearInterval(timer);
          if (!settled) resolve(submit('deny', 'run_end', 'the run ended before an answer'));
        });
      });
      return await Promise.race([fromCaller, fromStore]);
    } finally {
      settled = true;
      controller.abort();
      live.delete(controller);
    }
  }

  return {
    relay: {
      command: options.relayCommand[0]!,
      args: [...options.relayCommand.slice(1), '__approval-relay'],
      env: relayEnv,
      ...(remote ? { remote: { socketPath: remote.socketPath, env: remote.env } } : {}),
    },
    check() {
      for (const tick of polls) tick();
    },
    close() {
      for (const controller of live) controller.abort();
      void remote?.close().catch((error: unknown) => options.logger.warn(`job ${options.jobId}: could not close the approval endpoint: ${(error as Error).message}`));
      server.close();
      rmSync(temp ?? socketPath, { recursive: true, force: true });
    },
  };
}
