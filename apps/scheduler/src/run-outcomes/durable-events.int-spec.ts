import { Logger } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { eventSubject, executionEventSubjects, streamName, subject } from '@flowstack/contracts';
import { connectNats, encodeJson, ensureStreams } from '@flowstack/messaging';
import { cleanupNamespace, randomNamespace, TEST_NATS_URL, waitFor } from '@flowstack/testing';
import { runDurableEvents } from './durable-events';

jest.setTimeout(60_000);

/**
 * The upgrade from a consumer of the four-token execution subjects: it was still pulling while
 * upgraded orchestrators published under five tokens (so it skipped those events, and its ack
 * floor passed them with its next ack). The new consumer must still deliver them, and what the old
 * one held must be handled before it is deleted.
 */
describe('runDurableEvents replacing a consumer of the old subjects', () => {
  const ns = randomNamespace('durable-events');
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connectNats({ url: TEST_NATS_URL, name: 'durable-events-int-spec' });
    await ensureStreams(await jetstreamManager(nc), ns, ['EVENTS']);
  });

  afterAll(async () => {
    await nc?.close();
    await cleanupNamespace(ns);
  });

  it('delivers what the old consumer held and every new-layout event it skipped, then deletes it', async () => {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const stream = streamName(ns, 'EVENTS');
    await jsm.consumers.add(stream, {
      durable_name: 'old-completed',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      filter_subject: subject(ns, 'events.*.execution.ExecutionCompleted'),
    });
    const old = await js.consumers.get(stream, 'old-completed');
    // The old scheduler pulls; a new orchestrator's run end passes it by; an old one's is acked.
    const pulling = await old.fetch({ max_messages: 1, expires: 3_000 });
    await js.publish(eventSubject(ns, 'w1', 'execution', 'ExecutionCompleted'), encodeJson({ run: 'new-1' }));
    await js.publish(subject(ns, 'events.w1.execution.ExecutionCompleted'), encodeJson({ run: 'old-1' }));
    for await (const m of pulling) m.ack();
    // One more old-layout end that nobody pulled before the upgrade.
    await js.publish(subject(ns, 'events.w1.execution.ExecutionCompleted'), encodeJson({ run: 'old-2' }));
    await js.publish(eventSubject(ns, 'w1', 'execution', 'ExecutionCompleted', true), encodeJson({ run: 'new-2' }));
    // Another type never reaches this consumer.
    await js.publish(eventSubject(ns, 'w1', 'execution', 'NodeCompleted'), encodeJson({ run: 'node' }));

    const seen: string[] = [];
    const handle = (msg: JsMsg): Promise<void> => {
      seen.push(msg.json<{ run: string }>().run);
      msg.ack();
      return Promise.resolve();
    };
    const stop = runDurableEvents(
      js,
      jsm,
      {
        stream,
        name: 'new-completed',
        filterSubject: executionEventSubjects(ns, 'ExecutionCompleted'),
        concurrency: 4,
        handle,
        replaces: ['old-completed'],
      },
      new Logger('durable-events-spec'),
    );
    try {
      await waitFor(() => Promise.resolve(seen.length >= 3 ? true : undefined), 'the three unhandled run ends', 20_000, 50);
      const names = await waitFor(
        async () => {
          const all: string[] = [];
          for await (const c of jsm.consumers.list(stream)) all.push(c.name);
          return all.includes('old-completed') ? undefined : all;
        },
        'the old consumer deleted',
        20_000,
        100,
      );
      expect(names).toEqual(['new-completed']);
      expect([...seen].sort()).toEqual(['new-1', 'new-2', 'old-2']);
    } finally {
      await stop();
    }
  });
});
