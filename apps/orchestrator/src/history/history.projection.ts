import type { Pool, PoolClient } from 'pg';
import { EXECUTION_CATEGORY } from '@flowstack/contracts';
import { GlobalLogReader, LOG_START, type LogCheckpoint, type StoredEvent } from '@flowstack/event-store';
import { ORCHESTRATOR_SCHEMA } from '../dead-letters/dead-letter.migration';
import { upcastExecutionEvent } from '../executions/execution-events.codec';

/** Configuration of the history projection. */
export interface HistoryProjectionOptions {
  pool: Pool;
  /** The orchestrator's schema (rows and checkpoint). Default `orchestrator`. */
  schema?: string;
  /** The event store's schema. Default `event_store`. */
  eventSchema?: string;
  /** Events per read; the projection keeps reading while batches come back full. Default 500. */
  batchSize?: number;
  /** Time between polls while started. Default 50 ms. */
  intervalMs?: number;
  logger?: { error(message: string): void };
  /** Told, after each commit, how long after its append each applied execution event was committed. */
  onLag?: (lagMs: number) => void;
}

/** Postgres refused the values (class 22: data exception, 23: integrity): retrying never helps. */
const isDataError = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
};

/** The checkpoint's name (and, hashed, the advisory lock's key). */
export const HISTORY_PROJECTION = 'execution-history';

const STREAM_PREFIX = `${EXECUTION_CATEGORY}-`;

/**
 * Keeps `<schema>.execution_history` (one row per execution) from the global event log.
 *
 * Exactly-once: each batch is applied in one transaction that also moves the checkpoint, so a crash
 * anywhere either keeps both or neither. Safe on every replica: the transaction first takes
 * `pg_try_advisory_xact_lock` on the projection's name (a replica that does not get it skips that
 * tick) and only then reads the checkpoint, so two replicas never apply the same batch.
 */
export class HistoryProjection {
  private readonly schema: string;
  private readonly reader: GlobalLogReader;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly logger: { error(message: string): void };
  private timer: NodeJS.Timeout | undefined;
  private tickInFlight: Promise<void> = Promise.resolve();
  private running = false;

  constructor(private readonly options: HistoryProjectionOptions) {
    this.schema = options.schema ?? ORCHESTRATOR_SCHEMA;
    this.reader = new GlobalLogReader(options.pool, { schema: options.eventSchema });
    this.batchSize = options.batchSize ?? 500;
    this.intervalMs = options.intervalMs ?? 50;
    this.logger = options.logger ?? { error: (m) => console.error(m) };
  }

