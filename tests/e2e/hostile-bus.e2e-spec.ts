import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Limits, namespaceOf, Rpc, subject } from '@flowstack/contracts';
import { startPlatform, TEST_NATS_URL, type TestPlatform } from '@flowstack/testing';
import { ApiClient, registerTenant } from './api-client';

jest.setTimeout(180_000);

/** A valid workflow whose body is about `bytes` long: a large constant in its output node. */
const largeWorkflow = (name: string, bytes: number) => ({
  name,
  graph: {
    entry_point: 'start',
    nodes: [
      { id: 'start', type: 'input', config: {} },
      { id: 'end', type: 'output', config: { value: `${name}:${'x'.repeat(bytes)}` } },
    ],
    edges: [{ from: 'start', to: 'end' }],
  },
});

/**
 * Issue 7, row 3 (registry): a NATS reply over 1 MiB used to throw `max_payload size exceeded`
 * from `msg.respond()` outside the handler's try, so `GET /workflows?limit=200` over three 400 KB
 * workflows answered 503 after 10 s and the registry exited, again after every restart. Now the
 * list pages by bytes, every reply is size-checked, and nothing escapes a NATS callback.
 */
describe('hostile bus: replies that cannot fit, payloads that cannot parse', () => {
  let platform: TestPlatform;
  let api: ApiClient;
  let nc: NatsConnection;

  const registryAlive = () => expect(platform.services.get('registry')!.child.exitCode).toBeNull();

  beforeAll(async () => {
    platform = await startPlatform({ label: 'hostilebus' });
    api = new ApiClient(platform.baseUrl);
    nc = await connect({ servers: TEST_NATS_URL, name: 'hostile-bus-e2e' });
  });

  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
  });

  it('lists three 400 KB workflows with limit=200 in pages that fit, the cursor getting the rest', async () => {
    const alice = (await registerTenant(api, 'bus')).client;
    const names = ['big-1', 'big-2', 'big-3'];
    for (const name of names) {
      const created = await alice.post('/api/v1/workflows', largeWorkflow(name, 400_000));
      expect(created.status).toBe(201);
    }

    const first = await alice.get('/api/v1/workflows?limit=200');
    expect(first.status).toBe(200);
    expect(first.body.items.length).toBeGreaterThan(0);
    expect(first.body.items.length).toBeLessThan(3);
    expect(Buffer.byteLength(JSON.stringify(first.body))).toBeLessThan(Limits.busMessageBytes);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const seen: string[] = first.body.items.map((w: { name: string }) => w.name);
    let cursor: string | null = first.body.nextCursor;
    for (let pages = 1; cursor && pages < 10; pages++) {
      const next = await alice.get(`/api/v1/workflows?limit=200&cursor=${encodeURIComponent(cursor)}`);
      expect(next.status).toBe(200);
      seen.push(...next.body.items.map((w: { name: string }) => w.name));
      cursor = next.body.nextCursor;
    }
    expect(seen).toEqual([...names].reverse());

    registryAlive();
    const bob = (await registerTenant(api, 'bus')).client;
    expect((await bob.post('/api/v1/workflows', largeWorkflow('small', 10))).status).toBe(201);
    const bobs = await bob.get('/api/v1/workflows');
    expect(bobs.status).toBe(200);
    expect(bobs.body).toEqual({ items: [expect.objectContaining({ name: 'small' })], nextCursor: null });
  });

  it('answers a body too large for one bus message with 413 before sending it, and keeps serving', async () => {
    const dave = (await registerTenant(api, 'bus')).client;
    const res = await dave.post('/api/v1/workflows', largeWorkflow('too-big', 1_500_000));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('payload_too_large');
    expect(platform.services.get('gateway')!.child.exitCode).toBeNull();
    expect((await dave.get('/api/v1/workflows')).body).toEqual({ items: [], nextCursor: null });
  });

  it('answers a direct NATS request with an unparsable payload with a typed error and keeps serving', async () => {
    const ns = namespaceOf(platform.env.FLOWSTACK_NS);
    const reply = await nc.request(subject(ns, Rpc.registry.workflowList), new Uint8Array([0xc3, 0x28, 0xa0, 0xa1]), {
      timeout: 10_000,
    });
    expect(reply.json()).toEqual({ error: expect.objectContaining({ code: 'validation_failed' }) });
    const truncated = await nc.request(subject(ns, Rpc.registry.workflowCreate), '{"name": "x", "graph": {', {
      timeout: 10_000,
    });
    expect(truncated.json()).toEqual({ error: expect.objectContaining({ code: 'validation_failed' }) });

    registryAlive();
    const carol = (await registerTenant(api, 'bus')).client;
    expect((await carol.post('/api/v1/workflows', largeWorkflow('after', 10))).status).toBe(201);
    expect((await carol.get('/api/v1/workflows')).body.items).toEqual([expect.objectContaining({ name: 'after' })]);
  });
});
