import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { resultSubject, streamName, subject, type Namespace, type NodeResult, type NodeTask } from '@flowstack/contracts';
import { JETSTREAM, JETSTREAM_MANAGER, NAMESPACE, decodeJson, encodeJson, ensureDurableConsumer } from '@flowstack/messaging';
import { TOOL_RUNNER_CONFIG, type ToolRunnerConfig } from '../tool-runner.config';
import { NODE_EXECUTORS, type NodeExecutorMap } from './node-executor';
import { NodeFailure } from './node-failure';
import { Semaphore } from './semaphore';

/** The durable pull consumer all tool-runner replicas share on WORK. */
export const WORK_CONSUMER = 'tool-runner';

/**
 * Pulls node tasks from WORK, runs them concurrently up to `concurrency`, publishes each result to
 * RESULTS (`Nats-Msg-Id` = `<taskId>:result`, so a re-run after a crash is stored once) and only
 * then acks the task. While a task runs it sends in-progress acks so JetStream does not hand it to
 * another runner; if this process dies, the task is redelivered after `ackWaitMs`.
 */
@Injectable()
export class WorkConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('work');
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly slots: Semaphore;
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(TOOL_RUNNER_CONFIG) private readonly config: ToolRunnerConfig,
    @Inject(NODE_EXECUTORS) private readonly executors: NodeExecutorMap,
  ) {
    this.slots = new Semaphore(config.concurrency);
  }

  /** Tasks being worked on right now (for metrics and the benchmark). */
  get inFlight(): number {
    return this.slots.inUse;
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
    this.messages = await consumer.consume({ max_messages: this.config.concurrency });
    this.loop = this.run(this.messages);
  }

  async onApplicationShutdown(): Promise<void> {
    this.messages?.stop();
    await this.loop;
    const drained = await this.slots.idle(this.config.drainTimeoutMs);
    if (!drained) {
      this.logger.warn(`${this.slots.inUse} tasks still running at shutdown; JetStream will redeliver them`);
      this.shutdown.abort();
    }
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      await this.slots.acquire();
      void this.handle(msg).finally(() => this.slots.release());
    }
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
    const heartbeat = setInterval(() => msg.working(), Math.max(200, Math.floor(this.config.ackWaitMs / 3)));
    try {
      const result = await this.execute(task);
      await this.js.publish(resultSubject(this.ns, task.executionId), encodeJson(result), {
        msgID: `${task.taskId}:result`,
      });
      msg.ack();
    } catch (e) {
      // Publishing the result failed: let JetStream redeliver the task rather than lose the result.
      this.logger.error(`task ${task.taskId} result not published: ${(e as Error).message}`);
      msg.nak(1_000);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async execute(task: NodeTask): Promise<NodeResult> {
    const startedAt = new Date().toISOString();
    const base = {
      taskId: task.taskId,
      executionId: task.executionId,
      workspaceId: task.workspaceId,
      nodeId: task.node.id,
      attempt: task.attempt,
      startedAt,
    };
    try {
      const executor = this.executors.get(task.node.type);
      if (!executor) throw new NodeFailure('unsupported_node_type', `no executor for node type "${task.node.type}"`);
      const outcome = await executor.execute(task, this.shutdown.signal);
      return {
        ...base,
        status: 'succeeded',
        output: outcome.output,
        cost: outcome.cost ?? 0,
        finishedAt: new Date().toISOString(),
      };
    } catch (e) {
      const failure =
        e instanceof NodeFailure ? e : new NodeFailure('internal', `unexpected runner error: ${(e as Error).message}`, true);
      if (!(e instanceof NodeFailure)) this.logger.error(`task ${task.taskId}: ${(e as Error).stack ?? String(e)}`);
      return { ...base, status: 'failed', error: failure.toNodeError(), finishedAt: new Date().toISOString() };
    }
  }
}
