import { randomUUID } from 'node:crypto';
import { MICRO_CREDITS_PER_CREDIT } from '@flowstack/contracts';
import { startPlatform, type TestPlatform } from '@flowstack/testing';
import { ApiClient, registerTenant, type ApiResponse, type Tenant } from './api-client';

jest.setTimeout(180_000);

const CREDIT = MICRO_CREDITS_PER_CREDIT;

/**
 * Issue 12, the billing service through the gateway: an admin grants credits, everyone in the
 * workspace reads the balance and the ledger, a viewer cannot grant, and a workspace sees only its
 * own ledger.
 */
describe('credits through the gateway', () => {
  let platform: TestPlatform;
  let api: ApiClient;
  let ada: Tenant;
  let bea: Tenant;

  beforeAll(async () => {
    platform = await startPlatform({ label: 'credits' });
    api = new ApiClient(platform.baseUrl);
    [ada, bea] = await Promise.all([registerTenant(api, 'ada'), registerTenant(api, 'bea')]);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const expectProblem = (res: ApiResponse, status: number, extra: Record<string, unknown> = {}) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, ...extra });
  };

  it('grants as admin, answers the balance and the transactions, once per grantId', async () => {
    const asAda = api.as(ada.token, ada.workspaceId);
    expect(await asAda.get('/api/v1/credits/balance')).toMatchObject({ status: 200, body: { posted: 0, held: 0, available: 0 } });
    const grantId = `g-${randomUUID()}`;
    const first = await asAda.post('/api/v1/credits/grants', { amount: 25 * CREDIT, reason: 'welcome', grantId });
    expect(first).toMatchObject({ status: 201, body: { posted: 25 * CREDIT, held: 0, available: 25 * CREDIT } });
    const again = await asAda.post('/api/v1/credits/grants', { amount: 25 * CREDIT, reason: 'welcome', grantId });
    expect(again).toMatchObject({ status: 201, body: { posted: 25 * CREDIT } });
    expect(await asAda.post('/api/v1/credits/grants', { amount: 5 * CREDIT })).toMatchObject({ status: 201 });
    expect(await asAda.get('/api/v1/credits/balance')).toMatchObject({ body: { posted: 30 * CREDIT, available: 30 * CREDIT } });

    const page1 = await asAda.get('/api/v1/credits/transactions?limit=1');
    expect(page1).toMatchObject({ status: 200, body: { items: [{ position: 2, type: 'CreditsGranted', amount: 5 * CREDIT }] } });
    expect(page1.body.nextCursor).toBe('2');
    const page2 = await asAda.get(`/api/v1/credits/transactions?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({
      items: [{ position: 1, type: 'CreditsGranted', amount: 25 * CREDIT, grantId, reason: 'welcome' }],
      nextCursor: null,
    });
  });

  it('refuses bad grants and queries with specific problems', async () => {
    const asAda = api.as(ada.token, ada.workspaceId);
    expectProblem(await asAda.post('/api/v1/credits/grants', { amount: 0 }), 400);
    expectProblem(await asAda.post('/api/v1/credits/grants', { amount: 1.5 }), 400);
    expectProblem(await asAda.post('/api/v1/credits/grants', { amount: 10, bonus: true }), 400);
    expectProblem(await asAda.post('/api/v1/credits/grants', { amount: 10, grantId: 'has space' }), 400);
    expectProblem(await asAda.get('/api/v1/credits/transactions?limit=0'), 400);
    expectProblem(await asAda.get('/api/v1/credits/transactions?cursor=abc'), 400);
    expectProblem(await new ApiClient(platform.baseUrl).get('/api/v1/credits/balance'), 401);
  });

  it('lets a viewer read but not grant (403)', async () => {
    const carol = await registerTenant(api, 'carol');
    const inv = await api.as(ada.token).post(`/api/v1/workspaces/${ada.workspaceId}/invitations`, {
      email: (await api.as(carol.token).get('/api/v1/auth/me')).body.user.email,
      role: 'viewer',
    });
    expect(inv.status).toBe(201);
    const accepted = await api.as(carol.token, carol.workspaceId).post('/api/v1/invitations/accept', { token: inv.body.token });
    expect(accepted.status).toBe(200);
    const asCarol = api.as(carol.token, ada.workspaceId);
    expect(await asCarol.get('/api/v1/credits/balance')).toMatchObject({ status: 200, body: { posted: 30 * CREDIT } });
    expect((await asCarol.get('/api/v1/credits/transactions')).body.items).toHaveLength(2);
    expectProblem(await asCarol.post('/api/v1/credits/grants', { amount: 1000 * CREDIT }), 403);
    expect((await api.as(ada.token, ada.workspaceId).get('/api/v1/credits/balance')).body.posted).toBe(30 * CREDIT);
  });

  it('shows each workspace its own ledger only', async () => {
    const asBea = api.as(bea.token, bea.workspaceId);
    expect(await asBea.get('/api/v1/credits/balance')).toMatchObject({ status: 200, body: { posted: 0 } });
    expect((await asBea.get('/api/v1/credits/transactions')).body).toEqual({ items: [], nextCursor: null });
    expect(await asBea.post('/api/v1/credits/grants', { amount: 3 * CREDIT })).toMatchObject({ status: 201 });
    expect((await asBea.get('/api/v1/credits/transactions')).body.items).toHaveLength(1);
    // Bea's token with Ada's workspace id: not a member there, and the workspace is not revealed.
    expectProblem(await api.as(bea.token, ada.workspaceId).get('/api/v1/credits/balance'), 404);
    expectProblem(await api.as(bea.token, ada.workspaceId).get('/api/v1/credits/transactions'), 404);
    expect((await api.as(ada.token, ada.workspaceId).get('/api/v1/credits/balance')).body.posted).toBe(30 * CREDIT);
  });
});
