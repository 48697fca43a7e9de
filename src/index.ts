// Programmatic API: explicit named exports.
export { DispatchError, isDispatchError, type DispatchErrorCode } from './shared/errors.js';
export type * from './shared/types.js';
export { VERSION } from './shared/version.js';
