import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import WebSocket from 'ws';
import { Header, Rpc, namespaceOf, subject } from '@flowstack/contracts';
import { freePort, startPlatform, startService, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, watchExecution, type Tenant } from './api-client';

jest.setTimeout(120_000);

/** The gateway of this platform gives a socket without a token this long to authenticate. */
const AUTH_TIMEOUT_MS = 600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const quickGraph = {
  entry_point: 'start',
  nodes: [
    { id: 'start', type: 'input', config: {} },
    { id: 'done', type: 'output', config: { value: { ok: true } } },
  ],
  edges: [{ from: 'start', to: 'done' }],
};

interface Socket {
  socket: WebSocket;
  /** Headers of the 101 answer. */
  headers: Record<string, string | string[] | undefined>;
  messages: any[];
  closed: Promise<{ code: number; at: number }>;
}

/** Opens a WebSocket, keeping the 101's headers; rejects with the status, headers and body of a refusal. */
function open(url: string, headers: Record<string, string> = {}): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const messages: any[] = [];
    let upgradeHeaders: Socket['headers'] = {};
    socket.on('error', () => undefined);
    const closed = new Promise<{ code: number; at: number }>((r) => socket.on('close', (code) => r({ code, at: Date.now() })));
    socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
    socket.once('upgrade', (res) => (upgradeHeaders = res.headers));
    socket.once('open', () => resolve({ socket, headers: upgradeHeaders, messages, closed }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () =>
        reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode, headers: res.headers, body })),
      );
    });
  });
}

const refusal = (url: string, headers: Record<string, string> = {}) =>
  open(url, headers).then(
    (s) => {
      s.socket.terminate();
      throw new Error('the upgrade was accepted');
    },
    (e: { status: number; headers: Record<string, string>; body: string }) => e,
  );

/**
 * The live socket as a production deployment needs it (issue 8, item 2): a socket that does not
 * authenticate in time is closed, the upgrade's request id travels with the socket's bus requests
 * and comes back on its answers, refusals are problem+json, and shutdown says goodbye with 1001.
 * Frames too big, invalid UTF-8, heartbeats, the socket cap and malformed paths are in
 * hostile-gateway.e2e-spec.ts.
 */
