// Job and lease rows name their owner process by pid and start time (pids are reused); the facts come from the
// runner's process module, so the store and the stops agree on what "the same process" means.
export { currentProcess, isProcessAlive, processRef, type IsAlive, type ProcessRef } from '../../runner/process/index.js';
