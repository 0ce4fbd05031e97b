import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { FlowstackError, Limits } from '@flowstack/contracts';
import { migrateEventStore } from './event-store.migration';
import { PostgresEventStore } from './event-store';
import { createTestDatabase, type TestDatabase } from './testing/test-database';

/**
 * Issue 7, row 6 (defence in depth): an event too large to publish is never stored, so it can
 * never block the outbox relay. Real Postgres.
 */
describe('PostgresEventStore refuses events over Limits.maxEventBytes', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const ws = `ws_${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool({ max: 4 });
    await migrateEventStore(pool);
    store = new PostgresEventStore(pool);
  });

  afterAll(async () => {
    await db?.drop();
  });

  const count = async (streamId: string): Promise<number> => {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events WHERE stream_id = $1', [
      streamId,
    ]);
    return Number(rows[0].n);
  };

  it('refuses a 2 MB event with payload_too_large and stores nothing of the batch', async () => {
    const streamId = `thing-${randomUUID()}`;
    const append = store.append(
      streamId,
      ws,
      [
        { type: 'Small', data: { ok: true } },
        { type: 'Huge', data: { text: 'x'.repeat(2_000_000) } },
      ],
      { expectedPosition: 'no_stream' },
    );
    const error = await append.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowstackError);
    expect((error as FlowstackError).code).toBe('payload_too_large');
    expect((error as FlowstackError).message).toMatch(/Huge/);
    expect(await count(streamId)).toBe(0);
  });

  it('refuses an event just over the limit in multi-byte characters, and stores one just under it', async () => {
    // 'é' is one UTF-16 unit but two UTF-8 bytes: a check on string length alone would let it through.
    const over = 'é'.repeat(Math.ceil(Limits.maxEventBytes / 2));
    const streamId = `thing-${randomUUID()}`;
    await expect(
      store.append(streamId, ws, [{ type: 'Accented', data: over }], { expectedPosition: 'no_stream' }),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
    const under = 'x'.repeat(Limits.maxEventBytes - 100);
    const { lastPosition } = await store.append(streamId, ws, [{ type: 'Fits', data: under }], { expectedPosition: 'no_stream' });
    expect(lastPosition).toBe(1);
    expect(await count(streamId)).toBe(1);
  });
});
