import type { NodeError } from '@flowstack/contracts';

/**
 * A node attempt that failed for a known reason. `retryable` says whether the same attempt could
 * succeed if run again (timeouts, network errors, 429/5xx), for the retry policies to come.
 */
export class NodeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'NodeFailure';
  }

  toNodeError(): NodeError {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}
