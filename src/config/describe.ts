// Describes a project directory from its own files, cheaply: only known paths are checked (the tree is never
// walked, so a directory of a million files costs the same as an empty one), at most `maxBytes` of any file is
// read, and only regular files are opened (a FIFO named README.md cannot block us).
import { open, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkDirectory } from './directory.js';
import { readCargoToml, readGoMod, readMcpServers, readPackageJson, readPyproject, type ManifestInfo } from './manifest.js';
import { clip, firstParagraph, previewText, type Preview } from './markdown.js';

/** What a project's files say about it; `list_agents`, `inspect_agent`, `add` and `describe` share it. */
export interface ProjectInfo {
  /** A one-line description: the project's own summary, then MCP servers, stacks and databases. */
  description: string;
  /** The project's own summary, if one was found. */
  summary?: string;
  /** The file the summary came from, e.g. `CLAUDE.md`. */
  summarySource?: string;
  mcpServers: string[];
  stacks: string[];
  dbs: string[];
  hasClaudeMd: boolean;
  hasMcpConfig: boolean;
}

/** ProjectInfo plus short previews of CLAUDE.md and the README (for `inspect_agent`). */
export interface ProjectInspection extends ProjectInfo {
  claudeMd?: Preview;
  readme?: Preview;
}

/** How much to read. */
export interface DescribeOptions {
  /** Most bytes read from any one file (default 64 KiB). */
  maxBytes?: number;
}

const CLAUDE_MD = ['CLAUDE.md', '.claude/CLAUDE.md'];
const READMES = ['README.md', 'README', 'README.rst', 'README.txt', 'Readme.md', 'readme.md'];
const STACKS: [string, string[]][] = [
  ['Docker', ['Dockerfile', 'docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml']],
  ['Node.js', ['package.json']],
  ['TypeScript', ['tsconfig.json']],
  ['Deno', ['deno.json', 'deno.jsonc']],
  ['Python', ['pyproject.toml', 'setup.py', 'requirements.txt', 'Pipfile']],
  ['Rust', ['Cargo.toml']],
  ['Go', ['go.mod']],
  ['Ruby', ['Gemfile']],
  ['Java', ['pom.xml', 'build.gradle', 'build.gradle.kts']],
  ['PHP', ['composer.json']],
  ['Elixir', ['mix.exs']],
  ['Terraform', ['main.tf']],
];
const DB_FILES: [string, string[]][] = [
  ['Prisma', ['prisma/schema.prisma', 'schema.prisma']],
  ['Alembic', ['alembic.ini']],
  ['Drizzle', ['drizzle.config.ts', 'drizzle.config.js']],
  ['Knex', ['knexfile.js', 'knexfile.ts']],
  ['Diesel', ['diesel.toml']],
  ['Supabase', ['supabase/config.toml']],
  ['Migrations', ['migrations', 'db/migrate', 'db/migrations']],
];
const DB_DEPS: Record<string, string> = {
  prisma: 'Prisma', '@prisma/client': 'Prisma', 'drizzle-orm': 'Drizzle', knex: 'Knex', typeorm: 'TypeORM',
  sequelize: 'Sequelize', mongoose: 'MongoDB', mongodb: 'MongoDB', pg: 'PostgreSQL', postgres: 'PostgreSQL',
  psycopg: 'PostgreSQL', psycopg2: 'PostgreSQL', 'psycopg2-binary': 'PostgreSQL', asyncpg: 'PostgreSQL',
  'github.com/jackc/pgx/v5': 'PostgreSQL', mysql: 'MySQL', mysql2: 'MySQL', pymysql: 'MySQL', redis: 'Redis',
  ioredis: 'Redis', sqlalchemy: 'SQLAlchemy', alembic: 'Alembic', diesel: 'Diesel', sqlx: 'SQLx',
  'gorm.io/gorm': 'GORM', 'better-sqlite3': 'SQLite', sqlite3: 'SQLite',
};

// Whether a path exists (any kind).
async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

