// The Tasks extension plugged into the server factory's seam (create-server.ts): on a 2026-07-28 instance it
// declares io.modelcontextprotocol/tasks and registers tasks/get|update|cancel; per call, a dispatch tool whose
// request declares the extension is answered as a task. Legacy (2025-11-25) instances get neither, so Cursor,
// VS Code, the v1 SDK client and every `claude -p` keep the synchronous answers.
import type { TaskSeam } from '../call-tool.js';
import type { FactoryOptions } from '../create-server.js';
import type { ServerDeps } from '../deps.js';
import { viewOptions } from '../run-dispatch.js';
import { declaresTasks, registerTaskHandlers } from './handlers.js';
import { groupTaskAnswer, isStartedGroup } from './start-parallel.js';
import { isTaskTool, taskAnswer, tasksOf, type StartedJob } from './start-task.js';
import { createTaskStore, type McpTaskStore } from './task-store.js';
import { TASKS_EXTENSION } from './types.js';

// The factory options that serve dispatches as tasks.
export function tasksExtension(): Pick<FactoryOptions, 'extend' | 'tasks'> {
  // One task store per set of services (HTTP builds an instance per request; they all share it).
  const stores = new WeakMap<ServerDeps, McpTaskStore>();
  const storeOf = (deps: ServerDeps) => {
    let store = stores.get(deps);
    if (!store) stores.set(deps, (store = createTaskStore({ jobs: tasksOf(deps), view: () => viewOptions(deps), logger: deps.logger })));
    return store;
  };
  const seam: TaskSeam = {
    // In pool mode there is no local job store to serve tasks from: such calls answer synchronously.
    accepts: (ctx, tool) => ctx.era === 'modern' && isTaskTool(tool.name) && declaresTasks(ctx.mcp) && ctx.deps.dispatcher.tasks !== undefined,
    // The hook hands over the job it created (see dispatchTaskHook); a seed from elsewhere is read back.
    answer: async (seed, ctx) =>
      isStartedGroup(seed) ? groupTaskAnswer(ctx.deps, seed.group) : taskAnswer(ctx.deps, (seed as Partial<StartedJob>).job ?? tasksOf(ctx.deps).status(seed.jobId)),
  };
  return {
    extend(server, context, load) {
      if (context.era !== 'modern') return;
      server.registerCapabilities({ extensions: { [TASKS_EXTENSION]: {} } });
      registerTaskHandlers(server, { tasks: async () => storeOf(await load()), ...(context.authInfo?.token ? { principal: context.authInfo.token } : {}) });
    },
    tasks: seam,
  };
}
