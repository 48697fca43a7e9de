// The services for one CLI command that needs them: built when the command runs, closed after it.
import { createLogger } from '../shared/log.js';
import type { CliContext } from './context.js';
import type { Services } from './services.js';

// Run `body` with the services, closing them after.
export async function withServices(ctx: CliContext, body: (services: Services) => Promise<void> | void): Promise<void> {
  // Loaded when the command runs, not at start: the services pull in every layer (config schema, SQLite, runner).
  const { createServices } = await import('./services.js');
  const services = createServices(ctx, { logger: createLogger({ level: 'warn', write: (line) => void ctx.stderr.write(line) }) });
  try {
    await body(services);
  } finally {
    services.close();
  }
}