// The first `maxBytes` of a regular file, or undefined; `cut` says whether there was more.
async function readHead(path: string, maxBytes: number): Promise<{ text: string; cut: boolean } | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return undefined;
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(maxBytes, info.size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return { text: buffer.subarray(0, bytesRead).toString('utf8').replace(/\uFFFD+$/, ''), cut: info.size > bytesRead };
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

// The first of `names` in `dir` that is a readable file.
async function readFirst(dir: string, names: string[], maxBytes: number) {
  for (const name of names) {
    const head = await readHead(join(dir, name), maxBytes);
    if (head !== undefined) return { name, ...head };
  }
  return undefined;
}

// Labels whose marker files exist, in table order.
async function detect(dir: string, table: [string, string[]][]): Promise<string[]> {
  const found = await Promise.all(table.map(async ([label, files]) => ((await Promise.all(files.map((f) => exists(join(dir, f))))).some(Boolean) ? label : undefined)));
  return found.filter((l): l is string => l !== undefined);
}

// "Summary. MCP: a, b. Stack: X, Y. DB: Z."
export function composeDescription(parts: { summary?: string; name: string; mcpServers: string[]; stacks: string[]; dbs: string[] }): string {
  const summary = parts.summary === undefined ? `Project ${parts.name}` : clip(parts.summary);
  const out = [summary.replace(/[.!?…]$/, '') + (/[!?…]$/.test(summary) ? summary.slice(-1) : '.')];
  if (parts.mcpServers.length > 0) out.push(`MCP: ${parts.mcpServers.join(', ')}.`);
  if (parts.stacks.length > 0) out.push(`Stack: ${parts.stacks.join(', ')}.`);
  if (parts.dbs.length > 0) out.push(`DB: ${parts.dbs.join(', ')}.`);
  return out.join(' ');
}

// Everything the project's files say, plus the raw CLAUDE.md and README heads for previews.
async function scan(dir: string, maxBytes: number) {
  checkDirectory(dir);
  const [claude, readme, pkg, py, cargo, gomod, mcp, stacks, dbFiles] = await Promise.all([
    readFirst(dir, CLAUDE_MD, maxBytes),
    readFirst(dir, READMES, maxBytes),
    readHead(join(dir, 'package.json'), maxBytes),
    readHead(join(dir, 'pyproject.toml'), maxBytes),
    readHead(join(dir, 'Cargo.toml'), maxBytes),
    readHead(join(dir, 'go.mod'), maxBytes),
    readHead(join(dir, '.mcp.json'), maxBytes),
    detect(dir, STACKS),
    detect(dir, DB_FILES),
  ]);
  const go = gomod === undefined ? undefined : readGoMod(gomod.text);
  const manifests: [string, ManifestInfo | undefined][] = [
    ['package.json', pkg && readPackageJson(pkg.text)],
    ['pyproject.toml', py && readPyproject(py.text)],
    ['Cargo.toml', cargo && readCargoToml(cargo.text)],
    ['go.mod', go && { ...go, ...(go.module !== undefined && { description: `Go module ${go.module}` }) }],
  ];
  const candidates: [string, string | undefined][] = [
    [claude?.name ?? 'CLAUDE.md', claude && firstParagraph(claude.text)],
    [readme?.name ?? 'README', readme && firstParagraph(readme.text)],
    ...manifests.map(([name, m]): [string, string | undefined] => [name, m?.description]),
  ];
  const [summarySource, summary] = candidates.find(([, text]) => text !== undefined) ?? [];
  const dbs = [...new Set([...dbFiles, ...manifests.flatMap(([, m]) => (m?.deps ?? []).map((d) => DB_DEPS[d]).filter((d): d is string => d !== undefined))])];
  const mcpServers = mcp === undefined ? [] : readMcpServers(mcp.text);
  const info: ProjectInfo = {
    description: composeDescription({ ...(summary !== undefined && { summary }), name: basename(dir), mcpServers, stacks, dbs }),
    ...(summary !== undefined && { summary, summarySource }),
    mcpServers,
    stacks,
    dbs,
    hasClaudeMd: claude !== undefined,
    hasMcpConfig: mcp !== undefined,
  };
  return { info, claude, readme };
}

// Describe a project directory. Throws DIRECTORY_NOT_FOUND / INVALID_INPUT for a missing directory or a file.
export async function describeProject(dir: string, options: DescribeOptions = {}): Promise<ProjectInfo> {
  return (await scan(dir, options.maxBytes ?? 64 * 1024)).info;
}

// describeProject plus the first `previewLines` lines (0–200) of CLAUDE.md and the README.
export async function inspectProject(dir: string, previewLines = 40, options: DescribeOptions = {}): Promise<ProjectInspection> {
  const lines = Math.max(0, Math.min(200, Math.floor(previewLines)));
  const { info, claude, readme } = await scan(dir, options.maxBytes ?? 64 * 1024);
  if (lines === 0) return info;
  return {
    ...info,
    ...(claude !== undefined && { claudeMd: previewText(claude.name, claude.text, lines, claude.cut) }),
    ...(readme !== undefined && { readme: previewText(readme.name, readme.text, lines, readme.cut) }),
  };
}

/** Health of an agent's directory, from two stats. */
export interface AgentHealth {
  directoryExists: boolean;
  hasClaudeMd: boolean;
}

// Cheap health check for `list` and `list_agents`: the directory exists and has a CLAUDE.md.
export async function checkAgentHealth(dir: string): Promise<AgentHealth> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) return { directoryExists: false, hasClaudeMd: false };
  const claude = await Promise.all(CLAUDE_MD.map((f) => stat(join(dir, f)).then((s) => s.isFile(), () => false)));
  return { directoryExists: true, hasClaudeMd: claude.some(Boolean) };
}
