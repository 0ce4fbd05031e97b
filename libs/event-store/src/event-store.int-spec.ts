import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { FlowstackError } from '@flowstack/contracts';
import { APPEND_ONLY_MESSAGE, EVENT_WRITER_ROLE, migrateEventStore } from './event-store.migration';
import { PostgresEventStore } from './event-store';
import type { NewEvent, StoredEvent } from './event.types';
import { StreamVersionConflict } from './stream-version-conflict.error';
import { createTestDatabase, type TestDatabase } from './testing/test-database';

const events = (n: number, type = 'ThingHappened'): NewEvent[] => Array.from({ length: n }, (_, i) => ({ type, data: { i } }));
const streamOf = (): string => `thing-${randomUUID()}`;

async function positions(pool: Pool, streamId: string): Promise<number[]> {
  const { rows } = await pool.query<{ stream_position: number }>(
    'SELECT stream_position FROM event_store.events WHERE stream_id = $1 ORDER BY stream_position',
    [streamId],
  );
  return rows.map((r) => r.stream_position);
}

describe('PostgresEventStore', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const ws = `ws_${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool({ max: 25 });
    await migrateEventStore(pool);
    store = new PostgresEventStore(pool);
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe('migration', () => {
    it('is idempotent when several replicas run it at once', async () => {
      await Promise.all(Array.from({ length: 5 }, () => migrateEventStore(pool, 'concurrent_start')));
      await migrateEventStore(pool, 'concurrent_start');
      const { rows } = await pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_trigger WHERE tgrelid = 'concurrent_start.events'::regclass AND NOT tgisinternal",
      );
      expect(Number(rows[0].n)).toBe(2);
    });

    it('rejects a schema name that is not a plain identifier', async () => {
      await expect(migrateEventStore(pool, 'x; DROP TABLE y')).rejects.toThrow(/invalid event store schema name/);
    });
  });

  describe('append', () => {
    it('numbers events from 1 and returns them as stored', async () => {
      const streamId = streamOf();
      const at = new Date('2026-01-02T03:04:05.000Z');
      const result = await store.append(
        streamId,
        ws,
        [
          { type: 'ThingStarted', data: { at }, metadata: { correlationId: 'c-1' } },
          { type: 'ThingDone', data: null },
        ],
        { expectedPosition: 'no_stream' },
      );
      expect(result.lastPosition).toBe(2);
      expect(result.events.map((e) => [e.streamPosition, e.type, e.schemaVersion])).toEqual([
        [1, 'ThingStarted', 1],
        [2, 'ThingDone', 1],
      ]);
      expect(result.events[1].globalPosition).toBe(result.events[0].globalPosition + 1);
      expect(await store.readStream(streamId)).toEqual(result.events);
      expect(result.events[0].data).toEqual({ at: at.toISOString() });
    });

    it.each([1, 6, 16, 17, 40])(
      'returns exactly what a read returns for %i events (scalar parameters up to 16, arrays beyond)',
      async (n) => {
        const streamId = streamOf();
        await store.append(streamId, ws, events(1, 'ThingOpened'), { expectedPosition: 'no_stream' });
        const batch = events(n).map((e, i) => ({ ...e, schemaVersion: 1 + (i % 3), metadata: { i } }));
        const result = await store.append(streamId, ws, batch, { expectedPosition: 1 });
        expect(result.lastPosition).toBe(n + 1);
        expect(result.events.map((e) => [e.streamPosition, e.data, e.schemaVersion, e.metadata])).toEqual(
          batch.map((e, i) => [i + 2, e.data, e.schemaVersion, e.metadata]),
        );
        // One transaction, global positions rising in stream order.
        expect(new Set(result.events.map((e) => e.transactionId)).size).toBe(1);
        for (let i = 1; i < n; i++) expect(result.events[i].globalPosition).toBeGreaterThan(result.events[i - 1].globalPosition);
        expect(await store.readStream(streamId, { afterPosition: 1 })).toEqual(result.events);
      },
    );

    it('keeps every stream in order when many multi-event appends run at once', async () => {
      const streams = Array.from({ length: 8 }, streamOf);
      // 8 streams x 6 appends of 1..6 events, interleaved; each append waits for its stream's previous one.
      await Promise.all(
        streams.map(async (streamId) => {
          for (let k = 1, at = 0; k <= 6; at += k, k++) {
            const result = await store.append(streamId, ws, events(k), { expectedPosition: at });
            expect(result.events.map((e) => e.streamPosition)).toEqual(Array.from({ length: k }, (_, i) => at + i + 1));
          }
        }),
      );
      for (const streamId of streams) {
        const read = await store.readStream(streamId);
        expect(read.map((e) => e.streamPosition)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
        for (let i = 1; i < read.length; i++) expect(read[i].globalPosition).toBeGreaterThan(read[i - 1].globalPosition);
      }
    });

    it('lets exactly one of 50 concurrent appends at the same expected position win', async () => {
      const streamId = streamOf();
      await store.append(streamId, ws, events(3), { expectedPosition: 0 });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, () => store.append(streamId, ws, events(2), { expectedPosition: 3 })),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(49);
      for (const e of lost) {
        expect(e).toBeInstanceOf(StreamVersionConflict);
        expect(e).toMatchObject({ code: 'stream_version_conflict', streamId, expected: 3, retryable: true });
      }
      expect(await positions(pool, streamId)).toEqual([1, 2, 3, 4, 5]);
    });

    it("appends all of 20 concurrent 'any' appends without gaps", async () => {
      const streamId = streamOf();
      await Promise.all(Array.from({ length: 20 }, () => store.append(streamId, ws, events(2), { expectedPosition: 'any' })));
      expect(await positions(pool, streamId)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    it('refuses a stale expected position after the stream moved, and says where it is', async () => {
      const streamId = streamOf();
      await store.append(streamId, ws, events(1), { expectedPosition: 0 });
      await store.append(streamId, ws, events(1), { expectedPosition: 1 });
      const refused = store.append(streamId, ws, events(1), { expectedPosition: 1 });
      await expect(refused).rejects.toBeInstanceOf(StreamVersionConflict);
      await expect(refused).rejects.toMatchObject({ expected: 1, actual: 2 });
      expect(await positions(pool, streamId)).toEqual([1, 2]);
    });

    it("refuses 'no_stream' on a stream that exists", async () => {
      const streamId = streamOf();
      await store.append(streamId, ws, events(1), { expectedPosition: 'no_stream' });
      await expect(store.append(streamId, ws, events(1), { expectedPosition: 'no_stream' })).rejects.toMatchObject({
        code: 'stream_version_conflict',
        actual: 1,
      });
    });

    it('never creates a gap or an overlap when the expected position is behind or ahead of the head', async () => {
      const streamId = streamOf();
      await store.append(streamId, ws, events(5), { expectedPosition: 0 });
      await expect(store.append(streamId, ws, events(3), { expectedPosition: 2 })).rejects.toBeInstanceOf(StreamVersionConflict);
      await expect(store.append(streamId, ws, events(1), { expectedPosition: 9 })).rejects.toBeInstanceOf(StreamVersionConflict);
      expect(await positions(pool, streamId)).toEqual([1, 2, 3, 4, 5]);
    });

    it("never appends to another workspace's stream, whatever the expected position", async () => {
      const streamId = streamOf();
      await store.append(streamId, ws, events(2), { expectedPosition: 0 });
      for (const expectedPosition of [2, 'any', 'no_stream'] as const) {
        await expect(store.append(streamId, `ws_${randomUUID()}`, events(1), { expectedPosition })).rejects.toMatchObject({
          code: 'forbidden',
        });
      }
      expect(await positions(pool, streamId)).toEqual([1, 2]);
    });

    it('treats an empty list as a no-op', async () => {
      const streamId = streamOf();
      await expect(store.append(streamId, ws, [], { expectedPosition: 0 })).resolves.toEqual({ events: [], lastPosition: 0 });
      expect(await positions(pool, streamId)).toEqual([]);
    });

    it('refuses ids that cannot become NATS subject tokens, before storing anything', async () => {
      const streamId = streamOf();
      await expect(store.append(streamId, 'ws.bad', events(1), { expectedPosition: 0 })).rejects.toBeInstanceOf(FlowstackError);
      await expect(store.append(streamId, ws, events(1, 'Bad Type'), { expectedPosition: 0 })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      expect(await positions(pool, streamId)).toEqual([]);
    });

    it('joins the caller transaction: nothing is visible or published until it commits', async () => {
      const published: StoredEvent[][] = [];
      const txStore = new PostgresEventStore(pool, { publisher: { publish: (e) => Promise.resolve(void published.push(e)) } });
      const streamId = streamOf();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await txStore.append(streamId, ws, events(2), { expectedPosition: 0, client });
        expect(await txStore.readStream(streamId)).toEqual([]);
        expect(published).toEqual([]);
        await client.query('COMMIT');
        await txStore.publish(result.events);
        expect(await txStore.readStream(streamId)).toEqual(result.events);
        expect(published).toEqual([result.events]);
      } finally {
        client.release();
      }
    });
  });

  describe('appendNewStreams', () => {
    it('creates many streams in one statement, each numbered from 1, as a read returns them', async () => {
      const [a, b, c] = [streamOf(), streamOf(), streamOf()];
      const results = await store.appendNewStreams([
        { streamId: a, workspaceId: ws, events: events(3) },
        { streamId: b, workspaceId: ws, events: events(1) },
        { streamId: c, workspaceId: 'ws_other', events: events(2) },
      ]);
      expect(results.map((r) => r.lastPosition)).toEqual([3, 1, 2]);
      expect(results.map((r) => r.events.map((e) => [e.streamId, e.streamPosition, e.workspaceId]))).toEqual([
        [
          [a, 1, ws],
          [a, 2, ws],
          [a, 3, ws],
        ],
        [[b, 1, ws]],
        [
          [c, 1, 'ws_other'],
          [c, 2, 'ws_other'],
        ],
      ]);
      const globals = results.flatMap((r) => r.events.map((e) => e.globalPosition));
      expect(globals).toEqual([...globals].sort((x, y) => x - y));
      expect(await store.readStream(a)).toEqual(results[0].events);
      expect(await store.readStream(c, { workspaceId: 'ws_other' })).toEqual(results[2].events);
    });

    it('stores nothing when one of the streams exists, in this workspace or another', async () => {
      const taken = streamOf();
      await store.append(taken, 'ws_owner', events(1), { expectedPosition: 'no_stream' });
      for (const workspaceId of ['ws_owner', ws]) {
        const fresh = streamOf();
        await expect(
          store.appendNewStreams([
            { streamId: fresh, workspaceId: ws, events: events(2) },
            { streamId: taken, workspaceId, events: events(1) },
          ]),
        ).rejects.toBeInstanceOf(StreamVersionConflict);
        expect(await positions(pool, fresh)).toEqual([]);
      }
      expect(await positions(pool, taken)).toEqual([1]);
    });
  });

  describe('fast-path publish', () => {
    it('publishes after commit, and a failing publisher never fails the append', async () => {
      const reported: Array<{ error: unknown; events: StoredEvent[] }> = [];
      const failing = new PostgresEventStore(pool, {
        publisher: { publish: () => Promise.reject(new Error('nats down')) },
        onPublishError: (error, evs) => reported.push({ error, events: evs }),
      });
      const streamId = streamOf();
      const result = await failing.append(streamId, ws, events(2), { expectedPosition: 0 });
      expect(result.lastPosition).toBe(2);
      expect(reported).toHaveLength(1);
      expect(String(reported[0].error)).toMatch(/nats down/);
      expect(reported[0].events).toEqual(result.events);
      expect(await positions(pool, streamId)).toEqual([1, 2]);
    });

    it('never fails a committed append when the error reporter itself throws', async () => {
      const store = new PostgresEventStore(pool, {
        publisher: { publish: () => Promise.reject(new Error('nats down')) },
        onPublishError: () => {
          throw new Error('the logger is broken too');
        },
      });
      const streamId = streamOf();
      await expect(store.append(streamId, ws, events(1), { expectedPosition: 0 })).resolves.toMatchObject({ lastPosition: 1 });
      expect(await positions(pool, streamId)).toEqual([1]);
    });

    it('tells the caller of a commit before it waits for the publish (appends and new streams)', async () => {
      const waitUntil = async (done: () => boolean): Promise<void> => {
        for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      };
      const seen: string[] = [];
      let ack!: () => void;
      const held = new PostgresEventStore(pool, {
        publisher: {
          publish: () => {
            seen.push('publish');
            return new Promise<void>((resolve) => (ack = resolve));
          },
        },
      });
      const streamId = streamOf();
      const appending = held.append(streamId, ws, events(2), {
        expectedPosition: 0,
        onCommitted: (result) => seen.push(`committed ${result.lastPosition}`),
      });
      await waitUntil(() => seen.length === 2);
      expect(seen).toEqual(['committed 2', 'publish']);
      // Committed, though the publish has not been acked yet.
      expect(await positions(pool, streamId)).toEqual([1, 2]);
      ack();
      await expect(appending).resolves.toMatchObject({ lastPosition: 2 });

      seen.length = 0;
      const batch = held.appendNewStreams(
        [
          { streamId: streamOf(), workspaceId: ws, events: events(1) },
          { streamId: streamOf(), workspaceId: ws, events: events(3) },
        ],
        { onCommitted: (results) => seen.push(`committed ${results.map((r) => r.lastPosition).join(',')}`) },
      );
      await waitUntil(() => seen.length === 2);
      expect(seen).toEqual(['committed 1,3', 'publish']);
      ack();
      await expect(batch).resolves.toHaveLength(2);
    });
  });

  describe('readStream', () => {
    it('returns events in stream order, from a position, up to a limit', async () => {
      const streamId = streamOf();
      for (let p = 0; p < 6; p += 2) await store.append(streamId, ws, events(2), { expectedPosition: p });
      expect((await store.readStream(streamId)).map((e) => e.streamPosition)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store.readStream(streamId, { afterPosition: 2, limit: 3 })).map((e) => e.streamPosition)).toEqual([3, 4, 5]);
      expect(await store.readStream(streamOf())).toEqual([]);
    });

    it("never returns another workspace's events", async () => {
      const streamId = streamOf();
      await store.append(streamId, ws, events(3), { expectedPosition: 0 });
      expect(await store.readStream(streamId, { workspaceId: `ws_${randomUUID()}` })).toEqual([]);
      expect(await store.readStream(streamId, { workspaceId: ws })).toHaveLength(3);
    });
  });

  describe('append-only', () => {
    const snapshot = async (): Promise<string> =>
      JSON.stringify((await pool.query('SELECT * FROM event_store.events ORDER BY global_position')).rows);

    beforeAll(async () => {
      await store.append(streamOf(), ws, events(2), { expectedPosition: 0 });
    });

    it.each([
      ['UPDATE', "UPDATE event_store.events SET type = 'Rewritten'"],
      ['UPDATE matching no row', "UPDATE event_store.events SET type = 'Rewritten' WHERE false"],
      ['DELETE', 'DELETE FROM event_store.events'],
      ['TRUNCATE', 'TRUNCATE event_store.events'],
      [
        'upsert',
        "INSERT INTO event_store.events (event_id, stream_id, stream_position, workspace_id, type, data) SELECT event_id, stream_id, stream_position, workspace_id, type, data FROM event_store.events ON CONFLICT (event_id) DO UPDATE SET type = 'Rewritten'",
      ],
    ])('rejects %s, even for a superuser', async (_, sql) => {
      const { rows } = await pool.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      expect(rows[0].rolsuper).toBe(true);
      const before = await snapshot();
      expect(before).not.toBe('[]');
      await expect(pool.query(sql)).rejects.toThrow(APPEND_ONLY_MESSAGE);
      expect(await snapshot()).toBe(before);
    });

    it(`lets the ${EVENT_WRITER_ROLE} role read and append but not update`, async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL ROLE ${EVENT_WRITER_ROLE}`);
        const streamId = streamOf();
        await store.append(streamId, ws, events(1), { expectedPosition: 0, client });
        expect(await store.readStream(streamId, { client })).toHaveLength(1);
        await expect(client.query("UPDATE event_store.events SET type = 'X' WHERE false")).rejects.toMatchObject({
          code: '42501',
        });
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });
  });
});
