import { setTimeout as delay } from 'node:timers/promises';
import { HttpTarget, startNatsServer, startPlatform, waitFor, type OwnNatsServer, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from '../e2e/api-client';
import { endedOnceProblems, eventsOf, scale, serviceTails, twoStepGraph } from './fault-kit';

const RUNS = scale(40, 6);
const RESTARTS = scale(3, 1);

jest.setTimeout(scale(600_000, 180_000));

/**
 * Issue 10's third fault test: NATS is stopped and started again (same port, same JetStream store
 * directory) while runs are mid-flight. It is a private nats-server this test starts on a port and
 * store of its own, never the machine's shared one. Every service reconnects, JetStream keeps the
 * WORK/RESULTS/EVENTS messages across the restart, and every run completes exactly once.
 */
describe('fault: NATS restarted mid-run', () => {
  let nats: OwnNatsServer;
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  let served = 0;

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('POST', '/step', async (req) => {
        served++;
        await delay(200);
        return { json: { run: JSON.parse(req.body).run } };
      })
      .start();
    nats = await startNatsServer();
    platform = await startPlatform({ label: 'fault-nats', env: { NATS_URL: nats.url } });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'fault-nats');
  });

  afterAll(async () => {
    await platform?.stop();
    await nats?.stop();
    await target?.stop();
  });

  it(`completes ${RUNS} runs across ${RESTARTS} restart(s) of the nats-server`, async () => {
    const workflowId = await createWorkflow(
      tenant.client,
      'fault-nats',
      twoStepGraph(target.url, 0.5, { maxAttempts: 5, initialIntervalMs: 200 }),
    );

    const executions: string[] = [];
    const servedAtRestart: number[] = [];
    for (let n = 0; n < RUNS; n++) {
      const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run: `n${n}` } });
      expect(res.status).toBe(202);
      executions.push(res.body.executionId);
    }
    for (let r = 0; r < RESTARTS; r++) {
      // Mid-run: restart r when the (r+1)-th share of the 2 * RUNS calls has been served.
      const due = Math.floor(((r + 1) * 2 * RUNS) / (RESTARTS + 2));
      await waitFor(() => served >= due, `restart ${r}: ${due} calls served`, 60_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${serviceTails(platform.services)}`);
      });
      servedAtRestart.push(served);
      await nats.restart();
    }

    const statusOf = async (id: string): Promise<string | undefined> =>
      (await tenant.client.get(`/api/v1/executions/${id}`).catch(() => undefined))?.body?.status;
    await waitFor(
      async () => (await Promise.all(executions.map(statusOf))).every((s) => s === 'completed' || s === 'failed'),
      'every execution to end',
      120_000,
      250,
    );
    const problems: string[] = [];
    for (const id of executions) problems.push(...endedOnceProblems(id, await eventsOf(tenant.client, id)));
    expect(problems).toEqual([]);
    // Each restart came while work was pending: fewer than all calls had been served.
    expect(servedAtRestart.every((n) => n < 2 * RUNS)).toBe(true);
    expect(served).toBeGreaterThanOrEqual(2 * RUNS);
    expect(nats.output()).toMatch(/Server is ready[\s\S]*Server is ready/);
  });
});
