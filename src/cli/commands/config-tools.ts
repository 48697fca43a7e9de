// The config layer and the CLI's config store, loaded when a command runs rather than at start: `--help`, and
// every command that does not read agents.yaml, never pay for the config schema (zod) and the YAML parser.

// Both modules as one object of functions.
export async function loadConfigTools() {
  const [config, store] = await Promise.all([import('../../config/index.js'), import('../config-store.js')]);
  return { ...config, ...store };
}
