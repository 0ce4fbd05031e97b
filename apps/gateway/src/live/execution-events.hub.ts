import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { Header, streamName, subject, type Namespace } from '@flowstack/contracts';
import { JETSTREAM, NAMESPACE, decodeJson } from '@flowstack/messaging';
import type { LiveEvent } from './live-event';

type Listener = (event: LiveEvent) => void;

const STREAM_PREFIX = 'execution-';
const RESTART_DELAY_MS = 1_000;

/**
 * This gateway replica's window on execution events: an ordered JetStream consumer of its own on
 * EVENTS (no state to share, recreated on restart) fanned out to the sockets watching each
 * execution. Bodies are decoded only for executions someone is watching.
 */
@Injectable()
export class ExecutionEventsHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('live');
  private readonly listeners = new Map<string, Set<Listener>>();
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private restart?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(NAMESPACE) private readonly ns: Namespace,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consume();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restart);
    this.messages?.stop();
    await this.loop;
  }

  private async consume(): Promise<void> {
    const consumer = await this.js.consumers.get(streamName(this.ns, 'EVENTS'), {
      filter_subjects: subject(this.ns, 'events.*.execution.>'),
      deliver_policy: DeliverPolicy.New,
    });
    this.messages = await consumer.consume({ max_messages: 1_000 });
    this.loop = this.run(this.messages);
  }

  /**
   * A consumer that ended on its own (not at shutdown) is recreated after a pause. Events missed
   * meanwhile are not lost to sockets: the next live event past a hole makes each watch read the
   * hole from history.
   */
  private restartLater(): void {
    if (this.stopping) return;
    this.restart = setTimeout(() => {
      this.consume().catch((e: Error) => {
        this.logger.error(`live event consumer cannot restart: ${e.message}`);
        this.restartLater();
      });
    }, RESTART_DELAY_MS);
    this.restart.unref();
  }

  /** Calls `listener` with every live event of the execution; returns the unsubscribe function. */
  subscribe(executionId: string, listener: Listener): () => void {
    let set = this.listeners.get(executionId);
    if (!set) this.listeners.set(executionId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(executionId);
    };
  }

  /**
   * Fans events out until the consumer stops. Nothing escapes: a listener that throws is logged
   * and the others still get the event; if the consumer itself fails, the error is logged and the
   * consumer recreated, instead of an unhandled rejection.
   */
  private async run(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) this.dispatch(msg);
    } catch (e) {
      this.logger.error(`live event consumer stopped: ${(e as Error).message}`);
    }
    this.restartLater();
  }

  /** Hands one EVENTS message to the execution's listeners; never throws (it runs in the consumer loop). */
  dispatch(msg: Pick<JsMsg, 'headers' | 'data' | 'subject'>): void {
    const streamId = msg.headers?.get(Header.streamId) ?? '';
    const listeners = this.listeners.get(streamId.slice(STREAM_PREFIX.length));
    if (!listeners?.size) return;
    let event: LiveEvent;
    try {
      const stored = decodeJson<{ streamPosition: number; type: string; data: Record<string, unknown>; recordedAt: string }>(
        msg.data,
      );
      event = { seq: stored.streamPosition, type: stored.type, data: stored.data, recordedAt: stored.recordedAt };
    } catch (e) {
      this.logger.warn(`undecodable event on ${msg.subject}: ${(e as Error).message}`);
      return;
    }
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (e) {
        this.logger.error(`live listener failed on ${msg.subject}: ${(e as Error).message}`);
      }
    }
  }
}
