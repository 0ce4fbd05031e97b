import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { LlmError, type LlmErrorCode, type LlmErrorDetails } from './llm-error';

/** Where the call was when it failed, and which of our signals (if any) ended it. */
export interface FailureContext {
  provider: string;
  model: string;
  /** The caller's signal (cancellation). */
  signal?: AbortSignal;
  /** Our own per-call deadline. */
  deadline: AbortSignal;
  timeoutMs: number;
  /** True once response headers arrived and the stream was being read. */
  streaming: boolean;
  usage?: LlmErrorDetails['usage'];
}

// The vendors word "prompt too long" differently and neither gives it a status of its own:
// Anthropic "prompt is too long: N tokens > M maximum", OpenAI code `context_length_exceeded`
// ("maximum context length is N tokens"), GLM code 1261 ("Prompt exceeds max length"), vLLM and
// others "... context length ..." / "too many tokens".
const CONTEXT_CODES = new Set(['context_length_exceeded', '1261']);
const CONTEXT_TEXT =
  /prompt is too long|context[ _]length|context window|maximum context|too many tokens|exceeds? (the )?max(imum)? (context|length|input|tokens)|input is too long|prompt exceeds/i;
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_error', '1113']);
const UNAVAILABLE_TYPES = new Set(['overloaded_error', 'api_error', 'server_error', 'timeout_error']);

interface VendorError {
  status?: number;
  headers?: { get(name: string): string | null };
  error?: unknown;
  message?: string;
}

/** Any error thrown by either SDK (or by reading its stream) as an `LlmError`. */
export function toLlmError(e: unknown, ctx: FailureContext): LlmError {
  if (e instanceof LlmError) return e;
  const details: LlmErrorDetails = { provider: ctx.provider, ...(ctx.usage ? { usage: ctx.usage } : {}) };
  if (ctx.deadline.aborted && !ctx.signal?.aborted) {
    return new LlmError('timeout', `${ctx.provider} did not answer in full within ${ctx.timeoutMs} ms`, details);
  }
  if (ctx.signal?.aborted) return new LlmError('cancelled', `the ${ctx.provider} call was cancelled`, details);

  const err = (e ?? {}) as VendorError;
  if (e instanceof Anthropic.APIConnectionTimeoutError || e instanceof OpenAI.APIConnectionTimeoutError) {
    return new LlmError('timeout', `${ctx.provider} did not answer within ${ctx.timeoutMs} ms`, details);
  }
  if (e instanceof Anthropic.APIConnectionError || e instanceof OpenAI.APIConnectionError) {
    const cause = (e as { cause?: Error }).cause?.message ?? err.message ?? 'connection error';
    // Once the stream was being read, a broken connection means a cut answer, not an unreachable host.
    return ctx.streaming
      ? new LlmError('stream_interrupted', `the ${ctx.provider} stream broke off before its end: ${cause}`, details)
      : new LlmError('provider_unavailable', `cannot reach ${ctx.provider}: ${cause}`, details);
  }
  const { code: vendorCode, message: vendorMessage } = vendorFields(err.error);
  if (vendorCode) details.vendorCode = vendorCode;
  const status = typeof err.status === 'number' ? err.status : undefined;
  if (status === undefined) {
    // An error event inside an SSE stream (Anthropic sends `event: error` with an overloaded_error),
    // or the body failing while being read (the connection cut): both mean the answer is incomplete.
    if (vendorCode === 'rate_limit_error')
      return new LlmError('rate_limited', `${ctx.provider} rate-limited the stream`, details);
    if (vendorCode && UNAVAILABLE_TYPES.has(vendorCode)) {
      return new LlmError('provider_unavailable', `${ctx.provider} failed mid-stream: ${vendorMessage ?? vendorCode}`, details);
    }
    const what = err.message ?? String(e);
    return ctx.streaming
      ? new LlmError('stream_interrupted', `the ${ctx.provider} stream broke off before its end: ${what}`, details)
      : new LlmError('provider_unavailable', `${ctx.provider} call failed: ${what}`, details);
  }
  details.status = status;
  const retryAfter = retryAfterSeconds(err.headers);
  if (retryAfter !== undefined) details.retryAfter = retryAfter;
  const said = vendorMessage ?? err.message ?? `status ${status}`;
  return new LlmError(codeFor(status, vendorCode, said), `${ctx.provider} answered ${status}: ${said}`, details);
}

function codeFor(status: number, vendorCode: string | undefined, message: string): LlmErrorCode {
  if (status === 402 || (vendorCode && QUOTA_CODES.has(vendorCode))) return 'provider_quota_exceeded';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'provider_unavailable';
  if (status === 401 || status === 403) return 'provider_auth_failed';
  if (
    (status === 400 || status === 413 || status === 422) &&
    ((vendorCode && CONTEXT_CODES.has(vendorCode)) || CONTEXT_TEXT.test(message))
  ) {
    return 'context_length_exceeded';
  }
  if (status === 404) return 'provider_not_found';
  if (status >= 400 && status < 500) return 'provider_bad_request';
  return 'provider_error';
}

/** The vendor's own code and message from an error body of either shape (`{error:{...}}` or flat). */
function vendorFields(body: unknown): { code?: string; message?: string } {
  if (!body || typeof body !== 'object') return {};
  const outer = body as { error?: unknown };
  const inner = (outer.error && typeof outer.error === 'object' ? outer.error : body) as {
    code?: unknown;
    type?: unknown;
    message?: unknown;
  };
  const code = inner.code ?? inner.type;
  return {
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(typeof inner.message === 'string' ? { message: inner.message.slice(0, 500) } : {}),
  };
}

/** `retry-after-ms` (OpenAI), else `retry-after` in seconds or as an HTTP date; capped at a day. */
export function retryAfterSeconds(headers: VendorError['headers'], now = Date.now()): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return Math.min(ms / 1000, 86_400);
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 86_400);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.min(Math.max(0, (date - now) / 1000), 86_400) : undefined;
}
