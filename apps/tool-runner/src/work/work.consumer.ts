import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Consumer, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  resultSubject,
  runWithLogContext,
  streamName,
  subject,
  type Namespace,
  type NodeResult,
  type NodeTask,
} from '@flowstack/contracts';
import {
  JETSTREAM,
  JETSTREAM_MANAGER,
  NAMESPACE,
  NATS_CONNECTION,
  assertFitsBus,
  decodeJson,
  encodeJson,
  ensureDurableConsumer,
} from '@flowstack/messaging';
import { TOOL_RUNNER_CONFIG, type ToolRunnerConfig } from '../tool-runner.config';
import { AttemptSpend, NODE_EXECUTORS, type NodeExecutorMap } from './node-executor';
import { NodeFailure } from './node-failure';
import { Semaphore } from './semaphore';
import { isPermanentPublishError, unpublishableResult } from './result-fallback';
import { TaskValues } from './task-values';
import { TaskCancellations } from './task-cancellations';
import { tasksDone } from './work.metrics';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { parseTraceparent, recordSpan, traceparentOf, tracingEnabled } from '@flowstack/service-kit';

const traceHeaders = (traceparent: string) => {
  const h = natsHeaders();
  h.set('traceparent', traceparent);
  return h;
};

/** The durable pull consumer all tool-runner replicas share on WORK. */
export const WORK_CONSUMER = 'tool-runner';

/**
 * How long one pull request waits on the server for tasks. A waiting request gets a task the moment
 * it is published, so this bounds only how long slots freed meanwhile wait to join the next request
 * while no task arrives; shutdown does not wait for it (it stops the request).
 */
export const PULL_EXPIRES_MS = 5_000;

/** Publishes of one result before the task is nak'ed (a transient failure: NATS away). */
const PUBLISH_ATTEMPTS = 3;

/** Backoff after a failed pull (NATS away, consumer deleted): 100 ms doubling up to 5 s. */
const pullBackoffMs = (failures: number): number => Math.min(5_000, 100 * 2 ** Math.min(failures - 1, 6));

/**
 * Pulls node tasks from WORK, runs them concurrently up to `concurrency`, publishes each result to
 * RESULTS (`Nats-Msg-Id` = `<taskId>:result`, so a re-run after a crash is stored once) and only
 * then acks the task. A result that can never be published (larger than the bus carries, not
 * encodable) is replaced by a small failure result (`result_unpublishable`) and the task acked:
 * the tool is never run again for it. Only a transient publish failure (NATS away) naks the task. While a task runs it sends in-progress acks so JetStream does not hand it to
 * another runner; if this process dies, the task is redelivered after `ackWaitMs`.
 *
 * The runner pulls only as many tasks as it has free slots (one `fetch` for all of them), so it
 * never holds more than `concurrency` tasks: nothing waits unheartbeated in a client-side buffer
 * where its ack wait could run out, and a backlog stays in the stream for other replicas to take.
 */
/** How many finished task ids a runner remembers to ack late redeliveries without running them. */
const FINISHED_TASKS_REMEMBERED = 10_000;

