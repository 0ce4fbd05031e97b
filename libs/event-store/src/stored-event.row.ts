import type { EventMetadata, StoredEvent } from './event.types';

/**
 * The columns every read selects, with bigint and xid8 as text so nothing loses precision. The
 * aliases shadow the column names in ORDER BY: always order by qualified columns (`e.global_position`).
 */
export const EVENT_COLUMNS = `event_id, stream_id, stream_position, global_position::text AS global_position,
  transaction_id::text AS transaction_id, workspace_id, type, schema_version, data, metadata, recorded_at`;

/** One row of `<schema>.events` as node-postgres returns {@link EVENT_COLUMNS}. */
export interface EventRow {
  event_id: string;
  stream_id: string;
  stream_position: number;
  global_position: string;
  transaction_id: string;
  workspace_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

export const toStoredEvent = (r: EventRow): StoredEvent => ({
  eventId: r.event_id,
  streamId: r.stream_id,
  streamPosition: r.stream_position,
  globalPosition: Number(r.global_position),
  transactionId: r.transaction_id,
  workspaceId: r.workspace_id,
  type: r.type,
  schemaVersion: r.schema_version,
  data: r.data,
  metadata: r.metadata,
  recordedAt: r.recorded_at,
});
