import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec_test';
const body = Buffer.from('{"ticket":42}');
const now = new Date('2027-01-01T10:00:00Z');
const ts = Math.floor(now.getTime() / 1000);

const check = (timestampHeader: string | undefined, signatureHeader: string | undefined, b = body) =>
  verifyWebhookSignature({ secret, body: b, timestampHeader, signatureHeader, now });

describe('verifyWebhookSignature', () => {
  it('accepts a fresh signature of the exact body and gives its replay key', () => {
    const signature = signWebhook(secret, ts, body);
    expect(check(String(ts), signature)).toEqual({ ok: true, replayKey: signature.slice(3) });
    expect(check(String(ts - 299), signWebhook(secret, ts - 299, body)).ok).toBe(true);
  });

  it.each([
    ['missing headers', undefined, undefined, 'missing'],
    ['a timestamp that is not unix seconds', '2027-01-01', 'v1=00', 'malformed'],
    ['a signature that is not v1 hex', String(ts), 'sha256=abc', 'malformed'],
    ['a timestamp outside the tolerance', String(ts - 301), signWebhook(secret, ts - 301, body), 'stale'],
    ['a timestamp in the future beyond the tolerance', String(ts + 301), signWebhook(secret, ts + 301, body), 'stale'],
    ['another secret', String(ts), signWebhook('other', ts, body), 'mismatch'],
    ['a signature of another timestamp', String(ts), signWebhook(secret, ts - 1, body), 'mismatch'],
  ])('refuses %s', (_what, timestamp, signature, reason) => {
    expect(check(timestamp, signature)).toMatchObject({ ok: false, reason });
  });

  it('refuses the signature when one byte of the body changed', () => {
    const signature = signWebhook(secret, ts, body);
    expect(check(String(ts), signature, Buffer.from('{"ticket":43}'))).toMatchObject({ ok: false, reason: 'mismatch' });
  });
});
