import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { migrateEventStore } from './event-store.migration';
import { PostgresEventStore } from './event-store';
import type { StoredEvent } from './event.types';
import type { EventPublisher } from './event-publisher';
import { GlobalLogReader } from './global-log.reader';
import { JetStreamEventPublisher } from './jetstream-event.publisher';
import { OutboxRelay, type RelayParking } from './outbox.relay';
import { createTestDatabase, type TestDatabase } from './testing/test-database';
import { createTestNats, type TestNats } from './testing/test-nats';
import { waitFor } from '@flowstack/testing';

/** Collects what the relay parks, as the orchestrator's dead-letter port would store it. */
class CollectingParking implements RelayParking {
  readonly parked: Array<{ event: StoredEvent; reason: string; attempts: number }> = [];
  constructor(readonly maxAttempts: number) {}
  park(event: StoredEvent, reason: string, attempts: number): Promise<void> {
    this.parked.push({ event, reason, attempts });
    return Promise.resolve();
  }
}

/** The real JetStream publisher, except that it refuses the events it is told to (a buggy bus path). */
class RefusingPublisher implements EventPublisher {
  readonly refused = new Set<string>();
  /** What a refusal says (the default names the event: a fault of that event's own). */
  refusal = (eventId: string): string => `refused ${eventId}`;
  /** Refuses everything, like a bus that is away. */
  down = false;
  constructor(private readonly inner: EventPublisher) {}
  async publish(events: StoredEvent[]): Promise<void> {
    if (this.down) throw new Error('TIMEOUT');
    const bad = events.find((e) => this.refused.has(e.eventId));
    if (bad) throw new Error(this.refusal(bad.eventId));
    await this.inner.publish(events);
  }
}

/**
 * Issue 7 row 6: an event that can never be published (here: larger than the server's
 * max_payload, stored before any size limit existed) stopped the relay's checkpoint for every
 * tenant, forever. With parking it is handed to the port once and skipped; the events after it go
 * out. An event that fails for another reason is retried a bounded number of runs, then parked.
 */
