import { setTimeout as delay } from 'node:timers/promises';
import {
  HttpTarget,
  startPlatform,
  startPostgresServer,
  waitFor,
  type OwnPostgresServer,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from '../e2e/api-client';
import { endedOnceProblems, eventsOf, FULL, scale, serviceTails, twoStepGraph } from './fault-kit';

const RUNS = scale(40, 6);
/** Fast shutdowns (sessions ended, transactions rolled back); the full run adds crashes (SIGKILL, WAL replay). */
const RESTARTS: Array<{ kill: boolean }> = FULL ? [{ kill: false }, { kill: true }, { kill: false }] : [{ kill: false }];

jest.setTimeout(scale(600_000, 240_000));

/**
 * Issue 10's Postgres fault test, on a cluster of the test's own (initdb into a temp dir, its own
 * port), never the shared server: Postgres goes away while runs are mid-flight and comes back.
 * Every service stays up and reconnects; every run then either completes exactly once or fails
 * cleanly (one terminal event, positions 1..n: never a half-written stream), and a failed one
 * completes when retried.
 */
describe('fault: Postgres restarted mid-run', () => {
  let pg: OwnPostgresServer;
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
    pg = await startPostgresServer();
    platform = await startPlatform({ label: 'fault_pg', adminDatabaseUrl: pg.adminUrl });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'fault-pg');
  });

  afterAll(async () => {
    await platform?.stop();
    await pg?.stop();
    await target?.stop();
  });

  it(`every run ends cleanly across ${RESTARTS.length} restart(s) of Postgres, and a failed one completes when retried`, async () => {
    const workflowId = await createWorkflow(
      tenant.client,
      'fault-pg',
      twoStepGraph(target.url, 0.5, { maxAttempts: 5, initialIntervalMs: 200 }),
    );

    const executions: string[] = [];
    for (let n = 0; n < RUNS; n++) {
      const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run: `n${n}` } });
      expect(res.status).toBe(202);
      executions.push(res.body.executionId);
    }
    const servedAtRestart: number[] = [];
    for (const [r, how] of RESTARTS.entries()) {
      const due = Math.floor(((r + 1) * 2 * RUNS) / (RESTARTS.length + 2));
      await waitFor(() => served >= due, `restart ${r}: ${due} calls served`, 60_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${serviceTails(platform.services)}`);
      });
      servedAtRestart.push(served);
      await pg.restart({ kill: how.kill, downMs: 1_000 });
    }

    // Reads go through Postgres too: an answer that is not 200 yet (the pools reconnecting) is "not ended".
    const statusOf = async (id: string): Promise<string | undefined> => {
      const res = await tenant.client.get(`/api/v1/executions/${id}`).catch(() => undefined);
      return res?.status === 200 ? res.body.status : undefined;
    };
    const ended = (s: string | undefined): boolean => s === 'completed' || s === 'failed';
    await waitFor(
      async () => (await Promise.all(executions.map(statusOf))).every(ended),
      'every execution to end',
      150_000,
      500,
    ).catch(async (e: Error) => {
      const statuses = await Promise.all(executions.map(statusOf));
      throw new Error(`${e.message}: ${JSON.stringify(statuses)}\n${serviceTails(platform.services)}`);
    });

    // No service died of it: each is the process the platform started, still running.
    for (const [name, proc] of platform.services) {
      expect({ name, exitCode: proc.child.exitCode, signal: proc.child.signalCode }).toEqual({
        name,
        exitCode: null,
        signal: null,
      });
    }

    const problems: string[] = [];
    const failed: string[] = [];
    for (const id of executions) {
      const status = await statusOf(id);
      if (status === 'failed') failed.push(id);
      problems.push(
        ...endedOnceProblems(
          id,
          await eventsOf(tenant.client, id),
          status === 'failed' ? 'ExecutionFailed' : 'ExecutionCompleted',
        ),
      );
    }
    expect(problems).toEqual([]);

    // A run that failed of it is retried from its failed node, and completes.
    for (const id of failed) {
      expect((await tenant.client.post(`/api/v1/executions/${id}/retry`, { reason: 'Postgres is back' })).status).toBe(200);
    }
    await waitFor(
      async () => (await Promise.all(failed.map(statusOf))).every((s) => s === 'completed'),
      'retried runs to complete',
      60_000,
      250,
    );
    for (const id of failed)
      expect(endedOnceProblems(id, await eventsOf(tenant.client, id)).filter((p) => !p.includes('terminal'))).toEqual([]);

    expect(servedAtRestart.every((n) => n < 2 * RUNS)).toBe(true);
    expect(pg.output()).toMatch(
      /database system is ready to accept connections[\s\S]*database system is ready to accept connections/,
    );
  });
});
