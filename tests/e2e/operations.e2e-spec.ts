import { setTimeout as delay } from 'node:timers/promises';
import {
  FakeLlmServer,
  HttpTarget,
  fakeReply,
  metricValue,
  scrapeMetrics,
  startPlatform,
  waitFor,
  type ServiceName,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, createWorkflow, grantCredits, registerTenant, watchExecution, type Tenant } from './api-client';

jest.setTimeout(300_000);

const WORKERS: ServiceName[] = ['identity', 'registry', 'orchestrator', 'tool-runner', 'scheduler', 'billing'];
const RUNS = 50;

/** `GET` on a service's ops port (the one of METRICS_PORT), `/health/...`. */
const health = async (platform: TestPlatform, name: ServiceName, what: 'liveness' | 'readiness') => {
  const res = await fetch(platform.metricsUrl(name).replace(/\/metrics$/, `/health/${what}`));
  return { status: res.status, body: (await res.json()) as { status: string; checks?: Array<{ name: string; status: string }> } };
};

/**
 * Operating the platform: health endpoints per service with the dependencies each one needs, and a
 * rolling restart (every service stopped with SIGTERM and started again, one at a time) while 50
 * executions are in flight: every stop exits 0, every execution completes, no node runs twice.
 */
describe('operations', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  let llm: FakeLlmServer;

  beforeAll(async () => {
    // Each call takes a while, so executions are still running while services restart.
    target = await new HttpTarget()
      .route('POST', '/work', async (req) => {
        await delay(400);
        return { json: { done: JSON.parse(req.body).n } };
      })
      .route('POST', '/metered', () => ({ json: { metered: true } }))
      .start();
    llm = await new FakeLlmServer('openai').start();
    platform = await startPlatform({ label: 'ops', serviceEnv: { 'tool-runner': { WORK_ACK_WAIT_MS: '3000' } } });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'ops');
    // Agent nodes cost credits: the workspace needs some to run them.
    await grantCredits(tenant.client, 100_000_000);
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
    await llm?.stop();
  });

  it('serves /health/liveness and /health/readiness on every service, naming the dependencies it checks', async () => {
    const names: Record<string, string[]> = {};
    for (const name of WORKERS) {
      expect(await health(platform, name, 'liveness')).toEqual({ status: 200, body: { status: 'ok' } });
      const ready = await health(platform, name, 'readiness');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
      expect(ready.body.checks!.every((c) => c.status === 'ok')).toBe(true);
      names[name] = ready.body.checks!.map((c) => c.name);
    }
    for (const name of ['identity', 'registry', 'orchestrator', 'scheduler', 'billing'])
      expect(names[name]).toContain('postgres');
    for (const name of WORKERS) expect(names[name]).toContain('nats');
    expect(names.orchestrator).toEqual(expect.arrayContaining(['stream:EVENTS', 'stream:WORK', 'stream:RESULTS']));
    expect(names.orchestrator.some((n) => /^consumer:.*RESULTS\/orchestrator$/.test(n))).toBe(true);
    expect(names['tool-runner'].some((n) => /^consumer:.*WORK\/tool-runner$/.test(n))).toBe(true);
    const gateway = await fetch(`${platform.baseUrl}/api/v1/health/readiness`);
    expect(gateway.status).toBe(200);
  });

  it('counts executions by workflow, node durations by type, appends, consumer lag, sockets, tokens and cost', async () => {
    const credential = await tenant.client.post('/api/v1/credentials', { name: 'llm', kind: 'api_key', value: 'sk-ops-test' });
    expect(credential.status).toBe(201);
    const agent = await tenant.client.post('/api/v1/agents', {
      name: 'ops-agent',
      credentialId: credential.body.id,
      provider: 'openai',
      model: 'gpt-4o-mini',
      systemPrompt: 'Be brief.',
      baseUrl: llm.baseUrl,
    });
    expect(agent.status).toBe(201);
    const workflowId = await createWorkflow(tenant.client, 'metered', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'ask', type: 'agent_call', config: { agentId: agent.body.id, prompt: 'Say {{ input.n }}.' } },
        {
          id: 'call',
          type: 'tool',
          config: { tool: { kind: 'http', method: 'POST', url: `${target.url}/metered`, body: { n: 1 } } },
        },
        { id: 'out', type: 'output', config: { value: '{{ nodes.call.output.body }}' } },
      ],
      edges: [
        { from: 'in', to: 'ask' },
        { from: 'ask', to: 'call' },
        { from: 'call', to: 'out' },
      ],
    });
    llm.enqueue(fakeReply.text('one', { inputTokens: 100, outputTokens: 20 }));
    const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { n: 1 } });
    expect(res.status).toBe(202);
    const live = await watchExecution(platform.wsUrl, res.body.executionId, tenant.token);
    const gateway = await scrapeMetrics(`${platform.baseUrl}/metrics`);
    expect(metricValue(gateway, 'flowstack_websocket_connections')).toBeGreaterThanOrEqual(1);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed' });

    const orchestrator = await scrapeMetrics(platform.metricsUrl('orchestrator'));
    expect(metricValue(orchestrator, 'flowstack_executions_started_total', { workflow: workflowId })).toBe(1);
    expect(metricValue(orchestrator, 'flowstack_executions_completed_total', { workflow: workflowId })).toBe(1);
    expect(metricValue(orchestrator, 'flowstack_executions_failed_total', { workflow: workflowId })).toBeUndefined();
    for (const nodeType of ['input', 'agent_call', 'tool', 'output']) {
      expect({
        nodeType,
        count: metricValue(orchestrator, 'flowstack_node_duration_seconds_count', { node_type: nodeType, outcome: 'succeeded' }),
      }).toEqual({ nodeType, count: expect.any(Number) });
    }
    expect(metricValue(orchestrator, 'flowstack_llm_tokens_total', { model: 'gpt-4o-mini', direction: 'input' })).toBe(100);
    expect(metricValue(orchestrator, 'flowstack_llm_tokens_total', { model: 'gpt-4o-mini', direction: 'output' })).toBe(20);
    // gpt-4o-mini: 100 x 0.15 + 20 x 0.6 micro-credits per token.
    expect(metricValue(orchestrator, 'flowstack_llm_cost_microcredits_total', { model: 'gpt-4o-mini' })).toBe(27);
    expect(metricValue(orchestrator, 'flowstack_event_store_append_seconds_count', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(metricValue(orchestrator, 'flowstack_jetstream_consumer_pending_messages', { consumer: 'orchestrator' })).toBe(0);
    const runner = await scrapeMetrics(platform.metricsUrl('tool-runner'));
    expect(metricValue(runner, 'flowstack_jetstream_consumer_pending_messages', { consumer: 'tool-runner' })).toBe(0);
    expect(metricValue(runner, 'flowstack_jetstream_consumer_ack_pending_messages', { consumer: 'tool-runner' })).toBeDefined();
    await waitFor(
      async () => metricValue(await scrapeMetrics(`${platform.baseUrl}/metrics`), 'flowstack_websocket_connections') === 0,
      'the closed socket to be uncounted',
    );
  });

  it('restarts every service once, one at a time, while 50 executions run: all complete, none twice', async () => {
    const workflowId = await createWorkflow(tenant.client, 'rolling', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        {
          id: 'a',
          type: 'tool',
          config: { tool: { kind: 'http', method: 'POST', url: `${target.url}/work`, body: { n: '{{ input.n }}' } } },
        },
        {
          id: 'b',
          type: 'tool',
          config: { tool: { kind: 'http', method: 'POST', url: `${target.url}/work`, body: { n: '{{ input.n }}' } } },
        },
        { id: 'out', type: 'output', config: { value: '{{ nodes.b.output.body.done }}' } },
      ],
      edges: [
        { from: 'in', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'out' },
      ],
    });
    const executions: string[] = [];
    const startRuns = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const n = executions.length;
        const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { n } });
        expect(res.status).toBe(202);
        executions.push(res.body.executionId);
      }
    };

    // A wave of runs before each restart, so some are always in flight when a service stops.
    const order: ServiceName[] = [...WORKERS, 'gateway'];
    const perWave = Math.ceil(RUNS / order.length);
    const pendingAtStop: Record<string, number> = {};
    for (const name of order) {
      await startRuns(Math.min(perWave, RUNS - executions.length));
      // Tool calls not yet answered: runs that are mid-flight while this service stops.
      pendingAtStop[name] = 2 * executions.length - target.calls('/work');
      const proc = platform.services.get(name)!;
      await proc.stop();
      expect({ name, ...(await proc.exited) }).toEqual({ name, code: 0, signal: null });
      await platform.start(name);
    }
    await startRuns(RUNS - executions.length);
    expect(executions).toHaveLength(RUNS);
    for (const name of order) expect({ name, inFlight: pendingAtStop[name] > 0 }).toEqual({ name, inFlight: true });

    const status = async (id: string): Promise<string> => (await tenant.client.get(`/api/v1/executions/${id}`)).body.status;
    await waitFor(
      async () => (await Promise.all(executions.map(status))).every((s) => s === 'completed'),
      'every execution to complete',
      120_000,
    );
    for (const id of executions) {
      const events = (await tenant.client.get(`/api/v1/executions/${id}/events`)).body.items as Array<{
        type: string;
        data: { nodeId?: string };
      }>;
      for (const nodeId of ['in', 'a', 'b', 'out']) {
        expect({
          id,
          nodeId,
          completed: events.filter((e) => e.type === 'NodeCompleted' && e.data.nodeId === nodeId).length,
        }).toEqual({ id, nodeId, completed: 1 });
      }
      expect(events.filter((e) => e.type === 'ExecutionCompleted')).toHaveLength(1);
    }
    // Two tool nodes per run, each called once: a drained tool-runner finished its tasks.
    expect(target.calls('/work')).toBe(2 * RUNS);
  });
});
