// The worker pool on Redis/BullMQ (issue 15). Loaded only through a dynamic import when a queue is configured, so
// SQLite mode never loads bullmq or ioredis (esbuild puts this folder in its own chunk).
export { createPoolDispatcher, type PoolAgent, type PoolDispatcher } from './dispatcher.js';
export { startPoolWorker, type PoolWorker, type WorkerNotice } from './worker.js';
export { openRedis, describeRedisError } from './connect.js';
export { liveWorkers, type WorkerInfo } from './registry.js';
export { failoverTimings } from './timings.js';
export { fileAnswerSecret } from './answer-key.js';
