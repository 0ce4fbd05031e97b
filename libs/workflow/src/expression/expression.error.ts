import type { NodeError } from '@flowstack/contracts';

/**
 * Why an expression or template could not produce a value.
 * - `expression_syntax`: the JSONata source does not compile (`position` locates it).
 * - `template_syntax`: a template's `{{ }}` markers are unbalanced or empty.
 * - `expression_error`: it compiled but failed at run time (type error, `$error()`...).
 * - `expression_timeout`: it ran past its time bound (a runaway loop).
 * - `expression_depth`: it nested deeper than its depth bound (runaway recursion).
 * - `expression_memory`: its worker thread ran out of its heap budget and was stopped.
 * - `output_too_large`: its result, as JSON, is larger than the output bound (`Limits.maxValueBytes`).
 * - `expression_budget_exceeded`: the execution has spent its total expression time budget.
 */
export type ExpressionErrorCode =
  | 'expression_syntax'
  | 'template_syntax'
  | 'expression_error'
  | 'expression_timeout'
  | 'expression_depth'
  | 'expression_memory'
  | 'output_too_large'
  | 'expression_budget_exceeded';

/**
 * The one error family of `@flowstack/workflow`'s evaluation. Never retryable: expressions are
 * pure, so the same expression over the same scope fails the same way again.
 */
export class ExpressionError extends Error {
  /** Always false; kept as a field so callers can treat every typed error alike. */
  readonly retryable = false;

  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    readonly details: {
      /** Character offset in the source (JSONata's: just after the offending token). */
      position?: number;
      /** The offending token, when JSONata names one. */
      token?: string;
      /** JSONata's own error code (`S0201`, `T2002`, `D3137`...), for diagnostics. */
      jsonataCode?: string;
      /** JSONata's own message, without our framing. */
      reason?: string;
      /** The expression's source text (the template's, for template errors). */
      source?: string;
      /** Where in a rendered value the failing template sits (`headers.Authorization`). */
      path?: string;
    } = {},
  ) {
    super(message);
    this.name = 'ExpressionError';
  }

  get position(): number | undefined {
    return this.details.position;
  }

  /** The shape a failed node records in `NodeFailed` (`contracts` `NodeError`). */
  toNodeError(): NodeError {
    return { code: this.code, message: this.message, retryable: false, details: this.details };
  }
}

/** What JSONata throws: a plain object, not an `Error`. */
export interface JsonataFailure {
  code: string;
  message?: string;
  position?: number;
  token?: unknown;
}

export const isJsonataFailure = (e: unknown): e is JsonataFailure =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
