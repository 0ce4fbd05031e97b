import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  FlowstackError,
  Rpc,
  executionStreamId,
  forkExecutionSchema,
  notFound,
  parseRequest,
  retryExecutionSchema,
  roleSatisfies,
  type ExecutionView,
  type ForkExecutionResult,
  type RequestContext,
} from '@flowstack/contracts';
import type { PostgresEventStore } from '@flowstack/event-store';
import { ValueStore, type RpcContext } from '@flowstack/messaging';
import { StartPricing } from '../billing/start-pricing';
import { ExecutionRuleViolation, forkPlan, toExecutionView, type ForkOf, type StartedExecution } from '../domain';
import { EVENT_STORE } from '../orchestrator.config';
import { ExecutionHandler } from '../executions/execution.handler';
import { InputValidator } from '../executions/input.validator';
import { viewWithinBudget } from '../executions/reply-budget';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const retryPayloadSchema = retryExecutionSchema.extend({ executionId: z.string() });
const forkPayloadSchema = forkExecutionSchema.extend({ executionId: z.string() });

/** The weakest role that may retry or fork an execution: both run work, like starting one. */
export const RERUN_ROLE = 'editor';

/**
 * `orchestrator.execution.retry` and `orchestrator.execution.fork`: an ended run goes on without
 * running again what already succeeded. A retry reopens the same execution; a fork starts a new
 * one of the same pinned graph with the results before its node copied. Tenancy comes from the
 * request context: another workspace's execution is not found.
 */
@Controller()
export class ExecutionRetryHandlers {
  constructor(
    private readonly executions: ExecutionHandler,
    private readonly inputs: InputValidator,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(ValueStore) private readonly values: ValueStore,
    private readonly pricing: StartPricing,
  ) {}

  @MessagePattern(Rpc.executionControl.retry)
  onRetry(@Payload() p: unknown, @Ctx() ctx: RpcContext) {
    return this.retry(parseRequest(retryPayloadSchema, p), ctx.requestContext);
  }

  @MessagePattern(Rpc.executionControl.fork)
  onFork(@Payload() p: unknown, @Ctx() ctx: RpcContext) {
    return this.fork(parseRequest(forkPayloadSchema, p), ctx.requestContext);
  }

  /** Runs a failed execution again from its failed nodes; answers its view (now `running`). */
  async retry(p: z.output<typeof retryPayloadSchema>, ctx: RequestContext): Promise<ExecutionView> {
    if (!UUID.test(p.executionId)) throw notFound('execution');
    mustRerun(ctx, 'retrying');
    try {
      const { state } = await this.executions.handle(
        p.executionId.toLowerCase(),
        ctx.workspaceId,
        () => ({
          type: 'RetryExecution',
          data: { by: ctx.actor.id, ...(p.reason === undefined ? {} : { reason: p.reason }), now: new Date().toISOString() },
        }),
        ctx,
      );
      if (state.status === 'pending') throw notFound('execution');
      return await viewWithinBudget(toExecutionView(state), (encoded, value) => this.values.put(ctx.workspaceId, encoded, value));
    } catch (e) {
      if (!(e instanceof ExecutionRuleViolation)) throw e;
      if (e.code === 'execution_not_started') throw notFound('execution');
      if (e.code === 'not_retryable') throw new FlowstackError('conflict', e.message);
      throw new FlowstackError('internal', e.message);
    }
  }

  /**
   * Starts a new execution of the source's pinned graph (same workflow version), with the results
   * of the nodes that do not depend on `fromNodeId` copied, and runs from there. `input` (default:
   * the source's) is validated against the pinned `input_schema`.
   */
  async fork(p: z.output<typeof forkPayloadSchema>, ctx: RequestContext): Promise<ForkExecutionResult> {
    if (!UUID.test(p.executionId)) throw notFound('execution');
    mustRerun(ctx, 'forking');
    const sourceId = p.executionId.toLowerCase();
    const streamId = executionStreamId(sourceId);
    const { state: source } = await this.executions.load(streamId, ctx.workspaceId);
    if (source.status === 'pending') throw notFound('execution');
    const plan = this.plan(source, await this.recordedResults(streamId, ctx.workspaceId), p.fromNodeId);
    const input = p.input === undefined ? source.input : p.input;
    if (p.input !== undefined) {
      const scope = { workspaceId: ctx.workspaceId, workflowId: source.workflowId, version: source.workflowVersion };
      this.inputs.assertValid(scope, source.graph.input_schema, input);
    }
    // A fork is a new run: today's prices, and credit to start when it can cost money.
    const costCaps = await this.pricing.snapshot(source.graph, ctx);
    const executionId = randomUUID();
    const { state } = await this.executions.handle(
      executionId,
      ctx.workspaceId,
      () => ({
        type: 'StartExecution',
        data: {
          executionId,
          workspaceId: ctx.workspaceId,
          workflowId: source.workflowId,
          workflowVersion: source.workflowVersion,
          graph: source.graph,
          input,
          // Like a start from the gateway: a signed-in person's fork is manual, an API key's api.
          trigger: { type: ctx.actor.type === 'user' ? 'manual' : 'api', by: ctx.actor.id },
          now: new Date().toISOString(),
          fork: plan,
          costCaps,
        },
      }),
      ctx,
    );
    return {
      executionId,
      status: state.status,
      forkedFrom: { executionId: sourceId, fromNodeId: p.fromNodeId },
      copiedNodes: plan.copied.map((c) => c.nodeId),
    };
  }

  private plan(source: StartedExecution, recorded: Parameters<typeof forkPlan>[1], fromNodeId: string): ForkOf {
    try {
      return forkPlan(source, recorded, fromNodeId);
    } catch (e) {
      if (!(e instanceof ExecutionRuleViolation)) throw e;
      const message = e.code === 'unknown_node' ? "is not a node of the source execution's workflow version" : e.message;
      throw new FlowstackError('validation_failed', `fromNodeId: ${message}`, [{ path: 'fromNodeId', message, rule: e.code }]);
    }
  }

  /** Where each node's last result (`NodeCompleted`, `NodeSkipped`) sits in the source stream. */
  private async recordedResults(
    streamId: string,
    workspaceId: string,
  ): Promise<Map<string, { seq: number; outputBytes?: number }>> {
    const recorded = new Map<string, { seq: number; outputBytes?: number }>();
    const events = await this.store.readStream(streamId, { workspaceId });
    for (const e of events) {
      if (e.type !== 'NodeCompleted' && e.type !== 'NodeSkipped') continue;
      const data = e.data as { nodeId: string; outputBytes?: unknown };
      const bytes = typeof data.outputBytes === 'number' ? { outputBytes: data.outputBytes } : {};
      recorded.set(data.nodeId, { seq: e.streamPosition, ...bytes });
    }
    return recorded;
  }
}

function mustRerun(ctx: RequestContext, what: string): void {
  if (!roleSatisfies(ctx.actor.role, RERUN_ROLE)) {
    throw new FlowstackError('forbidden', `${what} an execution needs the ${RERUN_ROLE} role or a stronger one`);
  }
}
