import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomNamespace } from '@flowstack/testing';
import { ensureDurableConsumer } from '@flowstack/messaging';
import type { BenchContext } from '../context';
import { epochMs, withDeadline } from '../harness/clock';
import { percentile } from '../stats';

const F = 'Floor';

/**
 * The NATS floor: on a stream of its own (file storage, like the platform's), the latency of a
 * JetStream publish until its ack, one at a time; and from publish to receipt by a durable pull
 * consumer with explicit acks (how tasks and results travel), one message in flight at a time.
 */
export async function natsFloor(ctx: BenchContext, nc: NatsConnection): Promise<void> {
  const ns = randomNamespace('benchfloor');
  const stream = `${ns.prefix}_FLOOR`;
  const subject = `${ns.prefix}.floor`;
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [`${subject}.>`] });
  ctx.cleanup.add('NATS floor stream', () => jsm.streams.delete(stream));
  const js = jetstream(nc);
  await ensureDurableConsumer(jsm, { stream, name: 'floor', filterSubject: `${subject}.consume`, ackWaitMs: 30_000 });
  const messages = await (await js.consumers.get(stream, 'floor')).consume({ max_messages: 100 });
  const n = ctx.sizes.floor.natsMessages;
  const payload = new TextEncoder().encode(
    JSON.stringify({ taskId: 'x'.repeat(36), node: { id: 'call', type: 'tool' }, scope: { input: { n: 1 } } }),
  );

  let arrived: (() => void) | undefined;
  const loop = (async () => {
    for await (const m of messages) {
      m.ack();
      arrived?.();
    }
  })();
  try {
    const ackP50: number[] = [];
    const ackP99: number[] = [];
    const consumeP50: number[] = [];
    const consumeP99: number[] = [];
    for (let run = 0; run < ctx.sizes.reps; run++) {
      const acks: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = epochMs();
        await js.publish(`${subject}.ack`, payload);
        acks.push(epochMs() - t0);
      }
      const consumed: number[] = [];
      for (let i = 0; i < n; i++) {
        const received = new Promise<void>((resolve) => (arrived = resolve));
        const t0 = epochMs();
        void js.publish(`${subject}.consume`, payload);
        await withDeadline(received, 10_000, 'a floor message');
        consumed.push(epochMs() - t0);
      }
      ackP50.push(percentile(acks, 50));
      ackP99.push(percentile(acks, 99));
      consumeP50.push(percentile(consumed, 50));
      consumeP99.push(percentile(consumed, 99));
      ctx.log(
        `  run ${run + 1}: publish ack p50 ${ackP50[run].toFixed(3)} ms, publish -> consume p50 ${consumeP50[run].toFixed(3)} ms`,
      );
    }
    ctx.rec.add(F, 'floor.natsPublishAck.p50', 'JetStream publish -> ack p50', 'ms', ackP50, `${n} publishes, one at a time`);
    ctx.rec.add(F, 'floor.natsPublishAck.p99', 'JetStream publish -> ack p99', 'ms', ackP99);
    ctx.rec.add(F, 'floor.natsPublishToConsume.p50', 'JetStream publish -> pull consumer p50', 'ms', consumeP50);
    ctx.rec.add(F, 'floor.natsPublishToConsume.p99', 'JetStream publish -> pull consumer p99', 'ms', consumeP99);
  } finally {
    messages.stop();
    await loop;
  }
}
