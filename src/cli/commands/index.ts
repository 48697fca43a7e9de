// Every CLI command, in help order. Each file registers one command (or one command group).
import type { RegisterCommand } from '../program.js';

/** All commands. */
export const commands: RegisterCommand[] = [];