  /** Applies every batch available now; returns how many events it read (0: caught up or not the leader). */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const step = await this.step();
      if (!step) return total;
      total += step.read;
      if (step.read < this.batchSize) return total;
    }
  }

  /** The saved checkpoint (the start of the log when none). */
  async checkpoint(client: Pick<Pool, 'query'> = this.options.pool): Promise<LogCheckpoint> {
    const { rows } = await client.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
       FROM ${this.schema}.projection_checkpoints WHERE name = $1`,
      [HISTORY_PROJECTION],
    );
    return rows[0]
      ? { transactionId: rows[0].transaction_id, globalPosition: Number(rows[0].global_position) }
      : { ...LOG_START };
  }

  /** True once the projection has applied `event` (its checkpoint is at or past it). */
  async covers(event: Pick<StoredEvent, 'transactionId' | 'globalPosition'>): Promise<boolean> {
    if (event.transactionId === LOG_START.transactionId && event.globalPosition === 0) return true;
    const { rows } = await this.options.pool.query<{ covered: boolean }>(
      `SELECT (transaction_id, global_position) >= ($2::xid8, $3::bigint) AS covered
       FROM ${this.schema}.projection_checkpoints WHERE name = $1`,
      [HISTORY_PROJECTION, event.transactionId, event.globalPosition],
    );
    return rows[0]?.covered ?? false;
  }

  /**
   * Truncates the rows and the checkpoint in one transaction (waiting for a batch in progress on any
   * replica), then replays the log from position 0 in batches, at least up to where the projection
   * was before (waiting out transactions that hold the log back), and on to the end. Returns the
   * events read.
   */
  async rebuild(): Promise<number> {
    let target: LogCheckpoint = { ...LOG_START };
    await this.inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      target = await this.checkpoint(client);
      await client.query(`TRUNCATE ${this.schema}.execution_history`);
      // Runs still queued for a slot (or cancelled there) are in no stream: they come from the admission table.
      await client.query(queuedRunsSql(this.schema));
      await client.query(`DELETE FROM ${this.schema}.projection_checkpoints WHERE name = $1`, [HISTORY_PROJECTION]);
    });
    let total = 0;
    for (;;) {
      const step = await this.step(true);
      const read = step?.read ?? 0;
      total += read;
      if (read === this.batchSize) continue;
      if (await this.covers(target)) return total;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Polls every `intervalMs` (the next poll scheduled when the current one ends). Never throws. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.tickInFlight;
  }

  private get lockKey(): string {
    return `flowstack-projection:${this.schema}:${HISTORY_PROJECTION}`;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.tickInFlight = this.runOnce()
        .then(
          () => undefined,
          (e: unknown) => this.logger.error(`history projection: ${e instanceof Error ? e.message : String(e)}`),
        )
        .catch(() => undefined)
        .finally(() => {
          if (this.running) this.schedule(this.intervalMs);
        });
    }, delayMs);
  }

  /** One batch in one transaction, or null when another replica holds the projection. */
  private async step(wait = false): Promise<{ read: number } | null> {
    const applied: StoredEvent[] = [];
    const read = await this.inTransaction(async (client) => {
      const lock = wait ? 'pg_advisory_xact_lock' : 'pg_try_advisory_xact_lock';
      const { rows } = await client.query<{ locked: boolean | string }>(`SELECT ${lock}(hashtext($1))::text AS locked`, [
        this.lockKey,
      ]);
      if (!wait && rows[0]?.locked !== 'true') return null;
      // Read after taking the lock: the checkpoint is the one the last holder committed.
      const from = await this.checkpoint(client);
      const batch = await this.reader.readBatch(from, this.batchSize);
      if (batch.events.length === 0) return 0;
      const relevant = batch.events.filter((e) => e.streamId.startsWith(STREAM_PREFIX));
      await client.query('SAVEPOINT batch');
      try {
        for (const event of relevant) if (await this.apply(client, event)) applied.push(event);
      } catch (e) {
        if (!isDataError(e)) throw e;
        // An event whose data the row cannot take (never written by today's decider) must not
        // stall the history for everyone: redo the batch one event at a time and skip it.
        await client.query('ROLLBACK TO SAVEPOINT batch');
        applied.length = 0;
        for (const event of relevant) {
          await client.query('SAVEPOINT one');
          try {
            if (await this.apply(client, event)) applied.push(event);
          } catch (err) {
            if (!isDataError(err)) throw err;
            await client.query('ROLLBACK TO SAVEPOINT one');
            this.logger.error(
              `history projection: skipped ${event.type} ${event.eventId} on ${event.streamId}: ${err instanceof Error ? err.message : String(err)}`,
            );
          }
        }
      }
      await client.query(
        `INSERT INTO ${this.schema}.projection_checkpoints AS c (name, transaction_id, global_position)
         VALUES ($1, $2::xid8, $3)
         ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id,
           global_position = excluded.global_position, updated_at = now()`,
        [HISTORY_PROJECTION, batch.checkpoint.transactionId, batch.checkpoint.globalPosition],
      );
      return batch.events.length;
    });
    if (read === null) return null;
    if (this.options.onLag && applied.length > 0) {
      const now = Date.now();
      for (const e of applied) this.options.onLag(now - e.recordedAt.getTime());
    }
    return { read };
  }

  /** Applies one execution event to its row; false when the event does not touch the history. */
  private async apply(client: PoolClient, stored: StoredEvent): Promise<boolean> {
    const id = stored.streamId.slice(STREAM_PREFIX.length);
    const event = upcastExecutionEvent(stored);
    const t = `${this.schema}.execution_history`;
    // Terminal statuses are never left by a later event of these kinds.
    const active = `status IN ('pending', 'running', 'awaiting_approval')`;
    switch (event.type) {
      case 'ExecutionStarted': {
        const d = event.data as typeof event.data & { parentId?: string | null };
        await client.query(
          // A run queued for a slot of its workspace is already listed as `pending` (admission): it starts now.
          `INSERT INTO ${t} AS h (id, workspace_id, workflow_id, workflow_version, status, trigger_type, trigger_by, started_at, parent_id)
           VALUES ($1, $2, $3, $4, 'running', $5, $6, $7, $8)
           ON CONFLICT (id) DO UPDATE SET status = 'running', started_at = excluded.started_at, projected_at = clock_timestamp()
           WHERE h.status = 'pending'`,
          [
            id,
            stored.workspaceId,
            d.workflowId,
            d.workflowVersion,
            d.trigger.type,
            d.trigger.by ?? null,
            d.startedAt,
            d.parentId ?? null,
          ],
        );
        return true;
      }
      case 'ApprovalRequested':
        await client.query(
          `UPDATE ${t} SET status = 'awaiting_approval', projected_at = clock_timestamp() WHERE id = $1 AND ${active}`,
          [id],
        );
        return true;
      case 'ApprovalDecided':
        await client.query(`UPDATE ${t} SET status = 'running', projected_at = clock_timestamp() WHERE id = $1 AND ${active}`, [
          id,
        ]);
        return true;
      case 'NodeCompleted':
        if (!event.data.cost) return false;
        await client.query(
          `UPDATE ${t} SET total_cost = total_cost + $2, projected_at = clock_timestamp() WHERE id = $1 AND ${active}`,
          [id, event.data.cost],
        );
        return true;
      case 'ExecutionCompleted':
      case 'ExecutionFailed':
      case 'ExecutionCancelled': {
        const status =
          event.type === 'ExecutionCompleted' ? 'completed' : event.type === 'ExecutionFailed' ? 'failed' : 'cancelled';
        const finishedAt =
          event.type === 'ExecutionCompleted'
            ? event.data.completedAt
            : event.type === 'ExecutionFailed'
              ? event.data.failedAt
              : event.data.cancelledAt;
        const errorCode = event.type === 'ExecutionFailed' ? event.data.error.code : null;
        await client.query(
          `UPDATE ${t} SET status = $2, finished_at = $3, duration_ms = $4, total_cost = $5, error_code = $6,
             projected_at = clock_timestamp() WHERE id = $1`,
          [id, status, finishedAt, Math.round(event.data.durationMs), event.data.totalCost, errorCode],
        );
        return true;
      }
      case 'ExecutionRetried':
        // A retried run is running again: its previous end no longer stands (the next end sets it anew).
        await client.query(
          `UPDATE ${t} SET status = 'running', finished_at = NULL, duration_ms = NULL, error_code = NULL,
             projected_at = clock_timestamp() WHERE id = $1 AND status = 'failed'`,
          [id],
        );
        return true;
      case 'ExecutionDeleted':
        await client.query(
          `UPDATE ${t} SET deleted_at = $2, deleted_by = $3, projected_at = clock_timestamp() WHERE id = $1 AND deleted_at IS NULL`,
          [id, event.data.deletedAt, event.data.by],
        );
        return true;
      default:
        return false;
    }
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
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
