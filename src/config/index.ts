// The config layer's public API: the agents.yaml schema and types, paths, loading, resolution, input rules,
// the store (reads and comment-keeping edits) and project descriptions.
export {
  agentSchema,
  cacheSchema,
  configSchema,
  emptyConfig,
  groupSchema,
  memberSchema,
  settingsSchema,
  AGENT_KEYS,
  NAME_PATTERN,
  RUNTIMES,
  type AgentConfig,
  type AgentKey,
  type Config,
  type GroupConfig,
  type GroupMember,
  type Settings,
} from './schema.js';
export { expandHome, resolveConfigPath, resolveStateDir, type PathEnv } from './paths.js';
export { ConfigInvalidError, parseConfigText, readConfigFile, type LoadedConfig, type ParseOptions } from './load.js';
export { formatIssue, type ConfigIssue } from './issues.js';
export {
  agentNames,
  assertGroupMember,
  explainAgent,
  getAgent,
  getGroup,
  groupNames,
  groupSharedContext,
  groupsOfAgent,
  isGroupMember,
  resolveAgent,
  type AgentResolution,
  type ValueSource,
} from './resolve.js';
export {
  checkAgentValue,
  checkDirectory,
  parseAgentOptions,
  parseGroupOptions,
  parseMember,
  parseNewAgent,
  resolveDirectoryInput,
  splitList,
  validateName,
  type AgentInput,
  type AgentOptionValues,
  type AgentPatch,
  type AgentValues,
  type GroupOptionValues,
} from './validate.js';
export type { GroupInput, GroupPatch } from './edit.js';
export { createConfigStore, formatWarnings, type ConfigStore, type ConfigStoreOptions } from './store.js';
export {
  checkAgentHealth,
  composeDescription,
  describeProject,
  inspectProject,
  type AgentHealth,
  type DescribeOptions,
  type ProjectInfo,
  type ProjectInspection,
} from './describe.js';
export type { Preview } from './markdown.js';
export { buildJsonSchema, JSON_SCHEMA_FILE } from './json-schema.js';
export { agentOverview, type AgentOverview, type HealthCheck } from './overview.js';
export { staleTemps } from './temps.js';
