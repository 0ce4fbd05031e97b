import type { JetStreamManager } from '@nats-io/jetstream';
import { Gauge, register } from 'prom-client';

/** The durable consumers this process uses, asked for their state when metrics are scraped. */
const watched = new Map<string, { jsm: JetStreamManager; stream: string; consumer: string }>();

/** Reads every watched consumer's state once per scrape, shared by the two gauges of that scrape. */
let current: Promise<Array<{ stream: string; consumer: string; pending: number; ackPending: number }>> | undefined;
const consumerStates = (): NonNullable<typeof current> =>
  (current ??= Promise.all(
    [...watched.values()].map(async ({ jsm, stream, consumer }) => {
      try {
        const info = await jsm.consumers.info(stream, consumer);
        return { stream, consumer, pending: info.num_pending, ackPending: info.num_ack_pending };
      } catch {
        return { stream, consumer, pending: Number.NaN, ackPending: Number.NaN };
      }
    }),
  ).finally(() => setImmediate(() => (current = undefined))));

/**
 * `flowstack_jetstream_consumer_pending_messages{stream,consumer}`: messages in the stream the
 * consumer has not been given yet (the lag; WORK's is the backlog of tasks waiting for a runner).
 * Read from the server at scrape time (one consumer-info request per consumer), NaN when the
 * server does not answer. Labels: this process's durable consumers only (a handful).
 */
new Gauge({
  name: 'flowstack_jetstream_consumer_pending_messages',
  help: 'Messages of the stream not yet delivered to this durable consumer (its lag), read from the server at scrape time',
  labelNames: ['stream', 'consumer'] as const,
  registers: [register],
  async collect() {
    this.reset();
    for (const s of await consumerStates()) this.set({ stream: s.stream, consumer: s.consumer }, s.pending);
  },
});

/** `flowstack_jetstream_consumer_ack_pending_messages{stream,consumer}`: delivered, not yet acknowledged (in flight). */
new Gauge({
  name: 'flowstack_jetstream_consumer_ack_pending_messages',
  help: 'Messages delivered to this durable consumer and not yet acknowledged (in flight), read from the server at scrape time',
  labelNames: ['stream', 'consumer'] as const,
  registers: [register],
  async collect() {
    this.reset();
    for (const s of await consumerStates()) this.set({ stream: s.stream, consumer: s.consumer }, s.ackPending);
  },
});

/** Adds a durable consumer to the lag gauges (`ensureDurableConsumer` does it). */
export function watchConsumerLag(jsm: JetStreamManager, stream: string, consumer: string): void {
  watched.set(`${stream}/${consumer}`, { jsm, stream, consumer });
}
