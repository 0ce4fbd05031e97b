import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import {
  FlowstackError,
  Rpc,
  executionStreamId,
  notFound,
  type ExecutionView,
  type NodeCostCap,
  type Page,
  type RequestContext,
  type StartExecutionPayload,
  type StoredEventView,
  type WorkflowVersionView,
} from '@flowstack/contracts';
import { RpcClient, ValueStore, type RpcContext } from '@flowstack/messaging';
import type { PostgresEventStore } from '@flowstack/event-store';
import { ExecutionRuleViolation, toExecutionView } from '../domain';
import { EVENT_STORE } from '../orchestrator.config';
import { ExecutionHandler } from './execution.handler';
import { InputValidator } from './input.validator';
import { pageWithinBudget, viewWithinBudget, type PutValue } from './reply-budget';
import { StartPricing } from '../billing/start-pricing';
import { AdmissionService } from '../admission/admission.service';
import { AdmissionStore } from '../admission/admission.store';
import { queuedView } from '../admission/queued.view';
import { BatchStarts } from './batch-starts.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ExecutionEventsQuery {
  executionId: string;
  /** Return events after this stream position (0: from the start). */
  afterSeq?: number;
  limit?: number;
}

/** Request-reply handlers of `orchestrator.execution.*`, always scoped by the caller's workspace. */
@Controller()
export class ExecutionsHandlers {
  constructor(
    private readonly inputs: InputValidator,
    private readonly client: RpcClient,
    private readonly executions: ExecutionHandler,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(ValueStore) private readonly values: ValueStore,
    private readonly pricing: StartPricing,
    private readonly admission: AdmissionService,
    private readonly queues: AdmissionStore,
    private readonly batches: BatchStarts,
  ) {}

  @MessagePattern(Rpc.orchestrator.executionStart)
  onStart(@Payload() p: StartExecutionPayload, @Ctx() ctx: RpcContext) {
    return this.start(p, ctx.requestContext);
  }

  /** A scheduler claim's fires: many starts of the caller's workspace, one answer each (`BatchStarts`). */
  @MessagePattern(Rpc.orchestrator.executionStartBatch)
  onStartBatch(@Payload() p: unknown, @Ctx() ctx: RpcContext) {
    return this.batches.start(p, ctx.requestContext);
  }

  @MessagePattern(Rpc.orchestrator.executionGet)
  onGet(@Payload() p: { executionId: string }, @Ctx() ctx: RpcContext) {
    return this.get(p.executionId, ctx.requestContext);
  }

  @MessagePattern(Rpc.orchestrator.executionEvents)
  onEvents(@Payload() p: ExecutionEventsQuery, @Ctx() ctx: RpcContext) {
    return this.events(p, ctx.requestContext);
  }

  /** Pins the workflow version, validates the input and starts the run; answers once it is recorded. */
  async start(
    payload: StartExecutionPayload,
    ctx: RequestContext,
  ): Promise<{ executionId: string; status: string; queue?: { position: number; queuedAt: string } }> {
    if (payload.executionId !== undefined) {
      // A caller-chosen id (a schedule's fire): an execution already under it is the answer, even
      // if its workflow was deleted since, so a retried fire never fails nor starts a second run.
      if (typeof payload.executionId !== 'string' || !UUID.test(payload.executionId)) {
        throw new FlowstackError('validation_failed', 'executionId must be a UUID', [
          { path: 'executionId', message: 'must be a UUID', rule: 'invalid_uuid' },
        ]);
      }
      const existing = await this.executions.load(executionStreamId(payload.executionId.toLowerCase()), ctx.workspaceId);
      if (existing.state.status !== 'pending')
        return { executionId: payload.executionId.toLowerCase(), status: existing.state.status };
    }
    const version = await this.client.request<WorkflowVersionView>(
      Rpc.registry.workflowVersionGet,
      { workflowId: payload.workflowId, version: payload.version },
      ctx,
    );
    this.inputs.assertValid(
      { workspaceId: ctx.workspaceId, workflowId: version.workflowId, version: version.version },
      version.graph.input_schema,
      payload.input,
    );
    // The price snapshot of the run; a run that can cost money needs credit to start.
    const costCaps = await this.pricing.snapshot(version.graph, ctx);
    const executionId = payload.executionId?.toLowerCase() ?? randomUUID();
    const started = await this.startRecorded(executionId, version, payload, costCaps, ctx);
    // Over its workspace's running limit, the run waits in the queue: `pending` with its place.
    if (started.queued)
      return { executionId, status: 'pending', queue: { position: started.position, queuedAt: started.queuedAt } };
    return { executionId, status: started.outcome.state.status };
  }

