import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from '../e2e/api-client';
import { endedOnceProblems, eventsOf, scale } from './fault-kit';

const KILLS = scale(30, 3);
/** Runs whose node is mid-request at each kill. */
const PER_KILL = 2;
const ACK_WAIT_MS = '1500';

jest.setTimeout(scale(900_000, 180_000));

/**
 * Issue 10's second fault test: the tool-runner is SIGKILLed while its nodes are mid-request,
 * `KILLS` times (30 in `npm run test:faults`). Each run's node is killed on its first call, then
 * fails once with a retryable 503, then succeeds: the killed attempt is redelivered as the same
 * attempt (no policy attempt spent), the 503 is retried on the node's policy (one
 * `NodeRetryScheduled`, attempt 2, after exactly `initialIntervalMs`), and upstream sees three calls:
 * the policy's two attempts plus one extra for the killed one, never more.
 */
describe('fault: tool-runner SIGKILLed mid-node', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  const calls = new Map<string, number>();
  /** Requests held open (never answered) until their runner is killed. */
  let hanging = 0;

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('POST', '/charge', async (req) => {
        const run = String(JSON.parse(req.body).run);
        const n = (calls.get(run) ?? 0) + 1;
        calls.set(run, n);
        if (n === 1) {
          hanging++;
          await new Promise(() => undefined);
        }
        return n === 2 ? { status: 503, json: { busy: true } } : { json: { charged: run } };
      })
      .start();
    platform = await startPlatform({ label: 'fault-runner', serviceEnv: { 'tool-runner': { WORK_ACK_WAIT_MS: ACK_WAIT_MS } } });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'fault-runner');
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
  });

  it(`follows the retry policy with at most one extra upstream call per killed attempt, across ${KILLS} kills`, async () => {
    const workflowId = await createWorkflow(tenant.client, 'fault-runner', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        {
          id: 'charge',
          type: 'tool',
          config: {
            tool: { kind: 'http', method: 'POST', url: `${target.url}/charge`, body: { run: '{{ input.run }}' } },
            retry: { maxAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 2, jitter: 0 },
          },
        },
        { id: 'out', type: 'output', config: { value: '{{ nodes.charge.output.body }}' } },
      ],
      edges: [
        { from: 'in', to: 'charge' },
        { from: 'charge', to: 'out' },
      ],
    });

    const statusOf = async (id: string): Promise<string> => (await tenant.client.get(`/api/v1/executions/${id}`)).body.status;
    const ended = async (ids: string[]): Promise<boolean> =>
      (await Promise.all(ids.map(statusOf))).every((s) => s === 'completed' || s === 'failed');
    const executions: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const before = hanging;
      for (let i = 0; i < PER_KILL; i++) {
        const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, {
          input: { run: `k${k}-${i}` },
        });
        expect(res.status).toBe(202);
        executions.push(res.body.executionId);
      }
      await waitFor(() => hanging === before + PER_KILL, `kill ${k}: every node of the round mid-request`, 60_000);
      await platform.services.get('tool-runner')!.kill();
      await platform.start('tool-runner', { WORK_ACK_WAIT_MS: ACK_WAIT_MS });
      // The round ends before the next kill, so each kill hits exactly the attempts it was aimed at
      // (not the redelivered or retried attempt of an earlier round).
      await waitFor(() => ended(executions.slice(-PER_KILL)), `kill ${k}: the round's runs to end`, 60_000, 100);
    }
    expect(await ended(executions)).toBe(true);

    const problems: string[] = [];
    for (const id of executions) {
      const events = await eventsOf(tenant.client, id);
      problems.push(...endedOnceProblems(id, events));
      const ofCharge = (type: string) => events.filter((e) => e.type === type && e.data.nodeId === 'charge');
      const failed = ofCharge('NodeFailed');
      const retries = ofCharge('NodeRetryScheduled');
      const completed = ofCharge('NodeCompleted');
      const shape = {
        failed: failed.map((e) => e.data.willRetry),
        retries: retries.map((e) => [e.data.attempt, e.data.delayMs]),
        completedAttempt: completed.map((e) => e.data.attempt),
      };
      const expected = { failed: [true], retries: [[2, 200]], completedAttempt: [2] };
      if (JSON.stringify(shape) !== JSON.stringify(expected)) problems.push(`${id}: ${JSON.stringify(shape)}`);
    }
    expect(problems).toEqual([]);
    expect(executions).toHaveLength(KILLS * PER_KILL);
    // Two policy attempts plus one extra for the killed one: exactly three calls per run.
    expect([...calls.values()]).toEqual(executions.map(() => 3));
  });
});
