import type { NodeError } from '@flowstack/contracts';
import { NodeFailure } from '../work/node-failure';

/**
 * Codes of failed LLM calls. Retryable (the same call may succeed later): `rate_limited` (429,
 * with `retryAfter` seconds when the vendor said), `provider_unavailable` (5xx, 529 overloaded,
 * connection refused or reset), `timeout` (no complete answer within the call's time), and
 * `stream_interrupted` (the stream ended before the vendor's end event). Not retryable:
 * `provider_bad_request` (400, 413, 422), `provider_not_found` (404: unknown model or wrong base
 * URL), `provider_auth_failed` (401, 403), `provider_quota_exceeded` (billing or quota exhausted,
 * also when sent as a 429), `context_length_exceeded` (the prompt does not fit the model),
 * `cancelled` (our own abort), `provider_error` (anything else).
 */
export type LlmErrorCode =
  | 'rate_limited'
  | 'provider_unavailable'
  | 'timeout'
  | 'stream_interrupted'
  | 'provider_bad_request'
  | 'provider_not_found'
  | 'provider_auth_failed'
  | 'provider_quota_exceeded'
  | 'context_length_exceeded'
  | 'cancelled'
  | 'provider_error';

const RETRYABLE: ReadonlySet<LlmErrorCode> = new Set(['rate_limited', 'provider_unavailable', 'timeout', 'stream_interrupted']);

export interface LlmErrorDetails {
  provider: string;
  /** The vendor's HTTP status, when it answered. */
  status?: number;
  /** Seconds to wait before retrying, from `retry-after` (or `retry-after-ms`). */
  retryAfter?: number;
  /** The vendor's own error type/code, e.g. `rate_limit_error`, `context_length_exceeded`. */
  vendorCode?: string;
  /** Tokens the failed call used before it failed (input counted once the stream had started). */
  usage?: { inputTokens: number; outputTokens: number; model: string };
  /** Set by the agent loop: what the whole loop had used and cost, this failed call included. */
  spent?: { usage: { inputTokens: number; outputTokens: number; model: string }; cost: { cost: number; priced: boolean } };
}

/** A failed LLM call: a `NodeFailure` whose `retryable` follows from its code. */
export class LlmError extends NodeFailure {
  constructor(
    override readonly code: LlmErrorCode,
    message: string,
    override readonly details: LlmErrorDetails,
  ) {
    super(code, message, RETRYABLE.has(code), details);
    this.name = 'LlmError';
  }

  get retryAfter(): number | undefined {
    return this.details.retryAfter;
  }

  override toNodeError(): NodeError {
    return { code: this.code, message: this.message, retryable: this.retryable, details: this.details };
  }
}
