import { startPlatform, waitFor, type GatewayReplica, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type ApiResponse, type Tenant } from './api-client';

const LIMIT = 4;
const quick = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'out', type: 'output', config: { value: 'done' } },
  ],
  edges: [{ from: 'in', to: 'out' }],
};

/**
 * The per-workspace limit on execution starts (issue "Identity and security"): one counter per
 * workspace shared by every gateway replica; over it 429 with Retry-After and nothing started;
 * other workspaces keep starting.
 */
describe('execution start limits per workspace', () => {
  let platform: TestPlatform;
  let replica: GatewayReplica;
  let apiA: ApiClient;
  let apiB: ApiClient;
  let busy: Tenant;
  let calm: Tenant;
  let busyWorkflow: string;
  let calmWorkflow: string;

  const limits = { GATEWAY_START_RATE_POINTS: String(LIMIT), GATEWAY_START_RATE_WINDOW_S: '60' };
  const start = (api: ApiClient, tenant: Tenant, workflowId: string): Promise<ApiResponse> =>
    api.as(tenant.token).post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });

  beforeAll(async () => {
    platform = await startPlatform({ label: 'startlimits', serviceEnv: { gateway: limits } });
    replica = await platform.startGateway(limits);
    apiA = new ApiClient(platform.baseUrl);
    apiB = new ApiClient(replica.baseUrl);
    busy = await registerTenant(apiA, 'busy');
    calm = await registerTenant(apiA, 'calm');
    busyWorkflow = await createWorkflow(busy.client, 'busy', quick);
    calmWorkflow = await createWorkflow(calm.client, 'calm', quick);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('counts starts on every replica against one limit, answers 429 with Retry-After, starts nothing over it', async () => {
    const accepted: string[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await start(i % 2 ? apiB : apiA, busy, busyWorkflow);
      expect(res.status).toBe(202);
      accepted.push(res.body.executionId);
    }
    for (const api of [apiA, apiB]) {
      const limited = await start(api, busy, busyWorkflow);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toContain('application/problem+json');
      expect(limited.body).toMatchObject({ code: 'rate_limited' });
      expect(limited.body.detail).toContain(`${LIMIT} execution starts per 60 s`);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Reads are not starts: the busy workspace still reads, and its history holds exactly the
    // accepted runs once the projection has caught up with them.
    const listed = await waitFor(
      async () => {
        const res = await busy.client.get(`/api/v1/workflows/${busyWorkflow}/executions?limit=50`);
        return res.status === 200 && res.body.items.length >= LIMIT ? res.body.items : undefined;
      },
      'the accepted runs in the history',
      15_000,
      100,
    );
    expect(listed.map((e: { id: string }) => e.id).sort()).toEqual([...accepted].sort());
  });

  it('leaves other workspaces unaffected', async () => {
    for (const api of [apiA, apiB]) expect((await start(api, calm, calmWorkflow)).status).toBe(202);
  });
});
