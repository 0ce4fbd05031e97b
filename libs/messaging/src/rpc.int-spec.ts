import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { register } from 'prom-client';
import { FlowstackError, namespaceOf, subject, type RequestContext } from '@flowstack/contracts';
import { HEADER_ALLOWANCE_BYTES, maxPayloadOf } from './payload-limit';
import { RpcClient, RpcServer } from './rpc';

const ctx = (): RequestContext => ({
  workspaceId: randomUUID(),
  actor: { id: 'user-1', type: 'user', role: 'editor' },
  correlationId: randomUUID(),
});

const rejection = async (p: Promise<unknown>): Promise<FlowstackError> => {
  try {
    await p;
  } catch (e) {
    return e as FlowstackError;
  }
  throw new Error('expected a rejection');
};

/** `flowstack_payload_too_large_total{what}` as this process's registry has it now. */
const tooLarge = async (what: 'reply' | 'request'): Promise<number> => {
  const metric = await register.getSingleMetric('flowstack_payload_too_large_total')!.get();
  return metric.values.find((v) => v.labels.what === what)?.value ?? 0;
};

/** RpcServer and RpcClient against this machine's NATS, under a namespace of this file. */
describe('RPC over the real NATS', () => {
  const ns = namespaceOf(`rpc${randomBytes(4).toString('hex')}`);
  const logged: string[] = [];
  let serverNc: NatsConnection;
  let clientNc: NatsConnection;
  let server: RpcServer;
  let client: RpcClient;
  let room: number;

  beforeAll(async () => {
    const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
    serverNc = await connect({ servers: url, name: 'rpc-int-spec-server' });
    clientNc = await connect({ servers: url, name: 'rpc-int-spec-client' });
    server = new RpcServer(serverNc, ns, 'rpc-spec', {
      error: (message, meta) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`),
    });
    client = new RpcClient(clientNc, ns, 5_000);
    room = maxPayloadOf(serverNc) - HEADER_ALLOWANCE_BYTES;
    server.handle('spec.echo', (body: { size?: number; text?: string }) =>
      body.size === undefined ? { text: body.text } : { text: 'x'.repeat(body.size) },
    );
    server.handle('spec.bigint', () => ({ n: BigInt(1) }));
    server.handle('spec.void', () => undefined);
    // A responder that is not ours: it answers bytes that are no envelope.
    clientNc.subscribe(subject(ns, 'spec.broken'), { callback: (_e, m) => void m.respond('not json at all') });
    clientNc.subscribe(subject(ns, 'spec.bare'), { callback: (_e, m) => void m.respond(JSON.stringify([1, 2])) });
    await Promise.all([serverNc.flush(), clientNc.flush()]);
  });

  afterAll(async () => {
    await server.drain();
    await Promise.all([serverNc.close(), clientNc.close()]);
  });

  it('answers a reply that fits as before', async () => {
    await expect(client.request('spec.echo', { text: 'hello' }, ctx())).resolves.toEqual({ text: 'hello' });
    await expect(client.request('spec.void', {}, ctx())).resolves.toBeUndefined();
  });

  it('answers a reply larger than the bus with a typed payload_too_large at once, logs it, counts it, and keeps serving', async () => {
    const counted = await tooLarge('reply');
    const error = await rejection(client.request('spec.echo', { size: room + 10 }, ctx()));
    expect(error).toBeInstanceOf(FlowstackError);
    expect(error).toMatchObject({ code: 'payload_too_large', retryable: false });
    expect(error.message).toContain('spec.echo');
    expect(logged.join('\n')).toMatch(/spec\.echo: answer replaced by payload_too_large/);
    expect(await tooLarge('reply')).toBe(counted + 1);

    // The subscription survived: the next request of the same subject is answered.
    await expect(client.request('spec.echo', { text: 'still here' }, ctx())).resolves.toEqual({ text: 'still here' });
  });

  it('answers a reply exactly at the limit, and one byte over it with payload_too_large', async () => {
    const envelope = JSON.stringify({ data: { text: '' } }).length;
    const fits = await client.request<{ text: string }>('spec.echo', { size: room - envelope }, ctx());
    expect(fits.text.length).toBe(room - envelope);
    await expect(client.request('spec.echo', { size: room - envelope + 1 }, ctx())).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });

  it('answers a payload that is not JSON with validation_failed, without calling the handler', async () => {
    const reply = await clientNc.request(subject(ns, 'spec.echo'), '{"text": "unterminated', { timeout: 5_000 });
    expect(reply.json()).toEqual({
      error: expect.objectContaining({ code: 'validation_failed', errors: [expect.objectContaining({ rule: 'invalid_json' })] }),
    });
    const binary = await clientNc.request(subject(ns, 'spec.echo'), new Uint8Array([0xc3, 0x28, 0xa0, 0xa1]), {
      timeout: 5_000,
    });
    expect(binary.json()).toMatchObject({ error: { code: 'validation_failed' } });
    await expect(client.request('spec.echo', { text: 'next' }, ctx())).resolves.toEqual({ text: 'next' });
  });

  it('answers an answer JSON cannot encode with internal, without leaking why (not counted as too large)', async () => {
    const counted = await tooLarge('reply');
    await expect(client.request('spec.bigint', {}, ctx())).rejects.toMatchObject({ code: 'internal', message: 'internal error' });
    expect(logged.join('\n')).toMatch(/spec\.bigint: answer replaced by internal/);
    expect(await tooLarge('reply')).toBe(counted);
  });

  it('refuses a request larger than the bus before sending it, as a typed payload_too_large, and counts it', async () => {
    const counted = await tooLarge('request');
    const error = await rejection(client.request('spec.echo', { text: 'y'.repeat(room + 1) }, ctx()));
    expect(error).toBeInstanceOf(FlowstackError);
    expect(error).toMatchObject({ code: 'payload_too_large' });
    expect(error.message).toContain('spec.echo');
    expect(await tooLarge('request')).toBe(counted + 1);
  });

  it('turns a malformed reply into a typed internal error naming the subject', async () => {
    await expect(client.request('spec.broken', {}, ctx())).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('malformed reply from spec.broken'),
    });
    await expect(client.request('spec.bare', {}, ctx())).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('malformed reply from spec.bare'),
    });
  });
});
