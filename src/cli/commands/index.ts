// Every CLI command, in help order. Each file registers one command (or one command group) and holds only its
// definition: name, arguments, options and help. Its action starts by importing the code that does the work
// (`await import('./NAME-run.js')`, or the layer it drives), so `--help`, `--version` and `CMD --help` load
// commander and these definitions alone, and esbuild puts each implementation in a chunk of its own (issue 13).
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
import { registerApprovalRelay } from './approval-relay.js';
import { registerInit } from './init.js';
import { registerDoctor } from './doctor.js';
import { registerTest } from './test.js';
import { registerWeb } from './web.js';
import { registerJobs } from './jobs.js';
import { registerCosts } from './costs.js';
import { registerWorktrees } from './worktrees.js';

/** All commands. */
export const commands: RegisterCommand[] = [registerInit, registerAdd, registerUpdate, registerRemove, registerList, registerDescribe, registerGroup, registerTest, registerJobs, registerWorktrees, registerCosts, registerDoctor, registerServe, registerWorker, registerWeb, registerDemo, registerJobRunner, registerLocalWorker, registerApprovalRelay];