@Injectable()
export class WorkConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('work');
  private loop?: Promise<void>;
  private readonly slots: Semaphore;
  private running = 0;
  /** Stops pulling: wakes the wait for a free slot and stops the outstanding pull request. */
  private readonly stopPulling = new AbortController();
  /** Aborts running tasks when they outlast the drain at shutdown. */
  private readonly shutdown = new AbortController();
  /** Tasks running here by task id, resolving to whether their result was published. */
  private readonly runningTasks = new Map<string, Promise<boolean>>();
  /**
   * Tasks whose result this replica published, most recent last (bounded): a copy redelivered
   * because its ack came in after the ack wait ran out (a busy event loop) is acked, not run again.
   */
  private readonly finishedTasks = new Set<string>();
  /** Ends the open pull request: after a reconnect it may sit on a server that is gone. */
  private closeBatch?: () => void;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(TOOL_RUNNER_CONFIG) private readonly config: ToolRunnerConfig,
    @Inject(NODE_EXECUTORS) private readonly executors: NodeExecutorMap,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly values: TaskValues,
    private readonly cancellations: TaskCancellations,
  ) {
    this.slots = new Semaphore(config.concurrency);
  }

  /** Tasks being worked on right now (metrics, benchmark); slots reserved for a waiting pull do not count. */
  get inFlight(): number {
    return this.running;
  }

  async onApplicationBootstrap(): Promise<void> {
    const stream = streamName(this.ns, 'WORK');
    await ensureDurableConsumer(this.jsm, {
      stream,
      name: WORK_CONSUMER,
      filterSubject: subject(this.ns, 'work.>'),
      ackWaitMs: this.config.ackWaitMs,
      maxDeliver: this.config.maxDeliver,
      maxAckPending: 20_000,
    });
    const consumer = await this.js.consumers.get(stream, WORK_CONSUMER);
    this.loop = this.run(consumer);
    void this.reissuePullsOnReconnect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopPulling.abort();
    await this.loop;
    const drained = await this.slots.idle(this.config.drainTimeoutMs);
    if (!drained) {
      // Past the grace period: abort them and nak each (handle), so another runner takes it at once
      // rather than after the ack wait; the naks go out before the connection drains.
      this.logger.warn(`${this.running} tasks still running after TOOL_RUNNER_DRAIN_MS; handing them back`);
      this.shutdown.abort();
      await this.slots.idle(2_000);
    }
  }

  /**
   * A pull request lives on the server that took it: after a reconnect (that server died, or a
   * cluster moved the consumer's leader) tasks may be delivered to it and never reach this process,
   * each then waiting out its ack wait, again and again. The open request is ended and the loop
   * issues a fresh one on the new connection.
   */
  private async reissuePullsOnReconnect(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (this.stopPulling.signal.aborted) return;
      if (s.type === 'reconnect') this.closeBatch?.();
    }
  }

  /** Until shutdown: wait for free slots, pull that many tasks, start each; back off after a failure. */
  private async run(consumer: Consumer): Promise<void> {
    const stop = this.stopPulling.signal;
    let failures = 0;
    while (!stop.aborted) {
      const granted = await this.slots.acquireAll(stop);
      if (granted === 0) break;
      try {
        await this.pull(consumer, granted, stop);
        failures = 0;
      } catch (e) {
        if (stop.aborted) break;
        failures++;
        const wait = pullBackoffMs(failures);
        this.logger.warn(`pulling tasks failed (${(e as Error).message}); retrying in ${wait} ms`);
        await delay(wait, undefined, { signal: stop }).catch(() => undefined);
      }
    }
  }

  /**
   * One pull request for `granted` tasks, each started with one of those slots; the slots it did not
   * fill go back when the request ends (filled, expired, stopped or failed).
   */
  private async pull(consumer: Consumer, granted: number, stop: AbortSignal): Promise<void> {
    let used = 0;
    try {
      const batch = await consumer.fetch({ max_messages: granted, expires: PULL_EXPIRES_MS });
      const stopBatch = (): void => void batch.close();
      this.closeBatch = stopBatch;
      stop.addEventListener('abort', stopBatch, { once: true });
      if (stop.aborted) stopBatch();
      try {
        for await (const msg of batch) {
          if (used < granted) used++;
          else if (!this.slots.tryAcquire()) {
            // nats.js re-sends the whole request after a reconnect, so a request can bring more than
            // it asked for: hand a surplus task straight back rather than hold it unworked.
            msg.nak();
            continue;
          }
          this.start(msg);
        }
      } finally {
        stop.removeEventListener('abort', stopBatch);
        if (this.closeBatch === stopBatch) this.closeBatch = undefined;
      }
    } finally {
      this.slots.release(granted - used);
    }
  }

  /** Runs one task on a slot already taken for it and frees the slot when it settles. */
  private start(msg: JsMsg): void {
    this.running++;
    void this.handle(msg).finally(() => {
      this.running--;
      this.slots.release();
    });
  }

  private async handle(msg: JsMsg): Promise<void> {
    let task: NodeTask;
    try {
      task = decodeJson<NodeTask>(msg.data);
    } catch {
      this.logger.error(`dropping malformed task ${msg.seq}`);
      msg.term();
      return;
    }
    // An execution's trace id is its id without dashes (libs/service-kit tracing).
    const ids = { workspaceId: task.workspaceId, executionId: task.executionId, traceId: task.executionId.replace(/-/g, '') };
    return runWithLogContext(ids, () => this.handleTask(task, msg));
  }

  private async handleTask(task: NodeTask, msg: JsMsg): Promise<void> {
    const heartbeat = setInterval(() => msg.working(), Math.max(200, Math.floor(this.config.ackWaitMs / 3)));
    const running = this.runningTasks.get(task.taskId);
    if (running) {
      // Another copy of a task this replica is running (redelivered after its ack wait ran out
      // under load, or published twice): running it again would repeat its work (an agent's LLM
      // turn). It waits for the running copy and is acked once that one published the result.
      try {
        if (await running) msg.ack();
        else msg.nak(1_000);
      } finally {
        clearInterval(heartbeat);
      }
      return;
    }
    if (this.finishedTasks.has(task.taskId)) {
      clearInterval(heartbeat);
      msg.ack();
      return;
    }
    const work = this.runAndPublish(task, msg);
    this.runningTasks.set(task.taskId, work);
    try {
      if (await work) this.rememberFinished(task.taskId);
    } finally {
      this.runningTasks.delete(task.taskId);
      clearInterval(heartbeat);
    }
  }

  private rememberFinished(taskId: string): void {
    this.finishedTasks.add(taskId);
    if (this.finishedTasks.size > FINISHED_TASKS_REMEMBERED) {
      this.finishedTasks.delete(this.finishedTasks.values().next().value as string);
    }
  }

  /** Runs the task, publishes its result and acks it; resolves to whether the result went out. */
  private async runAndPublish(task: NodeTask, msg: JsMsg): Promise<boolean> {
    try {
      const startedAt = Date.now();
      const result = await this.execute(task);
      const span = tracingEnabled() ? this.recordTaskSpan(msg, task, result, startedAt) : undefined;
      if (result.status === 'failed' && this.shutdown.signal.aborted) {
        // Cut short by shutdown, not failed: another runner runs it again (no result, no attempt spent).
        // After a second, not at once: at once the server may hand it back to this process's own
        // pull request, still open on the server until the connection closes, and it would then
        // wait out the whole ack wait.
        msg.nak(1_000);
        tasksDone.inc({ node_type: task.node.type, outcome: 'handed_back' });
        return false;
      }
      await this.publishResult(task, result, span);
      msg.ack();
      tasksDone.inc({ node_type: task.node.type, outcome: result.status });
      return true;
    } catch (e) {
      // A transient publish failure (NATS away): let JetStream redeliver the task rather than lose
      // the result. Permanent failures never get here (publishResult sends a failure instead).
      this.logger.error(`task ${task.taskId} result not published: ${(e as Error).message}`);
      msg.nak(1_000);
      return false;
    }
  }

  /**
   * Publishes the result; when it cannot ever be published (too large for the bus, not encodable,
   * refused by the server for its size) publishes a small `result_unpublishable` failure for the
   * node instead. Throws only for a transient failure, or when even the failure cannot go out.
   */
  private async publishResult(task: NodeTask, result: NodeResult, span?: string): Promise<void> {
    const to = resultSubject(this.ns, task.executionId);
    const msgID = `${task.taskId}:result`;
    try {
      const data = encodeJson(result);
      assertFitsBus(this.nc, data, `the result of node '${task.node.id}'`);
      await this.publishRetrying(to, data, msgID, span);
    } catch (e) {
      if (!isPermanentPublishError(e)) throw e;
      const reason = (e as Error).message;
      this.logger.warn(`task ${task.taskId}: result unpublishable, publishing a failure instead: ${reason}`);
      const failure = encodeJson(unpublishableResult(result, e));
      assertFitsBus(this.nc, failure, `the failure result of node '${task.node.id}'`);
      await this.publishRetrying(to, failure, msgID);
    }
  }

  /**
   * A publish retried in place through a short NATS blip (same `Nats-Msg-Id`, so a retry of a
   * publish that did land is dropped as a duplicate): a nak would run the tool again. Permanent
   * errors and the last transient one are thrown.
   */
  private async publishRetrying(to: string, data: Uint8Array, msgID: string, traceparent?: string): Promise<void> {
    const options = traceparent ? { msgID, headers: traceHeaders(traceparent) } : { msgID };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.js.publish(to, data, options);
        return;
      } catch (e) {
        if (isPermanentPublishError(e) || attempt >= PUBLISH_ATTEMPTS || this.shutdown.signal.aborted) throw e;
        this.logger.warn(`publishing ${msgID} failed (${(e as Error).message}); retrying`);
        await delay(500 * attempt, undefined, { signal: this.shutdown.signal }).catch(() => undefined);
      }
    }
  }

  /**
   * The runner's span of one task (tracing on only), child of the attempt span named by the WORK
   * message's `traceparent`; answers the `traceparent` its RESULTS message carries.
   */
  private recordTaskSpan(msg: JsMsg, task: NodeTask, result: NodeResult, startedAt: number): string | undefined {
    const parent = parseTraceparent(msg.headers?.get('traceparent'));
    if (!parent) return undefined;
    const span = recordSpan({
      name: `tool-runner ${task.node.type}`,
      parent,
      start: startedAt,
      end: Date.now(),
      attributes: {
        'flowstack.execution_id': task.executionId,
        'flowstack.workspace_id': task.workspaceId,
        'flowstack.node_id': task.node.id,
        'flowstack.node_type': task.node.type,
        'flowstack.attempt': task.attempt,
        'flowstack.delivery': msg.info.deliveryCount,
      },
      ...(result.status === 'failed' ? { error: result.error.code } : {}),
    });
    return span ? traceparentOf(span) : undefined;
  }

  /** Runs the task and makes its result fit on the bus (large values out of band). */
  private async execute(task: NodeTask): Promise<NodeResult> {
    return this.values.settle(task.workspaceId, await this.runTask(task));
  }

  private async runTask(task: NodeTask): Promise<NodeResult> {
    const startedAt = new Date().toISOString();
    const base = {
      taskId: task.taskId,
      executionId: task.executionId,
      workspaceId: task.workspaceId,
      nodeId: task.node.id,
      attempt: task.attempt,
      startedAt,
    };
    if (this.cancellations.isCancelled(task.executionId)) {
      // Queued before its execution was cancelled: not run at all (the orchestrator ignores this result).
      const failure = new NodeFailure('cancelled', 'the execution was cancelled before this attempt started', false);
      return { ...base, status: 'failed', error: failure.toNodeError(), finishedAt: new Date().toISOString() };
    }
    // The attempt's start-to-close timeout and the execution's cancel: the executor's signal
    // aborts, and an executor that ignores it is not waited for either.
    const timeout = task.timeoutMs ? AbortSignal.timeout(task.timeoutMs) : undefined;
    const cancel = this.cancellations.track(task.executionId);
    const stop = timeout ? AbortSignal.any([timeout, cancel.signal]) : cancel.signal;
    const signal = AbortSignal.any([this.shutdown.signal, stop]);
    const spend = new AttemptSpend();
    try {
      const executor = this.executors.get(task.node.type);
      if (!executor) throw new NodeFailure('unsupported_node_type', `no executor for node type "${task.node.type}"`);
      const outcome = await untilAborted(
        this.values.resolve(task).then((resolved) => executor.execute(resolved, signal, spend)),
        stop,
      );
      return {
        ...base,
        status: 'succeeded',
        output: outcome.output,
        cost: outcome.cost ?? 0,
        ...(outcome.usage ? { usage: outcome.usage } : {}),
        finishedAt: new Date().toISOString(),
      };
    } catch (e) {
      // A failed attempt still reports what it spent (an agent's paid turns), however it ended.
      const spent = spend.asResultFields();
      if (cancel.signal.aborted) {
        const failure = new NodeFailure('cancelled', 'the execution was cancelled while this attempt ran', false);
        return { ...base, status: 'failed', error: failure.toNodeError(), finishedAt: new Date().toISOString(), ...spent };
      }
      if (timeout?.aborted && !this.shutdown.signal.aborted) {
        const failure = new NodeFailure('timeout', `the attempt did not finish within ${task.timeoutMs} ms (timeoutMs)`, true);
        return { ...base, status: 'failed', error: failure.toNodeError(), finishedAt: new Date().toISOString(), ...spent };
      }
      const failure =
        e instanceof NodeFailure ? e : new NodeFailure('internal', `unexpected runner error: ${(e as Error).message}`, true);
      if (!(e instanceof NodeFailure)) this.logger.error(`task ${task.taskId}: ${(e as Error).stack ?? String(e)}`);
      return { ...base, status: 'failed', error: failure.toNodeError(), finishedAt: new Date().toISOString(), ...spent };
    } finally {
      cancel.release();
    }
  }
}

/** `work`, or a rejection as soon as `signal` aborts (whichever comes first); `work` alone without a signal. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason as Error);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
