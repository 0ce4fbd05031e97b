import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { runWithLogContext, streamName, subject, type Namespace, type NodeResult } from '@flowstack/contracts';
import { JETSTREAM, JETSTREAM_MANAGER, NAMESPACE, decodeJson, ensureDurableConsumer, systemContext } from '@flowstack/messaging';
import { ExecutionRuleViolation, type ExecutionCommand } from '../domain';
import { ExecutionHandler } from '../executions/execution.handler';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';
import { DeadLetterRecorder } from '../dead-letters/dead-letter.recorder';
import { parkedMessage } from '../dead-letters/poison-message';
import { isDatabaseOutage } from './database-outage';
import { BillingUnavailable } from '../billing/billing-unavailable.error';

/** The database or billing cannot be reached: the result is not to blame and is held, not parked. */
const isOutage = (e: unknown): boolean => isDatabaseOutage(e) || e instanceof BillingUnavailable;

export const RESULTS_CONSUMER = 'orchestrator';

/** Postgres's "unsupported Unicode escape sequence": jsonb cannot hold `\u0000`. */
const PG_UNTRANSLATABLE_CHARACTER = '22P05';

/** The delay before the next delivery of a result that failed `deliveries` times: base x4 each time, at most 30 s. */
export const resultRetryDelayMs = (baseMs: number, deliveries: number): number =>
  Math.min(30_000, baseMs * 4 ** Math.max(0, deliveries - 1));

/**
 * Consumes node results from RESULTS (one durable consumer shared by all replicas) and records them
 * as `NodeCompleted`/`NodeFailed` through the execution handler, acking once the append commits
 * (the ack leaves with the events' publish).
 * Idempotent: a redelivered or duplicated result decides nothing (`[]`) and is simply acked.
 *
 * Bounded redelivery: a result whose recording throws is nak'ed with a growing delay
 * (`resultRetryDelayMs`) up to `resultsMaxDeliver` deliveries; on the last one it is parked (a dead
 * letter, its node failed with `result_unprocessable`) and acked, so the rest of RESULTS flows on.
 * A result that can never apply (not JSON, a foreign task) is parked at once. A database outage
 * is not the result's fault: the result is held and retried in place, spending no delivery. A
 * process that dies on every delivery is covered by the consumer's `max_deliver` and the
 * `MaxDeliveriesWatcher`.
 */
