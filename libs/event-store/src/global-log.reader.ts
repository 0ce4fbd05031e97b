import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { LOG_START, type LogCheckpoint, type StoredEvent } from './event.types';
import { checkedSchema } from './schema-name';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './stored-event.row';

/** Which schema's log to follow (default `event_store`). */
export interface GlobalLogReaderOptions {
  schema?: string;
}

/** One read of the global log and the checkpoint to continue from. */
export interface LogBatch {
  /** In (transaction id, global position) order. */
  events: StoredEvent[];
  /** Where the next read starts: the last event's pair, or the input checkpoint when empty. */
  checkpoint: LogCheckpoint;
}

/**
 * Follows the whole event log (all streams, all workspaces) in an order that never skips an event
 * whose transaction committed late: it returns only events of transactions older than every
 * transaction still running, ordered by (transaction id, global position). See READ-POSITION.md.
 *
 * Consequence: a long-running transaction anywhere in the Postgres cluster holds the reader back
 * (it delays, it never loses). Delivery is at-least-once to the caller, who checkpoints after
 * handling a batch; handlers must be idempotent per event id.
 */
export class GlobalLogReader {
  private readonly schema: string;
  private readonly batchSql: string;
  /** Per checkpoint table: the statement, and its prepared name (a hash: names stop at 63 bytes). */
  private readonly afterSaved = new Map<string, { name: string; text: string }>();

  constructor(
    private readonly pool: Pool,
    options: GlobalLogReaderOptions = {},
  ) {
    this.schema = checkedSchema(options.schema);
    // pg_current_snapshot() is this statement's snapshot, so every transaction id below its xmin
    // is finished: committed (and visible to this very statement) or rolled back (never visible).
    // ORDER BY names the table's columns (e.): bare names would pick the ::text output aliases of
    // EVENT_COLUMNS and sort '10' before '7'.
    this.batchSql = `
      SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events e
      WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
        AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.transaction_id, e.global_position
      LIMIT $3`;
  }

  /**
   * Reads up to `limit` events after the checkpoint; an empty batch means "nothing safe yet".
   * `client`: read on that connection (e.g. inside the transaction that will save the checkpoint).
   */
  async readBatch(after: LogCheckpoint, limit: number, client: Pick<Pool, 'query'> = this.pool): Promise<LogBatch> {
    const { rows } = await client.query<EventRow>({
      name: `fs_es_log_${this.schema}`,
      text: this.batchSql,
      values: [after.transactionId, after.globalPosition, limit],
    });
    const events = rows.map(toStoredEvent);
    const last = events[events.length - 1];
    return { events, checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after };
  }

  /**
   * `readBatch` from the checkpoint saved as `name` in `table` (`<schema>.projection_checkpoints`,
   * the log's start when absent), in one round trip: the checkpoint and the batch after it. Only
   * for a caller that already holds the lock its checkpoint's writers take (a statement's snapshot
   * is taken before it runs, so reading the checkpoint and taking that lock in one statement could
   * see a checkpoint that a holder replaced meanwhile).
   */
  async readBatchAfterSaved(
    table: string,
    name: string,
    limit: number,
    client: Pick<Pool, 'query'> = this.pool,
  ): Promise<LogBatch & { from: LogCheckpoint }> {
    let statement = this.afterSaved.get(table);
    if (!statement) {
      const text = `
        SELECT cp.tx::text AS from_transaction_id, cp.gp::text AS from_global_position, b.*
        FROM (SELECT coalesce(c.transaction_id, '0'::xid8) AS tx, coalesce(c.global_position, 0) AS gp
              FROM (SELECT 1) one LEFT JOIN ${table} c ON c.name = $1) cp
        LEFT JOIN LATERAL (
          SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events e
          WHERE (e.transaction_id, e.global_position) > (cp.tx, cp.gp)
            AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY e.transaction_id, e.global_position
          LIMIT $2) b ON true`;
      statement = { name: `fs_es_after_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
      this.afterSaved.set(table, statement);
    }
    const { rows } = await client.query<EventRow & { from_transaction_id: string; from_global_position: string }>({
      ...statement,
      values: [name, limit],
    });
    const from = { transactionId: rows[0].from_transaction_id, globalPosition: Number(rows[0].from_global_position) };
    const events = rows.filter((r) => r.event_id !== null).map(toStoredEvent);
    const last = events[events.length - 1];
    return {
      from,
      events,
      checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : from,
    };
  }

  /** The named reader's saved checkpoint, or the start of the log when it has none. */
  async loadCheckpoint(name: string): Promise<LogCheckpoint> {
    const { rows } = await this.pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
       FROM ${this.schema}.checkpoints WHERE name = $1`,
      [name],
    );
    const row = rows[0];
    return row ? { transactionId: row.transaction_id, globalPosition: Number(row.global_position) } : { ...LOG_START };
  }

  /**
   * Stores the named reader's checkpoint. It only ever moves forward: a slower replica saving an
   * older pair (two relays racing) leaves the newer one in place.
   */
  async saveCheckpoint(name: string, checkpoint: LogCheckpoint): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.checkpoints AS c (name, transaction_id, global_position)
       VALUES ($1, $2::xid8, $3)
       ON CONFLICT (name) DO UPDATE
         SET transaction_id = excluded.transaction_id, global_position = excluded.global_position, updated_at = now()
         WHERE (c.transaction_id, c.global_position) < (excluded.transaction_id, excluded.global_position)`,
      [name, checkpoint.transactionId, checkpoint.globalPosition],
    );
  }
}
