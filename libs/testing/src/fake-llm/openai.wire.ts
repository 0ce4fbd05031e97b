import type { FakeErrorReply, FakeMessageReply } from './fake-llm.script';
import { jsonPieces, roughTokens, tokenChunks, type FakeRequestBody, type VendorWire } from './wire-helpers';

const ERROR_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
};

function usageOf(reply: FakeMessageReply, request: FakeRequestBody | null) {
  const prompt = reply.inputTokens ?? roughTokens(request?.messages);
  const completion = reply.outputTokens ?? tokenChunks(reply.text ?? '').length + 10 * (reply.toolCalls?.length ?? 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

const finishOf = (reply: FakeMessageReply): string => reply.stopReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');

/** OpenAI Chat Completions: `POST /v1/chat/completions`, JSON or `data:` chunks ending in `[DONE]`. */
export const openaiWire: VendorWire = {
  path: '/v1/chat/completions',

  errorBody(reply: FakeErrorReply) {
    if (reply.contextTooLong) {
      return {
        error: {
          message:
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 215332 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      };
    }
    const known = ERROR_TYPES[reply.status] ?? { type: 'server_error', code: null };
    return {
      error: { message: reply.message ?? `fake openai error ${reply.status}`, type: known.type, param: null, code: known.code },
    };
  },

  json(reply, request, ids) {
    const toolCalls = (reply.toolCalls ?? []).map((call) => ({
      id: call.id ?? `call_${ids()}`,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
    }));
    return {
      id: `chatcmpl-${ids()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: reply.model ?? request?.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: reply.text ?? null,
            refusal: null,
            ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: finishOf(reply),
          logprobs: null,
        },
      ],
      usage: usageOf(reply, request),
    };
  },

  frames(reply, request, ids) {
    const id = `chatcmpl-${ids()}`;
    const created = Math.floor(Date.now() / 1000);
    const model = reply.model ?? request?.model;
    const chunk = (delta: unknown, finish: string | null = null, extra: object = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`;
    const frames: { frame: string; content: boolean }[] = [];
    frames.push({ frame: chunk({ role: 'assistant', content: '' }), content: false });
    for (const piece of tokenChunks(reply.text ?? '')) frames.push({ frame: chunk({ content: piece }), content: true });
    (reply.toolCalls ?? []).forEach((call, index) => {
      const callId = call.id ?? `call_${ids()}`;
      frames.push({
        frame: chunk({ tool_calls: [{ index, id: callId, type: 'function', function: { name: call.name, arguments: '' } }] }),
        content: false,
      });
      for (const piece of jsonPieces(JSON.stringify(call.arguments ?? {}))) {
        frames.push({ frame: chunk({ tool_calls: [{ index, function: { arguments: piece } }] }), content: true });
      }
    });
    frames.push({ frame: chunk({}, finishOf(reply)), content: false });
    if (request?.stream_options?.include_usage) {
      frames.push({
        frame: `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOf(reply, request) })}\n\n`,
        content: false,
      });
    }
    frames.push({ frame: 'data: [DONE]\n\n', content: false });
    return frames;
  },
};
