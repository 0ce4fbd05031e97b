import type { IncomingHttpHeaders } from 'node:http';
import { FlowstackError } from '@flowstack/contracts';

// `type/subtype` tokens per RFC 9110; `+json` suffixes (`application/merge-patch+json`) are JSON too.
const JSON_MEDIA_TYPE = /^(application\/json|[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+\+json)$/;

/** Whether a `Content-Type` header names JSON (`application/json` or any `*\/*+json`), parameters aside. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const mediaType = header.split(';', 1)[0].trim().toLowerCase();
  return JSON_MEDIA_TYPE.test(mediaType);
}

/** Whether a request carries a body: a chunked one, or a `Content-Length` above zero. */
export function carriesBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

/**
 * Refuses a request body that is not JSON with 415 `unsupported_media_type`. Without it a
 * `text/plain` body was silently left unparsed and the handler ran with `{}` (a start with no
 * input). Requests without a body (GET, a bare POST /logout) pass. Not retryable as sent.
 */
export function assertJsonBody(headers: IncomingHttpHeaders): void {
  if (!carriesBody(headers) || isJsonContentType(headers['content-type'])) return;
  const sent = headers['content-type'] ? `Content-Type ${headers['content-type'].slice(0, 100)}` : 'no Content-Type';
  throw new FlowstackError('unsupported_media_type', `request bodies must be JSON (application/json); got ${sent}`, [
    { path: '(headers).content-type', message: 'must be application/json', rule: 'media_type' },
  ]);
}
