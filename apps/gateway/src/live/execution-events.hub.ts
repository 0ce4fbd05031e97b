import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { Header, streamName, subject, type Namespace } from '@flowstack/contracts';
import { JETSTREAM, NAMESPACE, decodeJson } from '@flowstack/messaging';
import type { LiveEvent } from './live-event';

type Listener = (event: LiveEvent) => void;

const STREAM_PREFIX = 'execution-';
const RESTART_DELAY_MS = 1_000;
/** How long the consumer outlives its last listener: sockets come and go in bursts. */
export const IDLE_STOP_MS = 30_000;

/**
 * This gateway replica's window on execution events: an ordered JetStream consumer of its own on
 * EVENTS (no state to share, recreated on restart) fanned out to the sockets watching each
 * execution. Bodies are decoded only for executions someone is watching.
 *
 * On demand: the consumer runs only while someone listens (and `IDLE_STOP_MS` after the last one
 * left). With nobody watching, every execution event was still delivered to every gateway (12 of
 * a W2 run's 42 NATS messages). A listener that must not miss an event stored after some point
 * (a socket about to read history, an invoke about to start its run) awaits `ready()` first.
 */
@Injectable()
export class ExecutionEventsHub implements OnApplicationShutdown {
  private readonly logger = new Logger('live');
  private readonly listeners = new Map<string, Set<Listener>>();
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  /** The consumer's start, in progress or done; undefined while there is none. */
  private up?: Promise<void>;
  private restart?: NodeJS.Timeout;
  private idle?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(NAMESPACE) private readonly ns: Namespace,
  ) {}

  /** How long the consumer outlives its last listener, ms (tests shorten it). */
  idleStopMs = IDLE_STOP_MS;
  /** The pause before a consumer that ended or failed to start is started again, ms (tests shorten it). */
  restartDelayMs = RESTART_DELAY_MS;

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restart);
    clearTimeout(this.idle);
    this.messages?.stop();
    await this.loop;
  }

  /** True while the consumer runs (for tests and metrics). */
  get consuming(): boolean {
    return this.messages !== undefined;
  }

  /**
   * Resolves once the consumer is up: every event stored from then on reaches the listeners.
   * Resolves (without it) when it cannot start: the next live event past a hole then makes each
   * watch read the hole from history, as after a restart.
   */
  ready(): Promise<void> {
    return this.up ?? Promise.resolve();
  }

  /** Calls `listener` with every live event of the execution; returns the unsubscribe function. */
  subscribe(executionId: string, listener: Listener): () => void {
    let set = this.listeners.get(executionId);
    if (!set) this.listeners.set(executionId, (set = new Set()));
    set.add(listener);
    this.wanted();
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(executionId) === set) this.listeners.delete(executionId);
      if (this.listeners.size === 0) this.idleLater();
    };
  }

  /** Someone listens: the consumer runs (started now if it is not). */
  private wanted(): void {
    clearTimeout(this.idle);
    this.idle = undefined;
    if (this.up || this.stopping) return;
    this.up = this.consume().catch((e: Error) => {
      this.logger.error(`live event consumer cannot start: ${e.message}`);
      this.up = undefined;
      this.restartLater();
    });
  }

  /** Nobody listens: the consumer stops after `idleStopMs` unless someone comes back. */
  private idleLater(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.idle = undefined;
      if (this.listeners.size > 0 || !this.messages) return;
      const messages = this.messages;
      this.messages = undefined;
      this.up = undefined;
      messages.stop();
    }, this.idleStopMs);
    this.idle.unref();
  }

  private async consume(): Promise<void> {
    const consumer = await this.js.consumers.get(streamName(this.ns, 'EVENTS'), {
      filter_subjects: subject(this.ns, 'events.*.execution.>'),
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await consumer.consume({ max_messages: 1_000 });
    this.messages = messages;
    this.loop = this.run(messages);
  }

  /**
   * A consumer that ended on its own (not at shutdown, not idle) is recreated after a pause, if
   * anyone still listens. Events missed meanwhile are not lost to sockets: the next live event
   * past a hole makes each watch read the hole from history.
   */
  private restartLater(): void {
    if (this.stopping) return;
    clearTimeout(this.restart);
    this.restart = setTimeout(() => {
      if (this.listeners.size > 0) this.wanted();
    }, this.restartDelayMs);
    this.restart.unref();
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
    // Stopped for being idle (or at shutdown): it is no longer the current one.
    if (this.messages !== messages) return;
    this.messages = undefined;
    this.up = undefined;
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
