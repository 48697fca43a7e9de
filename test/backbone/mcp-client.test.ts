// The CLI as an MCP client: a scripted mcp__echo__echo tool_use reaches a stdio MCP server named in --mcp-config,
// and the server's answer comes back to the model as the tool_result.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, echoMcpConfig, type Backbone } from '../support/harness.js';

let bb: Backbone;
beforeAll(async () => {
  bb = await createBackbone({
    rules: [{ match: 'use echo', reply: [toolUse('mcp__echo__echo', { text: 'ping-123' }), (ctx) => text(`MCP said: ${ctx.lastToolResult}`)] }],
  });
});
afterAll(() => bb.cleanup());

describe('the CLI as an MCP client', () => {
  it('routes an mcp__echo__echo tool_use to the stdio server and returns its answer to the model', async () => {
    const dir = bb.project('mcp-agent');
    const logFile = join(bb.sandbox.root, 'mcp.log');
    const args = ['-p', 'use echo', '--mcp-config', echoMcpConfig({ logFile }), '--strict-mcp-config', '--allowedTools', 'mcp__echo', '--output-format', 'stream-json', '--verbose'];
    const run = await bb.claude(args, { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const events = run.events();
    expect(events[0]).toMatchObject({ subtype: 'init', mcp_servers: [{ name: 'echo', status: 'connected' }] });
    expect(events[0].tools).toContain('mcp__echo__echo');
    expect(run.result()).toMatchObject({ is_error: false, result: 'MCP said: ECHO:ping-123', permission_denials: [] });

    expect(readFileSync(logFile, 'utf8')).toMatch(/^start \d+\ncall echo ping-123\n/);
    const requests = bb.model.messageRequests();
    expect(requests.map((r) => r.turnIndex)).toEqual([0, 1]);
    // MCP tools are deferred: named in a reminder, not in the API tools list.
    expect(requests[0]?.tools).not.toContain('mcp__echo__echo');
    expect(requests[1]?.toolResults).toEqual([expect.objectContaining({ content: 'ECHO:ping-123', isError: false })]);
  });
});
