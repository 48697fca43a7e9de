// The stand-in model: a dependency-free Anthropic Messages API on 127.0.0.1 that tests script per run,
// so the real Claude Code CLI can be driven offline (see test/support/README.md).
import { sendJson, sendStream, serveStandIn, sleep, type StandInCall, type StandInContext, type StandInControls, type StandInOptions } from './engine.js';
import { describeRequest, type LoggedRequest } from './request.js';
import { errorJson, messageJson, newId, sseFrame, sseFrames } from './respond.js';
import { errorTypeFor } from './script.js';

export * from './script.js';
export { allText, contentText, type LoggedRequest, type ToolResult } from './request.js';

/** How to start the stand-in. */
export type FakeModelOptions = StandInOptions<LoggedRequest>;

/** A running stand-in model; `url` is the value for ANTHROPIC_BASE_URL. */
export interface FakeModel extends StandInControls<LoggedRequest> {
  /** The newest `POST /v1/messages` request. */
  readonly lastRequest: LoggedRequest | undefined;
  /** Only the `POST /v1/messages` requests. */
  messageRequests(): LoggedRequest[];
}

async function answerMessages(entry: LoggedRequest, call: StandInCall, context: StandInContext<LoggedRequest>) {
  const { res, signal } = call;
  const picked = context.pick(entry);
  const requestId = newId('req_');
  if ('failure' in picked) {
    const { failure } = picked;
    await sleep(failure.delayMs, signal);
    const headers: Record<string, string> = { 'request-id': requestId };
    if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
    if (failure.shouldRetry !== undefined) headers['x-should-retry'] = String(failure.shouldRetry);
    const message = failure.message ?? `stand-in ${failure.status}`;
    entry.response = { status: failure.status, kind: 'error', text: message };
    return sendJson(res, failure.status, errorJson(failure.type ?? errorTypeFor(failure.status), message, requestId), headers);
  }
  const rendered = await context.prepare(entry, picked.spec, 'claude-opus-5-5', signal);
  if (!entry.stream) return sendJson(res, 200, messageJson(rendered), { 'request-id': requestId });
  return sendStream(call, sseFrames(rendered).map((frame) => ({ data: sseFrame(frame), pauseMs: frame.pauseMs })), { 'request-id': requestId });
}

async function handle(call: StandInCall, context: StandInContext<LoggedRequest>) {
  const { req, res, raw, body, receivedAt } = call;
  const entry = describeRequest({ seq: context.nextSeq(), method: req.method ?? '', url: req.url ?? '', headers: req.headers, receivedAt }, body);
  context.log(entry);
  const route = `${entry.method} ${entry.path}`;
  if (route === 'POST /v1/messages' || route === 'POST /v1/messages/count_tokens') {
    if (body === undefined || typeof body !== 'object') {
      entry.response = { status: 400, kind: 'error' };
      return sendJson(res, 400, errorJson('invalid_request_error', 'stand-in: body must be a JSON object', newId('req_')));
    }
    if (route === 'POST /v1/messages') return answerMessages(entry, call, context);
    entry.response = { status: 200, kind: 'json' };
    return sendJson(res, 200, { input_tokens: Math.ceil(raw.length / 4) });
  }
  entry.response = { status: 404, kind: 'error' };
  sendJson(res, 404, errorJson('not_found_error', `stand-in: no route ${route}`, newId('req_')));
}

// Start a stand-in model on a free loopback port.
export async function startFakeModel(options: FakeModelOptions = {}): Promise<FakeModel> {
  const controls = await serveStandIn({ options, label: 'model', handle, crashBody: (message) => errorJson('api_error', message, newId('req_')) });
  const messageRequests = () => controls.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages');
  return {
    ...controls,
    messageRequests,
    get lastRequest() {
      return messageRequests().at(-1);
    },
  };
}
export { scriptFromJson, type JsonScript } from './json-script.js';
