import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { Limits } from '@flowstack/contracts';
import {
  HttpTarget,
  freePort,
  startPlatform,
  startService,
  waitFor,
  type ServiceProcess,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, registerTenant, watchExecution, watchWithAuthMessage, type Tenant } from './api-client';

jest.setTimeout(120_000);

/** input -> output: the smallest run there is, to prove a gateway still serves. */
const quickWorkflow = () => ({
  name: 'quick',
  graph: {
    entry_point: 'start',
    nodes: [
      { id: 'start', type: 'input', config: {} },
      { id: 'done', type: 'output', config: { value: { ok: true } } },
    ],
    edges: [{ from: 'start', to: 'done' }],
  },
});

/** input -> a tool call the test target holds until released -> output: a run that stays open. */
const heldWorkflow = (targetUrl: string) => ({
  name: 'held',
  graph: {
    entry_point: 'start',
    nodes: [
      { id: 'start', type: 'input', config: {} },
      { id: 'wait', type: 'tool', config: { tool: { kind: 'http', method: 'GET', url: `${targetUrl}/hold` } } },
      { id: 'done', type: 'output', config: { value: { ok: true } } },
    ],
    edges: [
      { from: 'start', to: 'wait' },
      { from: 'wait', to: 'done' },
    ],
  },
});

interface OpenSocket {
  socket: WebSocket;
  messages: any[];
  pings: () => number;
  /** The close code once the socket closed, else undefined. */
  closeCode: () => number | undefined;
  closed: Promise<number>;
}

/** Opens a WebSocket and records what happens to it; rejects if the upgrade is refused. */
function openSocket(url: string, options: WebSocket.ClientOptions = {}): Promise<OpenSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    const messages: any[] = [];
    let pings = 0;
    let code: number | undefined;
    socket.on('error', () => undefined); // the close code is what the tests read
    const closed = new Promise<number>((r) =>
      socket.on('close', (c) => {
        code = c;
        r(c);
      }),
    );
    socket.on('ping', () => pings++);
    socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
    socket.once('open', () => resolve({ socket, messages, pings: () => pings, closeCode: () => code, closed }));
    socket.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, headers: res.headers })),
    );
    socket.once('error', reject);
  });
}

/** The HTTP answer to an upgrade that must be refused (status and headers). */
async function refusedUpgrade(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<{ status?: number; headers?: Record<string, string> }> {
  const outcome = await openSocket(url, options).then(
    (open) => {
      open.socket.terminate();
      return { status: 101, headers: {} };
    },
    (e: Error & { status?: number; headers?: Record<string, string> }) => ({
      status: e.status,
      headers: e.headers,
      error: e.message,
    }),
  );
  return outcome;
}

/** Sends raw bytes to the gateway's port and answers the status line it got back (or ''). */
function rawHttp(baseUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => socket.end(request));
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined); // a reset after the answer is fine: the answer is what counts
    socket.on('close', () => resolve(received.split('\r\n', 1)[0]));
  });
}

const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

/**
 * Hostile clients against the gateway's HTTP and WebSocket edge (issue 7, rows 1 and 2 and the
 * gateway's lesser findings). Every crash row is followed by proof that the same gateway process
 * is alive and still serves another workspace end to end (register, create, run, watch).
 */
