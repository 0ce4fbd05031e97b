import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  FlowstackError,
  Rpc,
  executionStreamId,
  notFound,
  type AgentProgressQuery,
  type AgentProgressView,
  type AgentRecordAnswer,
  type AgentToolCalled,
  type AgentTurnCompleted,
  type RecordAgentToolCallPayload,
  type RecordAgentTurnPayload,
  type RequestContext,
  type ValueRef,
} from '@flowstack/contracts';
import { ValueStore, encodeValue, type RpcContext } from '@flowstack/messaging';
import type { PostgresEventStore } from '@flowstack/event-store';
import { EVENT_STORE } from '../orchestrator.config';
import { ExecutionHandler } from '../executions/execution.handler';
import { REPLY_BUDGET_BYTES } from '../executions/reply-budget';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The actor tool-runners send; no one else records or reads agent progress. */
const TOOL_RUNNER_ACTOR = { id: 'tool-runner', type: 'system' } as const;

/**
 * `orchestrator.agent.*`: the tool-runner records each finished LLM turn and tool call of an
 * `agent_call` attempt (appended to the execution's stream through the one write path,
 * idempotent by turn key) and, when it resumes a loop (a redelivered task, a later attempt),
 * reads back what was recorded. Scoped by the caller's workspace: another workspace's execution
 * is `not_found`. Answers once the record is committed, so a runner killed right after still
 * finds it.
 */
@Controller()
export class AgentProgressHandlers {
  constructor(
    private readonly executions: ExecutionHandler,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(ValueStore) private readonly values: ValueStore,
  ) {}

  @MessagePattern(Rpc.agentProgress.recordTurn)
  onRecordTurn(@Payload() p: RecordAgentTurnPayload, @Ctx() ctx: RpcContext): Promise<AgentRecordAnswer> {
    return this.recordTurn(p, ctx.requestContext);
  }

  @MessagePattern(Rpc.agentProgress.recordToolCall)
  onRecordToolCall(@Payload() p: RecordAgentToolCallPayload, @Ctx() ctx: RpcContext): Promise<AgentRecordAnswer> {
    return this.recordToolCall(p, ctx.requestContext);
  }

  @MessagePattern(Rpc.agentProgress.progress)
  onProgress(@Payload() p: AgentProgressQuery, @Ctx() ctx: RpcContext): Promise<AgentProgressView | { ref: ValueRef }> {
    return this.progress(p, ctx.requestContext);
  }

  async recordTurn(p: RecordAgentTurnPayload, ctx: RequestContext): Promise<AgentRecordAnswer> {
    assertToolRunner(ctx);
    const executionId = executionIdOf(p);
    const turn = p.turn;
    const { appended } = await this.executions.handle(
      executionId,
      ctx.workspaceId,
      () => ({ type: 'RecordAgentTurn', data: { ...turn, now: new Date().toISOString() } }),
      ctx,
      `${turn.taskId}:turn:${turn.step}`,
    );
    return { recorded: appended.length > 0 };
  }

  async recordToolCall(p: RecordAgentToolCallPayload, ctx: RequestContext): Promise<AgentRecordAnswer> {
    assertToolRunner(ctx);
    const executionId = executionIdOf(p);
    const call = p.call;
    const { appended } = await this.executions.handle(
      executionId,
      ctx.workspaceId,
      () => ({ type: 'RecordAgentToolCall', data: { ...call, now: new Date().toISOString() } }),
      ctx,
      `${call.taskId}:tool:${call.step}:${call.toolCallId}`,
    );
    return { recorded: appended.length > 0 };
  }

  /** Every turn and tool call recorded for the node, in stream order; stored out of band when it would not fit a reply. */
  async progress(p: AgentProgressQuery, ctx: RequestContext): Promise<AgentProgressView | { ref: ValueRef }> {
    assertToolRunner(ctx);
    const executionId = executionIdOf(p);
    const events = await this.store.readStream(executionStreamId(executionId), { workspaceId: ctx.workspaceId });
    if (events.length === 0) throw notFound('execution');
    const view: AgentProgressView = { turns: [], toolCalls: [] };
    for (const e of events) {
      if (e.type === 'AgentTurnCompleted' && (e.data as AgentTurnCompleted['data']).nodeId === p.nodeId) {
        view.turns.push(e.data as AgentTurnCompleted['data']);
      } else if (e.type === 'AgentToolCalled' && (e.data as AgentToolCalled['data']).nodeId === p.nodeId) {
        view.toolCalls.push(e.data as AgentToolCalled['data']);
      }
    }
    const encoded = encodeValue(view);
    if (encoded.bytes.length <= REPLY_BUDGET_BYTES) return view;
    return { ref: await this.values.put(ctx.workspaceId, encoded, view) };
  }
}

function assertToolRunner(ctx: RequestContext): void {
  if (ctx.actor.type !== TOOL_RUNNER_ACTOR.type || ctx.actor.id !== TOOL_RUNNER_ACTOR.id) {
    throw new FlowstackError('forbidden', 'agent progress is recorded and read by tool-runners only');
  }
}

function executionIdOf(p: { executionId?: unknown } | undefined): string {
  const id = p?.executionId;
  if (typeof id !== 'string' || !UUID.test(id)) throw notFound('execution');
  return id.toLowerCase();
}
