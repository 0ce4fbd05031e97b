import type { FakeErrorReply, FakeMessageReply } from './fake-llm.script';
import { jsonPieces, roughTokens, tokenChunks, type FakeRequestBody, type VendorWire } from './wire-helpers';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const sse = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function usageOf(reply: FakeMessageReply, request: FakeRequestBody | null) {
  const chunks = tokenChunks(reply.text ?? '').length;
  return {
    input_tokens: reply.inputTokens ?? roughTokens([request?.system, request?.messages]),
    output_tokens: reply.outputTokens ?? chunks + 10 * (reply.toolCalls?.length ?? 0),
  };
}

const stopOf = (reply: FakeMessageReply): string => reply.stopReason ?? (reply.toolCalls?.length ? 'tool_use' : 'end_turn');

/** Anthropic Messages API: `POST /v1/messages`, JSON or the named SSE events of a message stream. */
export const anthropicWire: VendorWire = {
  path: '/v1/messages',

  errorBody(reply: FakeErrorReply) {
    const message = reply.contextTooLong
      ? 'prompt is too long: 215332 tokens > 200000 maximum'
      : (reply.message ?? `fake anthropic error ${reply.status}`);
    return { type: 'error', error: { type: ERROR_TYPES[reply.status] ?? 'api_error', message }, request_id: 'req_fake' };
  },

  json(reply, request, ids) {
    const content: unknown[] = [];
    if (reply.text) content.push({ type: 'text', text: reply.text });
    for (const call of reply.toolCalls ?? []) {
      content.push({ type: 'tool_use', id: call.id ?? `toolu_${ids()}`, name: call.name, input: call.arguments });
    }
    return {
      id: `msg_${ids()}`,
      type: 'message',
      role: 'assistant',
      model: reply.model ?? request?.model,
      content,
      stop_reason: stopOf(reply),
      stop_sequence: null,
      usage: { ...usageOf(reply, request), cache_creation_input_tokens: null, cache_read_input_tokens: null },
    };
  },

  frames(reply, request, ids) {
    const usage = usageOf(reply, request);
    const frames: { frame: string; content: boolean }[] = [];
    const meta = (event: string, data: unknown) => frames.push({ frame: sse(event, data), content: false });
    meta('message_start', {
      type: 'message_start',
      message: {
        id: `msg_${ids()}`,
        type: 'message',
        role: 'assistant',
        model: reply.model ?? request?.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input_tokens,
          output_tokens: 1,
          cache_creation_input_tokens: null,
          cache_read_input_tokens: null,
        },
      },
    });
    let index = 0;
    if (reply.text) {
      meta('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      meta('ping', { type: 'ping' });
      for (const chunk of tokenChunks(reply.text)) {
        frames.push({
          frame: sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: chunk } }),
          content: true,
        });
      }
      meta('content_block_stop', { type: 'content_block_stop', index });
      index++;
    }
    for (const call of reply.toolCalls ?? []) {
      meta('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id ?? `toolu_${ids()}`, name: call.name, input: {} },
      });
      for (const piece of jsonPieces(JSON.stringify(call.arguments ?? {}))) {
        frames.push({
          frame: sse('content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: piece },
          }),
          content: true,
        });
      }
      meta('content_block_stop', { type: 'content_block_stop', index });
      index++;
    }
    meta('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopOf(reply), stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    });
    meta('message_stop', { type: 'message_stop' });
    return frames;
  },
};
