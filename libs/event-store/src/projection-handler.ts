import type { PoolClient } from 'pg';
import type { StoredEvent } from './event.types';
import { checkedSchema } from './schema-name';

/**
 * A projection's own logic; `CheckpointedProjection` does the rest (reading, transactions,
 * checkpoint, locking, waking, rebuilding).
 */
export interface ProjectionHandler<T> {
  /**
   * What of `event` the projection applies, or null when it ignores the event (the checkpoint
   * still moves past it). Pure; an event it throws on is logged and skipped.
   */
  select(event: StoredEvent): T | null;
  /**
   * Applies `items` in log order on `client`, inside the transaction that then moves the
   * checkpoint: each item is applied exactly once. Called with a batch's items at once; when that
   * hits a data error (Postgres class 22 or 23) the batch is rolled back and applied again one
   * item per call, and an item that fails alone is logged and skipped.
   */
  apply(client: PoolClient, items: readonly T[]): Promise<void>;
  /** Empties the projection's tables for a rebuild (same transaction that deletes the checkpoint). */
  reset(client: PoolClient): Promise<void>;
}

/** The DDL of `<schema>.projection_checkpoints`, for the owner's migration (idempotent). */
export const projectionCheckpointsDdl = (schema: string): string => `
-- Where each projection of this schema is in the global log; written in the same transaction as
-- the rows it covers (exactly-once).
CREATE TABLE IF NOT EXISTS ${checkedSchema(schema)}.projection_checkpoints (
  name text PRIMARY KEY,
  transaction_id xid8 NOT NULL,
  global_position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;