describe('OutboxRelay parking (Postgres + NATS)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let nats: TestNats;
  const relays: OutboxRelay[] = [];

  const inJetStream = async (ws: string): Promise<string[]> =>
    (await nats.storedEvents()).filter((e) => e.workspaceId === ws).map((e) => e.eventId);

  /** Appends one event with a store that never publishes (as after a crash). */
  const appendUnpublished = async (schema: string, ws: string): Promise<StoredEvent> => {
    const store = new PostgresEventStore(pool, { schema });
    const { events } = await store.append(`thing-${randomUUID()}`, ws, [{ type: 'ThingHappened', data: { ok: true } }], {
      expectedPosition: 0,
    });
    return events[0];
  };

  /** Inserts a 2 MB event straight into the table, the way one was stored before the size limits. */
  const insertHuge = async (schema: string, ws: string): Promise<string> => {
    const eventId = randomUUID();
    await pool.query(
      `INSERT INTO ${schema}.events (event_id, stream_id, stream_position, workspace_id, type, data) VALUES ($1, $2, 1, $3, 'ThingHappened', $4::jsonb)`,
      [eventId, `thing-${randomUUID()}`, ws, JSON.stringify({ pad: 'x'.repeat(2_000_000) })],
    );
    return eventId;
  };

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase(), createTestNats()]);
    pool = db.pool({ max: 10 });
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await Promise.all([db?.drop(), nats?.close()]);
  });

  it('parks an event larger than the bus carries at once and relays every other tenant past it', async () => {
    const schema = 'relay_park_big';
    await migrateEventStore(pool, schema);
    const [wsBefore, wsHuge, wsAfter] = [`ws_${randomUUID()}`, `ws_${randomUUID()}`, `ws_${randomUUID()}`];
    const before = await appendUnpublished(schema, wsBefore);
    const hugeId = await insertHuge(schema, wsHuge);
    const after = await appendUnpublished(schema, wsAfter);
    const parking = new CollectingParking(5);
    const relay = new OutboxRelay({
      pool,
      schema,
      publisher: new JetStreamEventPublisher(nats.js, nats.ns),
      name: 'park-big',
      logger: { error: () => undefined },
      parking,
    });
    relays.push(relay);

    await waitFor(
      async () => {
        await relay.runOnce();
        return (await inJetStream(wsAfter)).includes(after.eventId);
      },
      'the event after the huge one to be relayed',
      10_000,
    );

    expect(await inJetStream(wsBefore)).toEqual([before.eventId]);
    expect(await inJetStream(wsHuge)).toEqual([]);
    expect(parking.parked).toHaveLength(1);
    expect(parking.parked[0]).toMatchObject({ event: { eventId: hugeId, workspaceId: wsHuge }, attempts: 1 });
    expect(parking.parked[0].reason).toMatch(/max_payload|payload/i);
    const checkpoint = await new GlobalLogReader(pool, { schema }).loadCheckpoint('park-big');
    expect(checkpoint.globalPosition).toBeGreaterThanOrEqual(after.globalPosition);
    // Parked means skipped: another run publishes and parks nothing more.
    await relay.runOnce();
    expect(parking.parked).toHaveLength(1);
  });

  it('retries an event that keeps failing a bounded number of runs, then parks it and moves on', async () => {
    const schema = 'relay_park_flaky';
    await migrateEventStore(pool, schema);
    const ws = `ws_${randomUUID()}`;
    const stuck = await appendUnpublished(schema, ws);
    const next = await appendUnpublished(schema, ws);
    const publisher = new RefusingPublisher(new JetStreamEventPublisher(nats.js, nats.ns));
    publisher.refused.add(stuck.eventId);
    const parking = new CollectingParking(3);
    const relay = new OutboxRelay({ pool, schema, publisher, name: 'park-flaky', logger: { error: () => undefined }, parking });
    relays.push(relay);

    // A run may find nothing new while another file's transaction holds the log back: count the
    // runs that failed on the event rather than assuming every run reached it.
    const failures: string[] = [];
    await waitFor(async () => {
      await relay.runOnce().catch((e: Error) => failures.push(e.message));
      return parking.parked.length > 0;
    }, 'the stuck event to be parked');
    expect(failures).toHaveLength(2);
    expect(failures.every((m) => /attempt [12] of 3/.test(m))).toBe(true);
    expect(parking.parked).toMatchObject([
      { event: { eventId: stuck.eventId }, attempts: 3, reason: `refused ${stuck.eventId}` },
    ]);
    expect(await inJetStream(ws)).toEqual([next.eventId]);
  });

  it('parks nothing while only its stream is unavailable (a cluster electing its leader), however many runs fail', async () => {
    const schema = 'relay_park_leaderless';
    await migrateEventStore(pool, schema);
    const ws = `ws_${randomUUID()}`;
    const waiting = await appendUnpublished(schema, ws);
    const next = await appendUnpublished(schema, ws);
    const publisher = new RefusingPublisher(new JetStreamEventPublisher(nats.js, nats.ns));
    publisher.refused.add(waiting.eventId);
    // What a JetStream cluster answers for a stream whose leader died, until another is elected.
    publisher.refusal = () => 'jetstream is not enabled';
    const parking = new CollectingParking(2);
    const relay = new OutboxRelay({
      pool,
      schema,
      publisher,
      name: 'park-leaderless',
      logger: { error: () => undefined },
      parking,
    });
    relays.push(relay);

    let failedRuns = 0;
    await waitFor(async () => {
      await relay.runOnce().catch(() => failedRuns++);
      return failedRuns >= 5;
    }, 'five runs to fail on the leaderless stream');
    expect(parking.parked).toEqual([]);

    publisher.refused.clear();
    await waitFor(async () => {
      await relay.runOnce();
      return (await inJetStream(ws)).length === 2;
    }, 'both events to be relayed once the stream has a leader');
    expect((await inJetStream(ws)).sort()).toEqual([waiting.eventId, next.eventId].sort());
    expect(parking.parked).toEqual([]);
  });

  it('parks nothing while the bus is away, however many runs fail', async () => {
    const schema = 'relay_park_outage';
    await migrateEventStore(pool, schema);
    const ws = `ws_${randomUUID()}`;
    const ids = [(await appendUnpublished(schema, ws)).eventId, (await appendUnpublished(schema, ws)).eventId];
    const publisher = new RefusingPublisher(new JetStreamEventPublisher(nats.js, nats.ns));
    publisher.down = true;
    const parking = new CollectingParking(2);
    const relay = new OutboxRelay({ pool, schema, publisher, name: 'park-outage', logger: { error: () => undefined }, parking });
    relays.push(relay);

    let failedRuns = 0;
    await waitFor(async () => {
      await relay.runOnce().catch(() => failedRuns++);
      return failedRuns >= 5;
    }, 'five runs to fail on the outage');
    expect(parking.parked).toEqual([]);

    publisher.down = false;
    await waitFor(async () => {
      await relay.runOnce();
      return (await inJetStream(ws)).length === 2;
    }, 'both events to be relayed once the bus is back');
    expect((await inJetStream(ws)).sort()).toEqual([...ids].sort());
    expect(parking.parked).toEqual([]);
  });
});
