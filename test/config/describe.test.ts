import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAgentHealth, composeDescription, describeProject, inspectProject } from '../../src/config/describe.js';
import { tempDir } from './temp.js';

const root = tempDir();
let n = 0;

// A project directory holding the given files (paths may contain folders).
function project(files: Record<string, string>): string {
  const dir = join(root, `p${n++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('describeProject', () => {
  it('builds the description from CLAUDE.md, MCP servers, stacks and databases', async () => {
    const dir = project({
      'CLAUDE.md': '# CLAUDE.md\n\nThis file provides guidance to Claude Code (claude.ai/code) when working with code in this repository.\n\nOps gateway for the shop cluster.\n',
      'README.md': 'Not this one, the CLAUDE.md wins.\n',
      '.mcp.json': '{"mcpServers":{"portainer":{"command":"x"}}}',
      'pyproject.toml': '[project]\ndescription = "ignored"\ndependencies = ["alembic"]\n',
      Dockerfile: 'FROM scratch\n',
      'alembic.ini': '',
    });
    expect(await describeProject(dir)).toEqual({
      description: 'Ops gateway for the shop cluster. MCP: portainer. Stack: Docker, Python. DB: Alembic.',
      summary: 'Ops gateway for the shop cluster.',
      summarySource: 'CLAUDE.md',
      mcpServers: ['portainer'],
      stacks: ['Docker', 'Python'],
      dbs: ['Alembic'],
      hasClaudeMd: true,
      hasMcpConfig: true,
    });
  });

  it.each([
    ['the README when there is no CLAUDE.md', { 'README.md': '# Shop\n\nStorefront for the shop.\n', 'package.json': '{"description":"pkg"}' }, 'README.md', 'Storefront for the shop.'],
    ['.claude/CLAUDE.md', { '.claude/CLAUDE.md': 'Hidden guidance file text.\n' }, '.claude/CLAUDE.md', 'Hidden guidance file text.'],
    ['package.json', { 'package.json': '{"description":"Checkout service","dependencies":{"@prisma/client":"5"}}', 'tsconfig.json': '{}' }, 'package.json', 'Checkout service'],
    ['pyproject.toml', { 'pyproject.toml': '[project]\ndescription = "ETL jobs"\n' }, 'pyproject.toml', 'ETL jobs'],
    ['Cargo.toml', { 'Cargo.toml': '[package]\ndescription = "A CLI in Rust"\n' }, 'Cargo.toml', 'A CLI in Rust'],
    ['go.mod', { 'go.mod': 'module github.com/acme/inv\n' }, 'go.mod', 'Go module github.com/acme/inv'],
  ])('falls back to %s', async (_, files, source, summary) => {
    const info = await describeProject(project(files));
    expect(info.summarySource).toBe(source);
    expect(info.summary).toBe(summary);
  });

  it('detects stacks and databases from marker files and dependencies', async () => {
    const info = await describeProject(
      project({ 'package.json': '{"dependencies":{"pg":"8","ioredis":"5"}}', 'go.mod': 'module x\nrequire gorm.io/gorm v1.0.0\n', 'prisma/schema.prisma': '', 'migrations/001.sql': '', 'compose.yaml': '' }),
    );
    expect(info.stacks).toEqual(['Docker', 'Node.js', 'Go']);
    expect(info.dbs).toEqual(['Prisma', 'Migrations', 'PostgreSQL', 'Redis', 'GORM']);
  });

  it('names the directory when the project says nothing about itself', async () => {
    const dir = project({});
    expect((await describeProject(dir)).description).toBe(`Project ${dir.split('/').pop()}.`);
  });

  it('reads only the head of a huge README', async () => {
    const head = await describeProject(project({ 'README.md': `Huge readme intro line.\n\n${'x'.repeat(20 * 1024 * 1024)}\n` }));
    expect(head.summary).toBe('Huge readme intro line.');
    const late = await describeProject(project({ 'README.md': `${'#\n'.repeat(40_000)}\nLate paragraph text here.\n`, 'package.json': '{"description":"From the manifest"}' }));
    expect(late.summary).toBe('From the manifest');
  });

  it('does not block on a FIFO named README.md', async () => {
    const dir = project({ 'package.json': '{"description":"Fifo project"}' });
    expect(spawnSync('mkfifo', [join(dir, 'README.md')]).status).toBe(0);
    expect((await describeProject(dir)).summary).toBe('Fifo project');
  });

  it.each([
    ['a missing directory', () => join(root, 'missing'), 'DIRECTORY_NOT_FOUND'],
    ['a file', () => join(project({ f: 'x' }), 'f'), 'INVALID_INPUT'],
  ])('rejects %s', async (_, dir, code) => {
    await expect(describeProject(dir())).rejects.toMatchObject({ code });
  });
});

describe('inspectProject', () => {
  it('adds previews of CLAUDE.md and the README', async () => {
    const dir = project({ 'CLAUDE.md': 'l1\nl2\nl3\n', 'README.md': 'r1\n' });
    const info = await inspectProject(dir, 2);
    expect(info.claudeMd).toEqual({ file: 'CLAUDE.md', text: 'l1\nl2', truncated: true });
    expect(info.readme).toEqual({ file: 'README.md', text: 'r1', truncated: false });
    expect(await inspectProject(dir, 0)).not.toHaveProperty('claudeMd');
    expect((await inspectProject(dir, 10_000)).claudeMd?.text).toBe('l1\nl2\nl3');
  });
});

describe('checkAgentHealth', () => {
  it.each([
    ['a project with CLAUDE.md', () => project({ 'CLAUDE.md': 'x' }), { directoryExists: true, hasClaudeMd: true }],
    ['a project without one', () => project({}), { directoryExists: true, hasClaudeMd: false }],
    ['a missing directory', () => join(root, 'gone'), { directoryExists: false, hasClaudeMd: false }],
    ['a file', () => join(project({ f: '' }), 'f'), { directoryExists: false, hasClaudeMd: false }],
  ])('reports %s', async (_, dir, expected) => {
    expect(await checkAgentHealth(dir())).toEqual(expected);
  });
});

describe('composeDescription', () => {
  it.each([
    [{ summary: 'Ends with a bang!', name: 'x', mcpServers: [], stacks: [], dbs: [] }, 'Ends with a bang!'],
    [{ summary: 'No stop', name: 'x', mcpServers: ['a', 'b'], stacks: ['Go'], dbs: [] }, 'No stop. MCP: a, b. Stack: Go.'],
    [{ name: 'api', mcpServers: [], stacks: [], dbs: ['SQLite'] }, 'Project api. DB: SQLite.'],
  ])('composes %j', (parts, expected) => {
    expect(composeDescription(parts)).toBe(expected);
  });
});
