/**
 * The durable agent loop's record: each LLM turn and each tool call of an `agent_call` node, as
 * the orchestrator appends them to the execution's stream (`AgentTurnCompleted`,
 * `AgentToolCalled`), and the request-reply subjects through which the tool-runner records them
 * and reads them back when it resumes a loop (the runner never writes the event store).
 *
 * Large values (a turn's message, a call's arguments or result above `Limits.inlineValueBytes`)
 * travel and are stored as `ValueRef`s (claim check); the runner resolves them when it resumes.
 */
import type { NodeError } from './execution-events';
import type { TokenUsage } from './llm';
import type { ValueRef } from './value-ref';

/** A tool call the model asked for, as recorded. */
export interface RecordedToolCallRequest {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /** The raw text the model sent when its arguments were not a JSON object. */
  invalidArguments?: string;
}

/** The model's side of a turn: its text and the tools it asked for. */
export interface RecordedAssistantMessage {
  role: 'assistant';
  text: string;
  toolCalls: RecordedToolCallRequest[];
}

/**
 * One finished LLM turn of an agent loop. Recorded once per (node, step): a second record of the
 * same step (a redelivered task, a replayed request) appends nothing. `attempt` is the node
 * attempt that made and paid the call: a later attempt resumes from it without paying again.
 */
export interface AgentTurnCompleted {
  type: 'AgentTurnCompleted';
  data: {
    nodeId: string;
    attempt: number;
    taskId: string;
    /** 1-based turn index within the node's conversation (all attempts together). */
    step: number;
    /** The model's message, or its reference when large. */
    message: RecordedAssistantMessage | ValueRef;
    usage: TokenUsage;
    /** Credits (micro-units) the turn's tokens cost; `priced: false` when the model has no price. */
    cost: number;
    priced: boolean;
    stopReason: string;
    completedAt: string;
  };
}

/**
 * One finished tool call of an agent loop: a `result` or an `error`, never both. Recorded once
 * per (node, step, toolCallId).
 */
export interface AgentToolCalled {
  type: 'AgentToolCalled';
  data: {
    nodeId: string;
    attempt: number;
    taskId: string;
    step: number;
    toolCallId: string;
    /** The tool's name as the model sees it. */
    tool: string;
    arguments: Record<string, unknown> | ValueRef;
    result?: unknown;
    error?: NodeError;
    durationMs: number;
    calledAt: string;
  };
}

/** Request-reply subjects of the durable agent loop, served by the orchestrator, called by tool-runners only. */
export const AgentProgressRpc = {
  /** `RecordAgentTurnPayload` -> `AgentRecordAnswer`. */
  recordTurn: 'orchestrator.agent.turn.record',
  /** `RecordAgentToolCallPayload` -> `AgentRecordAnswer`. */
  recordToolCall: 'orchestrator.agent.toolCall.record',
  /** `AgentProgressQuery` -> `AgentProgressView` (or `{ ref }` when it would not fit a reply). */
  progress: 'orchestrator.agent.progress.get',
} as const;

export interface RecordAgentTurnPayload {
  executionId: string;
  turn: Omit<AgentTurnCompleted['data'], 'completedAt'>;
}

export interface RecordAgentToolCallPayload {
  executionId: string;
  call: Omit<AgentToolCalled['data'], 'calledAt'>;
}

/** `recorded: false`: nothing appended (already recorded, a superseded attempt, or a finished execution). */
export interface AgentRecordAnswer {
  recorded: boolean;
}

export interface AgentProgressQuery {
  executionId: string;
  nodeId: string;
}

/** Everything recorded for one node's agent loop, in stream order. */
export interface AgentProgressView {
  turns: AgentTurnCompleted['data'][];
  toolCalls: AgentToolCalled['data'][];
}
