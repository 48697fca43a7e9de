import { describe, expect, it } from 'vitest';
import { readCargoToml, readGoMod, readMcpServers, readPackageJson, readPyproject } from '../../src/config/manifest.js';

describe('manifests', () => {
  it('reads package.json', () => {
    expect(readPackageJson('{"description":" Shop API ","dependencies":{"pg":"1","Express":"4"},"devDependencies":{"prisma":"5"}}')).toEqual({
      description: 'Shop API',
      deps: ['pg', 'express', 'prisma'],
    });
    expect(readPackageJson('{not json')).toEqual({ deps: [] });
    expect(readPackageJson('[]')).toEqual({ deps: [] });
  });

  it.each([
    ['[project]\nname = "x"\ndescription = "Data pipeline"\ndependencies = ["sqlalchemy>=2", "alembic"]\n', 'Data pipeline', ['sqlalchemy', 'alembic']],
    ["[tool.poetry]\ndescription = 'Poetry app'\n[tool.poetry.dependencies]\npsycopg2 = \"^2.9\"\n", 'Poetry app', ['psycopg2']],
    ['[tool.other]\ndescription = "not this"\n', undefined, []],
  ])('reads pyproject.toml %#', (text, description, deps) => {
    const info = readPyproject(text);
    expect(info.description).toBe(description);
    for (const d of deps) expect(info.deps).toContain(d);
  });

  it('reads Cargo.toml', () => {
    const info = readCargoToml('[package]\nname = "x"\ndescription = "Fast \\"thing\\""\n[dependencies]\ndiesel = { version = "2" }\nsqlx = "0.7"\n');
    expect(info.description).toBe('Fast "thing"');
    expect(info.deps).toEqual(expect.arrayContaining(['diesel', 'sqlx']));
  });

  it('reads go.mod', () => {
    expect(readGoMod('module github.com/acme/inv\n\ngo 1.22\n\nrequire (\n\tgorm.io/gorm v1.25.0\n\tgithub.com/jackc/pgx/v5 v5.5.0\n)\n')).toEqual({
      module: 'github.com/acme/inv',
      deps: ['gorm.io/gorm', 'github.com/jackc/pgx/v5'],
    });
  });

  it.each([
    ['{"mcpServers":{"portainer":{},"postgres":{}}}', ['portainer', 'postgres']],
    ['{"mcpServers":[]}', []],
    ['{}', []],
    ['nope', []],
    [JSON.stringify({ mcpServers: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`s${i}`, {}])) }), Array.from({ length: 20 }, (_, i) => `s${i}`)],
  ])('reads MCP server names from %s', (text, expected) => {
    expect(readMcpServers(text)).toEqual(expected);
  });
});
