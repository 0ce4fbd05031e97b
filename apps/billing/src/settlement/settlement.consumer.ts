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
import { streamName, subject, type Namespace } from '@flowstack/contracts';
import { DEFAULT_SCHEMA, decodeStoredEvent, type StoredEvent } from '@flowstack/event-store';
import { JETSTREAM, JETSTREAM_MANAGER, NAMESPACE, ensureDurableConsumer, systemContext } from '@flowstack/messaging';
import { PG_POOL } from '@flowstack/service-kit';
import { CLOCK, type Clock } from '../clock';
import { LedgerHandler } from '../ledger/ledger.handler';
import {
  SETTLING_EVENT_TYPES,
  openHoldsOf,
  settleExecutionEnd,
  settleNodeEnd,
  type ExecutionFact,
  type Settlement,
  type SettlingEventType,
} from './settlement.plan';

/** The durable consumer (shared by every billing replica) of one settling event type. */
export const settlementConsumerName = (type: SettlingEventType): string => `billing-settle-${type}`;

/** Messages one replica handles at once per consumer. */
const CONCURRENCY = 32;
/**
 * How long after an event's commit billing leaves its holds to the orchestrator's settle (the fast
 * path, usually done within milliseconds): a first delivery that finds a hold still open inside
 * this window comes back once it passed, so the two paths rarely race on the ledger.
 */
export const SETTLE_GRACE_MS = 2_000;
/** A delivery that could not be settled (Postgres away) comes back after this, growing. */
const retryDelayMs = (deliveries: number): number => Math.min(30_000, 500 * 2 ** Math.max(0, deliveries - 1));

/**
 * Crash-proof settlement: billing consumes the execution events that settle holds from EVENTS
 * itself (`NodeCompleted`, `NodeFailed`, `ExecutionCompleted|Failed|Cancelled`; one durable pull
 * consumer per type, filter `events.*.execution.<Type>`, shared by the replicas, explicit acks,
 * starting with the events published after its creation) and charges or releases what they
 * settle (`settlement.plan.ts`). A message is acked once its ledger commands are appended; on
 * any failure it is nak'ed and comes back. The orchestrator also settles right after its append
 * (the low-latency path); both decide the same commands and the ledger makes repeats no-ops, so
 * an orchestrator killed between its append and its settle, or billing away at that moment,
 * leaves a hold that is settled here once its event is delivered, exactly once.
 */
@Injectable()
export class SettlementConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('settlement');
  private stopped = false;
  private readonly feeds: ConsumerMessages[] = [];
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
    for (const type of SETTLING_EVENT_TYPES) {
      const name = settlementConsumerName(type);
      const settings = {
        stream,
        name,
        filterSubject: subject(this.ns, `events.*.execution.${type}`),
        ackWaitMs: 60_000,
        maxAckPending: 1000,
        deliverPolicy: DeliverPolicy.New,
      };
      // Created before the service says it is ready, so no event published after start-up is missed.
      let ready = false;
      try {
        await ensureDurableConsumer(this.jsm, settings);
        ready = true;
      } catch (e) {
        this.logger.warn(`consumer ${name} not created yet: ${e instanceof Error ? e.message : String(e)}`);
      }
      this.loops.push(this.run(stream, name, ready, () => ensureDurableConsumer(this.jsm, settings)));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const feed of this.feeds) feed.stop();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Pulls from one consumer until stopped; a lost consumer or connection is set up again, with a growing delay. */
  private async run(stream: string, name: string, ready: boolean, ensure: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        if (attempt > 0 || !ready) await ensure();
        const feed = await (await this.js.consumers.get(stream, name)).consume({ max_messages: CONCURRENCY * 2 });
        this.feeds.push(feed);
        if (this.stopped) feed.stop();
        for await (const msg of feed) {
          while (this.inFlight.size >= CONCURRENCY * SETTLING_EVENT_TYPES.length) await Promise.race(this.inFlight);
          const work = this.handle(msg).finally(() => this.inFlight.delete(work));
          this.inFlight.add(work);
        }
        return;
      } catch (e) {
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
        this.logger.warn(`consumer ${name} not running, retrying in ${wait} ms: ${e instanceof Error ? e.message : String(e)}`);
        await sleep(wait);
      }
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
    if (!event.streamId.startsWith('execution-')) return [];
    const executionId = event.streamId.slice('execution-'.length);
    const { state } = await this.ledger.load(event.workspaceId);
    const open = openHoldsOf(state, executionId);
    // Most events: an uncosted node, or a hold the orchestrator settled already. One indexed read.
    if (open.size === 0) return [];
    const fact: ExecutionFact = {
      eventId: event.eventId,
      streamPosition: event.streamPosition,
      type: event.type,
      data: event.data,
    };
    const nodeEnd = event.type === 'NodeCompleted' || event.type === 'NodeFailed';
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

function withoutType<T extends { type: string }>(s: T): Omit<T, 'type'> {
  const { type: _type, ...rest } = s;
  return rest;
}
