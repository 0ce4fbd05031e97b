import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
import {
  DeliverPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { drainAndDelete, ensureDurableConsumer, existingConsumers } from '@flowstack/messaging';

/** One durable pull consumer on EVENTS that the scheduler's replicas share. */
export interface DurableEventsSpec {
  stream: string;
  name: string;
  filterSubject: string;
  /** Messages handled at once by this replica. */
  concurrency: number;
  /** Handles one message; acks or naks it itself and never throws. */
  handle(msg: JsMsg): Promise<void>;
  /**
   * Consumers this one replaces (of an older subject layout). Where one still exists, this one
   * starts with every matching event in the stream (none matched before the layout changed) and
   * the old one is drained into `handle`, then deleted.
   */
  replaces?: readonly string[];
}

/**
 * Runs a durable consumer (explicit acks, deliver policy `new`: events published before it was
 * first created are not replayed, unless it replaces one, see `replaces`) in the background.
 * Setting it up is retried with a growing delay while NATS is slow or away, so a JetStream hiccup
 * at start-up never stops the service; the returned `stop` ends it and waits for the messages in
 * hand.
 */
export function runDurableEvents(
  js: JetStreamClient,
  jsm: JetStreamManager,
  spec: DurableEventsSpec,
  logger: Logger,
): () => Promise<void> {
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  const inFlight = new Set<Promise<void>>();
  let draining = false;
  const drains: Array<Promise<void>> = [];
  const drainLegacy = async (name: string): Promise<void> => {
    try {
      const opts = { handle: (msg: JsMsg) => spec.handle(msg), concurrency: spec.concurrency, stopped: () => stopped };
      if (await drainAndDelete(js, jsm, spec.stream, name, opts)) logger.log(`consumer ${name} drained and deleted`);
    } catch (e) {
      logger.warn(`consumer ${name} not drained (the next start tries again): ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const done = (async () => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const legacy = await existingConsumers(jsm, spec.stream, spec.replaces ?? []);
        // Already there (another replica made it first): its position is the one to keep.
        await ensureDurableConsumer(jsm, {
          stream: spec.stream,
          name: spec.name,
          filterSubject: spec.filterSubject,
          ackWaitMs: 60_000,
          maxAckPending: 1000,
          deliverPolicy: legacy.length > 0 ? DeliverPolicy.All : DeliverPolicy.New,
        });
        if (!draining) {
          draining = true;
          for (const name of legacy) drains.push(drainLegacy(name));
        }
        messages = await (await js.consumers.get(spec.stream, spec.name)).consume({ max_messages: spec.concurrency * 2 });
        if (stopped) messages.stop();
        for await (const msg of messages) {
          while (inFlight.size >= spec.concurrency) await Promise.race(inFlight);
          const work = spec.handle(msg).finally(() => inFlight.delete(work));
          inFlight.add(work);
        }
        return;
      } catch (e) {
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
        logger.warn(`consumer ${spec.name} not running, retrying in ${wait} ms: ${e instanceof Error ? e.message : String(e)}`);
        await sleep(wait);
      }
    }
  })();
  return async () => {
    stopped = true;
    messages?.stop();
    await done;
    await Promise.allSettled([...inFlight, ...drains]);
  };
}
