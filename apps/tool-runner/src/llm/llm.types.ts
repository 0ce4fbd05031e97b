import type { LlmProviderName, TokenUsage } from '@flowstack/contracts';

/** A tool call the model asked for. `arguments` is the parsed JSON object the model produced. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /** Set when the model's arguments were not a JSON object: the raw text it sent. */
  invalidArguments?: string;
}

/** What the runner answers to one tool call. */
export interface ToolResult {
  toolCallId: string;
  content: string;
  isError?: boolean;
}

/** The model's side of a turn: its text and the tools it asked for (several = parallel calls). */
export interface AssistantMessage {
  role: 'assistant';
  text: string;
  toolCalls: ToolCall[];
}

/**
 * A conversation in the runner's own shape, translated to each vendor's on the way out. The results
 * of one turn's tool calls travel together, in the order of the calls.
 */
export type ConversationMessage =
  { role: 'user'; text: string } | AssistantMessage | { role: 'tool_results'; results: ToolResult[] };

/** A tool as the model sees it: the name it calls, what it is for, the JSON Schema of its arguments. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** Sampling parameters an agent may set; each provider sends the ones its API knows. */
export interface LlmParameters {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
}

/** Why the model stopped, in one vocabulary for every vendor. */
export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'context_window' | 'other';

export interface CompletionRequest {
  model: string;
  system?: string;
  messages: ConversationMessage[];
  tools?: ToolDefinition[];
  parameters?: LlmParameters;
  /** Aborting closes the HTTP connection to the provider. */
  signal?: AbortSignal;
  /** Text deltas as they arrive; setting it streams the call (unless `stream: false`). */
  onChunk?: (text: string) => void;
  /** Default: true when `onChunk` is set. */
  stream?: boolean;
}

export interface CompletionResult {
  message: AssistantMessage;
  usage: TokenUsage;
  stopReason: StopReason;
}

/**
 * One LLM vendor behind its official SDK. `complete` resolves with the whole message, or rejects
 * with an `LlmError` (never another error type, never a truncated message).
 */
export interface LlmProvider {
  readonly name: LlmProviderName;
  complete(request: CompletionRequest): Promise<CompletionResult>;
}
