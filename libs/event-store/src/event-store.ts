import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { FlowstackError } from '@flowstack/contracts';
import type { ExpectedPosition, NewEvent, StoredEvent } from './event.types';
import type { EventPublisher, OutboundMessage } from './event-publisher';
import type { PublishedLedger } from './published-ledger';
import type { CommitSignal } from './commit-signal';
import { assertEventFits } from './event-size.guard';
import { checkedSchema } from './schema-name';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './stored-event.row';
import { StreamVersionConflict } from './stream-version-conflict.error';
import { appendSeconds } from './event-store.metrics';

/** How a `PostgresEventStore` finds its table and publishes after commit. */
export interface PostgresEventStoreOptions {
  /** Defaults to `event_store`; must have been created by `migrateEventStore`. */
  schema?: string;
  /** The fast path: called after every append that committed its own transaction. */
  publisher?: EventPublisher;
  /** Told about a failed fast-path publish (the relay will publish later). Default: one console.warn line. */
  onPublishError?: (error: unknown, events: StoredEvent[]) => void;
  /** Where acked fast-path publishes are recorded, for an `OutboxRelay` in this process to skip. */
  ledger?: PublishedLedger;
  /**
   * Fired after every commit this store knows of (before the fast-path publish), so log followers
   * in this process (`CheckpointedProjection.wakeOn`) read at once instead of at their next poll.
   */
  committed?: CommitSignal;
}

/** The concurrency check of an append, and optionally the caller's transaction to join. */
export interface AppendOptions {
  expectedPosition: ExpectedPosition;
  /**
   * Join the caller's open transaction. The store then does not publish: the events are not
   * committed yet. The caller calls `store.publish(result.events)` after its own COMMIT.
   */
  client?: PoolClient;
  /**
   * Messages the fast path publishes in one batch with the events (e.g. the node tasks a decision
   * made), so the events count as published only once these are acked too. Ignored with `client`:
   * pass them to `store.publish` after the COMMIT.
   */
  alongside?: readonly OutboundMessage[];
  /**
   * Called once the events are committed, before the fast-path publish waits for its acks (not
   * with `client`: the caller's COMMIT is its own). A caller that caches what it appended learns
   * the new head here: the node tasks published alongside can bring their results back before
   * those acks do.
   */
  onCommitted?: (result: AppendResult) => void;
}

/** The events as stored (positions, transaction id, recorded time), in stream order. */
export interface AppendResult {
  events: StoredEvent[];
  /** The stream's last position after the append. */
  lastPosition: number;
}

/** Filters and paging of `readStream`. */
export interface ReadStreamOptions {
  /** When given, events of any other workspace are never returned (tenancy). */
  workspaceId?: string;
  /** Return events after this stream position (default 0: from the start). */
  afterPosition?: number;
  limit?: number;
  /** Read inside the caller's transaction. */
  client?: PoolClient;
}

/**
 * The one row the append statement returns: the head it saw, and what it inserted (all null when
 * it inserted nothing): the global positions in stream order, comma-separated, and the
 * transaction id and recorded time every row of one statement shares.
 */
interface AppendRow {
  head: number;
  same_workspace: boolean;
  global_positions: string | null;
  transaction_id: string | null;
  recorded_at: Date | null;
}

/**
 * Appends of up to this many events bind one scalar parameter per value (a statement prepared per
 * count); larger ones bind arrays. Arrays cost more on both ends: node-postgres escapes every
 * quote of array-encoded JSON and Postgres parses the array literals back.
 */
const SCALAR_APPEND_MAX = 16;
/** With `'any'`, a unique violation only means a concurrent writer took the position: try again. */
const ANY_POSITION_ATTEMPTS = 32;
/** Workspace ids, stream categories and event types become NATS subject tokens when published. */
const SUBJECT_TOKEN = /^[^\s.*>]+$/;

/**
 * The append-only event store of ARCHITECTURE.md section 3 on Postgres: one table shared by every
 * service that writes events, optimistic concurrency per stream, and a fast-path publish after
 * commit (with `OutboxRelay` as the safety net for events a crash left unpublished).
 */
