import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { Header, streamName, subject, type Namespace } from '@flowstack/contracts';
import { JETSTREAM, NAMESPACE, decodeJson } from '@flowstack/messaging';
import type { LiveEvent } from './live-event';

type Listener = (event: LiveEvent) => void;

const STREAM_PREFIX = 'execution-';

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

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(NAMESPACE) private readonly ns: Namespace,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const consumer = await this.js.consumers.get(streamName(this.ns, 'EVENTS'), {
      filter_subjects: subject(this.ns, 'events.*.execution.>'),
      deliver_policy: DeliverPolicy.New,
    });
    this.messages = await consumer.consume({ max_messages: 1_000 });
    this.loop = this.run(this.messages);
  }

  async onApplicationShutdown(): Promise<void> {
    this.messages?.stop();
    await this.loop;
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
   * and the others still get the event; if the consumer itself fails, the error is logged (live
   * sockets then fall back to what their catch-up reads) instead of becoming an unhandled rejection.
   */
  private async run(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const msg of messages) this.dispatch(msg);
    } catch (e) {
      this.logger.error(`live event consumer stopped: ${(e as Error).message}`);
    }
  }

  private dispatch(msg: JsMsg): void {
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
