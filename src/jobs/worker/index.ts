// The local worker: one detached process that runs the user's background jobs (see daemon.ts, launch.ts).
export { workerAddress, workerKey, type WorkerAddress, type WorkerIdentity } from './address.js';
export { connectWorker, WorkerUnavailable, type WorkerConnection } from './client.js';
export { runLocalWorker, type LocalWorkerDeps, type WorkerEnd } from './daemon.js';
export { createLauncher, handOff, type HandOff, type Launched, type LauncherDeps } from './launch.js';
export { waitWithPush, watchEnd, type WatchEnd } from './wait.js';
export type { WorkerStatus } from './wire.js';
