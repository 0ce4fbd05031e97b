import type { Pool, PoolClient } from 'pg';
import { GlobalLogReader, LOG_START, type LogCheckpoint, type StoredEvent } from '@flowstack/event-store';
import { BILLING_SCHEMA } from '../database/billing.migration';
import { usageFactOf, type UsageFact } from './usage-facts';

/** Configuration of the usage projection. */
export interface UsageProjectionOptions {
  pool: Pool;
  /** Billing's schema (rows and checkpoint). Default `billing`. */
  schema?: string;
  /** The event store's schema. Default `event_store`. */
  eventSchema?: string;
  /** Events per read; the projection keeps reading while batches come back full. Default 500. */
  batchSize?: number;
  /** Time between polls while started. Default 200 ms. */
  intervalMs?: number;
  logger?: { error(message: string): void };
}

/** The checkpoint's name (and, hashed, the advisory lock's key). */
export const USAGE_PROJECTION = 'usage';

/** Postgres refused the values (class 22: data exception, 23: integrity): retrying never helps. */
const isDataError = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
};

/**
 * Keeps `<schema>.usage_runs` and `<schema>.usage_nodes` from the global event log: the facts of
 * `usage-facts.ts` (runs starting and ending, nodes completing with tokens or a cost).
 *
 * The history projection's discipline: each batch is applied in one transaction that also moves
 * the checkpoint (exactly once, a crash keeps both or neither), under `pg_try_advisory_xact_lock`
 * on the projection's name taken before the checkpoint is read, so any number of billing replicas
 * may run it and each batch is applied by one.
 */
export class UsageProjection {
  private readonly schema: string;
  private readonly reader: GlobalLogReader;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly logger: { error(message: string): void };
  private timer: NodeJS.Timeout | undefined;
  private tickInFlight: Promise<void> = Promise.resolve();
  private running = false;

  constructor(private readonly options: UsageProjectionOptions) {
    this.schema = options.schema ?? BILLING_SCHEMA;
    this.reader = new GlobalLogReader(options.pool, { schema: options.eventSchema });
    this.batchSize = options.batchSize ?? 500;
    this.intervalMs = options.intervalMs ?? 200;
    this.logger = options.logger ?? { error: (m) => console.error(m) };
  }

