import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { startPlatform, waitFor, type GatewayReplica, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, watchExecution, type ApiResponse, type WsRun } from './api-client';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery';
/** Gateway B's per-key limit (gateway A keeps the default): small enough to reach. */
const B_POINTS = 5;
const KEY = /^fsk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

const slowGraph = {
  entry_point: 'start',
  nodes: [
    { id: 'start', type: 'input', config: {} },
    { id: 'wait', type: 'delay', config: { seconds: 300 } },
    { id: 'done', type: 'output', config: { value: { ok: true } } },
  ],
  edges: [
    { from: 'start', to: 'wait' },
    { from: 'wait', to: 'done' },
  ],
};

interface Person {
  email: string;
  userId: string;
  own: string;
  token: string;
}

/**
 * Issue 11 API keys over the public API on the whole platform with two gateways: shown once and
 * stored hashed, accepted wherever a token is (REST, WebSocket) by the second passport strategy,
 * scoped to one workspace and a role no higher than the creator's, revocable and expiring on every
 * replica, rate-limited per key across replicas (429 + Retry-After), last use recorded in batches.
 */
describe('API keys', () => {
  let platform: TestPlatform;
  let gatewayB: GatewayReplica;
  let api: ApiClient;
  let apiB: ApiClient;
  let sql: Pool;
  let ada: Person;

  const register = async (label: string): Promise<Person> => {
    const email = `${label}-${randomUUID()}@example.com`;
    const res = await api.post('/api/v1/auth/register', { email, password: PASSWORD });
    expect(res.status).toBe(201);
    return { email, userId: res.body.user.id, own: res.body.workspace.id, token: res.body.token };
  };
  const createKey = async (owner: Person, body: Record<string, unknown>) => {
    const res = await api.as(owner.token).post(`/api/v1/workspaces/${owner.own}/api-keys`, body);
    expect(res.status).toBe(201);
    return res.body as { id: string; key: string; prefix: string; role: string };
  };
  const expectProblem = (res: ApiResponse, status: number, extra: Record<string, unknown> = {}) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, ...extra });
  };
  const closedWithin = (run: WsRun, ms: number) =>
    Promise.race([
      run.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms).unref()),
    ]);

  beforeAll(async () => {
    platform = await startPlatform({ label: 'apikeys', serviceEnv: { gateway: { GATEWAY_API_KEY_USAGE_FLUSH_MS: '200' } } });
    gatewayB = await platform.startGateway({
      GATEWAY_API_KEY_RATE_POINTS: String(B_POINTS),
      GATEWAY_API_KEY_RATE_WINDOW_S: '60',
    });
    api = new ApiClient(platform.baseUrl);
    apiB = new ApiClient(gatewayB.baseUrl);
    sql = new Pool({ connectionString: platform.env.DATABASE_URL, max: 1 });
    ada = await register('ada');
  });
  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
  });

  it('shows the key once, lists only its prefix, stores a keyed hash, and records its last use', async () => {
    const created = await createKey(ada, { name: 'ci', role: 'editor' });
    expect(created.key).toMatch(KEY);
    expect(created.prefix).toBe(`${created.key.slice(0, 12)}_…`);
    const list = await api.as(ada.token).get(`/api/v1/workspaces/${ada.own}/api-keys`);
    const listed = list.body.items.find((k: { id: string }) => k.id === created.id);
    expect(listed).toMatchObject({ name: 'ci', role: 'editor', prefix: created.prefix, lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(created.key.slice(13));
    const { rows } = await sql.query('select key_hash from identity.api_keys where id = $1', [created.id]);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].key_hash).not.toContain(created.key.slice(13));

    expect((await api.as(created.key).get('/api/v1/workflows')).status).toBe(200);
    const used = await waitFor(
      async () => {
        const res = await api.as(ada.token).get(`/api/v1/workspaces/${ada.own}/api-keys`);
        return res.body.items.find((k: { id: string; lastUsedAt: string | null }) => k.id === created.id && k.lastUsedAt);
      },
      'the last use to be recorded',
      5000,
      50,
    );
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("acts in its own workspace with its role: viewers read, never another workspace's data", async () => {
    const mallory = await register('mallory');
    const viewer = await createKey(ada, { name: 'dashboard', role: 'viewer' });
    const editor = await createKey(ada, { name: 'deployer', role: 'editor' });
    const graph = { entry_point: 'a', nodes: [{ id: 'a', type: 'input', config: {} }], edges: [] };
    expectProblem(await api.as(viewer.key).post('/api/v1/workflows', { name: 'x', graph }), 403, { code: 'forbidden' });
    expect((await api.as(editor.key).post('/api/v1/workflows', { name: 'by key', graph })).status).toBe(201);
    expect((await api.as(viewer.key, ada.own).get('/api/v1/workflows')).status).toBe(200);
    expectProblem(await api.as(viewer.key, mallory.own).get('/api/v1/workflows'), 404, { detail: 'workspace not found' });
    // An admin-only route is refused to an editor key; identity's own routes need a person.
    expectProblem(await api.as(editor.key).get(`/api/v1/workspaces/${ada.own}/api-keys`), 403);
    // Mallory cannot see, revoke or create Ada's keys.
    expectProblem(await api.as(mallory.token).get(`/api/v1/workspaces/${ada.own}/api-keys`), 404);
    expectProblem(await api.as(mallory.token).delete(`/api/v1/workspaces/${mallory.own}/api-keys/${viewer.id}`), 404);
    expect((await api.as(viewer.key).get('/api/v1/workflows')).status).toBe(200);
  });

  it("never acts above its creator's current role", async () => {
    const bob = await register('bob');
    const inv = await api.as(ada.token).post(`/api/v1/workspaces/${ada.own}/invitations`, { email: bob.email, role: 'admin' });
    expect((await api.as(bob.token, bob.own).post('/api/v1/invitations/accept', { token: inv.body.token })).status).toBe(200);
    const bobs = await api.as(bob.token).post(`/api/v1/workspaces/${ada.own}/api-keys`, { name: 'ops', role: 'admin' });
    expect(bobs.status).toBe(201);
    expect((await api.as(bobs.body.key).get('/api/v1/dead-letters')).status).toBe(200);
    expect(
      (await api.as(ada.token).call('PATCH', `/api/v1/workspaces/${ada.own}/members/${bob.userId}`, { role: 'editor' })).status,
    ).toBe(200);
    await waitFor(
      async () => (await api.as(bobs.body.key).get('/api/v1/dead-letters')).status === 403,
      'the key capped',
      1000,
      10,
    );
    await api.as(ada.token).delete(`/api/v1/workspaces/${ada.own}/members/${bob.userId}`);
    await waitFor(
      async () => (await api.as(bobs.body.key).get('/api/v1/workflows')).status === 404,
      'the key orphaned',
      1000,
      10,
    );
  });

  it('is refused on both replicas within 1 s of its revocation, and its open socket closes with 4401', async () => {
    const key = await createKey(ada, { name: 'watcher', role: 'viewer' });
    const workflowId = await createWorkflow(api.as(ada.token), 'slow', slowGraph);
    const run = await api.as(ada.token).post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    const socket = await watchExecution(platform.wsUrl, run.body.executionId, key.key);
    expect((await apiB.as(key.key).get('/api/v1/workflows')).status).toBe(200);

    expect((await api.as(ada.token).delete(`/api/v1/workspaces/${ada.own}/api-keys/${key.id}`)).status).toBe(204);
    const revokedAt = Date.now();
    for (const gateway of [apiB, api]) {
      await waitFor(async () => (await gateway.as(key.key).get('/api/v1/workflows')).status === 401, 'the key refused', 1000, 10);
    }
    expect(Date.now() - revokedAt).toBeLessThan(1200);
    expectProblem(await apiB.as(key.key).get('/api/v1/workflows'), 401, { detail: 'invalid API key' });
    expect(await closedWithin(socket, 5000)).toBe(4401);
    expect(socket.messages.at(-1)).toMatchObject({ type: 'error', message: 'API key revoked' });
    await expect(watchExecution(gatewayB.wsUrl, run.body.executionId, key.key)).rejects.toMatchObject({ status: 401 });
    const listed = await api.as(ada.token).get(`/api/v1/workspaces/${ada.own}/api-keys`);
    expect(listed.body.items.find((k: { id: string }) => k.id === key.id).revokedAt).toEqual(expect.any(String));
  });

  it('expires at its expiresAt', async () => {
    const key = await createKey(ada, { name: 'short', role: 'viewer', expiresAt: new Date(Date.now() + 2000).toISOString() });
    expect((await api.as(key.key).get('/api/v1/workflows')).status).toBe(200);
    await waitFor(async () => (await apiB.as(key.key).get('/api/v1/workflows')).status === 401, 'the key expired', 5000, 50);
    expectProblem(await api.as(key.key).get('/api/v1/workflows'), 401, { detail: 'API key expired' });
  });

  it('limits each key across replicas with 429 and Retry-After', async () => {
    const key = await createKey(ada, { name: 'busy', role: 'viewer' });
    const other = await createKey(ada, { name: 'calm', role: 'viewer' });
    // Three calls on B and two on A share one counter: B's sixth is over its limit of five.
    for (let i = 0; i < 3; i++) expect((await apiB.as(key.key).get('/api/v1/workflows')).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await api.as(key.key).get('/api/v1/workflows')).status).toBe(200);
    const limited = await apiB.as(key.key).get('/api/v1/workflows');
    expectProblem(limited, 429, { code: 'rate_limited' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another key is not affected, nor is a person's token.
    expect((await apiB.as(other.key).get('/api/v1/workflows')).status).toBe(200);
    expect((await apiB.as(ada.token).get('/api/v1/workflows')).status).toBe(200);
  });

  it('answers bad input with problem+json and its field path', async () => {
    const base = `/api/v1/workspaces/${ada.own}/api-keys`;
    expectProblem(await api.as(ada.token).post(base, { name: '', role: 'root', expiresAt: 'tomorrow' }), 400, {
      errors: expect.arrayContaining([
        expect.objectContaining({ path: 'name' }),
        expect.objectContaining({ path: 'role' }),
        expect.objectContaining({ path: 'expiresAt' }),
      ]),
    });
    expectProblem(await api.as(ada.token).post(base, { name: 'old', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' }), 400, {
      errors: [expect.objectContaining({ path: 'expiresAt', message: 'must be in the future' })],
    });
    expectProblem(await api.as(ada.token).delete(`${base}/not-a-uuid`), 400, {
      errors: [expect.objectContaining({ path: 'keyId' })],
    });
    expectProblem(await api.as(ada.token).delete(`${base}/${randomUUID()}`), 404);
    expectProblem(await api.as(`fsk_0000000a_${'A'.repeat(43)}`).get('/api/v1/workflows'), 401, { detail: 'invalid API key' });
    expectProblem(await api.as('fsk_short').get('/api/v1/workflows'), 401, { detail: 'invalid API key' });
  });
});
