import { randomUUID } from 'node:crypto';
import { startPlatform, type TestPlatform } from '@flowstack/testing';
import { ApiClient } from './api-client';

jest.setTimeout(120_000);

const ALLOWED_ORIGIN = 'https://app.example.com';

/** A three-node graph whose output names `label`, so versions can be told apart by their graph. */
const graphOf = (label: string) => ({
  entry_point: 'start',
  nodes: [
    { id: 'start', type: 'input', config: {} },
    { id: 'shape', type: 'transform', config: { expression: '{ "v": input.x }' } },
    { id: 'end', type: 'output', config: { value: label } },
  ],
  edges: [
    { from: 'start', to: 'shape' },
    { from: 'shape', to: 'end' },
  ],
});

/**
 * The smaller pieces of the API surface, end to end through the gateway: a workflow's version
 * history, `X-Request-Id`, no `X-Powered-By`, CORS for the configured origins only, unknown body
 * fields never applied and unknown routes as problem+json.
 */
describe('workflow versions and the HTTP surface', () => {
  let platform: TestPlatform;
  let api: ApiClient;
  let alice: { token: string; workspaceId: string; client: ApiClient };
  let bob: { token: string; workspaceId: string; client: ApiClient };
  let workflowId: string;

  const register = async (email: string, extra: Record<string, unknown> = {}) => {
    const res = await api.post('/api/v1/auth/register', { email, password: 'correct horse battery', ...extra });
    expect(res.status).toBe(201);
    return { token: res.body.token, workspaceId: res.body.workspace.id, client: api.as(res.body.token), body: res.body };
  };

  beforeAll(async () => {
    platform = await startPlatform({
      label: 'versions',
      env: { GATEWAY_CORS_ORIGINS: `${ALLOWED_ORIGIN}, https://admin.example.com` },
    });
    api = new ApiClient(platform.baseUrl);
    [alice, bob] = await Promise.all([
      register(`alice-${randomUUID()}@example.com`),
      register(`bob-${randomUUID()}@example.com`),
    ]);
    const created = await alice.client.post('/api/v1/workflows', { name: 'v1', graph: graphOf('one') });
    expect(created.status).toBe(201);
    workflowId = created.body.id;
    for (const [name, label] of [
      ['v2', 'two'],
      ['v3', 'three'],
    ]) {
      const saved = await alice.client.put(`/api/v1/workflows/${workflowId}`, { name, graph: graphOf(label) });
      expect(saved.status).toBe(200);
    }
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describe('GET /api/v1/workflows/{id}/versions', () => {
    it('pages the versions newest first, without their graphs', async () => {
      const first = await alice.client.get(`/api/v1/workflows/${workflowId}/versions?limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.items).toEqual([
        { version: 3, name: 'v3', createdAt: expect.any(String), createdBy: expect.any(String) },
        { version: 2, name: 'v2', createdAt: expect.any(String), createdBy: expect.any(String) },
      ]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await alice.client.get(
        `/api/v1/workflows/${workflowId}/versions?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      );
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ version: 1, name: 'v1' })], nextCursor: null });
      const all = await alice.client.get(`/api/v1/workflows/${workflowId}/versions`);
      expect(all.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    });

    it('refuses a bad limit or cursor with a 400 naming the field', async () => {
      for (const [query, path] of [
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=abc', 'limit'],
        ['cursor=abc', 'cursor'],
        ['cursor=0', 'cursor'],
        ['cursor=99999999999', 'cursor'],
      ]) {
        const res = await alice.client.get(`/api/v1/workflows/${workflowId}/versions?${query}`);
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
      }
    });
  });

  describe('GET /api/v1/workflows/{id}/versions/{n}', () => {
    it('answers one version with its own graph, current or not', async () => {
      const second = await alice.client.get(`/api/v1/workflows/${workflowId}/versions/2`);
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ workflowId, version: 2, name: 'v2', createdAt: expect.any(String) });
      expect(second.body.graph.nodes[2].config.value).toBe('two');
      const first = await alice.client.get(`/api/v1/workflows/${workflowId}/versions/1`);
      expect(first.body.graph.nodes[2].config.value).toBe('one');
    });

    it('answers 404 for a version that does not exist', async () => {
      const res = await alice.client.get(`/api/v1/workflows/${workflowId}/versions/4`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('not_found');
    });

    it.each(['0', '-1', 'abc', '99999999999', '1.5', '1e2'])('answers 400 on the version path for %p', async (n) => {
      const res = await alice.client.get(`/api/v1/workflows/${workflowId}/versions/${n}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'version' })]);
    });
  });

  it('answers 404 on both to another workspace, as for a workflow that does not exist', async () => {
    for (const path of [`/api/v1/workflows/${workflowId}/versions`, `/api/v1/workflows/${workflowId}/versions/1`]) {
      const res = await bob.client.get(path);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(JSON.stringify(res.body)).not.toContain('"v1"');
      expect((await bob.client.get(path.replace(workflowId, randomUUID()))).status).toBe(404);
    }
  });

  describe('X-Request-Id', () => {
    const get = (headers: Record<string, string>) =>
      fetch(`${platform.baseUrl}/api/v1/workflows/${randomUUID()}`, {
        headers: { authorization: `Bearer ${alice.token}`, ...headers },
      });

    it('echoes a valid one and carries it as the correlation id when none is sent', async () => {
      const res = await get({ 'x-request-id': 'req-abc.123' });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBe('req-abc.123');
      expect(res.headers.get('x-correlation-id')).toBe('req-abc.123');
      expect(((await res.json()) as { correlationId: string }).correlationId).toBe('req-abc.123');
    });

    it('keeps an explicit correlation id beside it', async () => {
      const res = await get({ 'x-request-id': 'req-1', 'x-correlation-id': 'corr-1' });
      expect(res.headers.get('x-request-id')).toBe('req-1');
      expect(res.headers.get('x-correlation-id')).toBe('corr-1');
      expect(((await res.json()) as { correlationId: string }).correlationId).toBe('corr-1');
    });

    it('generates one when absent and replaces an invalid one, never reflecting it', async () => {
      const none = await get({});
      expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(none.headers.get('x-correlation-id')).toBe(none.headers.get('x-request-id'));
      for (const bad of ['<script>', 'a'.repeat(101), 'two words']) {
        const res = await get({ 'x-request-id': bad });
        const text = await res.text();
        expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        expect(text).not.toContain(bad);
      }
    });

    it('is on successful answers too', async () => {
      const res = await fetch(`${platform.baseUrl}/api/v1/health`, { headers: { 'x-request-id': 'health-1' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('health-1');
    });
  });

  it('never sends X-Powered-By', async () => {
    const answers = [
      await api.get('/api/v1/health'),
      await alice.client.get('/api/v1/workflows'),
      await api.get('/api/v1/nowhere'),
      await alice.client.call('POST', '/api/v1/workflows', undefined, '{"name": '),
    ];
    for (const res of answers) expect(res.headers.get('x-powered-by')).toBeNull();
  });

  describe('CORS from GATEWAY_CORS_ORIGINS', () => {
    const preflight = (origin: string) =>
      fetch(`${platform.baseUrl}/api/v1/workflows`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });

    it('answers the preflight of an allowed origin', async () => {
      for (const origin of [ALLOWED_ORIGIN, 'https://admin.example.com']) {
        const res = await preflight(origin);
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('access-control-allow-methods')).toContain('POST');
        expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
        expect(res.headers.get('vary')).toContain('Origin');
      }
      const get = await fetch(`${platform.baseUrl}/api/v1/workflows`, {
        headers: { origin: ALLOWED_ORIGIN, authorization: `Bearer ${alice.token}` },
      });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(get.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    });

    it('gives any other origin no CORS header at all', async () => {
      for (const origin of ['https://evil.example.com', 'http://app.example.com', 'https://app.example.com.evil.io', 'null']) {
        const res = await preflight(origin);
        expect(res.status).toBe(404);
        for (const [name] of res.headers) expect(name).not.toMatch(/^access-control-/);
        const get = await fetch(`${platform.baseUrl}/api/v1/workflows`, {
          headers: { origin, authorization: `Bearer ${alice.token}` },
        });
        expect(get.headers.get('access-control-allow-origin')).toBeNull();
      }
    });
  });

  describe('bad input', () => {
    it('applies no role, workspaceId or isAdmin sent in a register body', async () => {
      const email = `mallory-${randomUUID()}@example.com`;
      const mallory = await register(email, { role: 'owner', workspaceId: bob.workspaceId, isAdmin: true, name: 'mallory' });
      expect(mallory.workspaceId).not.toBe(bob.workspaceId);
      expect(JSON.stringify(mallory.body)).not.toContain('isAdmin');
      const login = await api.post('/api/v1/auth/login', { email, password: 'correct horse battery' });
      expect(login.body.workspaces).toEqual([expect.objectContaining({ id: mallory.workspaceId, role: 'admin' })]);
      // Bob's workspace stays out of reach: not a member, whatever the body said.
      const intoBob = await api.as(mallory.token, bob.workspaceId).get('/api/v1/workflows');
      expect(intoBob.status).toBeGreaterThanOrEqual(400);
      expect(intoBob.status).toBeLessThan(500);
      const bobsWorkflow = await bob.client.post('/api/v1/workflows', { name: 'bob only', graph: graphOf('bob') });
      expect((await mallory.client.get(`/api/v1/workflows/${bobsWorkflow.body.id}`)).status).toBe(404);
    });

    it('saves a workflow in the caller workspace whatever workspaceId the body names', async () => {
      const created = await bob.client.post('/api/v1/workflows', {
        name: 'smuggled',
        workspaceId: alice.workspaceId,
        graph: graphOf('x'),
      });
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('workspaceId');
      expect((await alice.client.get(`/api/v1/workflows/${created.body.id}`)).status).toBe(404);
      expect((await bob.client.get(`/api/v1/workflows/${created.body.id}`)).status).toBe(200);
    });

    it.each([
      ['GET', '/api/v1/nowhere'],
      ['POST', '/api/v1/nowhere'],
      ['GET', '/api/v2/workflows'],
      ['DELETE', '/api/v1/auth/me'],
      ['GET', '/api/v1/workflows/x/versions/1/more'],
    ])('answers %s %s with a 404 problem+json', async (method, path) => {
      const res = await alice.client.call(method, path, method === 'POST' ? {} : undefined);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 404, code: 'not_found' });
    });
  });
});
