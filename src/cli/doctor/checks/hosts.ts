// SSH agents' hosts (issue 17): reachable and authenticated without a prompt, the CLI there with its version,
// the directory there, and the CLI logged in (one tiny real dispatch, skipped by --offline). Gathering runs
// ssh and lives here with its pure check, so doctor needs one line to add it.
import { explainAgent, readConfigFile, resolveConfigPath } from '../../../config/index.js';
import { createRunner } from '../../../runner/index.js';
import { createRuntimeAdapters } from '../../../runner/runtimes.js';
import { createSshClient, type SshClient } from '../../../runner/ssh/connection.js';
import { probeHost, type HostProbe } from '../../../runner/ssh/probe.js';
import type { ErrorType } from '../../../shared/types.js';
import type { CliContext } from '../../context.js';
import { homeOf } from '../../home.js';
import type { CheckResult } from '../types.js';

/** What doctor found for one remote agent. */
export interface HostFacts {
  agent: string;
  host: string;
  directory: string;
  binary: string;
  probe: HostProbe;
  /** The tiny dispatch: undefined when skipped (offline, or the host or CLI is missing). */
  login?: { ok: boolean; type?: ErrorType; message?: string };
}

// Probe every agent that has a host; independent agents run at once over shared connections. Never throws.
export async function gatherHostFacts(ctx: CliContext, options: { offline?: boolean; client?: SshClient } = {}): Promise<HostFacts[]> {
  const homedir = homeOf(ctx);
  let config;
  try {
    config = readConfigFile(resolveConfigPath({ env: ctx.env, homedir, cwd: ctx.cwd }), homedir).config;
  } catch {
    return []; // the config check reports it
  }
  const remote = Object.keys(config.agents).sort().map((name) => explainAgent(config, name).agent).filter((a) => a.host !== undefined);
  if (remote.length === 0) return [];
  const client = options.client ?? createSshClient({ env: ctx.env });
  const adapters = createRuntimeAdapters();
  return Promise.all(
    remote.map(async (agent): Promise<HostFacts> => {
      const binary = adapters[agent.runtime].defaultBinary;
      const endpoint = { host: agent.host!, ...(agent.sshOptions ? { sshOptions: agent.sshOptions } : {}) };
      const probe = await probeHost(client, endpoint, agent.directory, binary, agent.env?.PATH);
      const facts: HostFacts = { agent: agent.name, host: agent.host!, directory: agent.directory, binary, probe };
      if (options.offline || !probe.reachable || !probe.directoryExists || probe.cliPath === undefined) return facts;
      const runner = createRunner({ env: ctx.env, ssh: { settings: client.settings, sshBinary: client.binary } });
      const run = await runner.run({ agent: { ...agent, maxTurns: 1, timeout: 60, allowedTools: [] }, task: 'Reply with the single word OK.' }, ctx.signal ? { signal: ctx.signal } : {});
      return { ...facts, login: run.ok ? { ok: true } : { ok: false, ...(run.error ? { type: run.error.type, message: run.error.message } : {}) } };
    }),
  );
}

// One result per remote agent (pure).
export function checkHosts(facts: readonly HostFacts[]): CheckResult[] {
  return facts.map((f) => {
    const base = { id: `host.${f.agent}`, title: `Host of ${f.agent}` };
    const probe = f.probe;
    if (!probe.reachable) {
      return { ...base, status: 'fail' as const, message: probe.failure?.message ?? `${f.host} did not answer`, fix: [`ssh -o BatchMode=yes ${f.host} true`, ...(probe.failure?.hint ? [probe.failure.hint] : [])] };
    }
    const reached = `${f.host} reachable without a prompt (${probe.durationMs} ms)`;
    if (probe.cliPath === undefined) {
      return { ...base, status: 'fail' as const, message: `${reached}, but \`${f.binary}\` is not on its non-interactive PATH`, fix: [`ssh ${f.host} 'command -v ${f.binary}'`, `set PATH in agent ${f.agent}'s env`] };
    }
    const cli = `${f.binary} ${probe.cliVersion ?? '(no version)'}`;
    if (!probe.directoryExists) {
      return { ...base, status: 'fail' as const, message: `${reached}, ${cli}, but ${f.directory} does not exist there`, fix: [`ssh ${f.host} mkdir -p ${f.directory}`, `agent-dispatch update ${f.agent} --directory PATH`] };
    }
    const summary = `${reached}, ${cli}, ${f.directory} present`;
    if (f.login === undefined) return { ...base, status: 'ok' as const, message: `${summary}; login not checked` };
    if (f.login.ok) return { ...base, status: 'ok' as const, message: `${summary}, logged in` };
    return { ...base, status: f.login.type === 'auth' ? ('fail' as const) : ('warn' as const), message: `${summary}; a test dispatch failed (${f.login.type ?? 'error'}): ${f.login.message ?? ''}`, fix: [`ssh ${f.host}  # then run ${f.binary} once to log in`] };
  });
}
