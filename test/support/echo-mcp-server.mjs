// A tiny stdio MCP server for tests: tool `echo` answers `ECHO:<text>`, tool `sleep` waits `ms` then answers.
// Plain .mjs so the Claude Code CLI can start it with `node` (no TypeScript loader).
// Set MCP_LOG=<file> to get one line per event: `start <pid>`, `call echo <text>`, `call sleep <ms>`, `signal <name>`.
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const logFile = process.env.MCP_LOG;
const log = (line) => {
  if (logFile) appendFileSync(logFile, `${line}\n`);
};

const server = new McpServer({ name: 'echo', version: '1.0.0' });

server.registerTool(
  'echo',
  { description: 'Return the given text prefixed with ECHO:', inputSchema: { text: z.string() } },
  async ({ text }) => {
    log(`call echo ${text}`);
    return { content: [{ type: 'text', text: `ECHO:${text}` }] };
  },
);

server.registerTool(
  'sleep',
  { description: 'Wait the given number of milliseconds, then answer SLEPT:<ms>', inputSchema: { ms: z.number().int().min(0) } },
  async ({ ms }) => {
    log(`call sleep ${ms}`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { content: [{ type: 'text', text: `SLEPT:${ms}` }] };
  },
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`signal ${signal}`);
    process.exit(0);
  });
}

log(`start ${process.pid}`);
await server.connect(new StdioServerTransport());
