import Anthropic from '@anthropic-ai/sdk';
import type {
  MessageCreateParamsBase,
  MessageParam,
  RawMessageStreamEvent,
  StopReason as AnthropicStopReason,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import type { TokenUsage } from '@flowstack/contracts';
import type { CompletionRequest, CompletionResult, ConversationMessage, LlmProvider, StopReason, ToolCall } from './llm.types';
import { LlmError } from './llm-error';
import { callSignals, DEFAULT_LLM_TIMEOUT_MS, emitChunk, toolCallOf, type ProviderClientOptions } from './provider-call';
import { toLlmError } from './provider-error.mapper';

const DEFAULT_MAX_TOKENS = 4096;

/**
 * `anthropic` through `@anthropic-ai/sdk` (Messages API). The SDK's own retries are off
 * (`maxRetries: 0`): a failed call surfaces at once as an `LlmError` with `retryable` and
 * `retryAfter`, and the platform's retry policy decides.
 */
export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic' as const;
  private readonly client: Anthropic;
  private readonly timeoutMs: number;

  constructor(options: ProviderClientOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
    this.client = new Anthropic({
      apiKey: options.apiKey ?? null,
      authToken: null,
      baseURL: options.baseUrl ?? null,
      maxRetries: 0,
      timeout: this.timeoutMs,
      logLevel: 'off',
      openTelemetry: false,
    });
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const { signal, ctx } = callSignals(this.name, request, this.timeoutMs);
    const body = toAnthropicBody(request);
    const stream = request.stream ?? request.onChunk !== undefined;
    try {
      if (!stream) {
        const message = await this.client.messages.create({ ...body, stream: false }, { signal });
        const toolCalls = message.content.flatMap((b) =>
          b.type === 'tool_use' ? [toolCallOf(b.id, b.name, JSON.stringify(b.input ?? {}))] : [],
        );
        const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
        return {
          message: { role: 'assistant', text, toolCalls },
          usage: {
            inputTokens: inputTokensOf(message.usage),
            outputTokens: message.usage.output_tokens,
            model: message.model || request.model,
          },
          stopReason: stopReasonOf(message.stop_reason),
        };
      }
      const events = await this.client.messages.create({ ...body, stream: true }, { signal });
      ctx.streaming = true;
      const acc = new StreamAccumulator(request);
      for await (const event of events) {
        acc.add(event);
        ctx.usage = acc.usage;
      }
      // The SDK ends the iteration quietly when the request is aborted: an unfinished stream is
      // never a result.
      if (!acc.done) throw toLlmError(new Error('the stream ended without message_stop'), ctx);
      return acc.result();
    } catch (e) {
      throw toLlmError(e, ctx);
    }
  }
}

function toAnthropicBody(request: CompletionRequest): MessageCreateParamsBase {
  const p = request.parameters ?? {};
  const body: MessageCreateParamsBase & { temperature?: number; top_p?: number } = {
    model: request.model,
    max_tokens: p.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: request.messages.map(toAnthropicMessage),
    ...(request.system ? { system: request.system } : {}),
    ...(request.tools?.length
      ? {
          tools: request.tools.map((t): Tool => ({
            name: t.name,
            description: t.description,
            input_schema: t.inputSchema as Tool['input_schema'],
          })),
        }
      : {}),
    ...(p.stop?.length ? { stop_sequences: p.stop } : {}),
    // Sampling fields the SDK's types no longer list for every model; sent as given when set.
    ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
    ...(p.topP !== undefined ? { top_p: p.topP } : {}),
  };
  return body;
}

function toAnthropicMessage(m: ConversationMessage): MessageParam {
  switch (m.role) {
    case 'user':
      return { role: 'user', content: m.text };
    case 'assistant':
      return {
        role: 'assistant',
        content: [
          ...(m.text ? [{ type: 'text' as const, text: m.text }] : []),
          ...m.toolCalls.map((c) => ({ type: 'tool_use' as const, id: c.id, name: c.name, input: c.arguments })),
        ],
      };
    case 'tool_results':
      return {
        role: 'user',
        content: m.results.map((r) => ({
          type: 'tool_result' as const,
          tool_use_id: r.toolCallId,
          content: r.content,
          ...(r.isError ? { is_error: true } : {}),
        })),
      };
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

/** Input counted as everything the model read, cache writes and reads included. */
const inputTokensOf = (u: {
  input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}) => (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);

function stopReasonOf(reason: AnthropicStopReason | null | undefined): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'refusal':
      return reason;
    case 'model_context_window_exceeded':
      return 'context_window';
    default:
      return 'other';
  }
}

type Block = { kind: 'text'; text: string } | { kind: 'tool'; id: string; name: string; json: string };

/** Folds Messages stream events into the message, as they arrive. */
class StreamAccumulator {
  private readonly blocks = new Map<number, Block>();
  private model: string;
  private input = 0;
  private output = 0;
  private stop: AnthropicStopReason | null = null;
  done = false;

  constructor(private readonly request: CompletionRequest) {
    this.model = request.model;
  }

  get usage(): TokenUsage {
    return { inputTokens: this.input, outputTokens: this.output, model: this.model };
  }

  add(event: RawMessageStreamEvent): void {
    switch (event.type) {
      case 'message_start':
        this.model = event.message.model || this.model;
        this.input = inputTokensOf(event.message.usage);
        this.output = event.message.usage.output_tokens ?? 0;
        return;
      case 'content_block_start': {
        const b = event.content_block;
        if (b.type === 'text') {
          this.blocks.set(event.index, { kind: 'text', text: b.text ?? '' });
          emitChunk(this.request.onChunk, b.text ?? '');
        } else if (b.type === 'tool_use') this.blocks.set(event.index, { kind: 'tool', id: b.id, name: b.name, json: '' });
        return;
      }
      case 'content_block_delta': {
        const block = this.blocks.get(event.index);
        if (event.delta.type === 'text_delta' && block?.kind === 'text') {
          block.text += event.delta.text;
          emitChunk(this.request.onChunk, event.delta.text);
        } else if (event.delta.type === 'input_json_delta' && block?.kind === 'tool') block.json += event.delta.partial_json;
        return;
      }
      case 'message_delta':
        this.stop = event.delta.stop_reason ?? this.stop;
        this.output = event.usage.output_tokens ?? this.output;
        if (event.usage.input_tokens !== null && event.usage.input_tokens !== undefined) this.input = inputTokensOf(event.usage);
        return;
      case 'message_stop':
        this.done = true;
        return;
      default:
        return;
    }
  }

  result(): CompletionResult {
    const ordered = [...this.blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
    const toolCalls: ToolCall[] = [];
    let text = '';
    for (const block of ordered) {
      if (block.kind === 'text') text += block.text;
      else toolCalls.push(toolCallOf(block.id, block.name, block.json));
    }
    if (this.stop === null)
      throw new LlmError('stream_interrupted', 'the anthropic stream ended without a stop reason', {
        provider: 'anthropic',
        usage: this.usage,
      });
    return { message: { role: 'assistant', text, toolCalls }, usage: this.usage, stopReason: stopReasonOf(this.stop) };
  }
}
