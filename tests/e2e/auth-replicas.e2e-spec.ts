import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { namespaceOf, Rpc, subject } from '@flowstack/contracts';
import { startPlatform, TEST_NATS_URL, waitFor, type GatewayReplica, type TestPlatform } from '@flowstack/testing';
import { ApiClient, registerTenant, watchExecution } from './api-client';

jest.setTimeout(180_000);

/** Issue 8 item 3: ARCHITECTURE.md promises "a change reaches every replica within a second". */
const PROPAGATION_DEADLINE_MS = 1000;

/**
 * Two (then three) gateway processes on one NATS and one Postgres. Each verifies tokens itself
 * (passport-jwt) and knows revocations and memberships from identity's auth feed, so what one
 * replica is told (a logout) the others refuse within a second, a replica started later knows
 * what happened before it, and identity is not asked anything per authenticated call.
 */
describe('auth across gateway replicas', () => {
  let platform: TestPlatform;
  let gatewayB: GatewayReplica;
  let a: ApiClient;
  let b: ApiClient;
  let nc: NatsConnection;
  let resolveRequests: Subscription;

  beforeAll(async () => {
    platform = await startPlatform({ label: 'authreplicas' });
    gatewayB = await platform.startGateway();
    a = new ApiClient(platform.baseUrl);
    b = new ApiClient(gatewayB.baseUrl);
    // A plain subscriber gets a copy of every request on the subject, whoever answers it.
    nc = await connect({ servers: TEST_NATS_URL });
    resolveRequests = nc.subscribe(subject(namespaceOf(platform.env.FLOWSTACK_NS), Rpc.identity.resolve));
  });
  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
  });

  const workflowsOn = (api: ApiClient, token: string, workspaceId?: string) =>
    api.as(token, workspaceId).get('/api/v1/workflows');

  it('refuses on gateway B, within 1 s, a token logged out on gateway A', async () => {
    const alice = await registerTenant(a, 'alice');
    expect((await workflowsOn(b, alice.token)).status).toBe(200);

    expect((await alice.client.post('/api/v1/auth/logout')).status).toBe(204);
    const loggedOutAt = Date.now();
    const refused = await waitFor(
      async () => {
        const res = await workflowsOn(b, alice.token);
        return res.status === 401 ? res : undefined;
      },
      'gateway B to refuse the logged-out token',
      PROPAGATION_DEADLINE_MS,
      10,
    );
    expect(Date.now() - loggedOutAt).toBeLessThan(PROPAGATION_DEADLINE_MS + 200);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 401, code: 'unauthenticated', detail: 'token revoked' });
    // Gateway A, which forwarded the logout, refuses it too, and so do B's WebSockets.
    expect((await workflowsOn(a, alice.token)).body).toMatchObject({ status: 401, detail: 'token revoked' });
    await expect(watchExecution(gatewayB.wsUrl, randomUUID(), alice.token)).rejects.toMatchObject({ status: 401 });
  });

  it('serves on gateway B at once a workspace just created through gateway A, and 404s a foreign one', async () => {
    const bob = await registerTenant(a, 'bob');
    // Asked on the other replica straight away, naming the workspace: the membership is there.
    expect((await workflowsOn(b, bob.token, bob.workspaceId)).status).toBe(200);
    const carol = await registerTenant(b, 'carol');
    expect((await workflowsOn(a, carol.token)).status).toBe(200);

    for (const api of [a, b]) {
      const foreign = await workflowsOn(api, carol.token, bob.workspaceId);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toMatchObject({ code: 'not_found', detail: 'workspace not found' });
      expect((await workflowsOn(api, carol.token, randomUUID())).status).toBe(404);
    }
    // Bob's token still works: his workspace is his, whichever replica answers.
    await expect(watchExecution(gatewayB.wsUrl, randomUUID(), bob.token)).rejects.toMatchObject({ status: 404 });
  });

  it('refuses at a gateway started after the logout, and serves the tokens that were not logged out', async () => {
    const dave = await registerTenant(a, 'dave');
    const erin = await registerTenant(b, 'erin');
    expect((await dave.client.post('/api/v1/auth/logout')).status).toBe(204);

    const late = await platform.startGateway();
    const c = new ApiClient(late.baseUrl);
    const first = await workflowsOn(c, dave.token);
    expect(first.body).toMatchObject({ status: 401, code: 'unauthenticated', detail: 'token revoked' });
    expect((await workflowsOn(c, erin.token, erin.workspaceId)).status).toBe(200);
    await late.process.stop();
  });

  it('asks identity nothing per authenticated call, on either replica', async () => {
    const frank = await registerTenant(a, 'frank');
    const seenBefore = resolveRequests.getReceived();
    const calls = await Promise.all(
      Array.from({ length: 20 }, (_, i) => workflowsOn(i % 2 ? a : b, frank.token, i % 3 ? frank.workspaceId : undefined)),
    );
    expect(calls.map((r) => r.status)).toEqual(Array(20).fill(200));
    await expect(watchExecution(platform.wsUrl, randomUUID(), frank.token)).rejects.toMatchObject({ status: 404 });
    // A round trip through NATS so that any request already sent has reached our subscription.
    await nc.flush();
    expect(resolveRequests.getReceived() - seenBefore).toBe(0);
  });

  it('answers the public routes without a token and every other one with 401 problem+json', async () => {
    for (const path of ['/api/v1/health', '/api/v1/health/readiness', '/metrics', '/api/docs/openapi.json']) {
      expect((await fetch(`${gatewayB.baseUrl}${path}`)).status).toBe(200);
    }
    for (const [method, path] of [
      ['GET', '/api/v1/auth/me'],
      ['POST', '/api/v1/auth/logout'],
      ['GET', '/api/v1/workflows'],
      ['GET', `/api/v1/executions/${randomUUID()}`],
      ['GET', '/api/v1/dead-letters'],
    ]) {
      const res = await b.call(method, path);
      expect({ method, path, status: res.status, code: res.body?.code }).toEqual({
        method,
        path,
        status: 401,
        code: 'unauthenticated',
      });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
