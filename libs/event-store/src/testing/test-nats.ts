import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { namespaceOf, streamName, type Namespace } from '@flowstack/contracts';
import { deleteStreams, ensureStreams } from '@flowstack/messaging';
import { decodeStoredEvent } from '../jetstream-event.publisher';
import type { StoredEvent } from '../event.types';

export interface TestNats {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  ns: Namespace;
  /** Messages currently stored in one of the namespace's streams. */
  count(stream: 'EVENTS' | 'WORK'): Promise<number>;
  /** Every stored EVENTS message, decoded, in stream order. */
  storedEvents(): Promise<StoredEvent[]>;
  /** Deletes the namespace's streams and closes the connection. */
  close(): Promise<void>;
}

/** A NATS connection and EVENTS + WORK streams under a random namespace of this test file. */
export async function createTestNats(): Promise<TestNats> {
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'event-store-int-spec' });
  const jsm = await jetstreamManager(nc);
  const ns = namespaceOf(`t${randomBytes(5).toString('hex')}`);
  await ensureStreams(jsm, ns, ['EVENTS', 'WORK']);
  const count = async (stream: 'EVENTS' | 'WORK'): Promise<number> =>
    (await jsm.streams.info(streamName(ns, stream))).state.messages;
  return {
    nc,
    js: jetstream(nc),
    jsm,
    ns,
    count,
    async storedEvents() {
      const { state } = await jsm.streams.info(streamName(ns, 'EVENTS'));
      const events: StoredEvent[] = [];
      for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
        const msg = await jsm.streams.getMessage(streamName(ns, 'EVENTS'), { seq });
        if (msg) events.push(decodeStoredEvent(msg.data));
      }
      return events;
    },
    async close() {
      await deleteStreams(jsm, ns);
      await nc.close();
    },
  };
}
