// The config `init` writes: valid as is, with a schema line, and still tidy after `add` edits it.
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConfigStore, parseConfigText } from '../../src/config/index.js';
import { configTemplate } from '../../src/cli/init/template.js';
import { findPackageRoot, schemaFile } from '../../src/cli/init/install.js';
import { runCli } from '../../src/cli/run.js';
import { PERMISSION_MODES } from '../../src/shared/types.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the config template', () => {
  it('parses to an empty config with the default settings', () => {
    const { config, warnings } = parseConfigText(configTemplate('/x/schema.json'), { file: 'agents.yaml', homedir: '/home/u' });
    expect(config.agents).toEqual({});
    expect(config.groups).toEqual({});
    expect(config.settings).toMatchObject({ default_timeout: 300, max_concurrency: 5, max_dispatch_depth: 3 });
    expect(warnings).toEqual([]);
  });

  it('lists the same permission modes as `add --help`', async () => {
    const modes = (text: string) => text.match(/(default, acceptEdits[\w, ]*\w)/)?.[1]?.split(', ');
    const inTemplate = modes(configTemplate(undefined).split('\n').find((l) => l.includes('permission_mode:'))!);
    let help = '';
    await runCli(['add', '--help'], { env: {}, cwd: '/', stdout: { write: (s: string) => (help += s) }, stderr: { write: () => {} } });
    expect(inTemplate).toEqual([...PERMISSION_MODES]);
    expect(modes(help.replace(/\s+/g, ' '))).toEqual([...PERMISSION_MODES]);
  });

  it('starts with the yaml-language-server schema line pointing at the shipped schema', () => {
    const schema = schemaFile();
    expect(schema).toBe(join(findPackageRoot()!, 'schema', 'agents.schema.json'));
    expect(configTemplate(schema).split('\n')[0]).toBe(`# yaml-language-server: $schema=${schema}`);
    expect(configTemplate(undefined)).not.toContain('$schema');
  });

  it('keeps its comments when an agent is added to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ad-template-'));
    dirs.push(dir);
    const project = join(dir, 'proj');
    mkdirSync(project);
    const path = join(dir, 'agents.yaml');
    writeFileSync(path, configTemplate('/x/schema.json'));
    const store = createConfigStore({ path, homedir: dir });
    await store.addAgent('alpha', { directory: project, description: 'Alpha' });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('# yaml-language-server: $schema=/x/schema.json');
    expect(text).toContain('#     directory: ~/projects/backend');
    expect(text).toContain('max_dispatch_depth: 3      # how deep');
    expect(store.get().config.agents.alpha).toMatchObject({ directory: project, description: 'Alpha' });
  });
});
