import { randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { startPlatform, type GatewayReplica, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, watchExecution, type Tenant, type WsRun } from './api-client';

jest.setTimeout(120_000);

/** Issue 11: a revoked or expired token closes that user's open sockets within 5 s. */
const CLOSE_DEADLINE_MS = 5000;
const PASSWORD = 'correct horse battery';

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

/** Resolves with the close code and the moment, or fails after the deadline. */
const closedWithin = (run: WsRun, ms: number): Promise<{ code: number; at: number }> =>
  Promise.race([
    run.closed.then((code) => ({ code, at: Date.now() })),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms).unref()),
  ]);

/**
 * Open sockets follow the auth feed on every replica: a logout, a token's expiry and a removal
 * from the workspace end them (4401, 4401, 4404) after an `error` message, within 5 s.
 */
describe('live sockets end with the credential', () => {
  let platform: TestPlatform;
  let gatewayB: GatewayReplica;
  let api: ApiClient;
  let alice: Tenant & { email: string; userId: string };
  let workflowId: string;

  const register = async (label: string) => {
    const email = `${label}-${randomUUID()}@example.com`;
    const res = await api.post('/api/v1/auth/register', { email, password: PASSWORD });
    expect(res.status).toBe(201);
    const token = res.body.token as string;
    return {
      email,
      token,
      userId: res.body.user.id as string,
      workspaceId: res.body.workspace.id as string,
      client: api.as(token),
    };
  };

  beforeAll(async () => {
    platform = await startPlatform({ label: 'socksess' });
    gatewayB = await platform.startGateway();
    api = new ApiClient(platform.baseUrl);
    alice = await register('alice');
    workflowId = await createWorkflow(alice.client, 'slow', slowGraph);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const slowRun = async (client = alice.client): Promise<string> => {
    const run = await client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    expect(run.status).toBe(202);
    return run.body.executionId;
  };

  it('closes the sockets of a logged-out token on both replicas with 4401, and not those of another token', async () => {
    const executionId = await slowRun();
    const other = (await api.post('/api/v1/auth/login', { email: alice.email, password: PASSWORD })).body.token as string;
    const onA = await watchExecution(platform.wsUrl, executionId, alice.token);
    const onB = await watchExecution(gatewayB.wsUrl, executionId, alice.token);
    const untouched = await watchExecution(gatewayB.wsUrl, executionId, other);

    expect((await alice.client.post('/api/v1/auth/logout')).status).toBe(204);
    const loggedOutAt = Date.now();
    for (const run of [onA, onB]) {
      const { code, at } = await closedWithin(run, CLOSE_DEADLINE_MS);
      expect(code).toBe(4401);
      expect(at - loggedOutAt).toBeLessThan(CLOSE_DEADLINE_MS);
      expect(run.messages.at(-1)).toEqual({ type: 'error', code: 'unauthenticated', message: 'token revoked' });
    }
    expect(untouched.socket.readyState).toBe(untouched.socket.OPEN);
    untouched.socket.close();
    alice = { ...alice, token: other, client: api.as(other) };
  });

  it('closes a socket with 4401 when its token expires', async () => {
    const executionId = await slowRun();
    const sub = alice.userId;
    const now = Math.floor(Date.now() / 1000);
    // Signed as identity signs (the platform's JWT_SECRET), living two seconds.
    const shortLived = sign({ sub, jti: randomUUID(), iat: now, exp: now + 2 }, platform.env.JWT_SECRET, { algorithm: 'HS256' });
    const run = await watchExecution(gatewayB.wsUrl, executionId, shortLived);
    const { code, at } = await closedWithin(run, 2000 + CLOSE_DEADLINE_MS);
    expect(code).toBe(4401);
    expect(at).toBeLessThan((now + 2) * 1000 + CLOSE_DEADLINE_MS);
    expect(run.messages.at(-1)).toMatchObject({ type: 'error', message: 'token expired' });
  });

  it("closes a removed member's socket with 4404 on another replica", async () => {
    const invitee = await register('bob');
    const inv = await alice.client.post(`/api/v1/workspaces/${alice.workspaceId}/invitations`, {
      email: invitee.email,
      role: 'viewer',
    });
    expect((await api.as(invitee.token).post('/api/v1/invitations/accept', { token: inv.body.token })).status).toBe(200);
    const executionId = await slowRun();
    const run = await watchExecution(gatewayB.wsUrl, executionId, invitee.token, `?workspaceId=${alice.workspaceId}`);

    expect((await alice.client.delete(`/api/v1/workspaces/${alice.workspaceId}/members/${invitee.userId}`)).status).toBe(204);
    const { code } = await closedWithin(run, CLOSE_DEADLINE_MS);
    expect(code).toBe(4404);
    expect(run.messages.at(-1)).toMatchObject({ type: 'error', code: 'not_found' });
  });
});
