/**
 * The error family shared by all services. A handler throws a `FlowstackError`; the RPC layer sends
 * it as `{ error: { code, message, details } }`; the gateway maps `code` to an HTTP status and a
 * problem+json body in one place (`httpStatusOf`).
 */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_graph'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'insufficient_credits'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** One violation in a request or graph, located by a path into the submitted document. */
export interface FieldError {
  /** JSON-pointer-like dotted path into the request body, e.g. `graph.nodes[2].id`. */
  path: string;
  message: string;
  /** Machine-readable rule name, e.g. `duplicate_node_id`, `cycle`, `dangling_edge`. */
  rule?: string;
  nodeId?: string;
  edge?: { from: string; to: string };
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  errors?: FieldError[];
  /** Seconds; set on `rate_limited` and on retryable `unavailable`. */
  retryAfter?: number;
}

/**
 * A typed, expected failure. `retryable` tells callers whether the same request may succeed later
 * unchanged (true for `unavailable`, `rate_limited`, `conflict` on optimistic concurrency).
 */
export class FlowstackError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'FlowstackError';
  }

  get retryable(): boolean {
    return this.code === 'unavailable' || this.code === 'rate_limited';
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
    };
  }

  static fromBody(body: ErrorBody): FlowstackError {
    return new FlowstackError(body.code, body.message, body.errors, body.retryAfter);
  }
}

export const notFound = (what: string): FlowstackError => new FlowstackError('not_found', `${what} not found`);

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_graph: 400,
  unauthenticated: 401,
  insufficient_credits: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export const httpStatusOf = (code: ErrorCode): number => STATUS[code] ?? 500;
