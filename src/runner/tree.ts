// Transitional names for the shutdown pass in jobs/service.ts, which another branch moves to jobs/shutdown.ts.
// Remove this file once that pass uses snapshotTree + killTree from process/index.ts.
export { descendantsOf } from './process/descendants.js';
export { killSurvivors as killMarked } from './process/signal.js';
