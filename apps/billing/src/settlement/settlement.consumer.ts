import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  DeliverPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { Pool } from 'pg';
import { settlingEventsSubject, streamName, type Namespace } from '@flowstack/contracts';
import { DEFAULT_SCHEMA, decodeStoredEvent, type StoredEvent } from '@flowstack/event-store';
import {
  JETSTREAM,
  JETSTREAM_MANAGER,
  NAMESPACE,
  drainAndDelete,
  ensureDurableConsumer,
  existingConsumers,
  systemContext,
} from '@flowstack/messaging';
import { PG_POOL } from '@flowstack/service-kit';
import { CLOCK, type Clock } from '../clock';
import { LedgerHandler } from '../ledger/ledger.handler';
import {
  SETTLING_EVENT_TYPES,
  openHoldOfNodeEnd,
  openHoldsOf,
  settleExecutionEnd,
  settleNodeEnd,
  type ExecutionFact,
  type Settlement,
} from './settlement.plan';

/** The durable consumer (shared by every billing replica) of every event that may settle holds. */
export const SETTLEMENT_CONSUMER = 'billing-settle';
/**
 * The consumers of before the `settles` subject token, one per settling type (NATS 2.9 has one
 * filter per consumer). Where they still exist, billing delivers what they hold and deletes them.
 */
export const LEGACY_SETTLEMENT_CONSUMERS = SETTLING_EVENT_TYPES.map((type) => `billing-settle-${type}`);

/** Messages one replica handles at once. */
const CONCURRENCY = 128;
/**
 * How long after an event's commit billing leaves its holds to the orchestrator's settle (the fast
 * path, usually done within milliseconds): a first delivery that finds a hold still open inside
 * this window comes back once it passed, so the two paths rarely race on the ledger.
 */
export const SETTLE_GRACE_MS = 2_000;
/** A delivery that could not be settled (Postgres away) comes back after this, growing. */
const retryDelayMs = (deliveries: number): number => Math.min(30_000, 500 * 2 ** Math.max(0, deliveries - 1));

/**
 * Crash-proof settlement: billing consumes the execution events that may settle holds from EVENTS
 * itself (`NodeCompleted`, `NodeFailed` of a costed node and `ExecutionCompleted|Failed|Cancelled`
 * of a run with costed nodes: the orchestrator publishes exactly these under
 * `events.<ws>.execution.<Type>.settles`; one durable pull consumer on `events.*.execution.*.settles`,
 * shared by the replicas, explicit acks, starting with the events published after its creation)
 * and charges or releases what they settle (`settlement.plan.ts`). The events of free runs (most
 * runs) never reach billing. A message is acked once its ledger commands are appended; on any
 * failure it is nak'ed and comes back. The orchestrator also settles right after its append (the
 * low-latency path); both decide the same commands and the ledger makes repeats no-ops, so an
 * orchestrator killed between its append and its settle, or billing away at that moment, leaves a
 * hold that is settled here once its event is delivered, exactly once.
 */
