import { setTimeout as delay } from 'node:timers/promises';
import {
  FlowstackError,
  Rpc,
  isValueRef,
  type AgentProgressView,
  type AgentRecordAnswer,
  type NodeTask,
  type RecordAgentToolCallPayload,
  type RecordAgentTurnPayload,
  type RequestContext,
  type ValueRef,
} from '@flowstack/contracts';
import type { RpcClient, ValueStore } from '@flowstack/messaging';
import type { ToolCallRecord, TurnRecord } from '../llm/agent-loop.types';
import type { AssistantMessage } from '../llm/llm.types';
import { NodeFailure } from '../work/node-failure';

/** A recorded turn with the attempt that made (and paid) it. */
export type RecordedTurn = TurnRecord & { attempt: number };

/** What earlier deliveries and attempts of a node recorded, as the agent loop resumes from it. */
export interface ResumedProgress {
  turns: RecordedTurn[];
  toolCalls: ToolCallRecord[];
}

export interface TurnRecorderOptions {
  /** Tries of one record through an orchestrator that does not answer (default 6: about 6 s of backoff). */
  attempts?: number;
  /** First backoff in ms, doubled each try (default 200). */
  backoffMs?: number;
}

/**
 * The tool-runner's side of the durable agent loop: each finished LLM turn and tool call goes to
 * the orchestrator (`orchestrator.agent.*`), which appends it to the execution's stream and
 * answers once it is committed; the loop waits for that answer before it goes on, so whatever
 * the model or a tool did before a crash is in the log. Large values (a message, arguments or a
 * result above `Limits.inlineValueBytes`) are stored out of band first and travel as references.
 *
 * A record is retried while the orchestrator does not answer (same key: a record that did land
 * is not appended twice), then fails the attempt retryably (`orchestrator_unavailable`): a loop
 * must not go on past a turn it could not record, or a resumed loop would pay for it again.
 */
export class TurnRecorder {
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(
    private readonly rpc: RpcClient,
    private readonly values: ValueStore,
    options: TurnRecorderOptions = {},
  ) {
    this.attempts = options.attempts ?? 6;
    this.backoffMs = options.backoffMs ?? 200;
  }

  /** Everything recorded for the task's node (every attempt), references resolved. */
  async recorded(task: NodeTask, ctx: RequestContext): Promise<ResumedProgress> {
    let view = await this.call<AgentProgressView | { ref: ValueRef }>(
      Rpc.agentProgress.progress,
      { executionId: task.executionId, nodeId: task.node.id },
      ctx,
    );
    if ('ref' in view && isValueRef(view.ref)) view = (await this.resolve(task, view.ref)) as AgentProgressView;
    const progress = view as AgentProgressView;
    const turns = await Promise.all(
      progress.turns.map(async (t): Promise<RecordedTurn> => {
        const message = (isValueRef(t.message) ? await this.resolve(task, t.message) : t.message) as AssistantMessage;
        return {
          attempt: t.attempt,
          step: t.step,
          message,
          usage: t.usage,
          cost: { cost: t.cost, priced: t.priced },
          stopReason: t.stopReason as TurnRecord['stopReason'],
        };
      }),
    );
    const toolCalls = await Promise.all(
      progress.toolCalls.map(async (c): Promise<ToolCallRecord> => {
        const args = (isValueRef(c.arguments) ? await this.resolve(task, c.arguments) : c.arguments) as Record<string, unknown>;
        const result = isValueRef(c.result) ? await this.resolve(task, c.result) : c.result;
        return {
          step: c.step,
          toolCallId: c.toolCallId,
          tool: c.tool,
          arguments: args,
          ...(c.error ? { error: c.error } : { result }),
          durationMs: c.durationMs,
        };
      }),
    );
    return { turns, toolCalls };
  }

  async turn(task: NodeTask, ctx: RequestContext, turn: TurnRecord): Promise<void> {
    const payload: RecordAgentTurnPayload = {
      executionId: task.executionId,
      turn: {
        nodeId: task.node.id,
        attempt: task.attempt,
        taskId: task.taskId,
        step: turn.step,
        message: (await this.offload(task, turn.message)) as RecordAgentTurnPayload['turn']['message'],
        usage: turn.usage,
        cost: turn.cost.cost,
        priced: turn.cost.priced,
        stopReason: turn.stopReason,
      },
    };
    await this.call<AgentRecordAnswer>(Rpc.agentProgress.recordTurn, payload, ctx);
  }

  async toolCall(task: NodeTask, ctx: RequestContext, call: ToolCallRecord): Promise<void> {
    const payload: RecordAgentToolCallPayload = {
      executionId: task.executionId,
      call: {
        nodeId: task.node.id,
        attempt: task.attempt,
        taskId: task.taskId,
        step: call.step,
        toolCallId: call.toolCallId,
        tool: call.tool,
        arguments: (await this.offload(task, call.arguments)) as Record<string, unknown>,
        ...(call.error ? { error: call.error } : { result: await this.offload(task, call.result ?? null) }),
        durationMs: Math.round(call.durationMs * 1000) / 1000,
      },
    };
    await this.call<AgentRecordAnswer>(Rpc.agentProgress.recordToolCall, payload, ctx);
  }

  private async offload(task: NodeTask, value: unknown): Promise<unknown> {
    const offloaded = await this.values.offload(task.workspaceId, value);
    if (offloaded.kind === 'inline') return value;
    if (offloaded.kind === 'ref') return offloaded.ref;
    throw new NodeFailure('output_too_large', `a recorded agent value is ${offloaded.size} bytes of JSON, over the limit`);
  }

  private async resolve(task: NodeTask, ref: ValueRef): Promise<unknown> {
    try {
      return await this.values.resolve(task.workspaceId, ref);
    } catch (e) {
      if (e instanceof FlowstackError) throw new NodeFailure('value_unavailable', e.message, false);
      throw e;
    }
  }

  /** One request, retried with backoff while the orchestrator does not answer. */
  private async call<T>(name: string, payload: unknown, ctx: RequestContext): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.rpc.request<T>(name, payload, ctx);
      } catch (e) {
        const unavailable = e instanceof FlowstackError && e.code === 'unavailable';
        if (unavailable && attempt < this.attempts) {
          await delay(this.backoffMs * 2 ** (attempt - 1));
          continue;
        }
        if (unavailable) {
          throw new NodeFailure('orchestrator_unavailable', `recording the agent loop failed: ${(e as Error).message}`, true);
        }
        const code = e instanceof FlowstackError ? e.code : 'internal';
        throw new NodeFailure('agent_record_failed', `recording the agent loop failed (${code}): ${(e as Error).message}`, true);
      }
    }
  }
}
