import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { streamName, subject, type Namespace, type NodeResult } from '@flowstack/contracts';
import { JETSTREAM, JETSTREAM_MANAGER, NAMESPACE, decodeJson, ensureDurableConsumer, systemContext } from '@flowstack/messaging';
import { ExecutionRuleViolation, type ExecutionCommand } from '../domain';
import { ExecutionHandler } from '../executions/execution.handler';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';

export const RESULTS_CONSUMER = 'orchestrator';

/**
 * Consumes node results from RESULTS (one durable consumer shared by all replicas) and records them
 * as `NodeCompleted`/`NodeFailed` through the execution handler, acking only after the append.
 * Idempotent: a redelivered or duplicated result decides nothing (`[]`) and is simply acked.
 */
@Injectable()
export class ResultsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('results');
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    private readonly executions: ExecutionHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const stream = streamName(this.ns, 'RESULTS');
    await ensureDurableConsumer(this.jsm, {
      stream,
      name: RESULTS_CONSUMER,
      filterSubject: subject(this.ns, 'results.>'),
      ackWaitMs: 30_000,
    });
    const consumer = await this.js.consumers.get(stream, RESULTS_CONSUMER);
    this.messages = await consumer.consume({ max_messages: this.config.resultConcurrency });
    this.loop = this.run(this.messages);
  }

  async onApplicationShutdown(): Promise<void> {
    this.messages?.stop();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      while (this.inFlight.size >= this.config.resultConcurrency) await Promise.race(this.inFlight);
      const work = this.handle(msg).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    }
  }

  /** Handles one result message; exported for the redelivery test. */
  async handle(msg: JsMsg): Promise<void> {
    let result: NodeResult;
    try {
      result = decodeJson<NodeResult>(msg.data);
    } catch {
      this.logger.error(`dropping malformed result ${msg.seq}`);
      msg.term();
      return;
    }
    try {
      await this.record(result);
      msg.ack();
    } catch (e) {
      if (e instanceof ExecutionRuleViolation) {
        // A result that can never apply (unknown node, foreign task id): retrying cannot help.
        this.logger.warn(`dropping result ${result.taskId}: ${e.message}`);
        msg.term();
        return;
      }
      this.logger.error(`result ${result.taskId} not recorded, will retry: ${(e as Error).message}`);
      msg.nak(1_000);
    }
  }

  /** Records a node result; a duplicate appends nothing. */
  async record(result: NodeResult): Promise<number> {
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
            },
          };
    const { appended } = await this.executions.handle(
      result.executionId,
      result.workspaceId,
      command,
      systemContext(result.workspaceId, result.executionId),
      `${result.taskId}:result`,
    );
    return appended.length;
  }
}
