import type { LlmProviderName, NodeError, TokenUsage } from '@flowstack/contracts';
import type { TokenCost } from '@flowstack/pricing';
import type { AssistantMessage, LlmParameters, StopReason, ToolDefinition } from './llm.types';

/** The agent as the loop needs it (the registry's agent minus what only wiring needs). */
export interface AgentConfig {
  provider: LlmProviderName;
  model: string;
  systemPrompt?: string;
  parameters?: LlmParameters;
  /** LLM turns at most; a model still asking for tools after the last one fails the loop. */
  maxSteps: number;
}

/** One tool call to run: the tool's name as the model sees it, and the arguments it gave. */
export interface ToolInvocation {
  step: number;
  toolCallId: string;
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * Runs one tool. Resolves with its result (a string goes to the model as is, anything else as
 * JSON); throws for a failed call (a `NodeFailure` keeps its code), which the model is told about.
 */
export type ToolExecutor = (call: ToolInvocation, signal: AbortSignal) => Promise<unknown>;

/** A finished LLM turn, as `AgentTurnCompleted` records it. */
export interface TurnRecord {
  /** 1-based. */
  step: number;
  message: AssistantMessage;
  usage: TokenUsage;
  cost: TokenCost;
  stopReason: StopReason;
}

/** A finished tool call, as `AgentToolCalled` records it: a result or an error, never both. */
export interface ToolCallRecord {
  step: number;
  toolCallId: string;
  tool: string;
  arguments: Record<string, unknown>;
  result?: unknown;
  error?: NodeError;
  durationMs: number;
}

/** What an earlier attempt recorded; the loop resumes after it without calling the LLM for it again. */
export interface RecordedProgress {
  turns: TurnRecord[];
  toolCalls: ToolCallRecord[];
}

export interface AgentLoopInput {
  agent: AgentConfig;
  /** The rendered prompt: the conversation's first user message (unless `conversation` is given). */
  prompt: string;
  /**
   * The conversation the loop starts from, instead of `prompt` alone (an invoke's messages); it
   * ends with a user message. Recorded turns follow it.
   */
  conversation?: Array<{ role: 'user' | 'assistant'; text: string }>;
  tools: ToolDefinition[];
  executeTool: ToolExecutor;
  /** When set, the final answer must be JSON satisfying it, and becomes the output parsed. */
  outputSchema?: Record<string, unknown> | boolean;
  recorded?: RecordedProgress;
  /** Text deltas of the turn in progress (ephemeral: for live streaming only). */
  onChunk?: (text: string, step: number) => void;
  /** Awaited before the loop goes on: record the turn durably here. A throw stops the loop. */
  onTurnCompleted: (turn: TurnRecord) => Promise<void> | void;
  /** Awaited before the results go back to the model: record the call durably here. */
  onToolCalled: (call: ToolCallRecord) => Promise<void> | void;
  signal?: AbortSignal;
  /** A tool result longer than this (characters, as sent to the model) fails the loop. Default 100,000. */
  maxToolResultChars?: number;
}

export interface AgentLoopResult {
  /** The final text, or the parsed JSON when an `outputSchema` was given. */
  output: unknown;
  text: string;
  /** LLM turns in all, recorded ones included. */
  steps: number;
  /** Turns this run sent to the LLM (the rest were rebuilt from the record). */
  newTurns: number;
  /** Sums over every turn, recorded ones included; `model` is the last turn's. */
  usage: TokenUsage;
  cost: TokenCost;
}
