/**
 * What a fake LLM server answers, vendor-neutral: each test queues replies and the server renders
 * them in the wire format of the vendor it plays (Anthropic Messages or OpenAI Chat Completions),
 * as JSON or as an SSE stream, whichever the request asked for.
 */

export interface FakeToolCall {
  /** Defaults to a generated id (`toolu_...` / `call_...`). */
  id?: string;
  name: string;
  arguments: unknown;
}

export interface FakeMessageReply {
  type: 'message';
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Default: a rough count of the request's text. */
  inputTokens?: number;
  /** Default: the number of text chunks plus 10 per tool call. */
  outputTokens?: number;
  /** Default: the vendor's "tool use" reason when there are tool calls, else its "end of turn". */
  stopReason?: string;
  /** Default: the request's model. */
  model?: string;
  /**
   * Streaming only: stop after this many content events (text chunks and tool-argument pieces),
   * before the vendor's end events. `destroy` (default) kills the socket; `end` closes the
   * response cleanly with the end events missing.
   */
  cutAfterChunks?: number;
  cutMode?: 'destroy' | 'end';
}

export interface FakeErrorReply {
  type: 'error';
  status: number;
  message?: string;
  /** Renders the vendor's own "prompt too long" 400 body. */
  contextTooLong?: boolean;
  /** A raw body sent as is, instead of the vendor's error envelope. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeLlmReply = FakeMessageReply | FakeErrorReply;

/** Shorthands for the replies tests need most. */
export const fakeReply = {
  text: (text: string, extra: Partial<FakeMessageReply> = {}): FakeMessageReply => ({ type: 'message', text, ...extra }),
  toolCalls: (toolCalls: FakeToolCall[], extra: Partial<FakeMessageReply> = {}): FakeMessageReply => ({
    type: 'message',
    toolCalls,
    ...extra,
  }),
  streamCut: (text: string, afterChunks: number, cutMode: 'destroy' | 'end' = 'destroy'): FakeMessageReply => ({
    type: 'message',
    text,
    cutAfterChunks: afterChunks,
    cutMode,
  }),
  rateLimited: (retryAfterSeconds: number): FakeErrorReply => ({
    type: 'error',
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  serverError: (status = 500): FakeErrorReply => ({ type: 'error', status }),
  unauthorized: (status = 401): FakeErrorReply => ({ type: 'error', status }),
  badRequest: (message = 'invalid request'): FakeErrorReply => ({ type: 'error', status: 400, message }),
  /** A 400 whose body says the prompt is longer than the model's context, as each vendor words it. */
  contextTooLong: (): FakeErrorReply => ({ type: 'error', status: 400, contextTooLong: true }),
};
