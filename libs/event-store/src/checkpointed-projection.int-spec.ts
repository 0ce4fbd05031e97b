import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { waitFor } from '@flowstack/testing';
import { CheckpointedProjection, type CheckpointedProjectionOptions } from './checkpointed-projection';
import { projectionCheckpointsDdl } from './projection-handler';
import { CommitSignal } from './commit-signal';
import { migrateEventStore } from './event-store.migration';
import { PostgresEventStore } from './event-store';
import type { StoredEvent } from './event.types';
import { createTestDatabase, type TestDatabase } from './testing/test-database';

const SCHEMA = 'proj_test';

/** What the test projection keeps of an event: its id and number (`n < 0` is refused by the table). */
interface Thing {
  eventId: string;
  n: number;
}

/**
 * The runner against the real Postgres, with a small projection of its own: one row per event of
 * its streams (`<prefix>-*`) in a table whose CHECK refuses negative numbers. Each test has its
 * own prefix, table and checkpoint name; the log is the file's database, shared by all tests.
 */
describe('CheckpointedProjection', () => {
  let db: TestDatabase;
  let pool: Pool;
  const ws = `ws_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool({ max: 12 });
    await migrateEventStore(pool);
    await pool.query(`CREATE SCHEMA ${SCHEMA}; ${projectionCheckpointsDdl(SCHEMA)}`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** A projection of its own (table, checkpoint name, streams); counts the calls of `apply`. */
  async function thingsProjection(overrides: Partial<CheckpointedProjectionOptions<Thing>> = {}, failOnce?: string) {
    const key = `t${randomUUID().slice(0, 8)}`;
    const table = `${SCHEMA}.${key}`;
    await pool.query(`CREATE TABLE ${table} (event_id text NOT NULL, n integer NOT NULL CHECK (n >= 0))`);
    const calls = { apply: 0, reset: 0 };
    let failed = false;
    const options = (more: Partial<CheckpointedProjectionOptions<Thing>> = {}): CheckpointedProjectionOptions<Thing> => ({
      pool,
      name: key,
      schema: SCHEMA,
      logger: { error: () => undefined },
      handler: {
        select: (e: StoredEvent) =>
          e.streamId.startsWith(`${key}-`) ? { eventId: e.eventId, n: (e.data as { n: number }).n } : null,
        async apply(client: PoolClient, items: readonly Thing[]) {
          calls.apply++;
          if (failOnce && !failed && items.some((i) => i.eventId === failOnce)) {
            failed = true;
            throw new Error('connection lost (not a data error)');
          }
          await client.query(`INSERT INTO ${table} (event_id, n) SELECT * FROM unnest($1::text[], $2::integer[])`, [
            items.map((i) => i.eventId),
            items.map((i) => i.n),
          ]);
        },
        async reset(client: PoolClient) {
          calls.reset++;
          await client.query(`TRUNCATE ${table}`);
        },
      },
      ...overrides,
      ...more,
    });
    const rows = async (): Promise<Array<{ event_id: string; n: number }>> =>
      (await pool.query<{ event_id: string; n: number }>(`SELECT event_id, n FROM ${table} ORDER BY n, event_id`)).rows;
    return {
      key,
      calls,
      rows,
      options,
      make: (more?: Partial<CheckpointedProjectionOptions<Thing>>) => new CheckpointedProjection(options(more)),
    };
  }

  const appendThings = async (store: PostgresEventStore, key: string, ns: number[]): Promise<StoredEvent[]> =>
    (
      await store.append(
        `${key}-${randomUUID()}`,
        ws,
        ns.map((n) => ({ type: 'ThingCounted', data: { n } })),
        { expectedPosition: 0 },
      )
    ).events;

  /** Runs until `last` is applied: another transaction open anywhere in the cluster can hide a commit for a while. */
  const readUntil = async (projections: Array<CheckpointedProjection<Thing>>, last: StoredEvent): Promise<number> => {
    let read = 0;
    await waitFor(async () => {
      read += (await Promise.all(projections.map((p) => p.runOnce()))).reduce((a, b) => a + b, 0);
      return projections[0].covers(last);
    }, `events up to ${last.eventId} read`);
    return read;
  };

  it('applies every event once, moving the checkpoint with the rows; a restarted instance reads nothing again', async () => {
    const store = new PostgresEventStore(pool);
    const things = await thingsProjection({ batchSize: 3 });
    const stored = [
      ...(await appendThings(store, things.key, [1, 2, 3])),
      ...(await appendThings(store, things.key, [4])),
      ...(await appendThings(store, things.key, [5, 6, 7])),
    ];
    const last = stored[stored.length - 1];
    const projection = things.make();
    await readUntil([projection], last);
    expect((await things.rows()).map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await projection.checkpoint()).toEqual({ transactionId: last.transactionId, globalPosition: last.globalPosition });
    expect(await projection.covers(last)).toBe(true);

    expect(await things.make().runOnce()).toBe(0);
    expect(await things.rows()).toHaveLength(7);
  });

  it('replicas racing apply each batch exactly once', async () => {
    const store = new PostgresEventStore(pool);
    const things = await thingsProjection({ batchSize: 2 });
    let last: StoredEvent | undefined;
    for (let i = 0; i < 15; i++) last = (await appendThings(store, things.key, [2 * i, 2 * i + 1]))[1];
    await readUntil(
      Array.from({ length: 4 }, () => things.make()),
      last!,
    );
    const rows = await things.rows();
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(30);
  });

  it('logs and skips an event whose value the rows refuse, and applies the rest of its batch', async () => {
    const store = new PostgresEventStore(pool);
    const errors: string[] = [];
    const things = await thingsProjection({ logger: { error: (m) => errors.push(m) } });
    const [, poison, last] = await appendThings(store, things.key, [1, -1, 2]);
    const projection = things.make();
    await readUntil([projection], last);
    expect((await things.rows()).map((r) => r.n)).toEqual([1, 2]);
    expect(errors).toEqual([expect.stringContaining(`skipped ThingCounted ${poison.eventId}`)]);
    expect(await projection.covers(poison)).toBe(true);
  });

  it('rolls a batch back with its checkpoint when applying fails otherwise, and applies it on the next run', async () => {
    const store = new PostgresEventStore(pool);
    const first = randomUUID();
    const things = await thingsProjection({}, first);
    const stored = await store.append(
      `${things.key}-${randomUUID()}`,
      ws,
      [
        { eventId: first, type: 'ThingCounted', data: { n: 1 } },
        { type: 'ThingCounted', data: { n: 2 } },
      ],
      { expectedPosition: 0 },
    );
    const projection = things.make();
    await waitFor(async () => {
      try {
        await projection.runOnce();
        return false;
      } catch (e) {
        return e instanceof Error && /not a data error/.test(e.message);
      }
    }, 'the failing batch');
    expect(await things.rows()).toEqual([]);
    expect(await projection.covers(stored.events[0])).toBe(false);
    await readUntil([projection], stored.events[1]);
    expect((await things.rows()).map((r) => r.n)).toEqual([1, 2]);
  });

  it('woken by commits, it applies them long before its next poll, and reports their lag', async () => {
    const committed = new CommitSignal();
    const store = new PostgresEventStore(pool, { committed });
    const lags: number[] = [];
    // An hour between polls: only the wakes can bring the events in.
    const things = await thingsProjection({ intervalMs: 3_600_000, wakeOn: committed, onLag: (ms) => lags.push(ms) });
    const projection = things.make();
    projection.start();
    try {
      await appendThings(store, things.key, [1]);
      await waitFor(async () => (await things.rows()).length === 1, 'the first event projected', 5_000);
      await appendThings(store, things.key, [2, 3]);
      await waitFor(async () => (await things.rows()).length === 3, 'the next events projected', 5_000);
    } finally {
      await projection.stop();
    }
    expect(lags).toHaveLength(3);
    expect(lags.every((ms) => ms >= 0 && ms < 5_000)).toBe(true);
  });

  it('coalesces a stream of commits into fewer passes than commits, applying each event once', async () => {
    const committed = new CommitSignal();
    const store = new PostgresEventStore(pool, { committed });
    const things = await thingsProjection({ intervalMs: 3_600_000, wakeOn: committed, coalesceMs: 50 });
    const projection = things.make();
    projection.start();
    try {
      const lanes = Array.from({ length: 8 }, async (_, lane) => {
        for (let i = 0; i < 10; i++) await appendThings(store, things.key, [lane * 10 + i]);
      });
      await Promise.all(lanes);
      await waitFor(async () => (await things.rows()).length >= 80, '80 events projected', 10_000);
    } finally {
      await projection.stop();
    }
    expect((await things.rows()).map((r) => r.n)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    expect(things.calls.apply).toBeLessThan(80);
  });

  it('rebuilds from the start of the log to the same rows while another replica polls', async () => {
    const store = new PostgresEventStore(pool);
    const things = await thingsProjection({ batchSize: 4 });
    let last: StoredEvent | undefined;
    for (let i = 0; i < 5; i++) last = (await appendThings(store, things.key, [3 * i, 3 * i + 1, 3 * i + 2]))[2];
    await readUntil([things.make()], last!);
    const before = await things.rows();

    const racing = things.make().runOnce();
    const read = await things.make().rebuild();
    await racing;
    expect(things.calls.reset).toBe(1);
    expect(read).toBeGreaterThanOrEqual(15);
    expect(await things.rows()).toEqual(before);
  });
});
