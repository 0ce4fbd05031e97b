import { AckPolicy, JetStreamApiError, type ConsumerConfig, type DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { registerReadinessCheck } from '@flowstack/contracts';
import { watchConsumerLag } from './consumer-lag.metrics';

export interface DurableConsumerSettings {
  stream: string;
  name: string;
  filterSubject: string;
  ackWaitMs: number;
  maxDeliver?: number;
  maxAckPending?: number;
  /** Where a new consumer starts (JetStream's default: the stream's first message). Never changed on update. */
  deliverPolicy?: DeliverPolicy;
  /** With `deliverPolicy` `by_start_sequence`: the first stream sequence a new consumer delivers. */
  optStartSeq?: number;
}

/**
 * Creates the durable pull consumer that all replicas of a service share (explicit acks), or brings
 * an existing one up to date when a new deployment changed its settings (its filter subject too:
 * NATS 2.9 updates it in place, the consumer's position kept). Idempotent. The consumer
 * joins the process's readiness checks (`consumer:<stream>/<name>`: it still exists on the server)
 * and the lag gauges (`flowstack_jetstream_consumer_*_messages`).
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, s: DurableConsumerSettings): Promise<void> {
  const config: Partial<ConsumerConfig> = {
    durable_name: s.name,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(s.ackWaitMs),
    max_ack_pending: s.maxAckPending ?? 10_000,
    filter_subject: s.filterSubject,
    ...(s.maxDeliver ? { max_deliver: s.maxDeliver } : {}),
  };
  try {
    await jsm.consumers.add(s.stream, {
      ...config,
      ...(s.deliverPolicy ? { deliver_policy: s.deliverPolicy } : {}),
      ...(s.optStartSeq !== undefined ? { opt_start_seq: s.optStartSeq } : {}),
    });
  } catch (e) {
    if (!(e instanceof JetStreamApiError)) throw e;
    // The existing consumer keeps its position and where it started (JetStream refuses to change those).
    await jsm.consumers.update(s.stream, s.name, config);
  }
  registerReadinessCheck(`consumer:${s.stream}/${s.name}`, () => jsm.consumers.info(s.stream, s.name));
  watchConsumerLag(jsm, s.stream, s.name);
}
