// The agent and group registry as the MCP tools see it (reference-shaped, snake_case views).

/** add_agent's arguments as the tool receives them (empty string / 0 = not given, as in the reference). */
export interface AgentToolFields {
  description: string;
  timeout: number;
  max_budget_usd: number;
  model: string;
  permission_mode: string;
  allowed_tools: string;
  disallowed_tools: string;
  capabilities: string;
  risky_capabilities: string;
  runtime: string;
  /** SSH host ("" = not given; "none" clears it on update). */
  host?: string;
}

/** Reads and edits agents and groups; every method throws DispatchError on bad input. */
export interface AgentCatalog {
  listAgents(): Promise<Record<string, unknown>[]>;
  inspectAgent(name: string, previewLines: number): Promise<Record<string, unknown>>;
  listGroups(): Promise<Record<string, unknown>[]>;
  inspectGroup(name: string): Promise<Record<string, unknown>>;
  addAgent(name: string, directory: string, fields: AgentToolFields): Promise<Record<string, unknown>>;
  /** "none" clears a field; empty / 0 leaves it. */
  updateAgent(name: string, fields: AgentToolFields): Promise<Record<string, unknown>>;
  removeAgent(name: string): Promise<void>;
  /** Throws unless the agent exists and, when a group is given, belongs to it. */
  assertDispatchable(agent: string, group?: string): void;
  /** settings.max_output_bytes: answer bytes a tool result carries inline (the default when absent). */
  inlineAnswerBytes?(): number | undefined;
}
