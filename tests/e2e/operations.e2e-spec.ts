import { setTimeout as delay } from 'node:timers/promises';
import { HttpTarget, startPlatform, waitFor, type ServiceName, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from './api-client';

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

  beforeAll(async () => {
    // Each call takes a while, so executions are still running while services restart.
    target = await new HttpTarget()
      .route('POST', '/work', async (req) => {
        await delay(400);
        return { json: { done: JSON.parse(req.body).n } };
      })
      .start();
    platform = await startPlatform({ label: 'ops', serviceEnv: { 'tool-runner': { WORK_ACK_WAIT_MS: '3000' } } });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'ops');
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
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
