import { randomUUID } from 'node:crypto';
import { startPlatform, waitFor, type GatewayReplica, type TestPlatform } from '@flowstack/testing';
import { ApiClient, watchExecution, type ApiResponse } from './api-client';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery';
const ROLES = ['viewer', 'editor', 'admin'] as const;
type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };
/** ARCHITECTURE.md: a change reaches every gateway replica within a second. */
const PROPAGATION_MS = 1000;

interface Person {
  email: string;
  userId: string;
  own: string;
  token: string;
}

/**
 * Issue 11: workspaces, members and invitations over the public API on the whole platform, the
 * access policy tried with real members of every role (read from the OpenAPI document, so a new
 * route joins the matrix by itself), and membership changes reaching a second gateway replica.
 */
describe('roles, workspaces and members', () => {
  let platform: TestPlatform;
  let gatewayB: GatewayReplica;
  let api: ApiClient;
  let apiB: ApiClient;

  beforeAll(async () => {
    platform = await startPlatform({ label: 'roles' });
    gatewayB = await platform.startGateway();
    api = new ApiClient(platform.baseUrl);
    apiB = new ApiClient(gatewayB.baseUrl);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const register = async (label: string): Promise<Person> => {
    const email = `${label}-${randomUUID()}@example.com`;
    const res = await api.post('/api/v1/auth/register', { email, password: PASSWORD });
    expect(res.status).toBe(201);
    return { email, userId: res.body.user.id, own: res.body.workspace.id, token: res.body.token };
  };
  const login = async (p: Person): Promise<string> => {
    const res = await api.post('/api/v1/auth/login', { email: p.email, password: PASSWORD });
    expect(res.status).toBe(200);
    return res.body.token;
  };
  /** `admin` invites `who` into `workspaceId` with `role`; `who` accepts. */
  const join = async (admin: Person, workspaceId: string, who: Person, role: Role): Promise<void> => {
    const inv = await api.as(admin.token).post(`/api/v1/workspaces/${workspaceId}/invitations`, { email: who.email, role });
    expect(inv.status).toBe(201);
    const accepted = await api.as(who.token, who.own).post('/api/v1/invitations/accept', { token: inv.body.token });
    expect(accepted).toMatchObject({ status: 200, body: { id: workspaceId, role } });
  };
  const expectProblem = (res: ApiResponse, status: number, extra: Record<string, unknown> = {}) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, ...extra });
  };

  it('lets each role through exactly the rows of the access policy at or below it (every documented route)', async () => {
    const ada = await register('ada');
    const bob = await register('bob');
    const carol = await register('carol');
    await join(ada, ada.own, bob, 'editor');
    await join(ada, ada.own, carol, 'viewer');
    const people: Record<Role, Person> = { admin: ada, editor: bob, viewer: carol };

    const doc = (await api.get('/api/docs/openapi.json')).body as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op['x-flowstack-min-role'])
        .map(([method, op]) => ({ method: method.toUpperCase(), path, needed: op['x-flowstack-min-role'] as Role })),
    );
    expect(rows.length).toBeGreaterThan(20);
    let refused = 0;
    for (const row of rows) {
      for (const role of ROLES) {
        // `{id}` is the workspace for `/workspaces/{id}` routes, and an unknown id anywhere else.
        const url = row.path.replace('{id}', ada.own).replace(/\{\w+\}/g, randomUUID());
        // Logging out spends the token: that row gets a fresh one.
        const token = row.path === '/api/v1/auth/logout' ? await login(people[role]) : people[role].token;
        const res = await api
          .as(token, ada.own)
          .call(row.method, url, ['POST', 'PUT', 'PATCH'].includes(row.method) ? {} : undefined);
        const label = `${row.method} ${row.path} as ${role}: ${res.status} ${JSON.stringify(res.body)}`;
        if (RANK[role] >= RANK[row.needed]) {
          expect([label, res.status === 403 || res.status === 401]).toEqual([label, false]);
        } else {
          expect([label, res.status]).toEqual([label, 403]);
          expectProblem(res, 403, { code: 'forbidden', detail: `this needs the ${row.needed} role; you are ${role}` });
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(10);
  });

  it('answers bad input with problem+json and its field path; never demotes or removes the last admin (409)', async () => {
    const ada = await register('ada');
    const bob = await register('bob');
    const asAda = api.as(ada.token);
    const base = `/api/v1/workspaces/${ada.own}`;
    expectProblem(await asAda.post(`${base}/invitations`, { email: 'not-an-email', role: 'owner' }), 400, {
      errors: expect.arrayContaining([expect.objectContaining({ path: 'email' }), expect.objectContaining({ path: 'role' })]),
    });
    expectProblem(await asAda.call('PATCH', `${base}/members/not-a-uuid`, { role: 'viewer' }), 400, {
      errors: [expect.objectContaining({ path: 'userId' })],
    });
    expectProblem(await asAda.call('PATCH', `${base}/members/${ada.userId}`, { role: 'god' }), 400, {
      errors: [expect.objectContaining({ path: 'role' })],
    });
    expectProblem(await asAda.call('PATCH', base, { name: '' }), 400, { errors: [expect.objectContaining({ path: 'name' })] });
    expectProblem(await asAda.call('PATCH', `${base}/members/${ada.userId}`, { role: 'editor' }), 409, { code: 'conflict' });
    expectProblem(await asAda.delete(`${base}/members/${ada.userId}`), 409, { code: 'conflict' });
    expectProblem(await api.as(ada.token, bob.own).get(`${base}/members`), 400, {
      errors: [expect.objectContaining({ path: 'X-Workspace-Id' })],
    });

    const inv = await asAda.post(`${base}/invitations`, { email: bob.email, role: 'viewer' });
    expect((await api.as(bob.token).post('/api/v1/invitations/accept', { token: inv.body.token })).status).toBe(200);
    expectProblem(await api.as(bob.token, bob.own).post('/api/v1/invitations/accept', { token: inv.body.token }), 409, {
      errors: [expect.objectContaining({ path: 'token', rule: 'used' })],
    });
    expectProblem(await api.as(bob.token, bob.own).post('/api/v1/invitations/accept', {}), 400, {
      errors: [expect.objectContaining({ path: 'token' })],
    });

    // Create, rename, list: the new workspace is Bob's to run, and he now has three.
    const created = await api.as(bob.token, bob.own).post('/api/v1/workspaces', { name: 'Side project' });
    expect(created).toMatchObject({ status: 201, body: { name: 'Side project', role: 'admin' } });
    expect((await api.as(bob.token).call('PATCH', `/api/v1/workspaces/${created.body.id}`, { name: 'Main' })).body).toMatchObject(
      {
        name: 'Main',
      },
    );
    const mine = await api.as(bob.token, bob.own).get('/api/v1/workspaces');
    expect(mine.body.items.map((w: { role: string }) => w.role).sort()).toEqual(['admin', 'admin', 'viewer']);
  });

  it('refuses a removed member on both replicas within 1 s, and a promoted one gets the new role there too', async () => {
    const ada = await register('ada');
    const bob = await register('bob');
    const carol = await register('carol');
    await join(ada, ada.own, bob, 'editor');
    await join(ada, ada.own, carol, 'viewer');
    const bobOn = (a: ApiClient) => a.as(bob.token, ada.own).get('/api/v1/workflows');
    expect((await bobOn(apiB)).status).toBe(200);

    expect((await api.as(ada.token).delete(`/api/v1/workspaces/${ada.own}/members/${bob.userId}`)).status).toBe(204);
    const removedAt = Date.now();
    for (const gateway of [apiB, api]) {
      const res = await waitFor(
        async () => ((await bobOn(gateway)).status === 404 ? true : undefined),
        'bob refused',
        PROPAGATION_MS,
        10,
      );
      expect(res).toBe(true);
    }
    expect(Date.now() - removedAt).toBeLessThan(PROPAGATION_MS + 200);
    expectProblem(await bobOn(apiB), 404, { detail: 'workspace not found' });
    // His socket is refused too (the tenancy check happens before the execution is looked up).
    await expect(watchExecution(gatewayB.wsUrl, randomUUID(), bob.token, `?workspaceId=${ada.own}`)).rejects.toMatchObject({
      status: 404,
    });

    const carolCreates = () => apiB.as(carol.token, ada.own).post('/api/v1/workflows', {});
    expect((await carolCreates()).status).toBe(403);
    expect(
      (await api.as(ada.token).call('PATCH', `/api/v1/workspaces/${ada.own}/members/${carol.userId}`, { role: 'editor' })).status,
    ).toBe(200);
    await waitFor(
      async () => ((await carolCreates()).status === 400 ? true : undefined),
      'carol promoted on B',
      PROPAGATION_MS,
      10,
    );
  });

  it("answers 404 for another workspace's members, invitations and settings, whatever the caller's role", async () => {
    const ada = await register('ada');
    const mallory = await register('mallory');
    const inv = await api
      .as(ada.token)
      .post(`/api/v1/workspaces/${ada.own}/invitations`, { email: 'x@example.com', role: 'viewer' });
    const asMallory = api.as(mallory.token);
    const base = `/api/v1/workspaces/${ada.own}`;
    for (const res of [
      await asMallory.get(`${base}/members`),
      await asMallory.get(`${base}/invitations`),
      await asMallory.call('PATCH', base, { name: 'mine now' }),
      await asMallory.call('PATCH', `${base}/members/${mallory.userId}`, { role: 'admin' }),
      await asMallory.delete(`${base}/members/${ada.userId}`),
      await asMallory.delete(`${base}/invitations/${inv.body.id}`),
      await asMallory.post(`${base}/invitations`, { email: mallory.email, role: 'admin' }),
    ]) {
      expectProblem(res, 404, { code: 'not_found' });
      expect(JSON.stringify(res.body)).not.toContain(ada.email);
    }
    // Mallory's own workspace does not reach Ada's invitation either.
    expectProblem(await asMallory.delete(`/api/v1/workspaces/${mallory.own}/invitations/${inv.body.id}`), 404);
    expect((await api.as(ada.token).get(`${base}/invitations`)).body.items).toHaveLength(1);
  });
});
