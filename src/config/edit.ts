// Comment-keeping edits on the YAML Document: values change in place (their comments stay), new keys go in
// schema order, and comments attached to a removed entry move to a neighbour instead of disappearing.
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, YAMLMap } from 'yaml';
import { DispatchError } from '../shared/errors.js';
import { AGENT_KEYS, type Config, type GroupMember } from './schema.js';
import { getAgent, getGroup } from './resolve.js';
import type { AgentInput, AgentPatch } from './validate.js';

/** A new group. */
export interface GroupInput {
  description?: string;
  shared_context?: string;
  members?: GroupMember[];
}

/** A change to a group: `null` clears a text field; members are replaced, added (or re-described) and removed in that order. */
export interface GroupPatch {
  description?: string | null;
  shared_context?: string | null;
  members?: GroupMember[];
  addMembers?: GroupMember[];
  removeMembers?: string[];
}

const GROUP_KEYS = ['description', 'shared_context', 'members'];
const MEMBER_KEYS = ['agent', 'use_for'];

// The top-level section map (agents/groups), created when missing or null; an empty flow `{}` becomes a block.
function section(doc: Document, key: 'agents' | 'groups'): YAMLMap {
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  const root = doc.contents as unknown as YAMLMap;
  const found: unknown = root.get(key, true);
  const map = isMap(found) ? found : new YAMLMap();
  if (map !== found) root.set(key, map);
  if (map.items.length === 0) map.flow = false;
  return map;
}

// The pair for `key` in `map`.
function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key) as Pair | undefined;
}

// Set a key, keeping the existing node (and its comments) for scalars and the flow/block style for lists;
// new keys are placed before the first existing key that comes later in `order`.
function setKey(doc: Document, map: YAMLMap, key: string, value: unknown, order: readonly string[]): void {
  const pair = pairOf(map, key);
  if (pair !== undefined) {
    const old = pair.value as Node | null;
    if (isScalar(old) && (value === null || typeof value !== 'object')) {
      old.value = value;
      return;
    }
    const node = doc.createNode(value) as Node;
    if (old !== null && (isSeq(old) || isMap(old)) && (isSeq(node) || isMap(node))) (node as YAMLMap).flow = old.flow;
    if (old !== null && old.comment) node.comment = old.comment;
    pair.value = node;
    return;
  }
  const rank = order.indexOf(key);
  const at = map.items.findIndex((p) => order.indexOf(isScalar(p.key) ? String(p.key.value) : String(p.key)) > rank);
  const created = doc.createPair(key, value);
  if (at === -1 || rank === -1) map.items.push(created);
  else map.items.splice(at, 0, created);
}

// Join two comment texts, either of which may be empty.
const joinComments = (a: string | null | undefined, b: string | null | undefined) => [a, b].filter((c) => c).join('\n');

// Delete a key; comment lines above it move to the next key (or become the map's trailing comment).
function deleteKey(map: YAMLMap, key: string): void {
  const index = map.items.findIndex((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
  if (index === -1) return;
  const [removed] = map.items.splice(index, 1) as Pair[];
  const above = (removed?.key as Node | null)?.commentBefore;
  // A trailing comment on a removed entry's value usually introduces what follows it (yaml attaches it to the
  // last entry of a block), so keep it too.
  const trailing = (removed?.value as Node | null)?.comment;
  const kept = joinComments(above, isMap(removed?.value) || isSeq(removed?.value) ? trailing : undefined);
  if (!kept) return;
  const next = map.items[index] as Pair | undefined;
  const prev = map.items[index - 1] as Pair | undefined;
  if (next !== undefined && isScalar(next.key)) next.key.commentBefore = joinComments(kept, next.key.commentBefore);
  else if (prev !== undefined && (isMap(prev.value) || isSeq(prev.value))) prev.value.comment = joinComments(prev.value.comment, kept);
  else map.comment = joinComments(map.comment, kept);
}

// Add an agent entry. Throws AGENT_EXISTS.
export function addAgentToDocument(doc: Document, config: Config, name: string, input: AgentInput): void {
  if (Object.hasOwn(config.agents, name)) {
    throw new DispatchError('AGENT_EXISTS', `Agent "${name}" already exists (directory ${config.agents[name]?.directory}).`, {
      hint: `Change it with \`agent-dispatch update ${name} …\`, remove it first, or pick another name.`,
    });
  }
  const entry = Object.fromEntries(AGENT_KEYS.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]));
  section(doc, 'agents').set(doc.createNode(name), doc.createNode(entry));
}

