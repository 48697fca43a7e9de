// Reads the description and dependency names out of project manifests (package.json, pyproject.toml,
// Cargo.toml, go.mod) with small tolerant parsers: a manifest we cannot read simply contributes nothing. Pure.

/** What a manifest tells us. */
export interface ManifestInfo {
  description?: string;
  /** Dependency names, lower-case, for database hints. */
  deps: string[];
}

// package.json: `description` and the keys of the dependency maps.
export function readPackageJson(text: string): ManifestInfo {
  try {
    const pkg = JSON.parse(text) as Record<string, unknown>;
    const deps = ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((k) =>
      pkg[k] !== null && typeof pkg[k] === 'object' ? Object.keys(pkg[k] as object) : [],
    );
    const description = typeof pkg.description === 'string' ? pkg.description.trim() : '';
    return { ...(description !== '' && { description }), deps: deps.map((d) => d.toLowerCase()) };
  } catch {
    return { deps: [] };
  }
}

// The TOML string value of `key` inside `[section]` (basic or literal string, one line).
function tomlString(text: string, sections: string[], key: string): string | undefined {
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      current = (header[1] as string).trim();
      continue;
    }
    if (!sections.includes(current)) continue;
    const m = new RegExp(`^${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)')`).exec(line);
    if (m) return (m[1] ?? m[2] ?? '').replace(/\\"/g, '"').trim() || undefined;
  }
  return undefined;
}

// Dependency names mentioned in a TOML or requirements text (names at the start of a quoted string or line).
function tomlDeps(text: string): string[] {
  return [...text.matchAll(/(?:^|["'\s])([A-Za-z][A-Za-z0-9_.-]*)\s*(?:[<>=~^!;[\]"']|=\s*["{])/gm)].map((m) => (m[1] as string).toLowerCase());
}

// pyproject.toml: [project] or [tool.poetry] description, and dependency-looking names.
export function readPyproject(text: string): ManifestInfo {
  const description = tomlString(text, ['project', 'tool.poetry'], 'description');
  return { ...(description !== undefined && { description }), deps: tomlDeps(text) };
}

// Cargo.toml: [package] description, and dependency-looking names.
export function readCargoToml(text: string): ManifestInfo {
  const description = tomlString(text, ['package'], 'description');
  return { ...(description !== undefined && { description }), deps: tomlDeps(text) };
}

// go.mod has no description; the module path is the closest thing, and requires give dependencies.
export function readGoMod(text: string): ManifestInfo & { module?: string } {
  const module = /^module\s+(\S+)/m.exec(text)?.[1];
  const deps = [...text.matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+\/\S+)\s+v\d/gm)].map((m) => (m[1] as string).toLowerCase());
  return { ...(module !== undefined && { module }), deps };
}

// .mcp.json: the names of the configured MCP servers (at most 20, each at most 64 characters).
export function readMcpServers(text: string): string[] {
  try {
    const servers = (JSON.parse(text) as { mcpServers?: unknown }).mcpServers;
    if (servers === null || typeof servers !== 'object' || Array.isArray(servers)) return [];
    return Object.keys(servers)
      .filter((name) => name.length > 0 && name.length <= 64)
      .slice(0, 20);
  } catch {
    return [];
  }
}