  /** Applies every batch available now; how many events it read (0: caught up, or another replica holds it). */
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
      [USAGE_PROJECTION],
    );
    return rows[0]
      ? { transactionId: rows[0].transaction_id, globalPosition: Number(rows[0].global_position) }
      : { ...LOG_START };
  }

  /** True once the projection has applied `event` (its checkpoint is at or past it). */
  async covers(event: Pick<StoredEvent, 'transactionId' | 'globalPosition'>): Promise<boolean> {
    const { rows } = await this.options.pool.query<{ covered: boolean }>(
      `SELECT (transaction_id, global_position) >= ($2::xid8, $3::bigint) AS covered
       FROM ${this.schema}.projection_checkpoints WHERE name = $1`,
      [USAGE_PROJECTION, event.transactionId, event.globalPosition],
    );
    return rows[0]?.covered ?? false;
  }

  /**
   * Truncates the rows and the checkpoint in one transaction (waiting for a batch in progress on
   * any replica), then replays the log from the start, at least up to where the projection was
   * before and on to the end. Returns the events read.
   */
  async rebuild(): Promise<number> {
    let target: LogCheckpoint = { ...LOG_START };
    await this.inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      target = await this.checkpoint(client);
      await client.query(`TRUNCATE ${this.schema}.usage_runs, ${this.schema}.usage_nodes`);
      await client.query(`DELETE FROM ${this.schema}.projection_checkpoints WHERE name = $1`, [USAGE_PROJECTION]);
    });
    let total = 0;
    for (;;) {
      const step = await this.step(true);
      const read = step?.read ?? 0;
      total += read;
      if (read === this.batchSize) continue;
      if (target.globalPosition === 0 || (await this.covers(target))) return total;
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
    return `flowstack-projection:${this.schema}:${USAGE_PROJECTION}`;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.tickInFlight = this.runOnce()
        .then(
          () => undefined,
          (e: unknown) => this.logger.error(`usage projection: ${e instanceof Error ? e.message : String(e)}`),
        )
        .catch(() => undefined)
        .finally(() => {
          if (this.running) this.schedule(this.intervalMs);
        });
    }, delayMs);
  }

  /** One batch in one transaction, or null when another replica holds the projection. */
  private async step(wait = false): Promise<{ read: number } | null> {
    return this.inTransaction(async (client) => {
      const lock = wait ? 'pg_advisory_xact_lock' : 'pg_try_advisory_xact_lock';
      const { rows } = await client.query<{ locked: string }>(`SELECT ${lock}(hashtext($1))::text AS locked`, [this.lockKey]);
      if (!wait && rows[0]?.locked !== 'true') return null;
      const from = await this.checkpoint(client);
      const batch = await this.reader.readBatch(from, this.batchSize);
      if (batch.events.length === 0) return { read: 0 };
      const facts = batch.events.map((e) => ({ e, fact: usageFactOf(e) })).filter((f) => f.fact !== null);
      await client.query('SAVEPOINT batch');
      try {
        for (const { fact } of facts) await this.apply(client, fact!);
      } catch (err) {
        if (!isDataError(err)) throw err;
        // A value the row cannot take must not stall the report for everyone: one at a time, skip it.
        await client.query('ROLLBACK TO SAVEPOINT batch');
        for (const { e, fact } of facts) {
          await client.query('SAVEPOINT one');
          try {
            await this.apply(client, fact!);
          } catch (one) {
            if (!isDataError(one)) throw one;
            await client.query('ROLLBACK TO SAVEPOINT one');
            this.logger.error(
              `usage projection: skipped ${e.type} ${e.eventId}: ${one instanceof Error ? one.message : String(one)}`,
            );
          }
        }
      }
      await client.query(
        `INSERT INTO ${this.schema}.projection_checkpoints (name, transaction_id, global_position)
         VALUES ($1, $2::xid8, $3)
         ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id,
           global_position = excluded.global_position, updated_at = now()`,
        [USAGE_PROJECTION, batch.checkpoint.transactionId, batch.checkpoint.globalPosition],
      );
      return { read: batch.events.length };
    });
  }

  private async apply(client: PoolClient, fact: UsageFact): Promise<void> {
    const s = this.schema;
    switch (fact.kind) {
      case 'started':
        await client.query(
          `INSERT INTO ${s}.usage_runs (execution_id, workspace_id, workflow_id, started_at, status, node_agents)
           VALUES ($1, $2, $3, $4, 'running', $5::jsonb) ON CONFLICT (execution_id) DO NOTHING`,
          [fact.executionId, fact.workspaceId, fact.workflowId, fact.startedAt, JSON.stringify(fact.nodeAgents)],
        );
        return;
      case 'node':
        await client.query(
          `INSERT INTO ${s}.usage_nodes (event_id, execution_id, workspace_id, node_id, attempt, agent_id, model,
             input_tokens, output_tokens, cost)
           VALUES ($1, $2, $3, $4, $5,
             (SELECT r.node_agents->>$4 FROM ${s}.usage_runs r WHERE r.execution_id = $2), $6, $7, $8, $9)
           ON CONFLICT (event_id) DO NOTHING`,
          [
            fact.eventId,
            fact.executionId,
            fact.workspaceId,
            fact.nodeId,
            fact.attempt,
            fact.model,
            fact.inputTokens,
            fact.outputTokens,
            fact.cost,
          ],
        );
        return;
      case 'ended':
        await client.query(`UPDATE ${s}.usage_runs SET status = $2, finished_at = $3, duration_ms = $4 WHERE execution_id = $1`, [
          fact.executionId,
          fact.status,
          fact.finishedAt,
          fact.durationMs,
        ]);
        return;
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
