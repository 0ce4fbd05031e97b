import { randomUUID } from 'node:crypto';
import {
  HttpTarget,
  metricValue,
  scrapeMetrics,
  startPlatform,
  waitFor,
  type ServiceName,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, watchExecution, watchWithAuthMessage } from './api-client';
import { parallelJoinWorkflow } from './workflow-fixtures';

jest.setTimeout(120_000);

/**
 * The platform end to end, through the gateway as a client calls it: every service is its own
 * process on real Postgres and NATS, the workflow's tools call a real local HTTP server, and live
 * progress is read with a real WebSocket client.
 */
describe('Flowstack end to end', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let api: ApiClient;
  let alice: { token: string; workspaceId: string; client: ApiClient };
  let bob: { token: string; workspaceId: string; client: ApiClient };
  let workflowId: string;
  let releaseA: (() => void) | undefined;
  let holdA = false;

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('GET', '/a', async () => {
        if (holdA) await new Promise<void>((resolve) => (releaseA = resolve));
        return { json: { score: 7 } };
      })
      .route('POST', '/b', () => ({ json: { score: 5 } }))
      .start();
    platform = await startPlatform({ label: 'e2e' });
    api = new ApiClient(platform.baseUrl);
    const register = async (email: string) => {
      const res = await api.post('/api/v1/auth/register', {
        email,
        password: 'correct horse battery',
        name: email.split('@')[0],
      });
      expect(res.status).toBe(201);
      return { token: res.body.token, workspaceId: res.body.workspace.id, client: api.as(res.body.token) };
    };
    [alice, bob] = await Promise.all([
      register(`alice-${randomUUID()}@example.com`),
      register(`bob-${randomUUID()}@example.com`),
    ]);
  });

  afterAll(async () => {
    releaseA?.();
    await platform?.stop();
    await target?.stop();
  });

  it('registers, logs in and tells who you are', async () => {
    const email = `carol-${randomUUID()}@example.com`;
    const registered = await api.post('/api/v1/auth/register', { email, password: 'a long enough password' });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ user: { email }, workspace: { id: expect.any(String), name: expect.any(String) } });

    const login = await api.post('/api/v1/auth/login', { email, password: 'a long enough password' });
    expect(login.status).toBe(200);
    expect(login.body.workspaces).toEqual([expect.objectContaining({ id: registered.body.workspace.id, role: 'admin' })]);

    const me = await api.as(login.body.token).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);

    const wrong = await api.post('/api/v1/auth/login', { email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
  });

  it('creates, reads, lists, versions and soft-deletes workflows', async () => {
    const created = await alice.client.post('/api/v1/workflows', parallelJoinWorkflow(target.url));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), version: 1, name: 'Parallel fetch and route' });
    workflowId = created.body.id;

    const renamed = await alice.client.put(`/api/v1/workflows/${workflowId}`, { name: 'Parallel fetch' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.version).toBe(2);
    expect((await alice.client.get(`/api/v1/workflows/${workflowId}`)).body.name).toBe('Parallel fetch');

    const list = await alice.client.get('/api/v1/workflows?limit=10');
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(workflowId);

    const doomed = await alice.client.post('/api/v1/workflows', { ...parallelJoinWorkflow(target.url), name: 'doomed' });
    expect((await alice.client.delete(`/api/v1/workflows/${doomed.body.id}`)).status).toBe(204);
    expect((await alice.client.get(`/api/v1/workflows/${doomed.body.id}`)).status).toBe(404);
  });

  it('runs the parallel/join/condition workflow and streams every step over WebSocket', async () => {
    const started = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, {
      input: { customer: 'acme', threshold: 10 },
    });
    expect(started.status).toBe(202);
    const { executionId } = started.body;

    const live = await watchExecution(platform.wsUrl, executionId, alice.token);
    expect(await live.closed).toBe(1000);
    const messages = live.messages;

    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    const executed = ['start', 'fetch_a', 'fetch_b', 'join', 'route', 'high'];
    for (const nodeId of executed) {
      const starts = messages.filter((m) => m.type === 'step_start' && m.nodeId === nodeId);
      const completes = messages.filter((m) => m.type === 'step_complete' && m.nodeId === nodeId);
      expect(starts).toHaveLength(1);
      expect(completes).toHaveLength(1);
      expect(starts[0].seq).toBeLessThan(completes[0].seq);
      expect(starts[0].executionId).toBe(executionId);
    }
    expect(messages.find((m) => m.type === 'step_start' && m.nodeId === 'fetch_a').label).toBe('Fetch A');
    expect(messages.filter((m) => m.type === 'step_skipped').map((m) => m.nodeId)).toEqual(['low']);
    expect(messages.filter((m) => m.nodeId === 'low' && m.type !== 'step_skipped')).toHaveLength(0);
    const last = messages[messages.length - 1];
    expect(last).toMatchObject({
      type: 'execution_complete',
      status: 'completed',
      output: { verdict: 'high', total: 12 },
      totalCost: 0,
    });
    expect(last.durationMs).toEqual(expect.any(Number));

    // The tools made real requests built from the templates.
    const a = target.received.find((r) => r.path === '/a')!;
    expect(a.method).toBe('GET');
    const b = target.received.find((r) => r.path === '/b')!;
    expect(JSON.parse(b.body)).toEqual({ customer: 'acme', factor: 2 });
    expect(b.headers['x-customer']).toBe('acme');

    const execution = await alice.client.get(`/api/v1/executions/${executionId}`);
    expect(execution.status).toBe(200);
    expect(execution.body).toMatchObject({
      id: executionId,
      workflowId,
      workflowVersion: 2,
      status: 'completed',
      input: { customer: 'acme', threshold: 10 },
      output: { verdict: 'high', total: 12 },
      totalCost: 0,
    });
    expect(execution.body.nodes.join).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      output: { total: 12, customer: 'acme' },
    });
    expect(execution.body.nodes.fetch_a).toMatchObject({ status: 'succeeded', output: { status: 200, body: { score: 7 } } });
    expect(execution.body.nodes.low.status).toBe('skipped');
    expect(execution.body.nodes.fetch_b.startedAt).toEqual(expect.any(String));
    expect(execution.body.nodes.fetch_b.finishedAt).toEqual(expect.any(String));

    const audit = await alice.client.get(`/api/v1/executions/${executionId}/events`);
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: { seq: number }) => e.seq)).toEqual(messages.map((m) => m.seq));
    expect(audit.body.items[0]).toMatchObject({ seq: 1, type: 'ExecutionStarted', metadata: { actor: { type: 'user' } } });
    expect(audit.body.items.filter((e: { type: string }) => e.type === 'NodeCompleted')).toHaveLength(executed.length);

    // A client that connects after the run finished gets the whole history, then the socket closes.
    const late = await watchExecution(platform.wsUrl, executionId, alice.token);
    await late.closed;
    expect(late.messages).toEqual(messages);

    // ?fromSeq=N resumes after N.
    const resumed = await watchExecution(platform.wsUrl, executionId, alice.token, '?fromSeq=5');
    await resumed.closed;
    expect(resumed.messages).toEqual(messages.slice(5));
  });

  it('lets browsers authenticate with a first message, and pages through the audit trail', async () => {
    const { executionId } = (
      await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { customer: 'acme', threshold: 10 } })
    ).body;
    const viaHeader = await watchExecution(platform.wsUrl, executionId, alice.token);
    await viaHeader.closed;
    const browser = await watchWithAuthMessage(platform.wsUrl, executionId, alice.token);
    expect(await browser.closed).toBe(1000);
    expect(browser.messages).toEqual(viaHeader.messages);

    const refused = await watchWithAuthMessage(platform.wsUrl, executionId, 'not-a-token');
    expect(await refused.closed).toBe(4401);
    expect(refused.messages).toEqual([expect.objectContaining({ type: 'error', code: 'unauthenticated' })]);
    const foreign = await watchWithAuthMessage(platform.wsUrl, executionId, bob.token);
    expect(await foreign.closed).toBe(4404);
    expect(foreign.messages).toEqual([expect.objectContaining({ type: 'error', code: 'not_found' })]);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await alice.client.get(
        `/api/v1/executions/${executionId}/events?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.items.map((e: { seq: number }) => e.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(viaHeader.messages.map((m) => m.seq));
    const bad = await alice.client.get(`/api/v1/executions/${executionId}/events?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('limit');
  });

  it('gives clients that join mid-run the history, then live events, with no gap and no duplicate', async () => {
    holdA = true;
    const started = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, {
      input: { customer: 'slowco', threshold: 100 },
    });
    const { executionId } = started.body;
    const early = await watchExecution(platform.wsUrl, executionId, alice.token);
    // Join again once fetch_b has finished while fetch_a is still held by the target.
    await waitFor(async () => {
      const events = await alice.client.get(`/api/v1/executions/${executionId}/events`);
      return events.body.items.some(
        (e: { type: string; data: { nodeId?: string } }) => e.type === 'NodeCompleted' && e.data.nodeId === 'fetch_b',
      );
    }, 'fetch_b to complete');
    await waitFor(() => releaseA !== undefined, 'fetch_a to be in flight');
    const middle = await watchExecution(platform.wsUrl, executionId, alice.token);
    const resumedMidRun = await watchExecution(platform.wsUrl, executionId, alice.token, '?fromSeq=3');
    expect(middle.messages.some((m) => m.type === 'execution_complete')).toBe(false);
    holdA = false;
    releaseA!();
    await Promise.all([early.closed, middle.closed, resumedMidRun.closed]);

    const everything = (await alice.client.get(`/api/v1/executions/${executionId}/events`)).body.items;
    const seqs = everything.map((e: { seq: number }) => e.seq);
    expect(early.messages.map((m) => m.seq)).toEqual(seqs);
    expect(middle.messages.map((m) => m.seq)).toEqual(seqs);
    expect(resumedMidRun.messages.map((m) => m.seq)).toEqual(seqs.slice(3));
    expect(middle.messages).toEqual(early.messages);
    expect(early.messages.at(-1)).toMatchObject({
      type: 'execution_complete',
      status: 'completed',
      output: { verdict: 'low', total: 12 },
    });
  });

  it('answers a bad graph with 400 problem+json naming the offending node or edge', async () => {
    const wf = parallelJoinWorkflow(target.url);
    wf.graph.edges.push({ from: 'join', to: 'ghost' });
    const res = await alice.client.post('/api/v1/workflows', wf);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, code: 'invalid_graph' });
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'graph.edges[7].to', edge: { from: 'join', to: 'ghost' } })]),
    );

    const cyclic = parallelJoinWorkflow(target.url);
    cyclic.graph.edges.push({ from: 'route', to: 'join' });
    const cycle = await alice.client.post('/api/v1/workflows', cyclic);
    expect(cycle.status).toBe(400);
    expect(cycle.body.errors.map((e: { rule: string }) => e.rule)).toContain('cycle');

    const malformed = await alice.client.call('POST', '/api/v1/workflows', undefined, '{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('validation_failed');

    const noNodes = await alice.client.post('/api/v1/workflows', {
      name: 'x',
      graph: { nodes: [], edges: [], entry_point: 'a' },
    });
    expect(noNodes.status).toBe(400);
    expect(noNodes.body.errors[0].path).toBe('graph.nodes');
  });

  it('answers a bad input with 400 naming each offending field', async () => {
    const res = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { threshold: 'high' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['input.customer', 'input.threshold']));
  });

  it('answers unknown ids with 404 and bad tokens with 401', async () => {
    const unknown = randomUUID();
    expect((await alice.client.get(`/api/v1/workflows/${unknown}`)).status).toBe(404);
    expect((await alice.client.get(`/api/v1/executions/${unknown}`)).status).toBe(404);
    expect((await alice.client.get(`/api/v1/executions/${unknown}/events`)).status).toBe(404);
    expect((await alice.client.post(`/api/v1/workflows/${unknown}/executions`, { input: {} })).status).toBe(404);
    expect((await alice.client.get('/api/v1/workflows/not-a-uuid')).status).toBe(404);
    await expect(watchExecution(platform.wsUrl, unknown, alice.token)).rejects.toMatchObject({ status: 404 });

    const forged = await api.as(`${alice.token}x`).get('/api/v1/workflows');
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('unauthenticated');
    await expect(watchExecution(platform.wsUrl, unknown, `${alice.token}x`)).rejects.toMatchObject({ status: 401 });
  });

  it("answers 404 for another workspace's workflow and execution on every endpoint", async () => {
    const run = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, {
      input: { customer: 'acme', threshold: 1 },
    });
    const executionId = run.body.executionId;
    const checks = await Promise.all([
      bob.client.get(`/api/v1/workflows/${workflowId}`),
      bob.client.put(`/api/v1/workflows/${workflowId}`, { name: 'hijacked' }),
      bob.client.delete(`/api/v1/workflows/${workflowId}`),
      bob.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { customer: 'x', threshold: 1 } }),
      bob.client.get(`/api/v1/executions/${executionId}`),
      bob.client.get(`/api/v1/executions/${executionId}/events`),
      bob.client.get(`/api/v1/executions/${executionId}/events?fromSeq=2`),
    ]);
    for (const res of checks) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(JSON.stringify(res.body)).not.toContain('acme');
    }
    await expect(watchExecution(platform.wsUrl, executionId, bob.token)).rejects.toMatchObject({ status: 404 });
    const bobsList = await bob.client.get('/api/v1/workflows');
    expect(bobsList.body.items.map((w: { id: string }) => w.id)).not.toContain(workflowId);
    // Asking for Alice's workspace explicitly does not help either.
    expect((await api.as(bob.token, alice.workspaceId).get(`/api/v1/workflows/${workflowId}`)).status).toBe(404);
    // Alice's workflow is untouched.
    expect((await alice.client.get(`/api/v1/workflows/${workflowId}`)).body.name).toBe('Parallel fetch');
  });

  it('serves Prometheus metrics: the gateway on its own port without a token, the others on their METRICS_PORT', async () => {
    const res = await fetch(`${platform.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const gateway = await res.text();
    expect(gateway).toMatch(/^flowstack_process_cpu_user_seconds_total\{service="gateway"\} [\d.e+-]+$/m);
    expect(gateway).toMatch(/^flowstack_nodejs_heap_size_used_bytes\{service="gateway"\} \d+$/m);
    expect(metricValue(gateway, 'flowstack_payload_too_large_total', { what: 'request', service: 'gateway' })).toBe(0);
    // Outside the API: no /api/v1/metrics, and the metrics port of a service is not the gateway's.
    expect((await fetch(`${platform.baseUrl}/api/v1/metrics`)).status).toBe(404);

    for (const name of ['identity', 'registry', 'orchestrator', 'tool-runner'] satisfies ServiceName[]) {
      expect(platform.metricsPorts.get(name)).not.toBe(platform.metricsPorts.get('gateway'));
      const scrape = await scrapeMetrics(platform.metricsUrl(name));
      expect({ name, cpu: metricValue(scrape, 'flowstack_process_cpu_user_seconds_total', { service: name }) }).toEqual({
        name,
        cpu: expect.any(Number),
      });
      expect(
        metricValue(scrape, 'flowstack_uncaught_errors_total', { kind: 'unhandled_rejection', service: name }),
      ).toBeDefined();
    }
    const orchestrator = await scrapeMetrics(platform.metricsUrl('orchestrator'));
    expect(metricValue(orchestrator, 'flowstack_dead_letters_total', { source: 'relay' })).toBe(0);
  });

  it('sends no CORS header by default (GATEWAY_CORS_ORIGINS unset): a preflight is a 404 like any unknown route', async () => {
    const origin = 'https://app.example.com';
    const preflight = await fetch(`${platform.baseUrl}/api/v1/workflows`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(404);
    const get = await fetch(`${platform.baseUrl}/api/v1/workflows`, {
      headers: { origin, authorization: `Bearer ${alice.token}` },
    });
    expect(get.status).toBe(200);
    for (const res of [preflight, get]) {
      for (const [name] of res.headers) expect(name).not.toMatch(/^access-control-/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});