export class PostgresEventStore {
  private readonly schema: string;
  /** By event count (1..SCALAR_APPEND_MAX), built when first used; index 0: the array form. */
  private readonly appendSql: string[] = [];
  private readonly readSql: string;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.schema = checkedSchema(options.schema);
    const s = this.schema;
    this.readSql = `
      SELECT ${EVENT_COLUMNS} FROM ${s}.events e
      WHERE e.stream_id = $1 AND ($2::text IS NULL OR e.workspace_id = $2) AND e.stream_position > $3
      ORDER BY e.stream_position LIMIT $4`;
  }

  /**
   * Appends events to a stream if its last position is the expected one, numbering them
   * expected+1..expected+n. Returns the stored events in stream order. An empty list is a no-op.
   *
   * Throws `StreamVersionConflict` when the stream is elsewhere or a concurrent append won: reload,
   * decide again, retry. With `'any'` the store itself retries such races (it owns the transaction).
   * Throws `FlowstackError('validation_failed')` for ids that cannot become NATS subject tokens,
   * `FlowstackError('forbidden')` when the stream exists in another workspace (tenancy; do not
   * retry), `FlowstackError('payload_too_large')` when an event's data is larger than
   * `Limits.maxEventBytes` (nothing of the batch is stored; do not retry), and the driver's error for anything else (e.g. a reused event id, code 23505 on event_id).
   *
   * When the store owns the transaction it publishes after commit; a publish failure never fails
   * the append (it goes to `onPublishError`, and the relay publishes the events later).
   */
  async append(streamId: string, workspaceId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const expected = this.expectedOf(streamId, options.expectedPosition);
    if (events.length === 0) {
      // Nothing to check or write; with 'any' the caller still learns where the stream is.
      return { events: [], lastPosition: expected ?? (await this.headOf(streamId, options.client)) };
    }
    this.validate(streamId, workspaceId, events);
    const ids = events.map((e) => e.eventId ?? randomUUID());
    const data = events.map((e) => JSON.stringify(e.data ?? null));
    for (let i = 0; i < data.length; i++) assertEventFits(streamId, events[i].type, data[i]);
    const metadata = events.map((e) => JSON.stringify(e.metadata ?? {}));
    const timer = appendSeconds.startTimer();
    let rows: AppendRow[];
    try {
      rows = await this.insert(streamId, options, this.appendQuery(streamId, workspaceId, events, ids, data, metadata, expected));
    } catch (e) {
      if (e instanceof StreamVersionConflict) timer({ outcome: 'conflict' });
      throw e;
    }
    const row = rows[0];
    timer({ outcome: row?.global_positions == null ? 'conflict' : 'ok' });
    const head = row?.head ?? 0;
    if (row && !row.same_workspace) {
      // Not a conflict: reloading would never help. The stream's owner is not revealed.
      throw new FlowstackError('forbidden', `stream ${streamId} belongs to another workspace`);
    }
    if (row?.global_positions == null) throw new StreamVersionConflict(streamId, options.expectedPosition, head);
    const globalPositions = row.global_positions.split(',');
    if (globalPositions.length !== events.length) {
      throw new Error(`append to ${streamId} stored ${globalPositions.length} of ${events.length} events`);
    }
    const transactionId = row.transaction_id ?? '';
    const recordedAt = row.recorded_at ?? new Date(0);
    const stored = events.map((e, i): StoredEvent => ({
      eventId: ids[i],
      streamId,
      streamPosition: head + i + 1,
      globalPosition: Number(globalPositions[i]),
      transactionId,
      workspaceId,
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      // Exactly what a later read returns (plain JSON: no Dates, no undefined fields).
      data: JSON.parse(data[i]) as unknown,
      metadata: JSON.parse(metadata[i]) as StoredEvent['metadata'],
      recordedAt,
    }));
    const result = { events: stored, lastPosition: head + events.length };
    if (!options.client) {
      options.onCommitted?.(result);
      await this.publish(stored, options.alongside);
    }
    return result;
  }

  /**
   * Creates many streams in one statement (one round trip, one commit): each stream's events are
   * numbered 1..n, as `append` with `'no_stream'` would. All or nothing: when any of the streams
   * exists already (in any workspace) nothing is stored and `StreamVersionConflict` is thrown;
   * the caller appends those streams one by one to learn which (and why). Validation and size
   * errors are those of `append`, checked before anything is sent. Publishes after commit, the
   * events of every stream and `alongside` in one batch.
   */
  async appendNewStreams(
    streams: ReadonlyArray<{ streamId: string; workspaceId: string; events: NewEvent[] }>,
    options: Pick<AppendOptions, 'alongside'> & { onCommitted?: (results: AppendResult[]) => void } = {},
  ): Promise<AppendResult[]> {
    const rows: Array<{
      streamId: string;
      workspaceId: string;
      id: string;
      event: NewEvent;
      data: string;
      metadata: string;
      position: number;
    }> = [];
    for (const { streamId, workspaceId, events } of streams) {
      this.validate(streamId, workspaceId, events);
      events.forEach((event, i) => {
        const data = JSON.stringify(event.data ?? null);
        assertEventFits(streamId, event.type, data);
        rows.push({
          streamId,
          workspaceId,
          id: event.eventId ?? randomUUID(),
          event,
          data,
          metadata: JSON.stringify(event.metadata ?? {}),
          position: i + 1,
        });
      });
    }
    if (rows.length === 0) return streams.map(() => ({ events: [], lastPosition: 0 }));
    const timer = appendSeconds.startTimer();
    let inserted: Array<{ global_position: string; transaction_id: string; recorded_at: Date }>;
    try {
      ({ rows: inserted } = await this.pool.query({
        name: `fs_es_append_new_${this.schema}`,
        text: `INSERT INTO ${this.schema}.events (event_id, stream_id, stream_position, workspace_id, type, schema_version, data, metadata)
               SELECT e.event_id, e.stream_id, e.stream_position, e.workspace_id, e.type, e.schema_version, e.data, e.metadata
                 FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[])
                      WITH ORDINALITY AS e(event_id, stream_id, stream_position, workspace_id, type, schema_version, data, metadata, ord)
                ORDER BY e.ord
               RETURNING global_position::text AS global_position, transaction_id::text AS transaction_id, recorded_at`,
        values: [
          rows.map((r) => r.id),
          rows.map((r) => r.streamId),
          rows.map((r) => r.position),
          rows.map((r) => r.workspaceId),
          rows.map((r) => r.event.type),
          rows.map((r) => r.event.schemaVersion ?? 1),
          rows.map((r) => r.data),
          rows.map((r) => r.metadata),
        ],
      }));
    } catch (e) {
      timer({ outcome: isPositionClash(e) ? 'conflict' : 'ok' });
      if (isPositionClash(e)) throw new StreamVersionConflict(`${streams.length} new streams`, 'no_stream');
      throw e;
    }
    timer({ outcome: 'ok' });
    if (inserted.length !== rows.length)
      throw new Error(`a new-streams append stored ${inserted.length} of ${rows.length} events`);
    // RETURNING follows the insert's order, which is the rows' (ORDER BY ord), so global positions ascend with it.
    const globals = inserted.map((r) => Number(r.global_position)).sort((a, b) => a - b);
    const { transaction_id: transactionId, recorded_at: recordedAt } = inserted[0];
    const stored = rows.map((r, i): StoredEvent => ({
      eventId: r.id,
      streamId: r.streamId,
      streamPosition: r.position,
      globalPosition: globals[i],
      transactionId,
      workspaceId: r.workspaceId,
      type: r.event.type,
      schemaVersion: r.event.schemaVersion ?? 1,
      data: JSON.parse(r.data) as unknown,
      metadata: JSON.parse(r.metadata) as StoredEvent['metadata'],
      recordedAt,
    }));
    let at = 0;
    const results = streams.map(({ events }) => {
      const mine = stored.slice(at, at + events.length);
      at += events.length;
      return { events: mine, lastPosition: events.length };
    });
    options.onCommitted?.(results);
    await this.publish(stored, options.alongside);
    return results;
  }

  /**
   * The append statement and its parameters: one scalar per value for up to `SCALAR_APPEND_MAX`
   * events (the common case), arrays beyond.
   */
  private appendQuery(
    streamId: string,
    workspaceId: string,
    events: NewEvent[],
    ids: string[],
    data: string[],
    metadata: string[],
    expected: number | null,
  ): QueryConfig {
    const n = events.length;
    const scalar = n <= SCALAR_APPEND_MAX;
    const form = scalar ? n : 0;
    const text = (this.appendSql[form] ??= appendSql(this.schema, scalar ? scalarRows(n) : ARRAY_ROWS));
    const values: unknown[] = [streamId, workspaceId, expected];
    if (scalar) {
      for (let i = 0; i < n; i++) values.push(ids[i], events[i].type, events[i].schemaVersion ?? 1, data[i], metadata[i]);
    } else {
      values.push(
        ids,
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion ?? 1),
        data,
        metadata,
      );
    }
    return { name: `fs_es_append_${scalar ? n : 'n'}_${this.schema}`, text, values };
  }

  /** Runs the append statement; with `'any'` on its own transaction, retries position races. */
  private async insert(streamId: string, options: AppendOptions, statement: QueryConfig): Promise<AppendRow[]> {
    const runner = options.client ?? this.pool;
    const retryRaces = options.expectedPosition === 'any' && !options.client;
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await runner.query<AppendRow>(statement);
        return rows;
      } catch (e) {
        if (!isPositionClash(e)) throw e;
        if (!retryRaces || attempt >= ANY_POSITION_ATTEMPTS) throw new StreamVersionConflict(streamId, options.expectedPosition);
      }
    }
  }

  /**
   * Publishes committed events (and the messages that go with them) through the configured
   * publisher: the fast path. Never throws: a failure goes to `onPublishError`, and the relay
   * publishes the events later. Call it after committing a transaction that `append` joined.
   * Without a publisher it only fires `committed`.
   */
  async publish(events: StoredEvent[], alongside?: readonly OutboundMessage[]): Promise<void> {
    // Called only after a commit (ours, or the caller's): the events are in the log now.
    this.options.committed?.notify(events);
    const { publisher } = this.options;
    if (!publisher || events.length === 0) return;
    try {
      await publisher.publish(events, alongside);
      this.options.ledger?.record(events);
    } catch (e) {
      const report =
        this.options.onPublishError ??
        ((err: unknown) =>
          console.warn(
            `event-store: fast-path publish of ${events.length} event(s) failed, the relay will publish them: ${String(err)}`,
          ));
      try {
        report(e, events);
      } catch {
        // A broken reporter must not turn a committed append into a failed one: the relay still publishes.
      }
    }
  }

  /** Reads a stream in position order; an unknown stream (or another workspace's) reads as empty. */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { rows } = await (options.client ?? this.pool).query<EventRow>({
      name: `fs_es_read_${this.schema}`,
      text: this.readSql,
      values: [streamId, options.workspaceId ?? null, options.afterPosition ?? 0, options.limit ?? null],
    });
    return rows.map(toStoredEvent);
  }

  /**
   * Which of `streamIds` exist (have a first event; of `workspaceId` only, when given): one
   * statement, one probe of the (stream_id, stream_position) index per id, for a caller that
   * checks many streams at once (a batch of starts under caller-chosen ids).
   */
  async existingStreams(streamIds: readonly string[], options: { workspaceId?: string } = {}): Promise<Set<string>> {
    if (streamIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ stream_id: string }>({
      name: `fs_es_exists_${this.schema}`,
      text: `SELECT stream_id FROM ${this.schema}.events
              WHERE stream_id = ANY($1::text[]) AND stream_position = 1 AND ($2::text IS NULL OR workspace_id = $2)`,
      values: [streamIds, options.workspaceId ?? null],
    });
    return new Set(rows.map((r) => r.stream_id));
  }

  private expectedOf(streamId: string, expected: ExpectedPosition): number | null {
    if (expected === 'any') return null;
    if (expected === 'no_stream') return 0;
    if (!Number.isInteger(expected) || expected < 0) {
      throw new FlowstackError('validation_failed', `expected position of ${streamId} must be an integer >= 0`);
    }
    return expected;
  }

  private async headOf(streamId: string, client?: PoolClient): Promise<number> {
    const { rows } = await (client ?? this.pool).query<{ head: number }>(
      `SELECT coalesce(max(stream_position), 0) AS head FROM ${this.schema}.events WHERE stream_id = $1`,
      [streamId],
    );
    return rows[0].head;
  }

  private validate(streamId: string, workspaceId: string, events: NewEvent[]): void {
    // Checked before storing: an event that cannot be published would block the relay forever.
    const category = streamId.split('-', 1)[0];
    const bad = [workspaceId, category, ...events.map((e) => e.type)].find((t) => !SUBJECT_TOKEN.test(t));
    if (bad !== undefined) {
      throw new FlowstackError('validation_failed', `"${bad}" is not usable as a NATS subject token (stream ${streamId})`);
    }
  }
}

