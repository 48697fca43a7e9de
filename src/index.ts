// Programmatic API: explicit named exports.
export { DispatchError, isDispatchError, type DispatchErrorCode } from './shared/errors.js';
export type * from './shared/types.js';
export { VERSION } from './shared/version.js';
export {
  createJobStore,
  currentProcess,
  isProcessAlive,
  MIGRATIONS,
  parseJobId,
  processRef,
  type IsAlive,
  type Migration,
  type ProcessRef,
} from './jobs/store/index.js';
export type * from './jobs/store/types.js';
