// Input checks every adapter applies before a value goes on a command line.
import { DispatchError } from '../shared/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Rejects a NUL byte: no argv element or environment value can carry one.
export function assertNoNul(field: string, value: string): void {
  if (value.includes('\0')) {
    throw new DispatchError('INVALID_INPUT', `The ${field} contains a NUL byte (\\0), which cannot be passed to the agent.`, {
      hint: `Remove the NUL character from the ${field}.`,
    });
  }
}

// Rejects a structured value that the CLI would read as a flag of its own (argument injection).
export function assertNotFlag(field: string, value: string): void {
  assertNoNul(field, value);
  if (value.trim() === '') {
    throw new DispatchError('INVALID_INPUT', `The ${field} is empty.`, { hint: `Give a non-empty ${field} or leave it unset.` });
  }
  if (value.trimStart().startsWith('-')) {
    throw new DispatchError('INVALID_INPUT', `The ${field} "${value}" starts with "-", which the CLI would read as an option.`, {
      hint: `Use a ${field} that does not start with "-".`,
    });
  }
}

// Rejects anything but a UUID (session ids of Claude Code are UUIDs).
export function assertUuid(field: string, value: string): void {
  if (!UUID.test(value)) {
    throw new DispatchError('INVALID_INPUT', `The ${field} "${value.slice(0, 80)}" is not a UUID.`, {
      hint: `Pass the session_id exactly as an earlier result returned it (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).`,
    });
  }
}

// Rejects environment names the OS or a shell would mangle, and values with NUL bytes.
export function assertEnv(env: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new DispatchError('INVALID_INPUT', `The environment variable name "${key}" is not valid.`, {
        hint: 'Use names made of letters, digits and underscores, not starting with a digit.',
      });
    }
    if (typeof value !== 'string') {
      throw new DispatchError('INVALID_INPUT', `The environment variable ${key} must be a string.`);
    }
    assertNoNul(`environment variable ${key}`, value);
  }
}
