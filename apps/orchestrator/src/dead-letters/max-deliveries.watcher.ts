import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { streamName, type Namespace } from '@flowstack/contracts';
import { JETSTREAM_MANAGER, NAMESPACE, NATS_CONNECTION, decodeJson } from '@flowstack/messaging';
import { DeadLetterRecorder } from './dead-letter.recorder';
import { parkedMessage, type PoisonOrigin } from './poison-message';

/** The consumers whose exhausted messages the orchestrator parks, and what each one's loss means. */
export const WATCHED_CONSUMERS = [
  {
    source: 'results',
    stream: 'RESULTS',
    consumer: 'orchestrator',
    why: 'an orchestrator took it and never acked it (the process died or hung while handling it)',
  },
  {
    source: 'work',
    stream: 'WORK',
    consumer: 'tool-runner',
    why: 'a tool-runner took it and never acked it (the process died or hung while running it)',
  },
] as const;

/** The advisory JetStream publishes (core NATS) when a consumer gives up on a message. */
interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

/** Attempts to park one exhausted message before leaving it in its stream (logged). */
const PARK_ATTEMPTS = 5;

/**
 * Parks the messages JetStream gave up on: on `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES` of the
 * RESULTS and WORK consumers, it reads the message from its stream, records a dead letter, fails
 * its node attempt (`result_unprocessable` / `task_undeliverable`) and deletes the message. This
 * covers what no handler can: a process that dies on every delivery (the crash loop), and a task
 * whose runners all died. One replica handles each advisory (a queue group); parking is idempotent.
 *
 * Advisories are core NATS: one sent while no orchestrator runs is lost and its message stays in
 * the stream, unparked (the node then waits: a sweep over the streams is left for later).
 */
@Injectable()
export class MaxDeliveriesWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('dead-letters');
  private readonly subs: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    private readonly recorder: DeadLetterRecorder,
  ) {}

  /** Subscribes before the consumers start (providers bootstrap in order), so no advisory is missed. */
  onApplicationBootstrap(): void {
    for (const watched of WATCHED_CONSUMERS) {
      const stream = streamName(this.ns, watched.stream);
      const sub = this.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${watched.consumer}`, {
        queue: 'orchestrator-dead-letters',
        callback: (err, msg) => {
          if (err || this.stopping) return;
          let advisory: MaxDeliveriesAdvisory;
          try {
            advisory = decodeJson<MaxDeliveriesAdvisory>(msg.data);
          } catch {
            this.logger.error(`unreadable max-deliveries advisory on ${msg.subject}`);
            return;
          }
          const work = this.parkWithRetries(watched, advisory).finally(() => this.inFlight.delete(work));
          this.inFlight.add(work);
        },
      });
      this.subs.push(sub);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const sub of this.subs) sub.unsubscribe();
    await Promise.allSettled([...this.inFlight]);
  }

  private async parkWithRetries(watched: (typeof WATCHED_CONSUMERS)[number], advisory: MaxDeliveriesAdvisory): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.park(watched, advisory);
        return;
      } catch (e) {
        const what = `${advisory.stream} #${advisory.stream_seq}`;
        if (attempt >= PARK_ATTEMPTS || this.stopping) {
          this.logger.error(`could not park ${what}; it stays in its stream: ${(e as Error).message}`);
          return;
        }
        this.logger.warn(`parking ${what} failed (${(e as Error).message}); retrying`);
        await delay(1_000 * attempt);
      }
    }
  }

  private async park(watched: (typeof WATCHED_CONSUMERS)[number], advisory: MaxDeliveriesAdvisory): Promise<void> {
    const stored = await this.jsm.streams.getMessage(advisory.stream, { seq: advisory.stream_seq }).catch(notFoundAsNull);
    // Gone already: acked at the last moment, or parked by another path.
    if (!stored) return;
    const origin: PoisonOrigin = {
      source: watched.source,
      stream: advisory.stream,
      consumer: advisory.consumer,
      sequence: advisory.stream_seq,
      subject: stored.subject,
      deliveries: advisory.deliveries,
      error: `delivered ${advisory.deliveries} time(s), never acknowledged: ${watched.why}`,
    };
    const { letter, node } = parkedMessage(origin, stored.data);
    await this.recorder.park(letter, node);
    await this.jsm.streams.deleteMessage(advisory.stream, advisory.stream_seq).catch(notFoundAsNull);
  }
}

function notFoundAsNull(e: unknown): null {
  if (e instanceof JetStreamApiError && (e.status === 404 || /not found/i.test(e.message))) return null;
  throw e;
}
