import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { LlmProviderName, TokenUsage } from '@flowstack/contracts';
import type { CompletionRequest, CompletionResult, ConversationMessage, LlmProvider, StopReason } from './llm.types';
import { callSignals, DEFAULT_LLM_TIMEOUT_MS, emitChunk, toolCallOf, type ProviderClientOptions } from './provider-call';
import { toLlmError } from './provider-error.mapper';

/** Zhipu's OpenAI-compatible endpoint (mainland); the international one is https://api.z.ai/api/paas/v4/. */
export const GLM_DEFAULT_BASE_URL = 'https://open.bigmodel.cn/api/paas/v4/';

type OpenAiFamily = Extract<LlmProviderName, 'openai' | 'glm' | 'openai_compatible'>;

/**
 * `openai`, `glm` and `openai_compatible` through the `openai` SDK (Chat Completions), which
 * differ only in base URL and in the name of the output limit (`max_completion_tokens` for OpenAI,
 * `max_tokens` for GLM and the servers that mimic the older API). SDK retries are off
 * (`maxRetries: 0`): the platform's retry policy decides.
 */
export class OpenAiProvider implements LlmProvider {
  private readonly client: OpenAI;
  private readonly timeoutMs: number;

  constructor(
    readonly name: OpenAiFamily,
    options: ProviderClientOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
    const baseURL = options.baseUrl ?? (name === 'glm' ? GLM_DEFAULT_BASE_URL : undefined);
    this.client = new OpenAI({
      // Local servers (Ollama, vLLM) often need no key, but the SDK insists on one.
      apiKey: options.apiKey ?? (name === 'openai_compatible' ? 'unused' : null),
      ...(baseURL ? { baseURL } : {}),
      maxRetries: 0,
      timeout: this.timeoutMs,
      logLevel: 'off',
    });
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const { signal, ctx } = callSignals(this.name, request, this.timeoutMs);
    const body = this.toBody(request);
    const stream = request.stream ?? request.onChunk !== undefined;
    try {
      if (!stream) {
        const completion = await this.client.chat.completions.create({ ...body, stream: false }, { signal });
        return resultOf(completion, request.model);
      }
      const chunks = await this.client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        { signal },
      );
      ctx.streaming = true;
      const acc = new ChunkAccumulator(request);
      for await (const chunk of chunks) {
        acc.add(chunk);
        ctx.usage = acc.usage;
      }
      // The SDK ends the iteration quietly when aborted, and a server that closes the stream
      // early ends it too: without a finish reason the answer is incomplete, never a result.
      if (acc.finish === null) throw toLlmError(new Error('the stream ended without a finish_reason'), ctx);
      return acc.result();
    } catch (e) {
      throw toLlmError(e, ctx);
    }
  }

  private toBody(request: CompletionRequest): ChatCompletionCreateParamsBase {
    const p = request.parameters ?? {};
    const messages: ChatCompletionMessageParam[] = [
      ...(request.system ? [{ role: 'system' as const, content: request.system }] : []),
      ...request.messages.flatMap(toOpenAiMessages),
    ];
    return {
      model: request.model,
      messages,
      ...(request.tools?.length
        ? {
            tools: request.tools.map((t) => ({
              type: 'function' as const,
              function: { name: t.name, description: t.description, parameters: t.inputSchema },
            })),
          }
        : {}),
      ...(p.maxTokens !== undefined
        ? this.name === 'openai'
          ? { max_completion_tokens: p.maxTokens }
          : { max_tokens: p.maxTokens }
        : {}),
      ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
      ...(p.topP !== undefined ? { top_p: p.topP } : {}),
      ...(p.stop?.length ? { stop: p.stop } : {}),
    };
  }
}

function toOpenAiMessages(m: ConversationMessage): ChatCompletionMessageParam[] {
  switch (m.role) {
    case 'user':
      return [{ role: 'user', content: m.text }];
    case 'assistant':
      return [
        {
          role: 'assistant',
          content: m.text || null,
          ...(m.toolCalls.length
            ? {
                tool_calls: m.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function' as const,
                  function: { name: c.name, arguments: c.invalidArguments ?? JSON.stringify(c.arguments) },
                })),
              }
            : {}),
        },
      ];
    case 'tool_results':
      return m.results.map((r) => ({ role: 'tool' as const, tool_call_id: r.toolCallId, content: r.content }));
    default: {
      const never: never = m;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}

function stopReasonOf(finish: string | null | undefined): StopReason {
  switch (finish) {
    case 'stop':
      return 'end_turn';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    case 'content_filter':
    case 'sensitive': // GLM's content filter
      return 'refusal';
    case 'model_context_window_exceeded':
      return 'context_window';
    default:
      return 'other';
  }
}

function resultOf(completion: ChatCompletion, requested: string): CompletionResult {
  const choice = completion.choices[0];
  const toolCalls = (choice?.message.tool_calls ?? []).flatMap((c) =>
    c.type === 'function' ? [toolCallOf(c.id, c.function.name, c.function.arguments)] : [],
  );
  return {
    message: { role: 'assistant', text: choice?.message.content ?? '', toolCalls },
    usage: {
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
      model: completion.model || requested,
    },
    stopReason: stopReasonOf(choice?.finish_reason),
  };
}

/** Folds Chat Completions chunks into the message; tool-call pieces are joined by their index. */
class ChunkAccumulator {
  private text = '';
  private readonly calls = new Map<number, { id: string; name: string; json: string }>();
  private model: string;
  private input = 0;
  private output = 0;
  finish: string | null = null;

  constructor(private readonly request: CompletionRequest) {
    this.model = request.model;
  }

  get usage(): TokenUsage {
    return { inputTokens: this.input, outputTokens: this.output, model: this.model };
  }

  add(chunk: ChatCompletionChunk): void {
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) {
      this.input = chunk.usage.prompt_tokens ?? this.input;
      this.output = chunk.usage.completion_tokens ?? this.output;
    }
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.text += delta.content;
      emitChunk(this.request.onChunk, delta.content);
    }
    for (const piece of delta.tool_calls ?? []) {
      const call = this.calls.get(piece.index) ?? { id: '', name: '', json: '' };
      if (piece.id) call.id = piece.id;
      if (piece.function?.name) call.name += piece.function.name;
      if (piece.function?.arguments) call.json += piece.function.arguments;
      this.calls.set(piece.index, call);
    }
    if (choice.finish_reason) this.finish = choice.finish_reason;
  }

  result(): CompletionResult {
    const toolCalls = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => toolCallOf(c.id || `call_${index}`, c.name, c.json));
    return {
      message: { role: 'assistant', text: this.text, toolCalls },
      usage: this.usage,
      stopReason: stopReasonOf(this.finish),
    };
  }
}
