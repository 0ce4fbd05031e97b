import { randomUUID } from 'node:crypto';
import { randomNamespace, startAuthNatsServer, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient } from './api-client';

jest.setTimeout(180_000);

/**
 * Issue 11's subjects and buckets under the exact permissions of `bus-permissions.ts` (as
 * bus-auth.e2e-spec.ts does for the rest): workspaces, members, invitations, API keys (the
 * API_KEYS feed, the gateways' RATE_LIMITS counters, the batched last-used `touch`) all work, and
 * the NATS server logs no permission violation.
 */
describe('identity and API keys on an authenticated bus', () => {
  const ns = randomNamespace('busauthid');
  let nats: Awaited<ReturnType<typeof startAuthNatsServer>>;
  let platform: TestPlatform;

  beforeAll(async () => {
    nats = await startAuthNatsServer(ns);
    try {
      platform = await startPlatform({
        label: 'busauthid',
        env: { NATS_URL: nats.url, FLOWSTACK_NS: ns.prefix },
        serviceEnv: { ...nats.serviceEnv, gateway: { ...nats.serviceEnv.gateway, GATEWAY_API_KEY_USAGE_FLUSH_MS: '200' } },
      });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nnats-server:\n${nats.output()}`);
    }
  });
  afterAll(async () => {
    await platform?.stop();
    await nats?.stop();
  });

  it('runs members and API keys end to end with no permission violation', async () => {
    const api = new ApiClient(platform.baseUrl);
    const reg = async (label: string) => {
      const email = `${label}-${randomUUID()}@example.com`;
      const res = await api.post('/api/v1/auth/register', { email, password: 'correct horse battery' });
      expect(res.status).toBe(201);
      return { email, token: res.body.token as string, userId: res.body.user.id as string, own: res.body.workspace.id as string };
    };
    const ada = await reg('ada');
    const bob = await reg('bob');
    const base = `/api/v1/workspaces/${ada.own}`;
    const inv = await api.as(ada.token).post(`${base}/invitations`, { email: bob.email, role: 'viewer' });
    expect(inv.status).toBe(201);
    expect((await api.as(bob.token).post('/api/v1/invitations/accept', { token: inv.body.token })).status).toBe(200);
    expect((await api.as(ada.token).call('PATCH', `${base}/members/${bob.userId}`, { role: 'editor' })).status).toBe(200);

    const key = await api.as(ada.token).post(`${base}/api-keys`, { name: 'ci', role: 'viewer' });
    expect(key.status).toBe(201);
    expect((await api.as(key.body.key).get('/api/v1/workflows')).status).toBe(200);
    await waitFor(
      async () => (await api.as(ada.token).get(`${base}/api-keys`)).body.items[0].lastUsedAt !== null,
      'the last use recorded',
      5000,
      50,
    );
    expect((await api.as(ada.token).delete(`${base}/api-keys/${key.body.id}`)).status).toBe(204);
    await waitFor(async () => (await api.as(key.body.key).get('/api/v1/workflows')).status === 401, 'the key refused', 1000, 10);
    expect((await api.as(ada.token).delete(`${base}/members/${bob.userId}`)).status).toBe(204);

    expect(nats.output()).not.toMatch(/Violation/);
    for (const service of platform.services.values()) expect(service.output()).not.toMatch(/Permissions Violation/);
  });
});