// Apply a patch to an agent: values set keys, null removes them. Throws AGENT_NOT_FOUND.
export function updateAgentInDocument(doc: Document, config: Config, name: string, patch: AgentPatch): void {
  getAgent(config, name);
  const map = section(doc, 'agents').get(name, true);
  if (!isMap(map)) throw new DispatchError('CONFIG_INVALID', `Agent "${name}" is not a mapping in the file.`);
  for (const key of AGENT_KEYS) {
    const value = patch[key];
    if (value === undefined) continue;
    if (value === null) deleteKey(map, key);
    else setKey(doc, map, key, value, AGENT_KEYS);
  }
}

// Remove an agent entry. Throws AGENT_NOT_FOUND. Group memberships are left for the caller to report.
export function removeAgentFromDocument(doc: Document, config: Config, name: string): void {
  getAgent(config, name);
  deleteKey(section(doc, 'agents'), name);
}

// Add a group entry. Throws GROUP_EXISTS.
export function addGroupToDocument(doc: Document, config: Config, name: string, input: GroupInput): void {
  if (Object.hasOwn(config.groups, name)) {
    throw new DispatchError('GROUP_EXISTS', `Group "${name}" already exists.`, { hint: `Change it with \`agent-dispatch group update ${name} …\` or pick another name.` });
  }
  const entry: Record<string, unknown> = {};
  if (input.description !== undefined) entry.description = input.description;
  if (input.shared_context !== undefined) entry.shared_context = input.shared_context;
  entry.members = (input.members ?? []).map(memberEntry);
  section(doc, 'groups').set(doc.createNode(name), doc.createNode(entry));
}

// A member as written: `{agent, use_for}` without an empty use_for.
const memberEntry = (m: GroupMember) => (m.use_for === undefined ? { agent: m.agent } : { agent: m.agent, use_for: m.use_for });

// Apply a group patch. Throws GROUP_NOT_FOUND.
export function updateGroupInDocument(doc: Document, config: Config, name: string, patch: GroupPatch): void {
  const current = getGroup(config, name);
  const map = section(doc, 'groups').get(name, true);
  if (!isMap(map)) throw new DispatchError('CONFIG_INVALID', `Group "${name}" is not a mapping in the file.`);
  for (const key of ['description', 'shared_context'] as const) {
    const value = patch[key];
    if (value === null) deleteKey(map, key);
    else if (value !== undefined) setKey(doc, map, key, value, GROUP_KEYS);
  }
  if (patch.members === undefined && patch.addMembers === undefined && patch.removeMembers === undefined) return;
  const members = new Map<string, GroupMember>();
  for (const m of patch.members ?? current.members) if (!members.has(m.agent)) members.set(m.agent, m);
  for (const m of patch.addMembers ?? []) members.set(m.agent, { ...members.get(m.agent), ...memberEntry(m) });
  for (const agent of patch.removeMembers ?? []) members.delete(agent);
  const seq = map.get('members', true);
  if (!isSeq(seq)) {
    setKey(doc, map, 'members', [...members.values()].map(memberEntry), GROUP_KEYS);
    return;
  }
  // Reuse the nodes of members that stay, so their comments and formatting survive.
  const nodes = new Map(seq.items.filter(isMap).map((item) => [String(item.get('agent')), item]));
  seq.items = [...members.values()].map((m) => {
    const node = nodes.get(m.agent);
    if (node === undefined) return doc.createNode(memberEntry(m));
    if (m.use_for !== undefined && node.get('use_for') !== m.use_for) setKey(doc, node, 'use_for', m.use_for, MEMBER_KEYS);
    return node;
  });
}

// Remove a group entry. Throws GROUP_NOT_FOUND.
export function removeGroupFromDocument(doc: Document, config: Config, name: string): void {
  getGroup(config, name);
  deleteKey(section(doc, 'groups'), name);
}
