// The approval relay of a run on an SSH host, as its CLI there sees it: the run's HTTP endpoint (served locally on a
// Unix socket by the broker's side) forwarded to a port on the host's loopback for the length of the run.
import { APPROVAL_HTTP_PATH } from '../../shared/approvals.js';
import type { ApprovalRelay } from '../../shared/types.js';
import type { RunFailure } from '../adapter.js';
import { ForwardError, openRemoteForward, type ForwardSpec } from './forward.js';

/** The relay for the remote CLI and the end of its forward, or why the run cannot ask. */
export type OpenedRelay = { relay: ApprovalRelay; cancel(): Promise<void> } | { failure: RunFailure };

// The URL the remote CLI calls (pure).
export function relayUrl(port: number): string {
  return `http://127.0.0.1:${port}${APPROVAL_HTTP_PATH}`;
}

// Open the forward and describe the relay as the remote CLI reaches it: the URL, and only the bearer token in its
// environment (the broker's socket and secret stay on this machine).
export async function openRelayForward(local: ApprovalRelay, spec: Omit<ForwardSpec, 'socketPath'>): Promise<OpenedRelay> {
  if (!local.remote) {
    return { failure: { type: 'cli_error', message: `Agent ${spec.agent}: approvals "ask" on SSH host ${spec.endpoint.host} needs the relay's HTTP endpoint, which this process did not start.`, hint: 'Dispatch through the agent-dispatch CLI or MCP server, or with approvals "deny".' } };
  }
  try {
    const forward = await openRemoteForward({ ...spec, socketPath: local.remote.socketPath });
    return { relay: { command: local.command, args: local.args, env: { ...local.remote.env }, url: relayUrl(forward.port) }, cancel: forward.cancel };
  } catch (error) {
    if (error instanceof ForwardError) return { failure: error.failure };
    return { failure: { type: 'cli_error', message: `Agent ${spec.agent}: could not open the forward for its permission requests: ${(error as Error).message}` } };
  }
}
