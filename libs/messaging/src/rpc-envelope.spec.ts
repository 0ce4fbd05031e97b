import { FlowstackError } from '@flowstack/contracts';
import { decodeReply, decodeRequestPayload, encodeReply } from './rpc-envelope';
import { HEADER_ALLOWANCE_BYTES } from './payload-limit';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const server = (maxPayload: number) => ({ info: { max_payload: maxPayload } }) as never;

describe('encodeReply', () => {
  it('sends an answer that fits as it is', () => {
    const encoded = encodeReply(server(1024 * 1024), 'registry.workflow.list', { data: { items: [] } });
    expect(encoded.replaced).toBeUndefined();
    expect(JSON.parse(text(encoded.bytes))).toEqual({ data: { items: [] } });
  });

  it('replaces an answer over the connection limit by a small payload_too_large naming the subject and both sizes', () => {
    const limit = HEADER_ALLOWANCE_BYTES + 100;
    const encoded = encodeReply(server(limit), 'registry.workflow.list', { data: 'x'.repeat(200) });
    expect(encoded.replaced?.code).toBe('payload_too_large');
    expect(encoded.bytes.length).toBeLessThan(limit);
    const reply = JSON.parse(text(encoded.bytes));
    expect(reply.error.code).toBe('payload_too_large');
    expect(reply.error.message).toMatch(/registry\.workflow\.list is 211 bytes; .* at most 100/);
  });

  it('replaces an answer JSON cannot encode by internal, keeping the reason for the log only', () => {
    const encoded = encodeReply(server(1024 * 1024), 's', { data: { n: BigInt(2) } });
    expect(encoded.replaced).toMatchObject({ code: 'internal', detail: expect.stringContaining('BigInt') });
    expect(JSON.parse(text(encoded.bytes))).toEqual({ error: { code: 'internal', message: 'internal error' } });
  });
});

describe('decodeRequestPayload', () => {
  it('reads JSON, and nothing as undefined', () => {
    expect(decodeRequestPayload(bytes('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeRequestPayload(new Uint8Array())).toBeUndefined();
  });

  it.each([
    ['truncated JSON', bytes('{"a":')],
    ['invalid UTF-8', new Uint8Array([0xc3, 0x28, 0xa0, 0xa1])],
  ])('refuses %s as validation_failed', (_what, data) => {
    expect(() => decodeRequestPayload(data)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('decodeReply', () => {
  it('returns data and throws typed errors as sent', () => {
    expect(decodeReply('s', bytes('{"data":{"ok":true}}'))).toEqual({ ok: true });
    expect(decodeReply('s', bytes('{}'))).toBeUndefined();
    expect(() => decodeReply('s', bytes('{"error":{"code":"not_found","message":"workflow not found"}}'))).toThrow(
      new FlowstackError('not_found', 'workflow not found'),
    );
  });

  it.each([
    ['not JSON', 'nope'],
    ['a bare array', '[1]'],
    ['a bare number', '3'],
    ['an untyped error', '{"error":"boom"}'],
  ])('turns %s into a typed internal error naming the subject', (_what, raw) => {
    expect(() => decodeReply('registry.workflow.get', bytes(raw))).toThrow(
      expect.objectContaining({
        code: 'internal',
        message: expect.stringContaining('malformed reply from registry.workflow.get'),
      }),
    );
  });
});
