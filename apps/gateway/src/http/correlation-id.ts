import { randomUUID } from 'node:crypto';

/** The header a client may send to tie its request to our logs and error bodies. */
export const CORRELATION_HEADER = 'x-correlation-id';

/** A client's id for this one request (proxies and load balancers set it too); echoed back. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Longest client-sent id kept; longer ones are replaced (a UUID is 36, a W3C trace id 32). */
export const MAX_CORRELATION_ID_LENGTH = 100;

// Letters, digits and `_ . : -`: nothing that could be markup, a header break or a log injection.
const SAFE_ID = new RegExp(`^[A-Za-z0-9_.:-]{1,${MAX_CORRELATION_ID_LENGTH}}$`);

/** Whether a client-sent correlation id may be kept as is (length and charset checked). */
export const isValidCorrelationId = (value: unknown): value is string => typeof value === 'string' && SAFE_ID.test(value);

/**
 * The correlation id to use for a request: the client's own (`X-Correlation-Id`) when it is valid,
 * otherwise a fresh UUID. A bad id is replaced, never reflected: it ends up in error bodies, logs
 * and NATS headers. Arrays (a header sent twice) count as invalid.
 */
export const correlationIdOf = (header: string | string[] | undefined): string =>
  isValidCorrelationId(header) ? header : randomUUID();

/**
 * The ids of one request: `requestId` is the client's valid `X-Request-Id` or a fresh UUID; the
 * correlation id is the client's valid `X-Correlation-Id`, else the request id, so a client (or a
 * proxy) that sends only `X-Request-Id` finds that same id in our logs, NATS headers and errors.
 * Invalid values are replaced, never reflected, with the same rules as the correlation id.
 */
export function requestIdsOf(headers: Record<string, string | string[] | undefined>): {
  requestId: string;
  correlationId: string;
} {
  const sent = headers[REQUEST_ID_HEADER];
  const requestId = isValidCorrelationId(sent) ? sent : randomUUID();
  const correlation = headers[CORRELATION_HEADER];
  return { requestId, correlationId: isValidCorrelationId(correlation) ? correlation : requestId };
}