  private async startRecorded(
    executionId: string,
    version: WorkflowVersionView,
    payload: StartExecutionPayload,
    costCaps: Record<string, NodeCostCap>,
    ctx: RequestContext,
  ) {
    try {
      return await this.admission.start(
        {
          executionId,
          workspaceId: ctx.workspaceId,
          workflowId: version.workflowId,
          workflowVersion: version.version,
          graph: version.graph,
          input: payload.input,
          trigger: payload.trigger ?? { type: 'api', by: ctx.actor.id },
          costCaps,
        },
        ctx,
        // An id made up here (not a caller's) has no earlier admission to look up.
        payload.executionId === undefined,
      );
    } catch (e) {
      // The registry validates graphs on save, so this means a version saved before a rule existed.
      if (e instanceof ExecutionRuleViolation)
        throw new FlowstackError('invalid_graph', `workflow version cannot run: ${e.message}`);
      throw e;
    }
  }

  async get(executionId: string, ctx: RequestContext): Promise<ExecutionView> {
    if (!UUID.test(executionId ?? '')) throw notFound('execution');
    const { state } = await this.executions.load(executionStreamId(executionId), ctx.workspaceId);
    if (state.status === 'pending') {
      // Not started: a run waiting for a slot (or taken out of the queue) is still an execution.
      const entry = await this.queues.entry(executionId.toLowerCase(), ctx.workspaceId);
      if (!entry || entry.state === 'running') throw notFound('execution');
      return viewWithinBudget(queuedView(executionId.toLowerCase(), entry), this.putIn(ctx.workspaceId));
    }
    // Large values are references already; a view of many medium ones is shrunk to fit the bus.
    return viewWithinBudget(toExecutionView(state), this.putIn(ctx.workspaceId));
  }

  async events(query: ExecutionEventsQuery, ctx: RequestContext): Promise<Page<StoredEventView>> {
    if (!UUID.test(query.executionId ?? '')) throw notFound('execution');
    const limit = Math.min(Math.max(query.limit ?? 500, 1), 1000);
    const events = await this.store.readStream(executionStreamId(query.executionId), {
      workspaceId: ctx.workspaceId,
      afterPosition: query.afterSeq ?? 0,
      limit,
    });
    if (events.length === 0) {
      // An empty page is right past the end of one's own execution, and a 404 for anyone else's.
      const head = await this.store.readStream(executionStreamId(query.executionId), { workspaceId: ctx.workspaceId, limit: 1 });
      if (head.length === 0) throw notFound('execution');
    }
    // A page holds `limit` events at most, and fewer when their bytes would not fit in one reply.
    const { items, cut } = await pageWithinBudget(
      events.map((e) => ({
        seq: e.streamPosition,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        recordedAt: e.recordedAt.toISOString(),
      })),
      this.putIn(ctx.workspaceId),
    );
    return {
      items,
      nextCursor: cut || events.length === limit ? String(items[items.length - 1].seq) : null,
    };
  }

  private putIn(workspaceId: string): PutValue {
    return (encoded, value) => this.values.put(workspaceId, encoded, value);
  }
}
