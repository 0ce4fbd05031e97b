import type { Pool, PoolClient } from 'pg';
import { EXECUTION_CATEGORY } from '@flowstack/contracts';
import { CheckpointedProjection, type ProjectionHandler, type StoredEvent, type WakeSource } from '@flowstack/event-store';
import { ORCHESTRATOR_SCHEMA } from '../dead-letters/dead-letter.migration';
import { upcastExecutionEvent } from '../executions/execution-events.codec';
import { changesHistory, evolveHistoryRow, type HistoryChange, type HistoryRow } from './history-row';

/** Configuration of the history projection. */
export interface HistoryProjectionOptions {
  pool: Pool;
  /** The pool is the projection's own: `stop()` ends it. */
  ownsPool?: boolean;
  /** The orchestrator's schema (rows and checkpoint). Default `orchestrator`. */
  schema?: string;
  /** The event store's schema. Default `event_store`. */
  eventSchema?: string;
  /** Most events per transaction; a full batch is followed by the next at once. Default 500. */
  batchSize?: number;
  /** Poll interval for what no wake announced (other replicas' appends). Default 50 ms. */
  intervalMs?: number;
  /** This process's commits (the event store's `committed` signal): each one wakes the projection. */
  wakeOn?: WakeSource;
  logger?: { error(message: string): void };
  /** Told, after each commit, how long after its append each applied execution event was projected. */
  onLag?: (lagMs: number) => void;
}

/** The checkpoint's name (and, hashed, the advisory lock's key). */
export const HISTORY_PROJECTION = 'execution-history';

const STREAM_PREFIX = `${EXECUTION_CATEGORY}-`;

/** The row's columns in `HistoryRow` order, with the types the batch's JSON is read as. */
const COLUMNS: ReadonlyArray<[keyof HistoryRow, string, string]> = [
  ['id', 'id', 'text'],
  ['workspaceId', 'workspace_id', 'text'],
  ['workflowId', 'workflow_id', 'text'],
  ['workflowVersion', 'workflow_version', 'integer'],
  ['status', 'status', 'text'],
  ['triggerType', 'trigger_type', 'text'],
  ['triggerBy', 'trigger_by', 'text'],
  ['startedAt', 'started_at', 'timestamptz'],
  ['finishedAt', 'finished_at', 'timestamptz'],
  ['durationMs', 'duration_ms', 'bigint'],
  ['totalCost', 'total_cost', 'bigint'],
  ['errorCode', 'error_code', 'text'],
  ['parentId', 'parent_id', 'text'],
  ['deletedAt', 'deleted_at', 'timestamptz'],
  ['deletedBy', 'deleted_by', 'text'],
];

/**
 * The history's own logic: which events matter, and how a batch of them becomes rows. A batch is
 * two statements whatever its size: the rows it touches are read (locked against the admission
 * table's writes), folded in memory (`evolveHistoryRow`) and the changed ones written back at once.
 */
/** What of a stored event changes the history, or null: the handler's `select`, also the thread's wake filter. */
export function historyChangeOf(stored: StoredEvent): HistoryChange | null {
  if (!stored.streamId.startsWith(STREAM_PREFIX)) return null;
  const event = upcastExecutionEvent(stored);
  if (!changesHistory(event)) return null;
  return { executionId: stored.streamId.slice(STREAM_PREFIX.length), workspaceId: stored.workspaceId, event };
}

