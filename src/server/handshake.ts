// The server's answers to `initialize` and `tools/list`, captured from the real server at build time
// (scripts/build.mjs writes them to dist/handshake.json). `agent-dispatch serve` answers the handshake from this
// file before it loads the MCP SDK, zod and the tools, which is most of its start-up (see cli/front-desk.ts).
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Dispatcher } from '../jobs/dispatcher.js';
import { silentLogger } from '../shared/log.js';
import { VERSION } from '../shared/version.js';
import type { AgentCatalog } from './catalog-types.js';
import { createServer } from './create-server.js';

/** What the server says in its handshake, exactly as it puts it on the wire. */
export interface HandshakeManifest {
  /** Our package version; a manifest from another build is ignored. */
  version: string;
  /** Protocol versions the SDK accepts, and the one it answers when the client asks for another. */
  supportedProtocolVersions: string[];
  latestProtocolVersion: string;
  /** The `initialize` result without `protocolVersion` (negotiated per request). */
  initialize: Record<string, unknown>;
  /** The `tools/list` result. */
  toolsList: Record<string, unknown>;
  /** Request methods the server handles; anything else gets "Method not found". */
  methods: string[];
}

// Tools never call their dependencies at registration; these would fail loudly if one did.
const unused = new Proxy({}, { get: (_t, key) => { throw new Error(`handshake capture touched deps.${String(key)}`); } });

// Start the real server in memory, send it initialize and tools/list, and keep the raw answers.
export async function captureHandshake(): Promise<HandshakeManifest> {
  const server = createServer({ dispatcher: unused as Dispatcher, catalog: unused as AgentCatalog, logger: silentLogger });
  const [client, serverSide] = InMemoryTransport.createLinkedPair();
  const answers = new Map<unknown, JSONRPCMessage>();
  client.onmessage = (message) => void ('id' in message && answers.set(message.id, message));
  await server.connect(serverSide);
  await client.start();
  const clientInfo = { name: 'agent-dispatch-build', version: VERSION };
  await client.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo } });
  await client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await client.send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
  for (let i = 0; i < 100 && answers.size < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  await server.close();
  const resultOf = (id: number) => {
    const answer = answers.get(id) as { result?: Record<string, unknown> } | undefined;
    if (!answer?.result) throw new Error(`handshake capture: no result for request ${id}: ${JSON.stringify(answer)}`);
    return answer.result;
  };
  const { protocolVersion: _negotiated, ...initialize } = resultOf(1);
  // The SDK keeps its handler table private; reading it here, at build time, is the only way to know it.
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, unknown> })._requestHandlers;
  return {
    version: VERSION,
    supportedProtocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    latestProtocolVersion: LATEST_PROTOCOL_VERSION,
    initialize,
    toolsList: resultOf(2),
    methods: handlers ? [...handlers.keys()] : [],
  };
}
