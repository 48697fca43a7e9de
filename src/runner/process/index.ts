// The public surface of process facts and stops, for jobs/: owner identities (the store), orphaned agents, and
// the shutdown pass (snapshotTree before aborting the runs, killTree once its short wait is over).
export { snapshotTree, type TreeSnapshot } from './descendants.js';
export { currentProcess, isProcessAlive, processRef, type IsAlive, type ProcessRef } from './identity.js';
export type { KillFn } from './signal.js';
export { procfs, startedAtMs, type ProcReader, type ProcStat } from './stat.js';
export { createGroupStop, killTree, type GroupStop, type ProcessDeps, type StopOptions, type Timers } from './stop.js';
