// A cap on request bodies for the loopback servers. hono's bodyLimit re-wraps a body without Content-Length as
// `new Request(c.req.raw, …)`, which throws when @hono/node-server leaves the global Request alone (as it must
// here, for the MCP SDK): every DELETE that ends an MCP session and every chunked POST got a 500. This reads such
// a body up to the cap and hands on a new Request built from the URL.
import type { Context, MiddlewareHandler } from 'hono';

// Refuse (with onError's answer) a body over maxBytes; GET and HEAD pass untouched.
export function limitBody(maxBytes: number, onError: (c: Context) => Response): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body || raw.method === 'GET' || raw.method === 'HEAD') return next();
    const length = raw.headers.get('content-length');
    if (length !== null && !raw.headers.has('transfer-encoding')) return Number(length) > maxBytes ? onError(c) : next();
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return onError(c);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(raw.url, { method: raw.method, headers: new Headers(raw.headers), body: size > 0 ? Buffer.concat(chunks) : null, signal: raw.signal });
    return next();
  };
}
