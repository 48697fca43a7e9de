// `serve --http`: placeholder wiring until the HTTP transport lands (issue 9).
import type { CliContext } from './context.js';
import type { Services } from './services.js';
import { DispatchError } from '../shared/errors.js';

// Serve MCP over Streamable HTTP on loopback.
export async function runHttpServer(_ctx: CliContext, _services: Services, _port: number): Promise<void> {
  throw new DispatchError('INVALID_INPUT', 'serve --http is not available in this build yet.');
}
