import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { FlowstackError } from '@flowstack/contracts';
import { CORRELATION_HEADER, REQUEST_ID_HEADER, requestIdsOf } from '../http/correlation-id';
import { toProblem } from '../http/problem';

/**
 * Validates the upgrade's `X-Request-Id` and `X-Correlation-Id` once (a bad or missing id is
 * replaced by a fresh one, never reflected) and writes them back into the request, as the HTTP
 * edge does: the socket's bus requests, its refusal and its 101 answer then all carry the same ids.
 */
export function adoptRequestIds(req: IncomingMessage): void {
  const { requestId, correlationId } = requestIdsOf(req.headers);
  req.headers[REQUEST_ID_HEADER] = requestId;
  req.headers[CORRELATION_HEADER] = correlationId;
}

/** The ids of an upgrade whose ids were adopted, as answer headers. */
export function idHeadersOf(req: IncomingMessage): Record<string, string> {
  const ids = requestIdsOf(req.headers); // already valid: read back unchanged
  return { 'X-Request-Id': ids.requestId, 'X-Correlation-Id': ids.correlationId };
}

/** The HTTP answer to an upgrade that is refused before the handshake. */
export interface UpgradeRefusal {
  status: number;
  /** An RFC 9457 problem document. */
  body: string;
  headers: Record<string, string>;
}

/**
 * An error as the HTTP answer to an upgrade: the same problem+json as the REST API (no request
 * target in it: an upgrade's URL may be anything), `nosniff`, the request's ids and, for a full
 * gateway, `Retry-After`. Anything but a `FlowstackError` is a 500 that shows nothing of its cause.
 */
export function refusalOf(e: unknown, req: IncomingMessage): UpgradeRefusal {
  const error = e instanceof FlowstackError ? e : new FlowstackError('internal', 'internal error');
  const ids = idHeadersOf(req);
  const problem = toProblem(error, undefined, ids['X-Correlation-Id']);
  return {
    status: problem.status,
    body: JSON.stringify(problem),
    headers: {
      'Content-Type': 'application/problem+json',
      'X-Content-Type-Options': 'nosniff',
      ...ids,
      ...(error.retryAfter !== undefined ? { 'Retry-After': String(error.retryAfter) } : {}),
    },
  };
}

/** Writes a refusal on the raw socket of an upgrade nobody handled, and closes it. */
export function writeRefusal(socket: Duplex, refusal: UpgradeRefusal): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  const headers = { ...refusal.headers, 'Content-Length': String(Buffer.byteLength(refusal.body)), Connection: 'close' };
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}\r\n` +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      `\r\n${refusal.body}`,
  );
}
