import { startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type ApiResponse, type Tenant } from './api-client';

jest.setTimeout(120_000);

interface Item {
  id: string;
  workflowId: string;
  workflowVersion: number;
  status: string;
  trigger: { type: string; by: string | null };
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  totalCost: number;
  errorCode: string | null;
  parentId: string | null;
}

const quick = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'out', type: 'output', config: { value: 'done' } },
  ],
  edges: [{ from: 'in', to: 'out' }],
};
// Nothing listens on port 1: the call fails with a network error, and one attempt is all it gets.
const failing = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    {
      id: 'call',
      type: 'tool',
      config: { tool: { kind: 'http', method: 'GET', url: 'http://127.0.0.1:1/' }, retry: { maxAttempts: 1 } },
    },
  ],
  edges: [{ from: 'in', to: 'call' }],
};
const gated = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'gate', type: 'human_gate', config: { prompt: 'go?' } },
  ],
  edges: [{ from: 'in', to: 'gate' }],
};

/**
 * The execution history through the gateway: lists served by the orchestrator's projection, with
 * each filter and keyset pages; manual (a signed-in person) vs api (an API key) triggers; the
 * status of completed, failed and cancelled runs; delete hides a run but keeps it readable; and
 * nothing of one workspace shows in another.
 */
describe('execution history', () => {
  let platform: TestPlatform;
  let tenant: Tenant;
  let other: Tenant;
  let keyClient: ApiClient;
  let userId: string;
  const wf: Record<'quick' | 'failing' | 'gated', string> = { quick: '', failing: '', gated: '' };
  const run: Record<'manual' | 'api' | 'failed' | 'cancelled', string> = { manual: '', api: '', failed: '', cancelled: '' };

  const list = async (query = '', client = tenant.client): Promise<ApiResponse<{ items: Item[]; nextCursor: string | null }>> =>
    client.get(`/api/v1/executions${query}`);
  const start = async (workflowId: string, client = tenant.client): Promise<string> => {
    const res = await client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    expect(res.status).toBe(202);
    return res.body.executionId as string;
  };
  const listed = async (id: string, status: string): Promise<Item> =>
    waitFor(
      async () => (await list('?limit=100')).body.items.find((i) => i.id === id && i.status === status),
      `${id} listed as ${status}`,
    );
  const expectProblem = (res: ApiResponse, status: number, extra: Record<string, unknown> = {}) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, ...extra });
  };

  beforeAll(async () => {
    platform = await startPlatform({ label: 'history' });
    const api = new ApiClient(platform.baseUrl);
    [tenant, other] = await Promise.all([registerTenant(api, 'history'), registerTenant(api, 'history-other')]);
    userId = (await tenant.client.get('/api/v1/auth/me')).body.user.id;
    const key = await tenant.client.post(`/api/v1/workspaces/${tenant.workspaceId}/api-keys`, { name: 'ci', role: 'editor' });
    expect(key.status).toBe(201);
    keyClient = api.as(key.body.key as string);
    wf.quick = await createWorkflow(tenant.client, 'quick', quick);
    wf.failing = await createWorkflow(tenant.client, 'failing', failing);
    wf.gated = await createWorkflow(tenant.client, 'gated', gated);

    run.manual = await start(wf.quick);
    await listed(run.manual, 'completed');
    run.api = await start(wf.quick, keyClient);
    await listed(run.api, 'completed');
    run.failed = await start(wf.failing);
    await listed(run.failed, 'failed');
    run.cancelled = await start(wf.gated);
    await listed(run.cancelled, 'awaiting_approval');
    expect((await tenant.client.post(`/api/v1/executions/${run.cancelled}/cancel`, {})).status).toBe(200);
    await listed(run.cancelled, 'cancelled');
    // Another workspace's run, never to be seen by this one.
    await start(await createWorkflow(other.client, 'theirs', quick), other.client);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('lists newest first with the item shape: status, trigger (manual vs api), times, cost, error code', async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body.items.map((i) => i.id)).toEqual([run.cancelled, run.failed, run.api, run.manual]);
    const byId = Object.fromEntries(body.items.map((i) => [i.id, i]));
    expect(byId[run.manual]).toEqual({
      id: run.manual,
      workflowId: wf.quick,
      workflowVersion: 1,
      status: 'completed',
      trigger: { type: 'manual', by: userId },
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      durationMs: expect.any(Number),
      totalCost: 0,
      errorCode: null,
      parentId: null,
    });
    expect(byId[run.api].trigger.type).toBe('api');
    expect(byId[run.failed]).toMatchObject({ status: 'failed', errorCode: expect.any(String), finishedAt: expect.any(String) });
    expect(byId[run.failed].errorCode).not.toBeNull();
    expect(byId[run.cancelled]).toMatchObject({ status: 'cancelled', errorCode: null, finishedAt: expect.any(String) });
  });

  it('filters by workflowId, status (one or several), trigger and from/to', async () => {
    const ids = async (query: string) => (await list(query)).body.items.map((i) => i.id);
    expect(await ids(`?workflowId=${wf.quick}`)).toEqual([run.api, run.manual]);
    expect(await ids('?status=failed')).toEqual([run.failed]);
    expect(await ids('?status=failed,cancelled')).toEqual([run.cancelled, run.failed]);
    expect(await ids('?trigger=api')).toEqual([run.api]);
    expect(await ids('?trigger=manual&status=completed')).toEqual([run.manual]);
    const all = (await list()).body.items;
    const failed = all.find((i) => i.id === run.failed)!;
    const to = new Date(Date.parse(failed.startedAt) + 1).toISOString();
    expect(await ids(`?from=${encodeURIComponent(failed.startedAt)}&to=${encodeURIComponent(to)}`)).toEqual([run.failed]);
    expect(await ids(`?to=${encodeURIComponent(failed.startedAt)}`)).toEqual([run.api, run.manual]);
  });

  it('pages with an opaque cursor, and GET /workflows/{id}/executions lists one workflow', async () => {
    const first = await list('?limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await list(`?limit=3&cursor=${encodeURIComponent(first.body.nextCursor!)}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: run.manual })], nextCursor: null });

    const ofWorkflow = await tenant.client.get(`/api/v1/workflows/${wf.quick}/executions?limit=1`);
    expect(ofWorkflow.status).toBe(200);
    expect(ofWorkflow.body.items.map((i: Item) => i.id)).toEqual([run.api]);
    const rest = await tenant.client.get(`/api/v1/workflows/${wf.quick}/executions?limit=1&cursor=${ofWorkflow.body.nextCursor}`);
    expect(rest.body).toEqual({ items: [expect.objectContaining({ id: run.manual })], nextCursor: null });
  });

  it('answers 400 problem+json with the field path for each bad filter', async () => {
    expectProblem(await list('?status=done'), 400, { code: 'validation_failed', errors: [{ path: 'query.status[0]' }] });
    expectProblem(await list('?status=failed,nope'), 400, { errors: [{ path: 'query.status[1]' }] });
    expectProblem(await list('?trigger=cron'), 400, { errors: [{ path: 'query.trigger[0]' }] });
    expectProblem(await list('?from=yesterday'), 400, { errors: [{ path: 'query.from' }] });
    expectProblem(await list('?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z'), 400, { errors: [{ path: 'query.to' }] });
    expectProblem(await list('?limit=0'), 400, { errors: [{ path: 'query.limit' }] });
    expectProblem(await list('?limit=101'), 400, { errors: [{ path: 'query.limit' }] });
    expectProblem(await list('?cursor=bm9wZQ'), 400, { errors: [{ path: 'query.cursor' }] });
    expectProblem(await list('?sort=asc'), 400, { errors: [{ path: 'query' }] });
    expectProblem(await tenant.client.get(`/api/v1/workflows/${wf.quick}/executions?status=x`), 400, {
      errors: [{ path: 'query.status[0]' }],
    });
  });

  it("keeps workspaces apart: lists, another's workflow (404) and another's run (404 on DELETE)", async () => {
    const theirs = (await list('', other.client)).body.items;
    expect(theirs).toHaveLength(1);
    expect(theirs[0].id).not.toBe(run.manual);
    expectProblem(await other.client.get(`/api/v1/workflows/${wf.quick}/executions`), 404);
    expectProblem(await other.client.delete(`/api/v1/executions/${run.manual}`), 404);
    expectProblem(await tenant.client.delete(`/api/v1/executions/${theirs[0].id}`), 404);
    expectProblem(await tenant.client.delete('/api/v1/executions/not-a-uuid'), 404);
    expect((await list()).body.items).toHaveLength(4);
  });

  it('deletes a finished run from history: hidden from lists, still readable with deletedAt, events kept', async () => {
    const eventsBefore = (await tenant.client.get(`/api/v1/executions/${run.failed}/events`)).body.items as Array<{
      type: string;
    }>;
    const res = await tenant.client.delete(`/api/v1/executions/${run.failed}`);
    expect(res.status).toBe(204);
    // Answered once the projection applied it: the next list no longer shows it.
    expect((await list()).body.items.map((i) => i.id)).toEqual([run.cancelled, run.api, run.manual]);
    expect((await list('?status=failed')).body.items).toEqual([]);
    expect((await tenant.client.get(`/api/v1/workflows/${wf.failing}/executions`)).body.items).toEqual([]);

    const view = await tenant.client.get(`/api/v1/executions/${run.failed}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ id: run.failed, status: 'failed', deletedAt: expect.any(String) });
    const events = (await tenant.client.get(`/api/v1/executions/${run.failed}/events`)).body.items as Array<{
      type: string;
      data: Record<string, unknown>;
    }>;
    expect(events.slice(0, eventsBefore.length).map((e) => e.type)).toEqual(eventsBefore.map((e) => e.type));
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionDeleted', data: { by: userId, deletedAt: view.body.deletedAt } });

    // Again: the same 204, no second event.
    expect((await tenant.client.delete(`/api/v1/executions/${run.failed}`)).status).toBe(204);
    expect((await tenant.client.get(`/api/v1/executions/${run.failed}/events`)).body.items).toHaveLength(events.length);
  });

  it('refuses to delete a run still active (409) and lets only editors delete (viewer key: 403)', async () => {
    const active = await start(wf.gated);
    await listed(active, 'awaiting_approval');
    expectProblem(await tenant.client.delete(`/api/v1/executions/${active}`), 409, { code: 'conflict' });
    const viewerKey = await tenant.client.post(`/api/v1/workspaces/${tenant.workspaceId}/api-keys`, {
      name: 'ro',
      role: 'viewer',
    });
    const viewer = new ApiClient(platform.baseUrl).as(viewerKey.body.key as string);
    expectProblem(await viewer.delete(`/api/v1/executions/${run.manual}`), 403);
    expect((await list('?limit=1', viewer)).status).toBe(200);
  });
});