/** A unique violation on (stream_id, stream_position): a concurrent append took the position. */
function isPositionClash(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, constraint } = e as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'events_stream_position_unique';
}

/** The rows of an append of more than `SCALAR_APPEND_MAX` events: arrays from $4..$8. */
const ARRAY_ROWS = `SELECT * FROM unnest($4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[]) WITH ORDINALITY`;

/** The rows of an append of `n` events, five scalar parameters each from $4 on, numbered 1..n. */
function scalarRows(n: number): string {
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = 4 + 5 * i;
    rows.push(`($${p}::uuid, $${p + 1}::text, $${p + 2}::int, $${p + 3}::jsonb, $${p + 4}::jsonb, ${i + 1})`);
  }
  return `VALUES ${rows.join(', ')}`;
}

/**
 * One statement, one round trip, atomic without BEGIN/COMMIT: read the head, insert only when it
 * is the expected one ($3; NULL for 'any') and belongs to the same workspace, number the events
 * head+1..head+n, and return one row: the head even when nothing was inserted (so a refusal can
 * say why) and what was inserted, aggregated (one row to decode instead of one per event). Two
 * writers that both read the same head both try head+1: the unique constraint makes the second
 * wait for the first and fail with 23505, so no write is lost and no gap appears. The head row is
 * one backward probe of the (stream_id, stream_position) index; checking its workspace covers the
 * whole stream, since every earlier append checked the same.
 *
 * `rows` yields (event_id, type, schema_version, data, metadata, ord) from $4 on.
 */
