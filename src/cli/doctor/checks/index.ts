// Every check, in the order doctor prints them: pure functions from gathered facts to results.
import type { CheckResult, CheckStatus, DoctorFacts } from '../types.js';
import { checkAgentDirectory } from './agents.js';
import { checkConfig } from './config.js';
import { checkEnvironment } from './environment.js';
import { checkAgentPermissions } from './permissions.js';
import { checkRegistration } from './registration.js';
import { checkAuth, checkClaude, checkNode } from './runtime.js';
import { checkStore } from './store.js';
import { checkWorkers } from './workers.js';

// All results for a set of facts.
export function runChecks(facts: DoctorFacts): CheckResult[] {
  const context = { isRoot: facts.isRoot, isSandbox: facts.env.IS_SANDBOX === '1' };
  const permissions = facts.agents.flatMap((agent) => checkAgentPermissions(agent, context));
  const agentsLoaded = facts.config.loaded !== undefined && facts.agents.length > 0;
  return [
    checkNode(facts.nodeVersion),
    checkClaude(facts.claude),
    checkAuth(facts.auth),
    ...checkConfig(facts.config),
    ...facts.agents.filter((a) => a.agent.host === undefined).map(checkAgentDirectory), // remote ones: hosts.ts
    ...(agentsLoaded && permissions.length === 0 ? [{ id: 'permissions', title: 'Permissions', status: 'ok' as const, message: 'no setting that will surely fail' }] : permissions),
    checkRegistration(facts.registration),
    ...checkStore(facts.store),
    ...(facts.workers ? [checkWorkers(facts.workers)] : []),
    checkEnvironment(facts.env, facts.maxDepth, facts.config.path),
  ];
}

/** Counts per status. */
export type Summary = Record<CheckStatus, number>;

// How many results have each status.
export function summarize(results: readonly CheckResult[]): Summary {
  const summary: Summary = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const r of results) summary[r.status] += 1;
  return summary;
}
