import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
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

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      const streamId = msg.headers?.get(Header.streamId) ?? '';
      const listeners = this.listeners.get(streamId.slice(STREAM_PREFIX.length));
      if (!listeners?.size) continue;
      try {
        const stored = decodeJson<{ streamPosition: number; type: string; data: Record<string, unknown>; recordedAt: string }>(
          msg.data,
        );
        const event: LiveEvent = {
          seq: stored.streamPosition,
          type: stored.type,
          data: stored.data,
          recordedAt: stored.recordedAt,
        };
        for (const listener of listeners) listener(event);
      } catch (e) {
        this.logger.warn(`undecodable event on ${msg.subject}: ${(e as Error).message}`);
      }
    }
  }
}
