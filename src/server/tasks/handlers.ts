// tasks/get, tasks/update and tasks/cancel on a 2026-07-28 server instance. The SDK has no server side for the
// Tasks extension, so they are registered through its public three-argument setRequestHandler (custom methods are
// exempt from the era's typed map). Only the modern instance registers them: a 2025-11-25 client gets -32601.
import { MissingRequiredClientCapabilityError, ProtocolError, ProtocolErrorCode, type Server, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { declaresExtension } from '../envelope.js';
import type { McpTaskStore } from './task-store.js';
import { TASKS_EXTENSION } from './types.js';
import { unreadableTask } from './unknown-task.js';

/** What the handlers need: the task store once the services are up, and who is asking. */
export interface TaskHandlerDeps {
  /** Resolves once the services are loaded (`serve` loads them at the first call). */
  tasks: () => Promise<McpTaskStore>;
  /** sha256 of the HTTP bearer token; absent over stdio. */
  principal?: string;
}

const taskParams = z.looseObject({ taskId: z.string().max(200) });

// True when this request's envelope declares the Tasks extension (the extension is opted into per request).
export function declaresTasks(ctx: Pick<ServerContext, 'mcpReq'>): boolean {
  return declaresExtension(ctx, TASKS_EXTENSION);
}

// Register the three task methods on a modern-era instance.
export function registerTaskHandlers(server: Server, deps: TaskHandlerDeps): void {
  // The extension's rule: a request that does not declare it gets -32021, which Claude Code treats as final.
  const guard = (ctx: ServerContext) => {
    if (!declaresTasks(ctx)) {
      throw new MissingRequiredClientCapabilityError(
        { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } } as ConstructorParameters<typeof MissingRequiredClientCapabilityError>[0],
        `${ctx.mcpReq.method} needs the ${TASKS_EXTENSION} extension declared in the request's client capabilities.`,
      );
    }
  };
  const unknown = (taskId: string) => new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown or expired task ${JSON.stringify(taskId.slice(0, 64))}.`);

  server.setRequestHandler('tasks/get', { params: taskParams }, async ({ taskId }, ctx) => {
    guard(ctx);
    // Unknown, expired and foreign ids come back as a final `failed` task (see unknown-task.ts); so does a task
    // this server cannot read because its services did not start (the reason says what to fix).
    let tasks: McpTaskStore;
    try {
      tasks = await deps.tasks();
    } catch (error) {
      return { resultType: 'complete', ...unreadableTask(taskId, Date.now(), (error as Error).message) };
    }
    return { resultType: 'complete', ...tasks.get(taskId, deps.principal) };
  });
  // Cancel and update of an unknown id are not polled, so the extension's -32602 ends nothing badly here.
  server.setRequestHandler('tasks/cancel', { params: taskParams }, async ({ taskId }, ctx) => {
    guard(ctx);
    if ((await deps.tasks()).cancel(taskId, deps.principal) === 'unknown') throw unknown(taskId);
    return {};
  });
  server.setRequestHandler('tasks/update', { params: taskParams }, async ({ taskId }, ctx) => {
    guard(ctx);
    // The SDK lifts inputResponses out of the params of every method: they arrive on the context.
    const responses = (ctx.mcpReq.inputResponses ?? {}) as Record<string, unknown>;
    if ((await (await deps.tasks()).update(taskId, deps.principal, responses)) === 'unknown') throw unknown(taskId);
    return {};
  });
}