@Injectable()
export class SettlementConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('settlement');
  private stopped = false;
  /** The feed pulling from each consumer, by consumer name. */
  private readonly feeds = new Map<string, ConsumerMessages>();
  private readonly loops: Array<Promise<void>> = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly ledger: LedgerHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stream = streamName(this.ns, 'EVENTS');
    let draining = false;
    const ensure = async (): Promise<void> => {
      const legacy = await existingConsumers(this.jsm, stream, LEGACY_SETTLEMENT_CONSUMERS);
      await ensureDurableConsumer(this.jsm, {
        stream,
        name: SETTLEMENT_CONSUMER,
        filterSubject: settlingEventsSubject(this.ns),
        ackWaitMs: 60_000,
        maxAckPending: 5_000,
        // Upgraded from the per-type consumers: every `.settles` event in the stream, i.e. all
        // since the first upgraded orchestrator (none was published before; a repeat is a no-op).
        // A fresh install: the events from now on. An existing consumer keeps its position.
        deliverPolicy: legacy.length > 0 ? DeliverPolicy.All : DeliverPolicy.New,
      });
      if (draining) return;
      draining = true;
      for (const name of legacy) this.loops.push(this.drainLegacy(stream, name));
    };
    // Created before the service says it is ready, so no event published after start-up is missed.
    let ready = false;
    try {
      await ensure();
      ready = true;
    } catch (e) {
      this.logger.warn(`consumer ${SETTLEMENT_CONSUMER} not created yet: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.loops.push(this.run(stream, SETTLEMENT_CONSUMER, ready, ensure));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const feed of this.feeds.values()) feed.stop();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Pulls from the consumer until stopped; a lost consumer or connection is set up again, with a growing delay. */
  private async run(stream: string, name: string, ready: boolean, ensure: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        if (attempt > 0 || !ready) await ensure();
        await this.pull(stream, name);
        return;
      } catch (e) {
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
        this.logger.warn(`consumer ${name} not running, retrying in ${wait} ms: ${e instanceof Error ? e.message : String(e)}`);
        await sleep(wait);
      }
    }
  }

  /** Handles what `name` delivers, up to `CONCURRENCY` at once, until its feed stops. */
  private async pull(stream: string, name: string): Promise<void> {
    const feed = await (await this.js.consumers.get(stream, name)).consume({ max_messages: CONCURRENCY * 2 });
    this.feeds.set(name, feed);
    if (this.stopped) feed.stop();
    for await (const msg of feed) {
      while (this.inFlight.size >= CONCURRENCY) await Promise.race(this.inFlight);
      const work = this.handle(msg).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    }
  }

  /**
   * Settles what a legacy consumer still holds (events published before the orchestrator marked
   * them), then deletes it once nothing is pending or unacked (`drainAndDelete`; another replica
   * doing the same is harmless: settling is idempotent). A failure leaves it to the next start.
   */
  private async drainLegacy(stream: string, name: string): Promise<void> {
    try {
      const gone = await drainAndDelete(this.js, this.jsm, stream, name, {
        handle: (msg) => this.handle(msg),
        concurrency: CONCURRENCY,
        stopped: () => this.stopped,
      });
      if (gone) this.logger.log(`legacy consumer ${name} drained and deleted`);
    } catch (e) {
      this.logger.warn(`legacy consumer ${name} not drained: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Settles one delivered event; never throws (acks, or naks to be redelivered). */
  async handle(msg: JsMsg): Promise<void> {
    try {
      const event = decodeStoredEvent<Record<string, unknown>>(msg.data);
      const age = this.clock.now().getTime() - event.recordedAt.getTime();
      const grace = msg.info.deliveryCount === 1 ? SETTLE_GRACE_MS - age : 0;
      const outcome = await this.settle(event, grace > 0);
      if (outcome === 'deferred') msg.nak(grace);
      else msg.ack();
    } catch (e) {
      const wait = retryDelayMs(msg.info.deliveryCount);
      this.logger.warn(`settling event ${msg.seq} failed, again in ${wait} ms: ${e instanceof Error ? e.message : String(e)}`);
      msg.nak(wait);
    }
  }

  /**
   * Charges and releases what `event` settles in its workspace's ledger; the commands run, or
   * `deferred` (with `defer`) when there is something to settle that the orchestrator may still do.
   */
  async settle(event: StoredEvent<Record<string, unknown>>, defer = false): Promise<Settlement[] | 'deferred'> {
    // Only these settle (anything else under the `settles` token is a writer's mistake, not a run's end).
    if (!event.streamId.startsWith('execution-') || !isSettlingType(event.type)) return [];
    const executionId = event.streamId.slice('execution-'.length);
    const { state } = await this.ledger.load(event.workspaceId);
    const fact: ExecutionFact = {
      eventId: event.eventId,
      streamPosition: event.streamPosition,
      type: event.type,
      data: event.data,
    };
    const nodeEnd = event.type === 'NodeCompleted' || event.type === 'NodeFailed';
    const open = nodeEnd ? openHoldOfNodeEnd(state, executionId, fact) : openHoldsOf(state, executionId);
    // Most events: an uncosted node, or a hold the orchestrator settled already. No read at all.
    if (open.size === 0) return [];
    const nodePlan = nodeEnd ? settleNodeEnd(fact, open) : undefined;
    if (nodePlan?.length === 0) return [];
    if (defer) return 'deferred';
    const plan = nodePlan ?? settleExecutionEnd(fact, await this.holdsRecorded(event), open);
    const ctx = systemContext(
      event.workspaceId,
      typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : undefined,
    );
    const now = this.clock.now().toISOString();
    await Promise.all(
      plan.map((s) =>
        s.type === 'ChargeHold'
          ? this.ledger.handle(
              event.workspaceId,
              { type: 'ChargeHold', data: { ...withoutType(s), now } },
              ctx,
              s.causationEventId,
            )
          : this.ledger.handle(event.workspaceId, { type: 'ReleaseHold', data: { ...withoutType(s), now } }, ctx, event.eventId),
      ),
    );
    if (plan.length > 0) this.logger.log(`settled ${plan.length} hold(s) of execution ${executionId} from ${event.type}`);
    return plan;
  }

  /** The stream's `NodeCostHeld` and `NodeCompleted` before `end`, with only the fields settling reads. */
  private async holdsRecorded(end: StoredEvent): Promise<ExecutionFact[]> {
    const { rows } = await this.pool.query<{
      event_id: string;
      stream_position: number;
      type: string;
      data: Record<string, unknown>;
    }>(
      `SELECT event_id::text AS event_id, stream_position, type,
              jsonb_build_object('holdId', data->'holdId', 'taskId', data->'taskId', 'cost', data->'cost') AS data
       FROM ${DEFAULT_SCHEMA}.events
       WHERE stream_id = $1 AND workspace_id = $2 AND stream_position < $3 AND type IN ('NodeCostHeld', 'NodeCompleted')
       ORDER BY stream_position`,
      [end.streamId, end.workspaceId, end.streamPosition],
    );
    return rows.map((r) => ({ eventId: r.event_id, streamPosition: Number(r.stream_position), type: r.type, data: r.data }));
  }
}

const isSettlingType = (type: string): boolean => (SETTLING_EVENT_TYPES as readonly string[]).includes(type);

function withoutType<T extends { type: string }>(s: T): Omit<T, 'type'> {
  const { type: _type, ...rest } = s;
  return rest;
}
