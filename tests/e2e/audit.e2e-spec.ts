import { randomUUID } from 'node:crypto';
import { freePort, waitFor } from '@flowstack/testing';
import { ApiClient, registerTenant, type ApiResponse } from './api-client';
import { startIdentityPair, type IdentityPair } from './identity-pair';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery';
const UA = 'audit-e2e/1.0';

/** `GET /api/v1/audit`: identity's changes and sign-ins, with actor, IP and user agent, for admins. */
describe('audit log', () => {
  let pair: IdentityPair;
  let api: ApiClient;

  beforeAll(async () => {
    pair = await startIdentityPair('audit', await freePort(), {});
    api = new ApiClient(pair.baseUrl);
  });
  afterAll(async () => {
    await pair?.stop();
  });

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${pair.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': UA, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('records register, sign-ins, a failed sign-in, an API key and a logout, newest first, with actor, IP and user agent', async () => {
    const before = new Date().toISOString();
    const email = `alice-${randomUUID()}@example.com`;
    const registered = (await (await post('/api/v1/auth/register', { email, password: PASSWORD })).json()) as any;
    const userId: string = registered.user.id;
    const workspaceId: string = registered.workspace.id;
    expect((await post('/api/v1/auth/login', { email, password: 'wrong password!' })).status).toBe(401);
    const login = (await (await post('/api/v1/auth/login', { email, password: PASSWORD })).json()) as any;
    const admin = api.as(login.token);
    const key = await admin.post(`/api/v1/workspaces/${workspaceId}/api-keys`, { name: 'ci', role: 'viewer' });
    expect(key.status).toBe(201);
    expect((await post('/api/v1/auth/logout', {}, registered.token)).status).toBe(204);

    // LoginFailed is written after the answer (no timing difference): wait for it.
    const page = await waitFor(
      async () => {
        const res = await admin.get('/api/v1/audit?limit=200');
        return res.body.items?.some((e: any) => e.type === 'LoginFailed') ? res : undefined;
      },
      'the LoginFailed event',
      10_000,
    );
    expect(page.status).toBe(200);
    const types = page.body.items.map((e: any) => e.type);
    for (const t of [
      'UserRegistered',
      'WorkspaceCreated',
      'MemberAdded',
      'LoginFailed',
      'LoginSucceeded',
      'ApiKeyCreated',
      'LoggedOut',
    ]) {
      expect(types).toContain(t);
    }
    const recorded = page.body.items.map((e: any) => e.recordedAt);
    expect([...recorded].sort().reverse()).toEqual(recorded);
    const signIn = page.body.items.find((e: any) => e.type === 'LoginSucceeded');
    expect(signIn).toMatchObject({
      stream: `user-${userId}-in-${workspaceId}`,
      actor: { id: userId, type: 'user' },
      data: { userId, ip: expect.stringMatching(/127\.0\.0\.1/), userAgent: UA, method: 'password' },
    });
    expect(page.body.items.find((e: any) => e.type === 'LoginFailed').data).toMatchObject({ userId, userAgent: UA });
    expect(page.body.items.find((e: any) => e.type === 'LoggedOut')).toMatchObject({
      actor: { id: userId },
      data: { userAgent: UA },
    });
    // Never the key itself, nor any hash.
    const text = JSON.stringify(page.body);
    expect(text).not.toContain(key.body.key);
    expect(text).not.toMatch(/\$2[aby]\$/);

    // Filters: type, actor, time window.
    const onlyFailed = await admin.get('/api/v1/audit?type=LoginFailed');
    expect(onlyFailed.body.items.map((e: any) => e.type)).toEqual(['LoginFailed']);
    const byActor = await admin.get(`/api/v1/audit?actor=${userId}&limit=200`);
    expect(byActor.body.items.length).toBeGreaterThan(0);
    expect(byActor.body.items.every((e: any) => e.actor?.id === userId)).toBe(true);
    expect((await admin.get(`/api/v1/audit?to=${encodeURIComponent(before)}`)).body.items).toEqual([]);
    expect((await admin.get(`/api/v1/audit?from=${encodeURIComponent(before)}&limit=200`)).body.items).toHaveLength(
      page.body.items.length,
    );

    // Keyset paging: two at a time, no overlap, the same events in the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: ApiResponse = await admin.get(`/api/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((e: any) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(page.body.items.map((e: any) => e.id));
  });

  it("shows no byte of another workspace's trail", async () => {
    const a = await registerTenant(api, 'audit-a');
    const b = await registerTenant(api, 'audit-b');
    const mine = await b.client.get('/api/v1/audit?limit=200');
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).not.toContain(a.workspaceId);
    expect(mine.body.items.length).toBeGreaterThan(0);
  });

  it('answers bad filters with a problem naming the field', async () => {
    const t = await registerTenant(api, 'audit-bad');
    for (const [query, field] of [
      ['type=loginFailed', 'type'],
      ['cursor=abc', 'cursor'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['from=yesterday', 'from'],
    ]) {
      const res = await t.client.get(`/api/v1/audit?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(res.body.errors)).toContain(field);
    }
  });
});