@Injectable()
export class ResultsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('results');
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  /** Ends the waits of results held through a database outage, at shutdown. */
  private readonly stopping = new AbortController();

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    private readonly executions: ExecutionHandler,
    private readonly recorder: DeadLetterRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stream = streamName(this.ns, 'RESULTS');
    await ensureDurableConsumer(this.jsm, {
      stream,
      name: RESULTS_CONSUMER,
      filterSubject: subject(this.ns, 'results.>'),
      ackWaitMs: this.config.resultsAckWaitMs,
      maxDeliver: this.config.resultsMaxDeliver,
    });
    const consumer = await this.js.consumers.get(stream, RESULTS_CONSUMER);
    this.messages = await consumer.consume({ max_messages: this.config.resultConcurrency });
    this.loop = this.run(this.messages);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    this.messages?.stop();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      while (this.inFlight.size >= this.config.resultConcurrency) await Promise.race(this.inFlight);
      const work = this.handle(msg).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
      // One result per turn of the event loop. A pulled batch would otherwise run every result's
      // deciding (fold, inline nodes, encoding) back to back in one microtask drain, while appends
      // that already committed wait for it before their events are published: the I/O that is
      // ready (those commits, their acks) goes first, new work after.
      await nextTurn();
    }
  }

  /** Handles one result message; exported for the redelivery test. Never throws. */
  async handle(msg: JsMsg): Promise<void> {
    let result: NodeResult;
    try {
      result = decodeJson<NodeResult>(msg.data);
    } catch {
      await this.park(msg, 'the result is not valid JSON');
      return;
    }
    // Log lines carry the execution's ids (its trace id is its id without dashes).
    const { workspaceId, executionId } = result;
    const ids = { workspaceId, executionId, traceId: String(executionId ?? '').replace(/-/g, '') };
    return runWithLogContext(ids, () => this.settle(msg, result));
  }

  private async settle(msg: JsMsg, result: NodeResult): Promise<void> {
    // Acked as soon as the result's events are committed, so the ack leaves in the same socket
    // write as their publish (one write and one server wakeup fewer per step). What follows the
    // commit needs no redelivery: a redelivered result decides nothing, and the events and tasks
    // a failed publish leaves unsent go out with the outbox relay either way.
    let acked = false;
    const ack = (): void => {
      if (acked) return;
      acked = true;
      msg.ack();
    };
    try {
      await this.recordThroughOutages(msg, result, ack);
      ack();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      if (acked) {
        this.logger.warn(`result ${result.taskId} recorded; what follows its commit failed: ${reason}`);
        return;
      }
      if (e instanceof ExecutionRuleViolation) {
        // A result that can never apply (unknown node, foreign task id): retrying cannot help.
        await this.park(msg, `the result cannot apply: ${reason}`);
        return;
      }
      const deliveries = msg.info.deliveryCount;
      if (isOutage(e)) {
        // Only at shutdown: the result is not to blame, so it is never parked for it.
        msg.nak(resultRetryDelayMs(this.config.resultsRetryBackoffMs, deliveries));
        return;
      }
      if (deliveries >= this.config.resultsMaxDeliver) {
        await this.park(msg, reason);
        return;
      }
      const wait = resultRetryDelayMs(this.config.resultsRetryBackoffMs, deliveries);
      this.logger.error(
        `result ${result.taskId} not recorded (delivery ${deliveries} of ${this.config.resultsMaxDeliver}), retrying in ${wait} ms: ${reason}`,
      );
      msg.nak(wait);
    }
  }

  /**
   * Records the result; while the database is unreachable (which says nothing about this result)
   * it holds the message, heartbeating, and tries again, so an outage spends none of its bounded
   * deliveries. At shutdown it gives up and the message is redelivered after the ack wait.
   */
  private async recordThroughOutages(msg: JsMsg, result: NodeResult, onCommitted: () => void): Promise<void> {
    const maxWait = Math.max(100, Math.min(10_000, Math.floor(this.config.resultsAckWaitMs / 3)));
    let committed = false;
    const commit = (): void => {
      committed = true;
      onCommitted();
    };
    for (let outage = 0; ; outage++) {
      try {
        await this.record(result, commit);
        return;
      } catch (e) {
        if (committed || !isOutage(e) || this.stopping.signal.aborted) throw e;
        const wait = Math.min(maxWait, 250 * 2 ** Math.min(outage, 6));
        if (outage === 0) this.logger.warn(`result ${result.taskId} waits for the database or billing: ${(e as Error).message}`);
        msg.working();
        await delay(wait, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        msg.working();
      }
    }
  }

  /** Parks a result as a dead letter (failing its node) and acks it; if parking fails, a later delivery tries again. */
  private async park(msg: JsMsg, reason: string): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    const { letter, node } = parkedMessage(
      {
        source: 'results',
        stream: msg.info.stream,
        consumer: msg.info.consumer,
        sequence: msg.seq,
        subject: msg.subject,
        deliveries,
        error: reason,
      },
      msg.data,
    );
    try {
      await this.recorder.park(letter, node);
      msg.ack();
    } catch (e) {
      // Past the last delivery the max-deliveries advisory brings it back to the watcher.
      this.logger.error(`result ${msg.seq} could not be parked, will retry: ${(e as Error).message}`);
      msg.nak(resultRetryDelayMs(this.config.resultsRetryBackoffMs, deliveries));
    }
  }

  /** Records a node result; a duplicate appends nothing. `onCommitted` as in `HandleOptions`. */
  async record(result: NodeResult, onCommitted?: () => void): Promise<number> {
    try {
      return await this.recordAs(result, onCommitted);
    } catch (e) {
      if ((e as { code?: unknown }).code !== PG_UNTRANSLATABLE_CHARACTER) throw e;
      // The root cause of a real poison: a tool answered a string holding U+0000 (valid JSON), which
      // Postgres jsonb refuses on every delivery. The node fails with a clear code instead.
      return this.recordAs(
        {
          ...result,
          status: 'failed',
          error: {
            code: 'output_unstorable',
            message:
              "the node's result contains a \\u0000 (NUL) character, which cannot be stored; strip it from the tool's answer",
            retryable: false,
          },
        },
        onCommitted,
      );
    }
  }

  private async recordAs(result: NodeResult, onCommitted?: () => void): Promise<number> {
    const now = new Date().toISOString();
    const durationMs = Math.max(0, Date.parse(result.finishedAt) - Date.parse(result.startedAt));
    const command = (): ExecutionCommand =>
      result.status === 'succeeded'
        ? {
            type: 'CompleteNode',
            data: {
              nodeId: result.nodeId,
              attempt: result.attempt,
              taskId: result.taskId,
              output: result.output,
              startedAt: result.startedAt,
              completedAt: result.finishedAt,
              durationMs,
              cost: result.cost ?? 0,
              ...(result.usage ? { usage: result.usage } : {}),
              now,
            },
          }
        : {
            type: 'FailNode',
            data: {
              nodeId: result.nodeId,
              attempt: result.attempt,
              taskId: result.taskId,
              error: result.error,
              startedAt: result.startedAt,
              failedAt: result.finishedAt,
              durationMs,
              now,
              ...(result.cost ? { cost: result.cost } : {}),
              ...(result.usage ? { usage: result.usage } : {}),
              random: Math.random(),
            },
          };
    const { appended } = await this.executions.handle(
      result.executionId,
      result.workspaceId,
      command,
      systemContext(result.workspaceId, result.executionId),
      `${result.taskId}:result`,
      { onCommitted },
    );
    return appended.length;
  }
}
