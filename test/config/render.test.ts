import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import { addAgentToDocument, addGroupToDocument, removeAgentFromDocument, updateAgentInDocument, updateGroupInDocument } from '../../src/config/edit.js';
import { parseConfigText } from '../../src/config/load.js';
import { alignLines, detectStyle, renderEdited } from '../../src/config/render.js';
import type { Config } from '../../src/config/schema.js';

const reference = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'config', 'reference.yaml'), 'utf8');

// Apply one edit to `text` the way the store does and return the new text.
function edit(text: string, change: (doc: Document, config: Config) => void): string {
  const config = parseConfigText(text, { file: '/c/agents.yaml', homedir: '/h' }).config;
  const doc = parseDocument(text, { version: '1.1' });
  change(doc, config);
  const out = renderEdited(text, doc);
  parseConfigText(out, { file: '/c/agents.yaml', homedir: '/h' });
  return out;
}

// Lines of `after` that are not in `before` and vice versa (multiset difference), to show what an edit touched.
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const count = (lines: string[]) => lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const a = count(before.split('\n'));
  const b = count(after.split('\n'));
  const diff = (x: Map<string, number>, y: Map<string, number>) => [...x].flatMap(([l, n]) => Array(Math.max(0, n - (y.get(l) ?? 0))).fill(l) as string[]);
  return { removed: diff(a, b), added: diff(b, a) };
}

describe('renderEdited', () => {
  it('changes only the edited value and keeps its aligned comment', () => {
    const out = edit(reference, (doc, c) => updateAgentInDocument(doc, c, 'infra', { timeout: 900 }));
    expect(changedLines(reference, out)).toEqual({ removed: ['    timeout: 300            # seconds'], added: ['    timeout: 900 # seconds'] });
  });

  it('adds an agent without touching any other line', () => {
    const out = edit(reference, (doc, c) => addAgentToDocument(doc, c, 'web', { directory: '/srv/web', description: 'Storefront', allowed_tools: ['Read'] }));
    expect(changedLines(reference, out)).toEqual({
      removed: [],
      added: ['  web:', '    directory: /srv/web', '    description: Storefront', '    allowed_tools:', '      - Read'],
    });
    expect(out.indexOf('  web:')).toBeLessThan(out.indexOf('# A working set'));
  });

  it('removes an agent and its lines only', () => {
    const out = edit(reference, (doc, c) => removeAgentFromDocument(doc, c, 'empty-tools'));
    expect(changedLines(reference, out)).toEqual({ removed: ['  empty-tools:', '    directory: /srv/locked', '    allowed_tools: []'], added: [] });
  });

  it('clears a key and keeps the commented-out examples below it', () => {
    const out = edit(reference, (doc, c) => updateAgentInDocument(doc, c, 'infra', { risky_capabilities: null }));
    expect(changedLines(reference, out)).toEqual({ removed: ['    risky_capabilities:', '      - restart_services'], added: [] });
    expect(out).toContain('    # model: sonnet\n    # max_budget_usd: 1.0\n');
  });

  it('keeps a flow list in flow style when replacing it', () => {
    const out = edit(reference, (doc, c) => updateAgentInDocument(doc, c, 'backend', { allowed_tools: ['Read', 'Edit'] }));
    expect(changedLines(reference, out)).toEqual({ removed: ['    allowed_tools: [Read, Grep, "Bash(git log:*)"]'], added: ['    allowed_tools: [ Read, Edit ]'] });
  });

  it('adds and re-describes group members while keeping the others as written', () => {
    const out = edit(reference, (doc, c) => updateGroupInDocument(doc, c, 'shop', { addMembers: [{ agent: 'empty-tools', use_for: 'audits' }, { agent: 'backend', use_for: 'orders' }] }));
    expect(changedLines(reference, out)).toEqual({
      removed: [],
      added: ['        use_for: orders', '      - agent: empty-tools', '        use_for: audits'],
    });
  });

  it('writes a multi-line shared context as a block', () => {
    const out = edit(reference, (doc, c) => addGroupToDocument(doc, c, 'ops', { shared_context: 'one\ntwo\n', members: [{ agent: 'infra' }] }));
    expect(out).toContain('  ops:\n    shared_context: |\n      one\n      two\n    members:\n      - agent: infra\n');
  });

  it('follows a four-space file', () => {
    const text = 'agents:\n    a:\n        directory: /a\n';
    const out = edit(text, (doc, c) => addAgentToDocument(doc, c, 'b', { directory: '/b', description: 'B' }));
    expect(out).toBe(`${text}    b:\n        directory: /b\n        description: B\n`);
  });

  it('follows a file whose lists are not indented under their key', () => {
    const text = 'agents:\n  a:\n    directory: /a\n    capabilities:\n    - x\n';
    const out = edit(text, (doc, c) => addAgentToDocument(doc, c, 'b', { directory: '/b', capabilities: ['z'] }));
    expect(out).toBe(`${text}  b:\n    directory: /b\n    capabilities:\n    - z\n`);
  });

  it('keeps Windows line endings', () => {
    const text = 'agents:\r\n  a:\r\n    directory: /a   # here\r\n';
    const out = edit(text, (doc, c) => updateAgentInDocument(doc, c, 'a', { model: 'opus' }));
    expect(out).toBe('agents:\r\n  a:\r\n    directory: /a   # here\r\n    model: opus\r\n');
  });

  it('creates the sections of an empty file', () => {
    expect(edit('', (doc, c) => addAgentToDocument(doc, c, 'a', { directory: '/a' }))).toBe('agents:\n  a:\n    directory: /a\n');
    expect(edit('# mine\n', (doc, c) => addAgentToDocument(doc, c, 'a', { directory: '/a' }))).toBe('# mine\n\nagents:\n  a:\n    directory: /a\n');
  });

  it('turns an empty flow section into a block when the first entry arrives', () => {
    expect(edit('agents: {}\nsettings:\n  max_concurrency: 2\n', (doc, c) => addAgentToDocument(doc, c, 'a', { directory: '/a' }))).toBe(
      'agents:\n  a:\n    directory: /a\nsettings:\n  max_concurrency: 2\n',
    );
  });

  it('quotes names and values that YAML 1.1 would read as booleans', () => {
    const out = edit('', (doc, c) => addAgentToDocument(doc, c, 'on', { directory: '/a', description: 'yes' }));
    expect(parseConfigText(out, { file: '/c', homedir: '/h' }).config.agents.on?.description).toBe('yes');
  });
});

describe('detectStyle', () => {
  it.each([
    ['agents:\n  a: 1\n', 2, true],
    ['agents:\n    a:\n        caps:\n        - x\n', 4, false],
    ['# c\n\nagents:\n   a:\n      caps:\n         - x\n', 3, true],
    ['', 2, true],
  ])('reads the indentation of %j', (text, indent, indentSeq) => {
    expect(detectStyle(text)).toMatchObject({ indent, indentSeq });
  });
});

describe('alignLines', () => {
  it('lines up lines that differ only in spacing and steps over split lines', () => {
    const source = ['a:', '  b: 1    # c', '  d: [x,y]   # e', '  f: 2'];
    const norm = ['a:', '  b: 1 # c', '  d:', '    # e', '  f: 2'];
    expect(alignLines(source, norm)).toEqual([0, 1, -1, -1, 3]);
  });
});
