import type { LlmProviderName } from '@flowstack/contracts';
import type { CompletionRequest, ToolCall } from './llm.types';
import type { FailureContext } from './provider-error.mapper';

/** Connection settings of one provider client. */
export interface ProviderClientOptions {
  apiKey?: string;
  /** Any provider: a proxy, a gateway (LiteLLM), a regional endpoint, or a local fake. */
  baseUrl?: string;
  /** Whole-call deadline, streaming included (default 120 s). */
  timeoutMs?: number;
}

export const DEFAULT_LLM_TIMEOUT_MS = 120_000;

/** The signal handed to the SDK (caller's abort or our deadline) and the context for error mapping. */
export function callSignals(
  provider: LlmProviderName,
  request: CompletionRequest,
  timeoutMs: number,
): { signal: AbortSignal; ctx: FailureContext } {
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
  return { signal, ctx: { provider, model: request.model, signal: request.signal, deadline, timeoutMs, streaming: false } };
}

/** Calls `onChunk` without letting a listener's failure break the stream (chunks are ephemeral). */
export function emitChunk(onChunk: CompletionRequest['onChunk'], text: string): void {
  if (!onChunk || text === '') return;
  try {
    onChunk(text);
  } catch {
    // A streaming listener failing must not fail the LLM call: the turn is recorded regardless.
  }
}

/** A tool call from its id, name and the JSON text of its arguments (an empty text means `{}`). */
export function toolCallOf(id: string, name: string, json: string): ToolCall {
  const text = json.trim() === '' ? '{}' : json;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return { id, name, arguments: parsed as Record<string, unknown> };
    }
  } catch {
    // Falls through: the model produced text that is not a JSON object.
  }
  return { id, name, arguments: {}, invalidArguments: json.slice(0, 2000) };
}
