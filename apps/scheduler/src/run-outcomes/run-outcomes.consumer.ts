import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { Pool } from 'pg';
import {
  Rpc,
  executionEventSubjects,
  streamName,
  type ExecutionCompleted,
  type ExecutionFailed,
  type ExecutionStarted,
  type Namespace,
  type Page,
  type StoredEventView,
} from '@flowstack/contracts';
import { decodeStoredEvent } from '@flowstack/event-store';
import { JETSTREAM, JETSTREAM_MANAGER, NAMESPACE, RpcClient, systemContext } from '@flowstack/messaging';
import { PG_POOL } from '@flowstack/service-kit';
import { depthOfTrigger, type FinishedRun } from '../domain';
import { runDurableEvents } from './durable-events';
import { NotificationsService } from '../notifications/notifications.service';
import { TriggersService } from '../triggers/triggers.service';
import { WatchedWorkspaces } from './watched-workspaces';

/**
 * The durable consumers (shared by every replica) of the two ends of a run on EVENTS, and the ones
 * they replace (on the four-token execution subjects, before the `settles|none` token): those are
 * drained and deleted where they still exist.
 */
export const RUN_OUTCOME_CONSUMERS = [
  { name: 'scheduler-outcome-completed', type: 'ExecutionCompleted', replaces: ['scheduler-run-completed'] },
  { name: 'scheduler-outcome-failed', type: 'ExecutionFailed', replaces: ['scheduler-run-failed'] },
] as const;

/** A delivery that could not be handled (the orchestrator or Postgres away) comes back after this, growing. */
const retryDelayMs = (deliveries: number): number => Math.min(60_000, 1000 * 2 ** Math.max(0, deliveries - 1));

/**
 * Observes every run's end (`ExecutionCompleted`, `ExecutionFailed` on EVENTS, filters
 * `events.*.execution.<Type>.*`) through two durable pull consumers that all scheduler replicas
 * share (explicit acks, starting with the events published after their creation; one per type, as
 * NATS 2.9 allows one filter each: one consumer would still get one delivery per run), and hands
 * it to the event triggers and the notifications of the run's workflow. A message is acked only
 * once both have recorded what they did, and nak'ed with a growing delay otherwise; both are
 * idempotent per (trigger or notification, run), so a redelivery or a second replica seeing the
 * same event changes nothing. A run of a workspace with no trigger and no notification costs a
 * share of one indexed query (`WatchedWorkspaces`: one per turn of the event loop), no request.
 */
@Injectable()
export class RunOutcomesConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('run-outcomes');
  private readonly stops: Array<() => Promise<void>> = [];
  private readonly watched: WatchedWorkspaces;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(PG_POOL) pool: Pool,
    private readonly rpc: RpcClient,
    private readonly triggers: TriggersService,
    private readonly notifications: NotificationsService,
  ) {
    this.watched = new WatchedWorkspaces(pool);
  }

  onApplicationBootstrap(): void {
    const stream = streamName(this.ns, 'EVENTS');
    for (const c of RUN_OUTCOME_CONSUMERS) {
      this.stops.push(
        runDurableEvents(
          this.js,
          this.jsm,
          {
            stream,
            name: c.name,
            filterSubject: executionEventSubjects(this.ns, c.type),
            replaces: c.replaces,
            concurrency: 20,
            handle: (msg) => this.handle(msg),
          },
          this.logger,
        ),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.stops.map((stop) => stop()));
  }

  /** Handles one run's end; never throws (acks, or naks to be redelivered). */
  async handle(msg: JsMsg): Promise<void> {
    try {
      const event = decodeStoredEvent<(ExecutionCompleted | ExecutionFailed)['data']>(msg.data);
      const run = await this.finishedRun(event.workspaceId, event.streamId.replace(/^execution-/, ''), event.type, event.data);
      if (run) {
        const settled = await Promise.allSettled([this.triggers.react(run), this.notifications.react(run)]);
        const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      }
      msg.ack();
    } catch (e) {
      const wait = retryDelayMs(msg.info.deliveryCount);
      this.logger.warn(`run outcome ${msg.seq} not handled, again in ${wait} ms: ${e instanceof Error ? e.message : String(e)}`);
      msg.nak(wait);
    }
  }

  /** The run as triggers and notifications see it; undefined when nothing in its workspace watches runs. */
  private async finishedRun(
    workspaceId: string,
    executionId: string,
    type: string,
    data: (ExecutionCompleted | ExecutionFailed)['data'],
  ): Promise<FinishedRun | undefined> {
    if (!(await this.watched.has(workspaceId))) return undefined;
    const page = await this.rpc.request<Page<StoredEventView>>(
      Rpc.orchestrator.executionEvents,
      { executionId, limit: 1 },
      systemContext(workspaceId),
    );
    const first = page.items[0];
    if (first?.type !== 'ExecutionStarted') return undefined;
    const started = first.data as ExecutionStarted['data'];
    const failed = type === 'ExecutionFailed' ? (data as ExecutionFailed['data']) : undefined;
    const completed = type === 'ExecutionCompleted' ? (data as ExecutionCompleted['data']) : undefined;
    return {
      workspaceId,
      executionId,
      workflowId: started.workflowId,
      workflowVersion: started.workflowVersion,
      outcome: failed ? 'failed' : 'completed',
      input: started.input,
      output: completed?.output ?? null,
      error: failed
        ? {
            code: failed.error.code,
            message: failed.error.message,
            ...(failed.error.nodeId ? { nodeId: failed.error.nodeId } : {}),
          }
        : null,
      durationMs: data.durationMs,
      finishedAt: completed?.completedAt ?? failed?.failedAt ?? new Date().toISOString(),
      depth: depthOfTrigger(started.trigger),
    };
  }
}
