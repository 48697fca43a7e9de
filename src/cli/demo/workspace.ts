// The demo's throwaway world: a temp root with HOME, TMPDIR, two sample agent projects, the caller's project,
// agents.yaml and the state dir, plus the environment every demo process runs with (offline by construction).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A sample agent: its name, one-line description and CLAUDE.md. */
export interface SampleAgent {
  name: string;
  description: string;
  claudeMd: string;
}

/** The two agents the demo dispatches to. Their CLAUDE.md holds the facts the stand-in model answers with. */
export const SAMPLE_AGENTS: SampleAgent[] = [
  {
    name: 'payments',
    description: 'The payments API (Node, Postgres)',
    claudeMd: '# payments-api\nFACT: payments-api listens on port 8123 and keeps its data in Postgres 16.\nAnswer in one sentence.\n',
  },
  {
    name: 'frontend',
    description: 'The web frontend (React)',
    claudeMd: '# web-frontend\nFACT: web-frontend is a React 19 app that calls payments-api at /api/pay.\nAnswer in one sentence.\n',
  },
];

/** Paths of one demo workspace. */
export interface Workspace {
  root: string;
  home: string;
  tmp: string;
  /** The directory the caller (your Claude Code session) runs in. */
  caller: string;
  agents: Record<string, string>;
  configPath: string;
  stateDir: string;
  remove(): void;
}

// Create the workspace under the system temp dir.
export function createWorkspace(agents: SampleAgent[] = SAMPLE_AGENTS): Workspace {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'agent-dispatch-demo-')));
  const dir = (...parts: string[]) => {
    const path = join(root, ...parts);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const home = dir('home');
  const tmp = dir('tmp');
  const caller = dir('projects', 'my-app');
  writeFileSync(join(caller, 'CLAUDE.md'), '# my-app\nThe project you are working in; it asks other projects through agent-dispatch.\n');
  const paths: Record<string, string> = {};
  for (const agent of agents) {
    paths[agent.name] = dir('projects', agent.name);
    writeFileSync(join(paths[agent.name]!, 'CLAUDE.md'), agent.claudeMd);
  }
  const configPath = join(root, 'agents.yaml');
  const entries = agents.map((a) => `  ${a.name}:\n    directory: ${JSON.stringify(paths[a.name])}\n    description: ${JSON.stringify(a.description)}\n`);
  writeFileSync(configPath, `# Written by \`agent-dispatch demo\`: two sample agents.\nagents:\n${entries.join('')}`);
  return {
    root,
    home,
    tmp,
    caller,
    agents: paths,
    configPath,
    stateDir: dir('state'),
    remove: () => rmSync(root, { recursive: true, force: true, maxRetries: 3 }),
  };
}

// The environment of every demo process: built from nothing but PATH, so no real key, login, user config or
// MCP server of yours takes part, and the API base URL is the stand-in on 127.0.0.1.
export function demoEnv(ws: Workspace, options: { path: string | undefined; modelUrl: string; claudeBin: string }): Record<string, string> {
  return {
    PATH: options.path ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: ws.home,
    TMPDIR: ws.tmp,
    ANTHROPIC_API_KEY: 'sk-demo-offline',
    ANTHROPIC_BASE_URL: options.modelUrl,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_AUTOUPDATER: '1',
    AGENT_DISPATCH_CONFIG: ws.configPath,
    AGENT_DISPATCH_STATE_DIR: ws.stateDir,
    AGENT_DISPATCH_CLAUDE_BIN: options.claudeBin,
    AGENT_DISPATCH_LOG_LEVEL: 'warn',
  };
}
