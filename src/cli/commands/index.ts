// Every CLI command, in help order. Each file registers one command (or one command group).
import type { RegisterCommand } from '../program.js';
import { registerServe } from './serve.js';
import { registerJobRunner } from './job-runner.js';

/** All commands. */
export const commands: RegisterCommand[] = [registerServe, registerJobRunner];
