import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { retryAfterSeconds, toLlmError, type FailureContext } from './provider-error.mapper';

const ctx = (extra: Partial<FailureContext> = {}): FailureContext => ({
  provider: 'openai',
  model: 'm',
  deadline: new AbortController().signal,
  timeoutMs: 1000,
  streaming: false,
  ...extra,
});
const openaiError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  OpenAI.APIError.generate(status, body as object, undefined, new Headers(headers));
const anthropicError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Anthropic.APIError.generate(status, body as object, undefined, new Headers(headers));

describe('toLlmError', () => {
  it('reads retry-after-ms before retry-after, and an HTTP date', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1.5);
    expect(
      retryAfterSeconds(new Headers({ 'retry-after': 'Tue, 01 Dec 2026 12:00:30 GMT' }), Date.parse('2026-12-01T12:00:00Z')),
    ).toBe(30);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterSeconds(new Headers({ 'retry-after': '999999' }))).toBe(86_400);
  });

  it('a 429 that says the quota is gone is not retryable (provider_quota_exceeded), a plain 429 is', () => {
    const quota = toLlmError(
      openaiError(429, { error: { code: 'insufficient_quota', message: 'You exceeded your quota' } }),
      ctx(),
    );
    expect([quota.code, quota.retryable]).toEqual(['provider_quota_exceeded', false]);
    const glm = toLlmError(openaiError(429, { error: { code: '1113', message: '余额不足' } }), ctx({ provider: 'glm' }));
    expect(glm.code).toBe('provider_quota_exceeded');
    const plain = toLlmError(
      openaiError(429, { error: { code: 'rate_limit_exceeded', message: 'slow down' } }, { 'retry-after': '2' }),
      ctx(),
    );
    expect([plain.code, plain.retryable, plain.retryAfter]).toEqual(['rate_limited', true, 2]);
  });

  it('detects context length in each vendor wording', () => {
    const glm = toLlmError(
      openaiError(400, { error: { code: '1261', message: 'Prompt exceeds max length' } }),
      ctx({ provider: 'glm' }),
    );
    expect(glm.code).toBe('context_length_exceeded');
    const vllm = toLlmError(
      // vLLM's flat body, as the openai client hands it on (wrapped in `error`).
      openaiError(400, {
        error: {
          object: 'error',
          message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens",
        },
      }),
      ctx({ provider: 'openai_compatible' }),
    );
    expect(vllm.code).toBe('context_length_exceeded');
    const anthropic = toLlmError(
      anthropicError(
        400,
        {
          type: 'error',
          error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
        },
        {},
      ),
      ctx({ provider: 'anthropic' }),
    );
    expect(anthropic.code).toBe('context_length_exceeded');
    const other = toLlmError(openaiError(400, { error: { message: 'temperature must be at most 2' } }), ctx());
    expect(other.code).toBe('provider_bad_request');
  });

  it('an error event inside a stream: overloaded is retryable, unknown is a broken stream', () => {
    // What the SDK throws for an `event: error` frame: an APIError without a status.
    const overloaded = toLlmError(
      new Anthropic.APIError(
        undefined,
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
        undefined,
        new Headers(),
      ),
      ctx({ provider: 'anthropic', streaming: true }),
    );
    expect([overloaded.code, overloaded.retryable]).toEqual(['provider_unavailable', true]);
    const broken = toLlmError(new TypeError('terminated'), ctx({ streaming: true }));
    expect([broken.code, broken.retryable]).toEqual(['stream_interrupted', true]);
  });

  it('our deadline makes it a timeout, the caller abort a cancellation, whatever the SDK threw', () => {
    const deadline = AbortSignal.abort();
    expect(toLlmError(new Error('aborted'), ctx({ deadline })).code).toBe('timeout');
    const caller = AbortSignal.abort();
    expect(toLlmError(new Error('aborted'), ctx({ signal: caller, deadline })).code).toBe('cancelled');
  });
});