function historyRows(schema: string): ProjectionHandler<HistoryChange> {
  const t = `${schema}.execution_history`;
  const names = COLUMNS.map(([, c]) => c).join(', ');
  // Times and bigints as text: written back exactly as read (no Date or float round trip).
  const selectSql = `SELECT ${COLUMNS.map(([, c, type]) => (type === 'text' || type === 'integer' ? c : `${c}::text AS ${c}`)).join(', ')}
    FROM ${t} WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`;
  const writeSql = `INSERT INTO ${t} AS h (${names}, projected_at)
    SELECT ${names}, clock_timestamp() FROM jsonb_to_recordset($1::jsonb)
      AS r(${COLUMNS.map(([, c, type]) => `${c} ${type}`).join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${COLUMNS.slice(1)
      .map(([, c]) => `${c} = excluded.${c}`)
      .join(', ')}, projected_at = excluded.projected_at
    -- A row this batch did not read was inserted since (a run queued for a slot): only a pending one starts.
    WHERE h.id = ANY($2::text[]) OR h.status = 'pending'`;
  return {
    select: historyChangeOf,
    async apply(client: PoolClient, changes: readonly HistoryChange[]): Promise<void> {
      const ids = [...new Set(changes.map((c) => c.executionId))];
      const { rows } = await client.query<Record<string, string | number | null>>(selectSql, [ids]);
      const before = new Map<string, HistoryRow>(rows.map((r) => [String(r.id), fromRecord(r)]));
      const after = new Map<string, HistoryRow | null>(before);
      for (const change of changes) {
        after.set(change.executionId, evolveHistoryRow(after.get(change.executionId) ?? null, change));
      }
      const changed = [...after.values()].filter((r): r is HistoryRow => r !== null && r !== before.get(r.id));
      if (changed.length === 0) return;
      await client.query(writeSql, [JSON.stringify(changed.map(toRecord)), [...before.keys()]]);
    },
    async reset(client: PoolClient): Promise<void> {
      await client.query(`TRUNCATE ${t}`);
      // Runs still queued for a slot (or cancelled there) are in no stream: they come from the admission table.
      await client.query(queuedRunsSql(schema));
    },
  };
}

const fromRecord = (r: Record<string, string | number | null>): HistoryRow => {
  const row: Record<string, unknown> = {};
  for (const [key, column, type] of COLUMNS) {
    const value = r[column];
    row[key] = type === 'bigint' && value !== null ? Number(value) : value;
  }
  return row as unknown as HistoryRow;
};

const toRecord = (row: HistoryRow): Record<string, unknown> =>
  Object.fromEntries(COLUMNS.map(([key, column]) => [column, row[key]]));

/**
 * Keeps `<schema>.execution_history` (one row per execution) from the global event log, on the
 * shared `CheckpointedProjection` runner (exactly once, one replica at a time, woken by commits).
 */
export class HistoryProjection extends CheckpointedProjection<HistoryChange> {
  constructor(options: HistoryProjectionOptions) {
    const schema = options.schema ?? ORCHESTRATOR_SCHEMA;
    super({
      ...options,
      name: HISTORY_PROJECTION,
      schema,
      intervalMs: options.intervalMs ?? 50,
      // Passes under a stream of commits at most every 25 ms: each pass costs a few round trips
      // whatever its size, and the lag target (p99 < 100 ms) leaves room for this wait.
      coalesceMs: 25,
      handler: historyRows(schema),
    });
  }
}

/** The history rows of runs in the admission table (queued, or cancelled before they started). */
export function queuedRunsSql(s: string): string {
  return `DO $$ BEGIN
  IF to_regclass('${s}.workspace_admissions') IS NOT NULL THEN
    INSERT INTO ${s}.execution_history
      (id, workspace_id, workflow_id, workflow_version, status, trigger_type, trigger_by, started_at, finished_at)
    SELECT a.execution_id, a.workspace_id, a.start->'command'->>'workflowId', (a.start->'command'->>'workflowVersion')::integer,
           CASE a.state WHEN 'queued' THEN 'pending' ELSE 'cancelled' END,
           a.start->'command'->'trigger'->>'type', a.start->'command'->'trigger'->>'by', a.queued_at, a.cancelled_at
    FROM ${s}.workspace_admissions a WHERE a.state IN ('queued', 'cancelled') AND a.start IS NOT NULL
    ON CONFLICT (id) DO NOTHING;
  END IF;
END $$`;
}
