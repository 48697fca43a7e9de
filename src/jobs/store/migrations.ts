// Versioned schema: migration N brings the database to `PRAGMA user_version = N`. Append, never edit a shipped one.
import type Database from 'better-sqlite3';
import { DispatchError } from '../../shared/errors.js';
import { keep } from './keep.js';

/** One schema step. */
export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'jobs with their bodies in a separate table, and the change sequence',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('seq', 0), ('gc_seq', 0);
        -- Summary columns only: list() reads nothing else, so big bodies never slow it down.
        CREATE TABLE jobs (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          status TEXT NOT NULL,
          agent TEXT NOT NULL,
          caller TEXT NOT NULL,
          task TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          started_at INTEGER,
          ended_at INTEGER,
          owner_pid INTEGER,
          owner_started_at INTEGER,
          child_pid INTEGER,
          cancel_requested INTEGER NOT NULL DEFAULT 0,
          ok INTEGER,
          error_type TEXT,
          cost_usd REAL,
          turns INTEGER NOT NULL DEFAULT 0,
          last_tool TEXT,
          last_line TEXT,
          failure_reason TEXT,
          seq INTEGER NOT NULL
        );
        -- Index entries end with the rowid, so ORDER BY created_at, rowid (insertion order on ties) needs no sort.
        CREATE INDEX jobs_by_created ON jobs (created_at);
        CREATE INDEX jobs_by_status ON jobs (status, created_at);
        CREATE INDEX jobs_by_agent ON jobs (agent, created_at);
        CREATE INDEX jobs_by_seq ON jobs (seq);
        CREATE TABLE job_data (
          id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
          request TEXT NOT NULL,
          prompt TEXT,
          progress TEXT NOT NULL,
          result TEXT
        );
      `);
    },
  },
  {
    version: 2,
    description: 'concurrency leases and their waiting line',
    up(db) {
      db.exec(`
        CREATE TABLE leases (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          job_id TEXT,
          holder_pid INTEGER NOT NULL,
          holder_started_at INTEGER,
          acquired_at INTEGER NOT NULL
        );
        CREATE TABLE lease_waiters (
          ticket INTEGER PRIMARY KEY AUTOINCREMENT,
          job_id TEXT,
          pid INTEGER NOT NULL,
          started_at INTEGER,
          since INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    description: 'event timeline per job, and a cost ledger that outlives job gc',
    up(db) {
      db.exec(`
        ALTER TABLE jobs ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN events_dropped INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE job_events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
          at INTEGER NOT NULL,
          type TEXT NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX job_events_by_job ON job_events (job_id, seq);
        CREATE TABLE ledger (
          job_id TEXT PRIMARY KEY,
          agent TEXT NOT NULL,
          caller TEXT NOT NULL,
          status TEXT NOT NULL,
          ok INTEGER NOT NULL,
          error_type TEXT,
          cost_usd REAL NOT NULL,
          input_tokens INTEGER NOT NULL,
          output_tokens INTEGER NOT NULL,
          duration_ms INTEGER NOT NULL,
          ended_at INTEGER NOT NULL
        );
        CREATE INDEX ledger_by_time ON ledger (ended_at);
        CREATE INDEX ledger_by_agent ON ledger (agent, ended_at);
        -- Runs finished before the ledger existed keep counting towards budgets and reports.
        INSERT INTO ledger
          SELECT j.id, j.agent, j.caller, j.status, coalesce(j.ok, 0), j.error_type,
                 coalesce(json_extract(d.result, '$.costUsd'), j.cost_usd, 0),
                 coalesce(json_extract(d.result, '$.usage.inputTokens'), 0),
                 coalesce(json_extract(d.result, '$.usage.outputTokens'), 0),
                 coalesce(json_extract(d.result, '$.durationMs'), j.ended_at - coalesce(j.started_at, j.created_at)),
                 j.ended_at
          FROM jobs j JOIN job_data d ON d.id = j.id
          WHERE j.ended_at IS NOT NULL;
      `);
    },
  },
  {
    version: 4,
    description: 'the parts the prompt was built from, so readers need not split the prompt text',
    up(db) {
      // JSON {goal?, caller?, context?} as sent (context with the group's shared_context); the task is the request's.
      db.exec('ALTER TABLE job_data ADD COLUMN prompt_parts TEXT;');
    },
  },
  {
    version: 5,
    description: 'lease pools: the global limit, or one slot shared by the nested dispatches of one parent job',
    up(db) {
      db.exec(`
        ALTER TABLE leases ADD COLUMN pool TEXT NOT NULL DEFAULT '';
        ALTER TABLE lease_waiters ADD COLUMN pool TEXT NOT NULL DEFAULT '';
        CREATE INDEX lease_waiters_by_pool ON lease_waiters (pool, ticket);
      `);
    },
  },
  {
    version: 6,
    description: 'MCP tasks: the tool call a background job answers, its answer shape, its owner, and its questions',
    up(db) {
      // One row per job started as an MCP task (most jobs have none). It goes with its job (gc, retention).
      // principal: sha256 of the HTTP bearer token that started it, NULL over stdio; shape: the tool's shaping
      // arguments as JSON; input_requests/input_responses: JSON maps keyed by request key (input_required).
      db.exec(`
        CREATE TABLE mcp_tasks (
          job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
          tool TEXT NOT NULL,
          shape TEXT NOT NULL,
          principal TEXT,
          created_at INTEGER NOT NULL,
          input_requests TEXT NOT NULL DEFAULT '{}',
          input_responses TEXT NOT NULL DEFAULT '{}'
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 7,
    description: 'MCP task groups: one task that answers for several jobs (dispatch_parallel)',
    up(db) {
      // members: JSON array, one entry per item in call order: the job that runs it and the item's answer shape,
      // or the error it was refused with at the start. The group has no job of its own; gc drops it by age.
      // One line: SQLite keeps the statement's text in the schema, which should stay on the database's first page.
      db.exec('CREATE TABLE mcp_task_groups (id TEXT PRIMARY KEY, tool TEXT NOT NULL, principal TEXT, created_at INTEGER NOT NULL, members TEXT NOT NULL) WITHOUT ROWID');
    },
  },
  {
    version: 8,
    description: 'permission requests of agents with approvals "ask", and their answers',
    up(db) {
      // One JSON body per request (an ApprovalRequest), which keeps the schema text short (see db.test.ts).
      db.exec(`
        ALTER TABLE jobs ADD COLUMN approvals_pending INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE approvals (job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (job_id, id)) WITHOUT ROWID;
      `);
    },
  },
];

// Bring the database up to the newest version, one transaction per step. BEGIN IMMEDIATE serialises
// two processes opening a fresh database at once; the version is re-read inside the lock.
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.at(-1)?.version ?? 0;
  // One kept statement, never pragma(), which prepares a new one per call (see keep.ts).
  const read = keep(db.prepare('PRAGMA user_version').pluck());
  const version = () => read.get() as number;
  if (version() > latest) {
    throw new DispatchError('STORE_UNAVAILABLE', `The job database ${db.name} has schema version ${version()}, newer than this agent-dispatch knows (${latest}).`, {
      hint: 'Upgrade agent-dispatch, or point it at another state directory (XDG_STATE_HOME).',
    });
  }
  // The common case, a database already current, takes no write lock: every process opens the file, and under
  // load a burst of opens each queueing for eight empty write transactions starved real writes.
  if (version() === latest) return latest;
  for (const migration of migrations) {
    db.transaction(() => {
      if (version() >= migration.version) return;
      migration.up(db);
      db.exec(`PRAGMA user_version = ${migration.version}`);
    }).immediate();
  }
  return version();
}
