import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { migrateEventStore } from './event-store.migration';
import { PostgresEventStore } from './event-store';
import { LOG_START, type NewEvent, type StoredEvent } from './event.types';
import type { EventPublisher } from './event-publisher';
import { GlobalLogReader } from './global-log.reader';
import { JetStreamEventPublisher } from './jetstream-event.publisher';
import { OutboxRelay } from './outbox.relay';
import { PublishedLedger } from './published-ledger';
import { createTestDatabase, type TestDatabase } from './testing/test-database';
import { createTestNats, type TestNats } from './testing/test-nats';
import { waitFor } from '@flowstack/testing';

const events = (n: number): NewEvent[] => Array.from({ length: n }, (_, i) => ({ type: 'ThingHappened', data: { i } }));

/** Wraps a publisher to count what went through it. */
class CountingPublisher implements EventPublisher {
  readonly ids: string[] = [];
  constructor(private readonly inner: EventPublisher) {}
  get published(): number {
    return this.ids.length;
  }
  async publish(evs: StoredEvent[]): Promise<void> {
    await this.inner.publish(evs);
    this.ids.push(...evs.map((e) => e.eventId));
  }
}

describe('OutboxRelay', () => {
  let db: TestDatabase;
  let pool: Pool;
  let nats: TestNats;
  let publisher: JetStreamEventPublisher;
  const relays: OutboxRelay[] = [];

  /** Every stored EVENTS message of one workspace, as event ids (duplicates kept, to be caught). */
  const inJetStream = async (ws: string): Promise<string[]> =>
    (await nats.storedEvents()).filter((e) => e.workspaceId === ws).map((e) => e.eventId);

  /** Appends n events to each of `streams` new streams, with a store that never publishes (a crash). */
  async function appendUnpublished(schema: string, ws: string, streams: number, n: number): Promise<string[]> {
    const store = new PostgresEventStore(pool, { schema });
    const ids: string[] = [];
    for (let s = 0; s < streams; s++) {
      const { events: stored } = await store.append(`thing-${randomUUID()}`, ws, events(n), { expectedPosition: 0 });
      ids.push(...stored.map((e) => e.eventId));
    }
    return ids;
  }

  /**
   * Runs the relay until it has published `n` events in all. One run may find fewer: a transaction
   * open anywhere in the cluster (another test file's) holds the global log back until it ends.
   */
  async function relayAll(relay: OutboxRelay, n: number): Promise<number> {
    let total = 0;
    await waitFor(async () => (total += await relay.runOnce()) >= n, `${n} events relayed`, 4_000);
    return total;
  }

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase(), createTestNats()]);
    pool = db.pool({ max: 10 });
    publisher = new JetStreamEventPublisher(nats.js, nats.ns);
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await Promise.all([db?.drop(), nats?.close()]);
  });

  it('publishes events a crash left unpublished exactly once, and nothing on a second run', async () => {
    await migrateEventStore(pool, 'relay_crash');
    const ws = `ws_${randomUUID()}`;
    const ids = await appendUnpublished('relay_crash', ws, 4, 6);
    const relay = new OutboxRelay({ pool, schema: 'relay_crash', publisher, name: 'crash', batchSize: 5 });

    expect(await relayAll(relay, 24)).toBe(24);
    expect((await inJetStream(ws)).sort()).toEqual([...ids].sort());
    expect(await relay.runOnce()).toBe(0);
    expect(await inJetStream(ws)).toHaveLength(24);
  });

  it('keeps polling, with no unhandled rejection, when both the publish and its error logger fail', async () => {
    await migrateEventStore(pool, 'relay_badlog');
    await appendUnpublished('relay_badlog', `ws_${randomUUID()}`, 1, 1);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let attempts = 0;
      const relay = new OutboxRelay({
        pool,
        schema: 'relay_badlog',
        name: 'badlog',
        intervalMs: 10,
        publisher: { publish: () => Promise.reject(new Error(`publish attempt ${++attempts} failed`)) },
        logger: {
          error: () => {
            throw new Error('the logger is broken too');
          },
        },
      });
      relays.push(relay);
      relay.start();
      await waitFor(() => attempts >= 3, 'three publish attempts');
      await relay.stop();
      // Let a rejection that escaped the chain reach the process, if one did.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('stores events the fast path already published once when the relay sends them again', async () => {
    await migrateEventStore(pool, 'relay_fast');
    const ws = `ws_${randomUUID()}`;
    const store = new PostgresEventStore(pool, { schema: 'relay_fast', publisher });
    const { events: stored } = await store.append(`thing-${randomUUID()}`, ws, events(7), { expectedPosition: 0 });
    expect(await inJetStream(ws)).toHaveLength(7);

    const relay = new OutboxRelay({ pool, schema: 'relay_fast', publisher, name: 'fast' });
    expect(await relayAll(relay, 7)).toBe(7);
    expect((await inJetStream(ws)).sort()).toEqual(stored.map((e) => e.eventId).sort());
  });

  it("skips what its process's fast path got acked and relays the rest: other writers' events, failed publishes", async () => {
    await migrateEventStore(pool, 'relay_ledger');
    const ws = `ws_${randomUUID()}`;
    const ledger = new PublishedLedger();
    const fastPath = new PostgresEventStore(pool, { schema: 'relay_ledger', publisher, ledger });
    const failing = new PostgresEventStore(pool, {
      schema: 'relay_ledger',
      publisher: { publish: () => Promise.reject(new Error('jetstream unavailable')) },
      onPublishError: () => undefined,
      ledger,
    });
    const acked = (await fastPath.append(`thing-${randomUUID()}`, ws, events(5), { expectedPosition: 0 })).events;
    const failed = (await failing.append(`thing-${randomUUID()}`, ws, events(2), { expectedPosition: 0 })).events;
    const elsewhere = await appendUnpublished('relay_ledger', ws, 1, 3);
    expect(ledger.size).toBe(5);
    const counting = new CountingPublisher(publisher);
    const relay = new OutboxRelay({ pool, schema: 'relay_ledger', publisher: counting, name: 'ledger', ledger });

    await waitFor(async () => (await relay.runOnce(), counting.published >= 5), 'the unacked events relayed', 4_000);

    expect(counting.ids.sort()).toEqual([...failed.map((e) => e.eventId), ...elsewhere].sort());
    expect(ledger.size).toBe(0);
    expect((await inJetStream(ws)).sort()).toEqual(
      [...acked, ...failed]
        .map((e) => e.eventId)
        .concat(elsewhere)
        .sort(),
    );
  });

  it('relays only on the leader; a follower takes over when the leader stops', async () => {
    await migrateEventStore(pool, 'relay_leader');
    const ws = `ws_${randomUUID()}`;
    const first = new CountingPublisher(publisher);
    const second = new CountingPublisher(publisher);
    const options = { pool, schema: 'relay_leader', name: 'shared', intervalMs: 20 };
    const a = new OutboxRelay({ ...options, publisher: first });
    const b = new OutboxRelay({ ...options, publisher: second });
    relays.push(a, b);
    const before = await appendUnpublished('relay_leader', ws, 2, 3);

    a.start();
    b.start();
    // Wait on the publishers' counts (they move after the acks), not on JetStream's (before them).
    await waitFor(() => first.published + second.published >= before.length, 'the first events relayed', 4_000);
    expect((await inJetStream(ws)).sort()).toEqual([...before].sort());
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.isLeader ? [a, b] : [b, a];
    const [leaderCount, followerCount] = a.isLeader ? [first, second] : [second, first];
    expect(leaderCount.published).toBe(before.length);
    expect(followerCount.published).toBe(0);

    await leader.stop();
    const after = await appendUnpublished('relay_leader', ws, 1, 4);
    await waitFor(() => followerCount.published >= after.length, 'the follower to take over and relay', 4_000);
    expect(follower.isLeader).toBe(true);
    expect(followerCount.published).toBeGreaterThanOrEqual(after.length);
    expect(leaderCount.published).toBe(before.length);
    expect((await inJetStream(ws)).sort()).toEqual([...before, ...after].sort());
  });

  it("re-elects a leader when the leader's database session dies, without crashing the process", async () => {
    await migrateEventStore(pool, 'relay_session');
    const ws = `ws_${randomUUID()}`;
    const options = {
      pool,
      schema: 'relay_session',
      publisher,
      name: 'session',
      intervalMs: 20,
      logger: { error: () => undefined },
    };
    const a = new OutboxRelay(options);
    const b = new OutboxRelay(options);
    relays.push(a, b);
    a.start();
    await waitFor(() => a.isLeader, 'a to lead', 4_000);
    b.start();

    const lockHolders = async (): Promise<number[]> =>
      (
        await pool.query<{ pid: number }>(
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
      ).rows.map((r) => r.pid);
    const [oldLeader] = await lockHolders();
    expect(oldLeader).toBeDefined();
    await pool.query('SELECT pg_terminate_backend($1)', [oldLeader]);
    await waitFor(
      async () => {
        const holders = await lockHolders();
        return holders.length === 1 && holders[0] !== oldLeader;
      },
      'a new session to hold the leader lock',
      4_000,
    );

    // Either replica may win the freed lock (the old leader retries too); exactly one must lead.
    const ids = await appendUnpublished('relay_session', ws, 1, 2);
    await waitFor(async () => (await inJetStream(ws)).length === ids.length, 'events relayed by a new leader', 4_000);
    await waitFor(() => [a.isLeader, b.isLeader].filter(Boolean).length === 1, 'exactly one leader', 4_000);
  });

  it('logs a failing publish, keeps its checkpoint, and recovers once publishing works', async () => {
    await migrateEventStore(pool, 'relay_errors');
    const ws = `ws_${randomUUID()}`;
    const ids = await appendUnpublished('relay_errors', ws, 1, 3);
    let broken = true;
    const flaky: EventPublisher = {
      publish: (evs) => (broken ? Promise.reject(new Error('jetstream unavailable')) : publisher.publish(evs)),
    };
    const errors: string[] = [];
    const relay = new OutboxRelay({
      pool,
      schema: 'relay_errors',
      publisher: flaky,
      name: 'errors',
      intervalMs: 20,
      logger: { error: (m) => errors.push(m) },
    });
    relays.push(relay);

    relay.start();
    await waitFor(() => errors.length >= 2, 'the publish error to be logged twice', 4_000);
    expect(errors[0]).toMatch(/outbox relay errors: jetstream unavailable/);
    expect(await new GlobalLogReader(pool, { schema: 'relay_errors' }).loadCheckpoint('errors')).toEqual(LOG_START);

    broken = false;
    await waitFor(async () => (await inJetStream(ws)).length === ids.length, 'the events relayed after recovery', 4_000);
    await relay.stop();
    const saved = await new GlobalLogReader(pool, { schema: 'relay_errors' }).loadCheckpoint('errors');
    expect(saved.globalPosition).toBeGreaterThan(0);
  });
});
