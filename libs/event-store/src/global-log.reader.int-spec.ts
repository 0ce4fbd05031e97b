import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { migrateEventStore } from './event-store.migration';
import { PostgresEventStore } from './event-store';
import { LOG_START, type LogCheckpoint, type NewEvent, type StoredEvent } from './event.types';
import { GlobalLogReader } from './global-log.reader';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './stored-event.row';
import { createTestDatabase, type TestDatabase } from './testing/test-database';
import { waitFor } from '@flowstack/testing';

const events = (n: number): NewEvent[] => Array.from({ length: n }, (_, i) => ({ type: 'ThingHappened', data: { i } }));
const ids = (evs: StoredEvent[]): string[] => evs.map((e) => e.eventId);
/** (transaction id, global position) as one comparable tuple. */
const orderKey = (e: StoredEvent): [bigint, number] => [BigInt(e.transactionId), e.globalPosition];
const before = (a: [bigint, number], b: [bigint, number]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

interface OpenTransaction {
  xid: bigint;
  events: StoredEvent[];
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

describe('GlobalLogReader', () => {
  let db: TestDatabase;
  let pool: Pool;
  const ws = `ws_${randomUUID()}`;
  /** Transactions a failed test left open: rolled back so the pool can close. */
  const stillOpen = new Set<OpenTransaction>();

  /** BEGIN on its own connection and append inside it, leaving the transaction open. */
  async function beginAppend(store: PostgresEventStore, streamId: string, n: number): Promise<OpenTransaction> {
    const client = await pool.connect();
    await client.query('BEGIN');
    const result = await store.append(streamId, ws, events(n), { expectedPosition: 0, client });
    const end = async (sql: string): Promise<void> => {
      stillOpen.delete(tx);
      try {
        await client.query(sql);
      } finally {
        client.release();
      }
    };
    const tx: OpenTransaction = {
      xid: BigInt(result.events[0].transactionId),
      events: result.events,
      commit: () => end('COMMIT'),
      rollback: () => end('ROLLBACK'),
    };
    stillOpen.add(tx);
    return tx;
  }

  afterEach(async () => {
    await Promise.all([...stillOpen].map((tx) => tx.rollback()));
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool({ max: 12 });
    await migrateEventStore(pool);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('delivers each committed event once, in (xid, position) order, never overtaking an open older transaction', async () => {
    const store = new PostgresEventStore(pool);
    const reader = new GlobalLogReader(pool);
    const delivered: StoredEvent[] = [];
    let checkpoint: LogCheckpoint = LOG_START;
    // Small batches so the checkpoint is crossed inside and between transactions.
    const poll = async (): Promise<void> => {
      for (;;) {
        const batch = await reader.readBatch(checkpoint, 2);
        if (batch.events.length === 0) return;
        delivered.push(...batch.events);
        checkpoint = batch.checkpoint;
      }
    };

    const a = await beginAppend(store, 'flow-a', 2); // begins first, commits early
    const delayed = await beginAppend(store, 'flow-b', 2); // stays open while the rest commit
    const c = await beginAppend(store, 'flow-c', 1); // rolled back
    const d = await beginAppend(store, 'flow-d', 3); // began after the delayed one, commits before it
    const e = await beginAppend(store, 'flow-e', 1); // rolled back, late
    await d.commit();
    await a.commit();
    await c.rollback();
    const f = await store.append('flow-f', ws, events(2), { expectedPosition: 0 }); // autocommit while one is open

    // Everything older than the open transaction comes through; nothing younger may, yet.
    await waitFor(
      async () => {
        await poll();
        return a.events.every((ev) => ids(delivered).includes(ev.eventId));
      },
      'the early transaction to be delivered',
      4_000,
    );
    await poll();
    await e.rollback();
    await poll();
    expect(delivered.every((ev) => BigInt(ev.transactionId) < delayed.xid)).toBe(true);
    expect(ids(delivered)).toEqual(ids(a.events));

    await delayed.commit();
    const committed = [...a.events, ...delayed.events, ...d.events, ...f.events];
    await waitFor(
      async () => {
        await poll();
        return delivered.length >= committed.length;
      },
      'every committed event',
      4_000,
    );
    await poll();

    expect(new Set(ids(delivered)).size).toBe(delivered.length);
    expect(ids(delivered).sort()).toEqual(ids(committed).sort());
    for (const gone of [...c.events, ...e.events]) expect(ids(delivered)).not.toContain(gone.eventId);
    for (let i = 1; i < delivered.length; i++) expect(before(orderKey(delivered[i - 1]), orderKey(delivered[i]))).toBe(true);
    // The delayed transaction holds lower global positions than d, yet is delivered before d.
    expect(ids(delivered).slice(0, 4)).toEqual(ids([...a.events, ...delayed.events]));
    expect((await reader.readBatch(checkpoint, 100)).events).toEqual([]);
  });

  it('a naive reader by global position alone skips an event that committed late (the bug this reader prevents)', async () => {
    await migrateEventStore(pool, 'naive_case');
    const store = new PostgresEventStore(pool, { schema: 'naive_case' });
    const reader = new GlobalLogReader(pool, { schema: 'naive_case' });
    let last = 0;
    const naiveSeen: StoredEvent[] = [];
    const naivePoll = async (): Promise<void> => {
      const { rows } = await pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM naive_case.events e WHERE e.global_position > $1 ORDER BY e.global_position`,
        [last],
      );
      const evs = rows.map(toStoredEvent);
      naiveSeen.push(...evs);
      if (evs.length) last = evs[evs.length - 1].globalPosition;
    };

    const late = await beginAppend(store, 'flow-late', 1); // takes the lower global position
    const early = await store.append('flow-early', ws, events(1), { expectedPosition: 0 });
    expect(late.events[0].globalPosition).toBeLessThan(early.events[0].globalPosition);

    await naivePoll(); // sees `early`, moves past `late`'s position
    expect((await reader.readBatch(LOG_START, 10)).events).toEqual([]); // holds back behind `late`
    await late.commit();
    await naivePoll();

    expect(ids(naiveSeen)).toEqual(ids(early.events)); // skipped `late` for good
    const batch = await waitFor(
      async () => {
        const b = await reader.readBatch(LOG_START, 10);
        return b.events.length === 2 && b;
      },
      'both events from the correct reader',
      4_000,
    );
    expect(ids(batch.events)).toEqual(ids([...late.events, ...early.events]));
  });

  it('pages through transactions of many events in order, across batch boundaries', async () => {
    await migrateEventStore(pool, 'paging_case');
    const store = new PostgresEventStore(pool, { schema: 'paging_case' });
    const reader = new GlobalLogReader(pool, { schema: 'paging_case' });
    const appended: StoredEvent[] = [];
    // Positions 1..24 cross from one digit to two inside a transaction (a text sort would break here).
    for (let t = 0; t < 2; t++)
      appended.push(...(await store.append(`flow-${t}`, ws, events(12), { expectedPosition: 0 })).events);
    const delivered: StoredEvent[] = [];
    let checkpoint = LOG_START;
    await waitFor(
      async () => {
        const batch = await reader.readBatch(checkpoint, 5);
        delivered.push(...batch.events);
        checkpoint = batch.checkpoint;
        return delivered.length >= appended.length;
      },
      'all events paged through',
      4_000,
    );
    expect((await reader.readBatch(checkpoint, 5)).events).toEqual([]);
    expect(delivered.map((e) => e.globalPosition)).toEqual(appended.map((e) => e.globalPosition));
  });

  it('keeps checkpoints per name and never moves one backwards', async () => {
    const reader = new GlobalLogReader(pool);
    expect(await reader.loadCheckpoint('projection-x')).toEqual(LOG_START);
    await reader.saveCheckpoint('projection-x', { transactionId: '900', globalPosition: 7 });
    await reader.saveCheckpoint('projection-x', { transactionId: '800', globalPosition: 9 });
    expect(await reader.loadCheckpoint('projection-x')).toEqual({ transactionId: '900', globalPosition: 7 });
    await reader.saveCheckpoint('projection-x', { transactionId: '900', globalPosition: 8 });
    expect(await reader.loadCheckpoint('projection-x')).toEqual({ transactionId: '900', globalPosition: 8 });
    expect(await reader.loadCheckpoint('projection-y')).toEqual(LOG_START);
  });
});
