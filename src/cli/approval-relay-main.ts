// The process entry for `agent-dispatch __approval-relay` (hidden), chosen by bin/agent-dispatch.js: the MCP server
// Claude Code starts for a dispatched run with approvals "ask" (see server/approval-relay.ts). Small for start-up.
import { runApprovalRelay } from '../server/approval-relay.js';

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
await runApprovalRelay(process.env);
process.exit(0);
