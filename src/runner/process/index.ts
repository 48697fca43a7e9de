// The public surface of process facts and stops, for jobs/ and anything else outside runner/.
export { snapshotTree, type TreeSnapshot } from './descendants.js';
export { currentProcess, isProcessAlive, isSameProcess, processRef, type IsAlive, type ProcessRef } from './identity.js';
export { signalGroup, type KillFn } from './signal.js';
export { procfs, startedAtMs, type ProcReader, type ProcStat } from './stat.js';
export { createGroupStop, killTree, type GroupStop, type ProcessDeps, type StopOptions, type Timers } from './stop.js';