describe('the live socket at the edge', () => {
  let platform: TestPlatform;
  let api: ApiClient;
  let alice: Tenant;
  let bob: Tenant;
  let quickId: string;
  let nc: NatsConnection;
  let eventsRequests: Subscription;
  /** Every orchestrator `execution.events` request seen on the bus: its body text and correlation id. */
  const seen: Array<{ body: string; correlationId: string | undefined }> = [];

  const finishedRun = async (): Promise<string> => {
    const run = await alice.client.post(`/api/v1/workflows/${quickId}/executions`, { input: {} });
    expect(run.status).toBe(202);
    const live = await watchExecution(platform.wsUrl, run.body.executionId, alice.token);
    expect(await live.closed).toBe(1000);
    return run.body.executionId;
  };

  /** The correlation ids of the bus requests made for this execution, once `count` of them are seen. */
  const correlationIdsFor = async (executionId: string, count: number): Promise<string[]> => {
    const of = () => seen.filter((r) => r.body.includes(executionId));
    await waitFor(() => of().length >= count, `${count} execution.events requests for ${executionId}`);
    return [...new Set(of().map((r) => r.correlationId ?? '(none)'))];
  };

  beforeAll(async () => {
    platform = await startPlatform({
      label: 'live-socket',
      serviceEnv: { gateway: { GATEWAY_WS_AUTH_TIMEOUT_MS: String(AUTH_TIMEOUT_MS) } },
    });
    api = new ApiClient(platform.baseUrl);
    [alice, bob] = await Promise.all([registerTenant(api, 'live'), registerTenant(api, 'live')]);
    quickId = await createWorkflow(alice.client, 'quick', quickGraph);
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    // A plain subscriber next to the orchestrator's queue group gets a copy of every request.
    eventsRequests = nc.subscribe(subject(namespaceOf(platform.env.FLOWSTACK_NS), Rpc.orchestrator.executionEvents), {
      callback: (_err, msg) => {
        seen.push({ body: new TextDecoder().decode(msg.data), correlationId: msg.headers?.get(Header.correlationId) });
      },
    });
    await nc.flush();
  });

  afterAll(async () => {
    eventsRequests?.unsubscribe();
    await nc?.close();
    await platform?.stop();
  });

  describe('a socket that does not authenticate', () => {
    it(`is closed with 4401 and an error message after GATEWAY_WS_AUTH_TIMEOUT_MS (${AUTH_TIMEOUT_MS} ms here)`, async () => {
      const executionId = await finishedRun();
      const opened = Date.now();
      const silent = await open(`${platform.wsUrl}/ws/executions/${executionId}`);
      const { code, at } = await silent.closed;
      expect(code).toBe(4401);
      expect(at - opened).toBeGreaterThanOrEqual(AUTH_TIMEOUT_MS - 50);
      expect(silent.messages).toEqual([expect.objectContaining({ type: 'error', code: 'unauthenticated' })]);
    });

    it('is not closed when its auth message comes in time', async () => {
      const executionId = await finishedRun();
      const browser = await open(`${platform.wsUrl}/ws/executions/${executionId}`);
      browser.socket.send(JSON.stringify({ type: 'auth', token: alice.token }));
      expect((await browser.closed).code).toBe(1000);
      expect(browser.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed' });
    });
  });

  describe('X-Request-Id on the upgrade', () => {
    it('is echoed on the 101 and is the correlation id of every bus request the socket makes', async () => {
      const executionId = await finishedRun();
      const requestId = `ws-req-${Date.now()}`;
      const live = await open(`${platform.wsUrl}/ws/executions/${executionId}`, {
        authorization: `Bearer ${alice.token}`,
        'x-request-id': requestId,
      });
      expect((await live.closed).code).toBe(1000);
      expect(live.headers['x-request-id']).toBe(requestId);
      expect(live.headers['x-correlation-id']).toBe(requestId);
      // The tenancy check before the upgrade and the replay after it (the finished run's own watch carried another id).
      const ids = await correlationIdsFor(executionId, 4);
      expect(ids).toContain(requestId);
      expect(ids).toHaveLength(2);
    });

    it('is generated when absent or invalid, never reflected, and carried all the same', async () => {
      for (const sent of [undefined, '<script>alert(1)</script>', 'x'.repeat(101)]) {
        const executionId = await finishedRun();
        const before = await correlationIdsFor(executionId, 2);
        const live = await open(`${platform.wsUrl}/ws/executions/${executionId}`, {
          authorization: `Bearer ${alice.token}`,
          ...(sent === undefined ? {} : { 'x-request-id': sent }),
        });
        expect((await live.closed).code).toBe(1000);
        const generated = live.headers['x-request-id'] as string;
        expect({ sent, generated }).toEqual({ sent, generated: expect.stringMatching(UUID) });
        expect(await correlationIdsFor(executionId, 4)).toEqual([...before, generated]);
      }
    });

    it('travels from the upgrade to the bus requests of a socket that authenticates with a message', async () => {
      const executionId = await finishedRun();
      const requestId = `ws-browser-${Date.now()}`;
      const browser = await open(`${platform.wsUrl}/ws/executions/${executionId}`, { 'x-request-id': requestId });
      expect(browser.headers['x-request-id']).toBe(requestId);
      browser.socket.send(JSON.stringify({ type: 'auth', token: alice.token }));
      expect((await browser.closed).code).toBe(1000);
      expect(await correlationIdsFor(executionId, 4)).toContain(requestId);
    });
  });

  describe('refused upgrades', () => {
    it.each(['/ws/nowhere', '/ws/executionsX/1', '/api/v1/health'])(
      'answers %s with a problem+json 404 carrying the request id',
      async (path) => {
        const refused = await refusal(`${platform.wsUrl}${path}`, { 'x-request-id': 'ws-refused-1' });
        expect(refused.status).toBe(404);
        expect(refused.headers['content-type']).toBe('application/problem+json');
        expect(refused.headers['x-content-type-options']).toBe('nosniff');
        expect(refused.headers['x-request-id']).toBe('ws-refused-1');
        expect(JSON.parse(refused.body)).toMatchObject({ status: 404, code: 'not_found', correlationId: 'ws-refused-1' });
      },
    );

    it("answers another workspace's execution with 404 before the upgrade and 4404 after an auth message", async () => {
      const executionId = await finishedRun();
      const refused = await refusal(`${platform.wsUrl}/ws/executions/${executionId}`, { authorization: `Bearer ${bob.token}` });
      expect(refused.status).toBe(404);
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'not_found', detail: 'execution not found' });
      expect(refused.body).not.toContain(alice.workspaceId);
      const browser = await open(`${platform.wsUrl}/ws/executions/${executionId}`);
      browser.socket.send(JSON.stringify({ type: 'auth', token: bob.token }));
      expect((await browser.closed).code).toBe(4404);
      expect(browser.messages).toEqual([expect.objectContaining({ type: 'error', code: 'not_found' })]);
    });

    it('answers a bad token with a problem+json 401', async () => {
      const executionId = await finishedRun();
      const refused = await refusal(`${platform.wsUrl}/ws/executions/${executionId}`, { authorization: 'Bearer not-a-token' });
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ status: 401, code: 'unauthenticated' });
    });
  });

  it('closes its sockets with 1001 when the gateway shuts down', async () => {
    const port = await freePort();
    const other = await startService('gateway', { ...platform.env, GATEWAY_PORT: String(port) });
    const executionId = await finishedRun();
    const waiting = await open(`ws://127.0.0.1:${port}/ws/executions/${executionId}`);
    await other.stop();
    expect((await waiting.closed).code).toBe(1001);
    // A clean stop exits 0 once the shutdown hooks are done; SIGKILL would mean a hung shutdown.
    expect(await other.exited).toEqual({ code: 0, signal: null });
  });
});
