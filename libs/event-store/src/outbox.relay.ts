import type { Pool, PoolClient } from 'pg';
import type { EventPublisher } from './event-publisher';
import type { StoredEvent } from './event.types';
import { GlobalLogReader } from './global-log.reader';
import type { PublishedLedger } from './published-ledger';

/** Where the relay reports failures it recovers from by retrying on the next tick. */
export interface RelayLogger {
  error(message: string): void;
}

/**
 * Where the relay parks an event it cannot publish, so one bad event never stops the checkpoint
 * for every tenant. The relay's owner implements it (e.g. a dead-letter table): this lib knows no
 * such table.
 */
export interface RelayParking {
  /**
   * Failed publishes of one event (on consecutive runs) before it is parked. Default 5. A failure
   * counts only when other events of its batch went out: a bus that is away parks nothing.
   */
  maxAttempts?: number;
  /**
   * Records `event` as given up on (log it, store it). Once it resolves the relay skips the event
   * and moves on; if it throws, the relay retries the event (and the parking) on its next run.
   */
  park(event: StoredEvent, reason: string, attempts: number): Promise<void>;
}

/** Publish errors no retry can fix: the event is too large for one bus message. */
export const isPermanentPublishError = (e: unknown): boolean =>
  (e as { code?: unknown })?.code === 'payload_too_large' || /max_payload|payload too large/i.test(errorText(e));

/**
 * Publish errors that say the stream cannot take messages right now, whatever the message: no
 * JetStream answers for it (a cluster electing the stream's leader after a node died answers
 * "jetstream is not enabled" or no responders; a slow one times out). Like an outage, they never
 * count towards parking an event: it goes out once the stream has a leader again.
 */
export const isStreamUnavailableError = (e: unknown): boolean => {
  const code = (e as { code?: unknown })?.code;
  return /jetstream is not enabled|no responders|\b503\b|timeout|timed out/i.test(
    `${errorText(e)} ${typeof code === 'string' || typeof code === 'number' ? code : ''}`,
  );
};

/** Single publishes failing in a row, with none succeeding, after which the relay calls it an outage. */
const OUTAGE_PROBES = 3;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Configuration of one relay; replicas configured with the same `name` elect one leader. */
export interface OutboxRelayOptions {
  pool: Pool;
  schema?: string;
  publisher: EventPublisher;
  /** Names the checkpoint and the leader lock: one name per relay purpose (e.g. `events-to-jetstream`). */
  name: string;
  /** Events per read and publish; the relay keeps reading while batches come back full. Default 500. */
  batchSize?: number;
  /** Time between polls while started. Default 1000 ms. */
  intervalMs?: number;
  logger?: RelayLogger;
  /**
   * The ledger this process's event store records acked fast-path publishes in: events found there
   * are not published again (they were, with everything sent alongside them).
   */
  ledger?: PublishedLedger;
  /**
   * Bounded retries: an event whose publish fails `maxAttempts` runs in a row while others go out
   * (or at once, when the error is permanent, e.g. too large) is handed to `park` and skipped. Without it, a failing
   * event is retried on every run, forever, and holds the checkpoint back.
   */
  parking?: RelayParking;
}

/**
 * The safety net behind the writers' fast-path publish: follows the global log from its saved
 * checkpoint and publishes every committed event, so an event a crash left unpublished still
 * reaches JetStream. Events the fast path of this process got acked are skipped (`ledger`); the
 * rest are published again, which is harmless: JetStream drops a repeated `Nats-Msg-Id` inside its
 * duplicate window (the relay normally trails by ~intervalMs).
 *
 * Delivery is at-least-once: the checkpoint is saved after the publish acks, so a crash in between
 * re-publishes one batch. Only one replica relays at a time (a session advisory lock); if two ever
 * did (a leader on a dead connection), the duplicates are dropped the same way.
 */
export class OutboxRelay {
  private readonly reader: GlobalLogReader;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly logger: RelayLogger;
  private readonly lockKey: string;
  private lockClient: PoolClient | undefined;
  private readonly onLockClientError = (e: Error): void => this.loseLock(e);
  private timer: NodeJS.Timeout | undefined;
  private tickInFlight: Promise<void> = Promise.resolve();
  private running = false;
  /** Failed publishes per event id, on consecutive runs; cleared when it is published or parked. */
  private readonly failures = new Map<string, number>();

  constructor(private readonly options: OutboxRelayOptions) {
    this.reader = new GlobalLogReader(options.pool, { schema: options.schema });
    this.batchSize = options.batchSize ?? 500;
    this.intervalMs = options.intervalMs ?? 1000;
    this.logger = options.logger ?? { error: (m) => console.error(m) };
    this.lockKey = `flowstack-relay:${options.name}`;
  }

  /** True while this replica holds the relay's leader lock. */
  get isLeader(): boolean {
    return this.lockClient !== undefined;
  }

  /**
   * Publishes everything after the checkpoint that the ledger does not know as published, batch by
   * batch, and returns how many events it published (0 when caught up or all were known). Throws
   * on a read, publish or save failure; the checkpoint then stays where it was and the next run
   * retries the batch. With `parking`, an event that keeps failing is parked and skipped instead
   * (see `OutboxRelayOptions.parking`). Safe to run concurrently with itself.
   */
  async runOnce(): Promise<number> {
    let checkpoint = await this.reader.loadCheckpoint(this.options.name);
    let total = 0;
    for (;;) {
      const batch = await this.reader.readBatch(checkpoint, this.batchSize);
      if (batch.events.length === 0) return total;
      const { ledger } = this.options;
      // A failed publish below forgets what was taken here: the retry then publishes those again.
      const unpublished = ledger ? batch.events.filter((e) => !ledger.take(e.eventId)) : batch.events;
      if (unpublished.length > 0) await this.publishOrPark(unpublished);
      await this.reader.saveCheckpoint(this.options.name, batch.checkpoint);
      checkpoint = batch.checkpoint;
      total += unpublished.length;
      if (batch.events.length < this.batchSize) return total;
    }
  }

