/**
 * Webhook call signatures, Stripe style: the caller sends `X-Flowstack-Timestamp: <unix seconds>`
 * and `X-Flowstack-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. A signature
 * older or newer than the tolerance is refused, so a captured call cannot be replayed later; within
 * the tolerance the service refuses a signature it has seen before (`replayKey`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck =
  { ok: true; replayKey: string } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch'; message: string };

export function signWebhook(secret: string, timestamp: number, body: Buffer | string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export interface SignedCall {
  secret: string;
  body: Buffer;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  now: Date;
  toleranceSeconds?: number;
}

export function verifyWebhookSignature(call: SignedCall): SignatureCheck {
  const { secret, body, timestampHeader, signatureHeader, now, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS } = call;
  if (!timestampHeader || !signatureHeader) {
    return { ok: false, reason: 'missing', message: 'X-Flowstack-Timestamp and X-Flowstack-Signature are required' };
  }
  if (!/^\d{1,12}$/.test(timestampHeader)) {
    return { ok: false, reason: 'malformed', message: 'X-Flowstack-Timestamp must be unix seconds' };
  }
  const timestamp = Number(timestampHeader);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) {
    return { ok: false, reason: 'stale', message: `the timestamp is more than ${toleranceSeconds} s from now` };
  }
  const given = /^v1=([0-9a-f]{64})$/.exec(signatureHeader.trim());
  if (!given) return { ok: false, reason: 'malformed', message: 'X-Flowstack-Signature must be v1=<64 hex digits>' };
  const expected = signWebhook(secret, timestamp, body).slice(3);
  if (!timingSafeEqual(Buffer.from(given[1], 'hex'), Buffer.from(expected, 'hex'))) {
    return { ok: false, reason: 'mismatch', message: 'the signature does not match the body' };
  }
  return { ok: true, replayKey: given[1] };
}