function appendSql(s: string, rows: string): string {
  return `
    WITH last AS (
      SELECT stream_position, workspace_id FROM ${s}.events WHERE stream_id = $1
      ORDER BY stream_position DESC LIMIT 1
    ), head AS (
      SELECT coalesce(max(stream_position), 0) AS position, coalesce(max(workspace_id), $2) = $2 AS same_workspace
      FROM last
    ), appended AS (
      INSERT INTO ${s}.events (event_id, stream_id, stream_position, workspace_id, type, schema_version, data, metadata)
      SELECT e.event_id, $1, head.position + e.ord, $2, e.type, e.schema_version, e.data, e.metadata
      FROM head, (${rows}) AS e(event_id, type, schema_version, data, metadata, ord)
      WHERE head.same_workspace AND ($3::int IS NULL OR head.position = $3::int)
      ORDER BY e.ord
      RETURNING stream_position, global_position, transaction_id, recorded_at
    )
    SELECT head.position AS head, head.same_workspace, a.global_positions, a.transaction_id, a.recorded_at
    FROM head, (
      SELECT string_agg(global_position::text, ',' ORDER BY stream_position) AS global_positions,
        min(transaction_id::text) AS transaction_id, min(recorded_at) AS recorded_at
      FROM appended
    ) a`;
}
