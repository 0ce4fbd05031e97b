import type { NatsConnection } from '@nats-io/transport-node';
import { FlowstackError, type ErrorBody } from '@flowstack/contracts';
import { HEADER_ALLOWANCE_BYTES, maxPayloadOf } from './payload-limit';

/** Reply envelope on the wire: exactly one of `data` or `error`. */
export type Reply<T> = { data: T } | { error: ErrorBody };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `JSON.stringify` to bytes; `undefined` travels as `null`. Throws on values JSON cannot hold (BigInt, cycles). */
export const encodeEnvelope = (v: unknown): Uint8Array => encoder.encode(JSON.stringify(v ?? null));

/**
 * A request body as the handler sees it: `undefined` for an empty payload, the parsed JSON
 * otherwise. Bytes that are not JSON are the caller's mistake, answered `validation_failed`
 * (never `internal`: nothing on this side is broken).
 */
export function decodeRequestPayload(data: Uint8Array): unknown {
  if (data.length === 0) return undefined;
  try {
    return JSON.parse(decoder.decode(data)) as unknown;
  } catch {
    throw new FlowstackError('validation_failed', 'request body is not valid JSON', [
      { path: '', message: 'the request payload must be UTF-8 JSON', rule: 'invalid_json' },
    ]);
  }
}

/** What `encodeReply` decided to send, and why when it is not the handler's answer. */
export interface EncodedReply {
  bytes: Uint8Array;
  /** Set when the handler's answer was replaced by an error reply (too large, not encodable). */
  replaced?: { code: 'payload_too_large' | 'internal'; detail: string };
}

/**
 * Encodes a reply once and checks its length against what this connection's server accepts, so
 * `respond` can never throw `max_payload size exceeded` (nats.js throws it synchronously, and it
 * used to escape the handler and kill the process). An answer that does not fit becomes a small
 * `payload_too_large` error reply; one that JSON cannot encode becomes `internal`. The caller
 * logs `replaced`. Never throws.
 */
export function encodeReply(nc: Pick<NatsConnection, 'info'>, subject: string, reply: Reply<unknown>): EncodedReply {
  let bytes: Uint8Array;
  try {
    bytes = encodeEnvelope(reply);
  } catch (e) {
    const detail = `reply to ${subject} cannot be encoded as JSON: ${e instanceof Error ? e.message : String(e)}`;
    return {
      bytes: encodeEnvelope({ error: { code: 'internal', message: 'internal error' } }),
      replaced: { code: 'internal', detail },
    };
  }
  const room = maxPayloadOf(nc) - HEADER_ALLOWANCE_BYTES;
  if (bytes.length <= room) return { bytes };
  const message = `the answer to ${subject} is ${bytes.length} bytes; one message on the bus carries at most ${room}`;
  return {
    bytes: encodeEnvelope({ error: { code: 'payload_too_large', message } }),
    replaced: { code: 'payload_too_large', detail: message },
  };
}

/**
 * Reads a reply envelope. Anything but `{ data }` or `{ error: { code, message } }` (not JSON, a
 * bare value, an error without a code) is a broken responder: a typed `internal` error naming the
 * subject, not a `SyntaxError` from deep inside the caller.
 */
export function decodeReply<T>(subject: string, data: Uint8Array): T {
  let reply: unknown;
  try {
    reply = JSON.parse(decoder.decode(data)) as unknown;
  } catch {
    throw new FlowstackError('internal', `malformed reply from ${subject}: not JSON`);
  }
  if (typeof reply === 'object' && reply !== null && !Array.isArray(reply)) {
    if (!('error' in reply)) return (reply as { data: T }).data; // `{}`: a handler that answered undefined
    const error = reply.error;
    if (isErrorBody(error)) throw FlowstackError.fromBody(error);
  }
  throw new FlowstackError('internal', `malformed reply from ${subject}: neither data nor a typed error`);
}

const isErrorBody = (v: unknown): v is ErrorBody =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ErrorBody).code === 'string' &&
  typeof (v as ErrorBody).message === 'string';
