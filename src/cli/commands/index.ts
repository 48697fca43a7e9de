// Every CLI command, in help order. Each file registers one command (or one command group).
import type { RegisterCommand } from '../program.js';
import { registerAdd } from './add.js';
import { registerDescribe } from './describe.js';
import { registerGroup } from './group.js';
import { registerList } from './list.js';
import { registerRemove } from './remove.js';
import { registerServe } from './serve.js';
import { registerDemo } from './demo.js';
import { registerUpdate } from './update.js';
import { registerJobRunner } from './job-runner.js';
import { registerWorker } from './worker.js';
import { registerLocalWorker } from './local-worker.js';
import { registerInit } from './init.js';
import { registerDoctor } from './doctor.js';
import { registerTest } from './test.js';
import { registerWeb } from './web.js';
import { registerJobs } from './jobs.js';
import { registerCosts } from './costs.js';
import { registerWorktrees } from './worktrees.js';

/** All commands. */
export const commands: RegisterCommand[] = [registerInit, registerAdd, registerUpdate, registerRemove, registerList, registerDescribe, registerGroup, registerTest, registerJobs, registerWorktrees, registerCosts, registerDoctor, registerServe, registerWorker, registerWeb, registerDemo, registerJobRunner, registerLocalWorker];
