import { setTimeout as delay } from 'node:timers/promises';
import {
  HttpTarget,
  metricValue,
  scrapeMetrics,
  startPlatform,
  waitFor,
  type GatewayReplica,
  type ServiceName,
  type ServiceProcess,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, watchExecution, type Tenant, type WsRun } from './api-client';

jest.setTimeout(240_000);

const RUNS = 40;
const WATCHED = 10;

/** Sum of a metric's samples whose labels include `labels`, in one scrape. */
const sumOf = (scrape: string, name: string, labels: Record<string, string> = {}): number =>
  scrape
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);

/**
 * Two replicas of the orchestrator, the tool-runner and the gateway, as `npm start -- --replicas 2`
 * runs them: the work is shared (each orchestrator records results, each runner runs tasks), no
 * node completes twice, and a WebSocket client on either gateway sees every event of a run.
 */
describe('replicas', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  let second: GatewayReplica;
  const extra = new Map<ServiceName, { proc: ServiceProcess; metricsUrl: string }>();
  const firstMetrics = new Map<ServiceName, string>();

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('POST', '/work', async (req) => {
        await delay(20);
        return { json: { n: JSON.parse(req.body).n } };
      })
      .start();
    platform = await startPlatform({ label: 'replicas' });
    for (const name of ['orchestrator', 'tool-runner'] as ServiceName[]) {
      const first = platform.services.get(name)!;
      firstMetrics.set(name, platform.metricsUrl(name));
      const proc = await platform.start(name);
      extra.set(name, { proc, metricsUrl: platform.metricsUrl(name) });
      // `start` made the new process the map's one; keep the first there (the platform stops it).
      platform.services.set(name, first);
    }
    second = await platform.startGateway();
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'replicas');
  });

  afterAll(async () => {
    await Promise.all([...extra.values()].map(({ proc }) => proc.stop()));
    await platform?.stop();
    await target?.stop();
  });

  it('shares the work between two of each, processes nothing twice, and streams every event on either gateway', async () => {
    const gateways = [new ApiClient(platform.baseUrl, tenant.token), new ApiClient(second.baseUrl, tenant.token)];
    const wsUrls = [platform.wsUrl, second.wsUrl];
    const workflowId = await createWorkflow(tenant.client, 'replicated', {
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
        { id: 'out', type: 'output', config: { value: '{{ nodes.b.output.body.n }}' } },
      ],
      edges: [
        { from: 'in', to: 'a' },
        { from: 'in', to: 'b' },
        { from: 'a', to: 'out' },
        { from: 'b', to: 'out' },
      ],
    });

    // Runs started through both gateways; the first WATCHED are watched on both at once.
    const executions: string[] = [];
    const sockets: Array<[WsRun, WsRun]> = [];
    for (let n = 0; n < RUNS; n++) {
      const res = await gateways[n % 2].post(`/api/v1/workflows/${workflowId}/executions`, { input: { n } });
      expect(res.status).toBe(202);
      executions.push(res.body.executionId);
      if (n < WATCHED) {
        sockets.push(
          await Promise.all(
            wsUrls.map((url) => watchExecution(url, res.body.executionId, tenant.token)) as [Promise<WsRun>, Promise<WsRun>],
          ),
        );
      }
    }

    const status = async (id: string): Promise<string> => (await tenant.client.get(`/api/v1/executions/${id}`)).body.status;
    await waitFor(
      async () => (await Promise.all(executions.map(status))).every((s) => s === 'completed'),
      'every execution to complete',
      120_000,
    );
    for (const id of executions) {
      const events = (await tenant.client.get(`/api/v1/executions/${id}/events`)).body.items as Array<{
        type: string;
        seq: number;
        data: { nodeId?: string };
      }>;
      for (const nodeId of ['in', 'a', 'b', 'out']) {
        const completed = events.filter((e) => e.type === 'NodeCompleted' && e.data.nodeId === nodeId).length;
        expect({ id, nodeId, completed }).toEqual({ id, nodeId, completed: 1 });
      }
    }
    expect(target.calls('/work')).toBe(2 * RUNS);

    // Both sockets of a watched run saw the same events, every position once, ending with completion.
    for (const pair of sockets) {
      await Promise.all(pair.map((s) => s.closed));
      const [one, two] = pair.map((s) => s.messages.filter((m) => typeof m.seq === 'number').map((m) => m.seq as number));
      expect(one).toEqual(two);
      expect(one).toEqual(Array.from({ length: one.length }, (_, i) => i + 1));
      for (const s of pair) expect(s.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed' });
    }

    // Each replica did part of the work.
    const [orchestrator1, orchestrator2] = await Promise.all(
      [firstMetrics.get('orchestrator')!, extra.get('orchestrator')!.metricsUrl].map(scrapeMetrics),
    );
    const recorded = [orchestrator1, orchestrator2].map((s) =>
      sumOf(s, 'flowstack_node_duration_seconds_count', { node_type: 'tool' }),
    );
    expect(recorded.every((n) => n > 0)).toBe(true);
    expect(recorded[0] + recorded[1]).toBe(2 * RUNS);
    const [runner1, runner2] = await Promise.all(
      [firstMetrics.get('tool-runner')!, extra.get('tool-runner')!.metricsUrl].map(scrapeMetrics),
    );
    const ran = [runner1, runner2].map(
      (s) => metricValue(s, 'flowstack_tasks_total', { node_type: 'tool', outcome: 'succeeded' }) ?? 0,
    );
    expect(ran.every((n) => n > 0)).toBe(true);
    expect(ran[0] + ran[1]).toBe(2 * RUNS);
  });
});