  /**
   * Publishes a batch; when it fails and parking is configured, publishes its events one by one to
   * find the ones that fail. One that can never go out (too large) is parked at once. Another
   * failure counts against its event only when the bus demonstrably works (some other event of the
   * batch went out): otherwise it is an outage, nothing is counted, and the run fails as before.
   * An event past its attempts is parked; while any is not, the run throws and the checkpoint stays
   * before the batch (the events already sent go again next run and JetStream drops them).
   */
  private async publishOrPark(events: StoredEvent[]): Promise<void> {
    const { publisher, parking } = this.options;
    try {
      await publisher.publish(events);
      if (this.failures.size > 0) for (const e of events) this.failures.delete(e.eventId);
      return;
    } catch (e) {
      if (!parking) throw e;
    }
    const failed: Array<{ event: StoredEvent; error: unknown }> = [];
    let anyPublished = false;
    for (const event of events) {
      try {
        await publisher.publish([event]);
        anyPublished = true;
        this.failures.delete(event.eventId);
      } catch (e) {
        if (isPermanentPublishError(e)) await this.park(parking, event, e, (this.failures.get(event.eventId) ?? 0) + 1);
        else failed.push({ event, error: e });
        // Failures in a row with nothing gone out look like an outage: stop probing one by one.
        if (!anyPublished && failed.length >= OUTAGE_PROBES) break;
      }
    }
    if (failed.length === 0) return;
    if (!anyPublished) throw failed[0].error;
    const maxAttempts = parking.maxAttempts ?? 5;
    let retry: Error | undefined;
    for (const { event, error } of failed) {
      if (isStreamUnavailableError(error)) {
        retry ??= new Error(`event ${event.eventId} not published, its stream unavailable: ${errorText(error)}`);
        continue;
      }
      const attempts = (this.failures.get(event.eventId) ?? 0) + 1;
      if (attempts >= maxAttempts) {
        await this.park(parking, event, error, attempts);
        continue;
      }
      this.failures.set(event.eventId, attempts);
      retry ??= new Error(
        `event ${event.eventId} (global position ${event.globalPosition}) not published, attempt ${attempts} of ${maxAttempts}: ${errorText(error)}`,
      );
    }
    if (retry) throw retry;
  }

  private async park(parking: RelayParking, event: StoredEvent, error: unknown, attempts: number): Promise<void> {
    const reason = errorText(error);
    await parking.park(event, reason, attempts);
    this.failures.delete(event.eventId);
    this.logger.error(
      `outbox relay ${this.options.name}: parked event ${event.eventId} (${event.type} on ${event.streamId}, global position ${event.globalPosition}) after ${attempts} attempt(s): ${reason}`,
    );
  }

  /**
   * Polls every `intervalMs` (one timer, the next poll scheduled after the current one ends) and
   * relays while this replica is the leader; a follower tries to take the lock on every tick, so it
   * takes over within one interval after the leader stops or its session dies. Never throws.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling, waits for a poll in progress, and gives up leadership. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.tickInFlight;
    await this.releaseLock();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      // `tick` catches its own failures; the extra catch keeps a throwing logger from turning
      // the timer chain into an unhandled rejection (and from stopping the polls).
      this.tickInFlight = this.tick()
        .catch(() => undefined)
        .finally(() => {
          if (this.running) this.schedule(this.intervalMs);
        });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      if (await this.acquireLock()) await this.runOnce();
    } catch (e) {
      this.logger.error(`outbox relay ${this.options.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async acquireLock(): Promise<boolean> {
    if (this.lockClient) {
      // A silently dead session has lost the lock to another replica: notice it before relaying.
      const alive = await this.lockClient.query('SELECT 1').then(
        () => true,
        (e: unknown) => (this.loseLock(e instanceof Error ? e : new Error(String(e))), false),
      );
      if (alive) return true;
    }
    // A dedicated session: a session-level advisory lock lives exactly as long as its connection,
    // so a leader that dies (or loses its connection) hands over without any lease bookkeeping.
    const client = await this.options.pool.connect();
    const { rows } = await client
      .query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.lockKey])
      .catch((e: unknown) => {
        client.release(true);
        throw e;
      });
    if (!rows[0]?.locked) {
      client.release();
      return false;
    }
    // Without a listener, the connection dying would crash the process ('error' on a checked-out client).
    client.on('error', this.onLockClientError);
    this.lockClient = client;
    return true;
  }

  private loseLock(e: Error): void {
    const client = this.lockClient;
    if (!client) return;
    this.lockClient = undefined;
    client.off('error', this.onLockClientError);
    client.release(e);
    this.logger.error(`outbox relay ${this.options.name}: lost its leader session: ${e.message}`);
  }

  private async releaseLock(): Promise<void> {
    const client = this.lockClient;
    if (!client) return;
    this.lockClient = undefined;
    client.off('error', this.onLockClientError);
    try {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockKey]);
      client.release();
    } catch (e) {
      // Destroying the connection releases the lock too.
      client.release(e instanceof Error ? e : true);
    }
  }
}