describe('a hostile client at the gateway', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let api: ApiClient;
  let alice: Tenant;
  let quickId: string;
  let heldId: string;
  const releases: Array<() => void> = [];

  const gateway = (): ServiceProcess => platform.services.get('gateway')!;

  /** The gateway process is alive and a brand-new workspace can register, create, run and watch. */
  const expectGatewayServes = async (): Promise<void> => {
    const tenant = await registerTenant(api, 'hostile');
    const workflow = await tenant.client.post('/api/v1/workflows', quickWorkflow());
    expect(workflow.status).toBe(201);
    const run = await tenant.client.post(`/api/v1/workflows/${workflow.body.id}/executions`, { input: {} });
    expect(run.status).toBe(202);
    const live = await watchExecution(platform.wsUrl, run.body.executionId, tenant.token);
    expect(await live.closed).toBe(1000);
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed' });
    expect(gateway().child.exitCode).toBeNull();
    expect(gateway().child.signalCode).toBeNull();
    expect(gateway().output()).not.toContain("Unhandled 'error' event");
  };

  const startHeld = async (tenant: Tenant = alice): Promise<string> => {
    const before = target.calls('/hold');
    const run = await tenant.client.post(`/api/v1/workflows/${heldId}/executions`, { input: {} });
    expect(run.status).toBe(202);
    await waitFor(() => target.calls('/hold') > before, 'the held tool call to arrive');
    return run.body.executionId;
  };

  const finishedRun = async (): Promise<{ executionId: string; messages: any[] }> => {
    const run = await alice.client.post(`/api/v1/workflows/${quickId}/executions`, { input: {} });
    const live = await watchExecution(platform.wsUrl, run.body.executionId, alice.token);
    expect(await live.closed).toBe(1000);
    return { executionId: run.body.executionId, messages: live.messages };
  };

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('GET', '/hold', () => new Promise((resolve) => releases.push(() => resolve({ json: { held: false } }))))
      .start();
    platform = await startPlatform({ label: 'hostile-gw' });
    api = new ApiClient(platform.baseUrl);
    alice = await registerTenant(api, 'hostile');
    quickId = (await alice.client.post('/api/v1/workflows', quickWorkflow())).body.id;
    heldId = (await alice.client.post('/api/v1/workflows', heldWorkflow(target.url))).body.id;
  });

  afterAll(async () => {
    releases.forEach((release) => release());
    await platform?.stop();
    await target?.stop();
  });

  describe('row 1: frames the gateway must refuse without dying', () => {
    const oversized = Buffer.alloc(64 * 1024 + 1, 0x61);
    const invalidUtf8 = Buffer.from([0xc3, 0x28, 0xa0, 0xa1]);

    it.each([
      ['a text frame over 64 KiB', oversized, 1009],
      ['a text frame of invalid UTF-8', invalidUtf8, 1007],
    ])('closes on %s before auth (%#) and keeps serving', async (_what, frame, code) => {
      const run = await finishedRun();
      const open = await openSocket(`${platform.wsUrl}/ws/executions/${run.executionId}`);
      open.socket.send(frame, { binary: false });
      expect(await open.closed).toBe(code);
      await expectGatewayServes();
    });

    it.each([
      ['a text frame over 64 KiB', oversized, 1009],
      ['a text frame of invalid UTF-8', invalidUtf8, 1007],
    ])('closes on %s after header auth (%#) and keeps serving', async (_what, frame, code) => {
      const executionId = await startHeld();
      const open = await openSocket(`${platform.wsUrl}/ws/executions/${executionId}`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      await waitFor(() => open.messages.length > 0, 'the replay to start');
      open.socket.send(frame, { binary: false });
      expect(await open.closed).toBe(code);
      await expectGatewayServes();
    });

    it('closes on an oversized frame after an auth message and keeps serving', async () => {
      const executionId = await startHeld();
      const browser = await watchWithAuthMessage(platform.wsUrl, executionId, alice.token);
      await waitFor(() => browser.messages.length > 0, 'the replay to start');
      browser.socket.on('error', () => undefined);
      browser.socket.send(oversized, { binary: false });
      expect(await browser.closed).toBe(1009);
      await expectGatewayServes();
    });
  });

  describe('row 2: upgrades with a malformed execution id', () => {
    it('answers an undecodable id with HTTP 400, no token needed, and keeps serving', async () => {
      const refused = await refusedUpgrade(`${platform.wsUrl}/ws/executions/%E0%A4%A`);
      expect(refused.status).toBe(400);
      const withToken = await refusedUpgrade(`${platform.wsUrl}/ws/executions/%E0%A4%A`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(withToken.status).toBe(400);
      await expectGatewayServes();
    });
  });

  describe('requests broken below the API', () => {
    it('answers oversized headers, huge URLs and undecodable REST paths without dying', async () => {
      const undecodable = await alice.client.get('/api/v1/workflows/%E0%A4%A');
      expect([400, 404]).toContain(undecodable.status);
      expect(undecodable.body.code).toEqual(expect.any(String));
      const bigHeader = await rawHttp(
        platform.baseUrl,
        `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Filler: ${'x'.repeat(64 * 1024)}\r\n\r\n`,
      );
      expect(bigHeader).toMatch(/^HTTP\/1\.1 431/);
      const hugeUrl = await rawHttp(platform.baseUrl, `GET /api/v1/workflows/${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(hugeUrl).toMatch(/^HTTP\/1\.1 (414|431)/);
      const hugeUpgrade = await rawHttp(
        platform.baseUrl,
        `GET /ws/executions/${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      );
      expect(hugeUpgrade).toMatch(/^HTTP\/1\.1 (414|431)/);
      const garbage = await rawHttp(platform.baseUrl, '\x00\x01\x02 not http at all\r\n\r\n');
      expect(garbage).toMatch(/^HTTP\/1\.1 400/);
      await expectGatewayServes();
    });
  });

  describe('lesser findings', () => {
    it('bounds numeric query parameters with a 400 naming the field', async () => {
      const { executionId } = await finishedRun();
      for (const [query, path] of [
        ['fromSeq=99999999999', 'fromSeq'],
        ['cursor=99999999999', 'cursor'],
        ['cursor=abc', 'cursor'],
        ['limit=99999999999', 'limit'],
      ]) {
        const res = await alice.client.get(`/api/v1/executions/${executionId}/events?${query}`);
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'validation_failed' });
        expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
      }
      const list = await alice.client.get('/api/v1/workflows?limit=99999999999');
      expect(list.status).toBe(400);
      expect(list.body.errors[0].path).toBe('limit');
      const ws = await refusedUpgrade(`${platform.wsUrl}/ws/executions/${executionId}?fromSeq=99999999999`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(ws.status).toBe(400);
      // The largest valid position is still a valid (empty) page.
      const last = await alice.client.get(`/api/v1/executions/${executionId}/events?fromSeq=2147483647`);
      expect(last.status).toBe(200);
      expect(last.body.items).toEqual([]);
    });

    it(`refuses JSON nested deeper than ${Limits.jsonDepth} levels with a 400 naming the limit`, async () => {
      const deepWorkflow = await alice.client.call('POST', '/api/v1/workflows', undefined, nested(10_000));
      expect(deepWorkflow.status).toBe(400);
      expect(deepWorkflow.body).toMatchObject({ code: 'validation_failed', errors: [{ path: '(body)', rule: 'max_depth' }] });
      expect(deepWorkflow.body.detail).toContain(String(Limits.jsonDepth));

      const deepInput = await alice.client.call(
        'POST',
        `/api/v1/workflows/${quickId}/executions`,
        undefined,
        `{"input":${nested(10_000)}}`,
      );
      expect(deepInput.status).toBe(400);
      expect(deepInput.body.code).toBe('validation_failed');

      const deepButAllowed = await alice.client.call(
        'POST',
        `/api/v1/workflows/${quickId}/executions`,
        undefined,
        `{"input":{"a":${nested(Limits.jsonDepth - 2)}}}`,
      );
      expect(deepButAllowed.status).toBe(202);
    });

    it('answers a body that is not JSON with 415 and starts nothing', async () => {
      const post = (contentType: string | undefined) =>
        fetch(`${platform.baseUrl}/api/v1/workflows/${quickId}/executions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${alice.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
          body: new TextEncoder().encode('{"input":{"x":1}}'),
        });
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
        const res = await post(type);
        expect({ type, status: res.status }).toEqual({ type, status: 415 });
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(((await res.json()) as { code: string }).code).toBe('unsupported_media_type');
      }
      expect((await post('application/json; charset=utf-8')).status).toBe(202);
      expect((await post('application/vnd.flowstack+json')).status).toBe(202);
    });

    it('answers a body over the limit with 413 before it reaches the bus', async () => {
      const big = JSON.stringify({ ...quickWorkflow(), description: 'x'.repeat(1_500_000) });
      const res = await alice.client.call('POST', '/api/v1/workflows', undefined, big);
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'payload_too_large' });
      expect(res.body.detail).toContain(String(Limits.requestBodyBytes));
      const justOver = JSON.stringify({ input: { blob: 'x'.repeat(Limits.requestBodyBytes) } });
      const start = await alice.client.call('POST', `/api/v1/workflows/${quickId}/executions`, undefined, justOver);
      expect(start.status).toBe(413);
      await expectGatewayServes();
    });

    it('refuses to start with a body limit the bus cannot carry', async () => {
      const started = await startService('gateway', {
        ...platform.env,
        GATEWAY_PORT: String(await freePort()),
        GATEWAY_BODY_LIMIT: '2000000',
      }).then(
        async (proc) => {
          await proc.stop();
          return 'started';
        },
        (e: Error) => e.message,
      );
      expect(started).toContain('GATEWAY_BODY_LIMIT');
    });

    it('never reflects a bad correlation id, and keeps a good one', async () => {
      const unknown = `/api/v1/workflows/${randomUUID()}`;
      const get = (id: string) =>
        fetch(`${platform.baseUrl}${unknown}`, { headers: { authorization: `Bearer ${alice.token}`, 'x-correlation-id': id } });
      for (const bad of ['<script>alert(1)</script>', 'a'.repeat(101), 'two words', '"quoted"']) {
        const res = await get(bad);
        const text = await res.text();
        expect(res.status).toBe(404);
        expect(text).not.toContain(bad);
        const body = JSON.parse(text);
        expect(body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.headers.get('x-correlation-id')).toBe(body.correlationId);
      }
      const good = await get('client-req-42');
      expect(((await good.json()) as { correlationId: string }).correlationId).toBe('client-req-42');
      expect(good.headers.get('x-correlation-id')).toBe('client-req-42');
    });

    it('sends nosniff on every answer and no-store on answers that carry tokens', async () => {
      const email = `headers-${randomUUID()}@example.com`;
      const registered = await api.post('/api/v1/auth/register', { email, password: 'correct horse battery' });
      const login = await api.post('/api/v1/auth/login', { email, password: 'correct horse battery' });
      const me = await api.as(login.body.token).get('/api/v1/auth/me');
      for (const res of [registered, login, me]) {
        expect(res.status).toBeLessThan(300);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const others = [
        await api.get('/api/v1/health'),
        await alice.client.get('/api/v1/workflows'),
        await alice.client.get(`/api/v1/workflows/${randomUUID()}`),
        await api.get('/api/v1/nowhere'),
        await alice.client.call('POST', '/api/v1/workflows', undefined, '{"name": '),
      ];
      for (const res of others) expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const refused = await refusedUpgrade(`${platform.wsUrl}/ws/nowhere`);
      expect(refused.status).toBe(404);
      expect(refused.headers?.['x-content-type-options']).toBe('nosniff');
    });

    it('closes with 1000 a socket that resumes at or past the end of a finished execution', async () => {
      const { executionId, messages } = await finishedRun();
      const last = messages.at(-1).seq as number;
      for (const fromSeq of [last, last + 100]) {
        const resumed = await watchExecution(platform.wsUrl, executionId, alice.token, `?fromSeq=${fromSeq}`);
        await waitFor(() => resumed.socket.readyState === WebSocket.CLOSED, `the socket resumed at ${fromSeq} to close`, 15_000);
        expect(await resumed.closed).toBe(1000);
        expect(resumed.messages).toEqual([]);
      }
      const oneLeft = await watchExecution(platform.wsUrl, executionId, alice.token, `?fromSeq=${last - 1}`);
      expect(await oneLeft.closed).toBe(1000);
      expect(oneLeft.messages).toEqual([messages.at(-1)]);
    });

    it('closes with 1000 a socket resumed past the end of a running execution once it ends', async () => {
      const executionId = await startHeld();
      const resumed = await watchExecution(platform.wsUrl, executionId, alice.token, '?fromSeq=1000');
      releases.splice(0).forEach((release) => release());
      await waitFor(() => resumed.socket.readyState === WebSocket.CLOSED, 'the resumed socket to close', 20_000);
      expect(await resumed.closed).toBe(1000);
      expect(resumed.messages).toEqual([]);
    });

    it('closes with 4400 and an error message an auth message that is not a JSON object', async () => {
      const { executionId } = await finishedRun();
      for (const text of ['not json', '"a string"', '[1,2]', 'null', '42']) {
        const open = await openSocket(`${platform.wsUrl}/ws/executions/${executionId}`);
        open.socket.send(text);
        expect({ text, code: await open.closed }).toEqual({ text, code: 4400 });
        expect(open.messages).toEqual([
          expect.objectContaining({ type: 'error', code: 'validation_failed', message: expect.any(String) }),
        ]);
      }
      await expectGatewayServes();
    });
  });

  /**
   * A second gateway replica on the same platform with a tiny socket cap, a fast ping and a low
   * body limit (replicas share nothing, so it serves the same workspaces).
   */
  describe('a gateway with a socket cap of 3, pings every 250 ms and a 20 kB body limit', () => {
    let small: ServiceProcess;
    let smallWsUrl: string;
    let smallApi: ApiClient;

    beforeAll(async () => {
      const port = await freePort();
      small = await startService('gateway', {
        ...platform.env,
        GATEWAY_PORT: String(port),
        GATEWAY_MAX_SOCKETS: '3',
        GATEWAY_WS_PING_MS: '250',
        GATEWAY_BODY_LIMIT: '20000',
      });
      smallWsUrl = `ws://127.0.0.1:${port}`;
      smallApi = new ApiClient(`http://127.0.0.1:${port}`, alice.token);
    });

    afterAll(async () => {
      await small?.stop();
    });

    /** Opens a socket, retrying while sockets closed by an earlier test still count against the cap. */
    const openWhenFree = (url: string, options?: WebSocket.ClientOptions) =>
      waitFor(() => openSocket(url, options).catch(() => undefined), 'a free socket slot');

    it('honours a lowered body limit', async () => {
      const res = await smallApi.call(
        'POST',
        '/api/v1/workflows',
        undefined,
        JSON.stringify({ ...quickWorkflow(), description: 'x'.repeat(30_000) }),
      );
      expect(res.status).toBe(413);
      expect(res.body.detail).toContain('20000');
      expect((await smallApi.post('/api/v1/workflows', quickWorkflow())).status).toBe(201);
    });

    it('pings every socket and terminates one that never answers', async () => {
      const { executionId } = await finishedRun();
      const silent = await openWhenFree(`${smallWsUrl}/ws/executions/${executionId}`, { autoPong: false });
      const executionHeld = await startHeld();
      const answering = await openWhenFree(`${smallWsUrl}/ws/executions/${executionHeld}`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      await waitFor(() => silent.closeCode() !== undefined, 'the silent socket to be cut', 20_000);
      expect(silent.pings()).toBeGreaterThan(0);
      expect(silent.closeCode()).toBe(1006); // terminated, not closed by the 10 s auth timeout (4401)
      await waitFor(() => answering.pings() >= 3, 'three pings on the answering socket', 20_000);
      expect(answering.socket.readyState).toBe(WebSocket.OPEN);
      answering.socket.close();
      await answering.closed;
    });

    it('refuses upgrades over the cap with 503 and Retry-After, and accepts again once one closes', async () => {
      const { executionId } = await finishedRun();
      const url = `${smallWsUrl}/ws/executions/${executionId}`;
      const held: OpenSocket[] = [];
      // Fill the cap (sockets awaiting their auth message count too).
      await waitFor(async () => {
        const open = await openSocket(url).catch(() => undefined);
        if (open) held.push(open);
        return held.length === 3;
      }, 'three open sockets');
      const refused = await refusedUpgrade(url);
      expect(refused.status).toBe(503);
      expect(Number(refused.headers?.['retry-after'])).toBeGreaterThan(0);
      held.pop()!.socket.close();
      const again = await openWhenFree(url);
      expect(again.socket.readyState).toBe(WebSocket.OPEN);
      for (const open of [...held, again]) open.socket.close();
      await Promise.all([...held, again].map((open) => open.closed));
      expect(small.child.exitCode).toBeNull();
    });
  });
});
