import type { Pool } from 'pg';
import { FlowstackError, type ExecutionHistoryQuery, type ExecutionListItem, type Page } from '@flowstack/contracts';
import { ORCHESTRATOR_SCHEMA } from '../dead-letters/dead-letter.migration';

interface HistoryRow {
  id: string;
  workflow_id: string;
  workflow_version: number;
  status: ExecutionListItem['status'];
  trigger_type: ExecutionListItem['trigger']['type'];
  trigger_by: string | null;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: string | null;
  total_cost: string;
  error_code: string | null;
  parent_id: string | null;
}

/** The keyset of a page's last row: `(startedAt, id)`, base64url JSON (opaque to clients). */
const encodeCursor = (row: HistoryRow): string =>
  Buffer.from(JSON.stringify([row.started_at.toISOString(), row.id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // falls through to the error below
  }
  throw new FlowstackError('validation_failed', 'request is invalid: cursor is not a cursor this list returned', [
    { path: 'query.cursor', message: 'is not a cursor this list returned', rule: 'invalid_cursor' },
  ]);
}

const toItem = (r: HistoryRow): ExecutionListItem => ({
  id: r.id,
  workflowId: r.workflow_id,
  workflowVersion: r.workflow_version,
  status: r.status,
  trigger: { type: r.trigger_type, by: r.trigger_by },
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
  durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  totalCost: Number(r.total_cost),
  errorCode: r.error_code,
  parentId: r.parent_id,
});

/** Reads the history projection: one workspace's undeleted runs, newest first. */
export class HistoryStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string = ORCHESTRATOR_SCHEMA,
  ) {}

  /**
   * A page by keyset on `(startedAt desc, id desc)`: a cursor names the last row seen, so rows
   * inserted meanwhile (newer, or on other pages) never shift or repeat what follows.
   */
  async list(workspaceId: string, q: ExecutionHistoryQuery): Promise<Page<ExecutionListItem>> {
    const where = ['workspace_id = $1', 'deleted_at IS NULL'];
    const values: unknown[] = [workspaceId];
    const add = (sql: (p: string) => string, value: unknown): void => {
      values.push(value);
      where.push(sql(`$${values.length}`));
    };
    if (q.workflowId !== undefined) add((p) => `workflow_id = ${p}`, q.workflowId);
    if (q.status) add((p) => `status = ANY(${p}::text[])`, q.status);
    if (q.trigger) add((p) => `trigger_type = ANY(${p}::text[])`, q.trigger);
    if (q.from) add((p) => `started_at >= ${p}::timestamptz`, q.from);
    if (q.to) add((p) => `started_at < ${p}::timestamptz`, q.to);
    if (q.cursor) {
      const [startedAt, id] = decodeCursor(q.cursor);
      values.push(startedAt, id);
      where.push(`(started_at, id) < ($${values.length - 1}::timestamptz, $${values.length})`);
    }
    values.push(q.limit + 1);
    const { rows } = await this.pool.query<HistoryRow>(
      `SELECT id, workflow_id, workflow_version, status, trigger_type, trigger_by, started_at, finished_at,
         duration_ms::text AS duration_ms, total_cost::text AS total_cost, error_code, parent_id
       FROM ${this.schema}.execution_history WHERE ${where.join(' AND ')}
       ORDER BY started_at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, q.limit);
    return { items: page.map(toItem), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]) : null };
  }
}
