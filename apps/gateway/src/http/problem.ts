import { type FlowstackError, httpStatusOf, type ErrorCode, type FieldError } from '@flowstack/contracts';

/** An RFC 9457 problem document, with our error code and field errors as extensions. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ErrorCode;
  errors?: FieldError[];
  correlationId?: string;
}

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Invalid request',
  invalid_graph: 'Invalid workflow graph',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  insufficient_credits: 'Insufficient credits',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
};

/** The one place error codes become HTTP statuses and problem documents. */
export function toProblem(error: FlowstackError, instance?: string, correlationId?: string): Problem {
  return {
    type: `https://docs.flowstack.dev/problems/${error.code.replace(/_/g, '-')}`,
    title: TITLES[error.code] ?? 'Error',
    status: httpStatusOf(error.code),
    detail: error.message,
    ...(instance ? { instance } : {}),
    code: error.code,
    ...(error.errors?.length ? { errors: error.errors } : {}),
    ...(correlationId ? { correlationId } : {}),
  };
}
