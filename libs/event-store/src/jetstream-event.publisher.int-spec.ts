import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { eventSubject, Header, streamName, workSubject } from '@flowstack/contracts';
import { migrateEventStore } from './event-store.migration';
import { PostgresEventStore } from './event-store';
import type { OutboundMessage } from './event-publisher';
import { decodeStoredEvent, JetStreamEventPublisher, streamCategory } from './jetstream-event.publisher';
import { createTestDatabase, type TestDatabase } from './testing/test-database';
import { createTestNats, type TestNats } from './testing/test-nats';

describe('JetStreamEventPublisher', () => {
  let db: TestDatabase;
  let pool: Pool;
  let nats: TestNats;
  const ws = `ws_${randomUUID()}`;

  /** A node task keyed by task id like the orchestrator's. */
  const taskOf = (streamId: string): OutboundMessage => ({
    subject: workSubject(nats.ns, 'http'),
    msgId: `${streamId}:n1:1`,
    data: { taskId: `${streamId}:n1:1` },
  });

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase(), createTestNats()]);
    pool = db.pool();
    await migrateEventStore(pool);
  });

  afterAll(async () => {
    await Promise.all([db?.drop(), nats?.close()]);
  });

  it('stores an event published twice once, on its subject, with its headers', async () => {
    const store = new PostgresEventStore(pool);
    const streamId = `execution-${randomUUID()}`;
    const [event] = (
      await store.append(streamId, ws, [{ type: 'ExecutionStarted', data: { n: 1 }, metadata: { correlationId: 'corr-1' } }], {
        expectedPosition: 0,
      })
    ).events;
    const publisher = new JetStreamEventPublisher(nats.js, nats.ns);
    const before = await nats.count('EVENTS');

    await publisher.publish([event]);
    await publisher.publish([event]);

    expect(await nats.count('EVENTS')).toBe(before + 1);
    const { state } = await nats.jsm.streams.info(streamName(nats.ns, 'EVENTS'));
    const msg = await nats.jsm.streams.getMessage(streamName(nats.ns, 'EVENTS'), { seq: state.last_seq });
    expect(msg?.subject).toBe(eventSubject(nats.ns, ws, 'execution', 'ExecutionStarted'));
    expect(msg?.subject).toBe(`${nats.ns.prefix}.events.${ws}.execution.ExecutionStarted.none`);
    expect(msg?.header.get('Nats-Msg-Id')).toBe(event.eventId);
    expect(msg?.header.get(Header.streamId)).toBe(streamId);
    expect(msg?.header.get(Header.streamPosition)).toBe('1');
    expect(msg?.header.get(Header.eventType)).toBe('ExecutionStarted');
    expect(msg?.header.get(Header.correlationId)).toBe('corr-1');
    const decoded = decodeStoredEvent(msg?.data ?? new Uint8Array());
    expect(decoded).toEqual(event);
    expect(decoded.recordedAt).toBeInstanceOf(Date);
  });

  it('publishes the messages sent alongside too, also once', async () => {
    const store = new PostgresEventStore(pool);
    const streamId = `execution-${randomUUID()}`;
    const { events } = await store.append(
      streamId,
      ws,
      [
        { type: 'ExecutionStarted', data: {} },
        { type: 'NodeScheduled', data: { nodeId: 'n1' } },
      ],
      { expectedPosition: 0 },
    );
    const publisher = new JetStreamEventPublisher(nats.js, nats.ns);
    const [eventsBefore, workBefore] = [await nats.count('EVENTS'), await nats.count('WORK')];

    await publisher.publish(events, [taskOf(streamId)]);
    await publisher.publish(events, [taskOf(streamId)]);

    expect(await nats.count('EVENTS')).toBe(eventsBefore + 2);
    expect(await nats.count('WORK')).toBe(workBefore + 1);
  });

  it('sends the node tasks ahead of their events, the events in stream order', async () => {
    const store = new PostgresEventStore(pool);
    const streamId = `execution-${randomUUID()}`;
    const { events } = await store.append(
      streamId,
      ws,
      [
        { type: 'NodeCompleted', data: { nodeId: 'n0' } },
        { type: 'NodeScheduled', data: { nodeId: 'n1' } },
      ],
      { expectedPosition: 0 },
    );
    // A core subscriber sees the publishes in the order they left the connection.
    const order: string[] = [];
    const sub = nats.nc.subscribe(`${nats.ns.prefix}.>`, {
      callback: (_e, m) => {
        if (m.subject.includes('.work.') || m.subject.includes(`.events.${ws}.`))
          order.push(m.subject.split('.').slice(-2).join('.'));
      },
    });
    await nats.nc.flush();
    await new JetStreamEventPublisher(nats.js, nats.ns).publish(events, [taskOf(streamId)]);
    await nats.nc.flush();
    sub.unsubscribe();
    expect(order).toEqual(['work.http', 'NodeCompleted.none', 'NodeScheduled.none']);
  });

  it('is what the store calls on its fast path, once the append committed', async () => {
    const store = new PostgresEventStore(pool, { publisher: new JetStreamEventPublisher(nats.js, nats.ns) });
    const before = await nats.count('EVENTS');
    const { events } = await store.append(`execution-${randomUUID()}`, ws, [{ type: 'ExecutionStarted', data: {} }], {
      expectedPosition: 'no_stream',
    });
    expect(await nats.count('EVENTS')).toBe(before + 1);
    expect((await nats.storedEvents()).map((e) => e.eventId)).toContain(events[0].eventId);
  });

  it('publishes an execution event that may settle credits under `.settles`, other categories with four tokens', async () => {
    const store = new PostgresEventStore(pool);
    const { events: run } = await store.append(
      `execution-${randomUUID()}`,
      ws,
      [
        { type: 'NodeCompleted', data: { nodeId: 'free' } },
        { type: 'NodeCompleted', data: { nodeId: 'agent' }, metadata: { settlesCredits: true } },
      ],
      { expectedPosition: 0 },
    );
    const { events: ledger } = await store.append('credits', ws, [{ type: 'CreditsHeld', data: {} }], {
      expectedPosition: 'any',
    });
    await new JetStreamEventPublisher(nats.js, nats.ns).publish([...run, ...ledger]);

    const { state } = await nats.jsm.streams.info(streamName(nats.ns, 'EVENTS'));
    const subjects: string[] = [];
    for (let seq = state.last_seq - 2; seq <= state.last_seq; seq++) {
      subjects.push((await nats.jsm.streams.getMessage(streamName(nats.ns, 'EVENTS'), { seq }))?.subject ?? '');
    }
    expect(subjects).toEqual([
      `${nats.ns.prefix}.events.${ws}.execution.NodeCompleted.none`,
      `${nats.ns.prefix}.events.${ws}.execution.NodeCompleted.settles`,
      `${nats.ns.prefix}.events.${ws}.credits.CreditsHeld`,
    ]);
  });

  it('takes the category from the stream id up to its first dash', () => {
    expect(streamCategory('execution-0b6a-41')).toBe('execution');
    expect(streamCategory('credits')).toBe('credits');
  });
});
