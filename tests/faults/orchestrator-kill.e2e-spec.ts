import { setTimeout as delay } from 'node:timers/promises';
import { HttpTarget, startPlatform, waitFor, type ServiceProcess, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from '../e2e/api-client';
import { between, endedOnceProblems, eventsOf, scale } from './fault-kit';

const RUNS = scale(50, 6);
const KILLS = scale(15, 2);

jest.setTimeout(scale(600_000, 180_000));

/** Short redelivery and lease times: a killed replica's result or timer is taken over in seconds. */
const ORCHESTRATOR_ENV = { RESULTS_ACK_WAIT_MS: '3000', TIMER_LEASE_MS: '3000', TIMER_POLL_INTERVAL_MS: '200' };

/**
 * Issue 10's first fault test: two orchestrator replicas, one SIGKILLed (and replaced) at random
 * points while runs with a retrying node, a human gate approved over the API and a durable timer are
 * under way. Every execution ends exactly once, no `NodeCompleted` is recorded twice, and nothing is
 * still running 30 s after the last kill. `npm run test:faults` runs 50 runs and 15 kills; `npm test`
 * the short version.
 */
describe('fault: orchestrator replicas SIGKILLed mid-run', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  const orchestrators: ServiceProcess[] = [];
  const calls = new Map<string, number>();

  beforeAll(async () => {
    target = await new HttpTarget()
      // The first call of each run fails (503, retryable): every run goes through a retry timer.
      .route('POST', '/flaky', (req) => {
        const run = String(JSON.parse(req.body).run);
        const n = (calls.get(run) ?? 0) + 1;
        calls.set(run, n);
        return n === 1 ? { status: 503, json: { busy: true } } : { json: { ok: run } };
      })
      .start();
    platform = await startPlatform({ label: 'fault-orch', serviceEnv: { orchestrator: ORCHESTRATOR_ENV } });
    orchestrators.push(platform.services.get('orchestrator')!, await platform.start('orchestrator'));
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'fault-orch');
  });

  afterAll(async () => {
    // The platform stops the process its map names; the other replicas are stopped here.
    const named = platform?.services.get('orchestrator');
    await Promise.all(orchestrators.filter((p) => p !== named).map((p) => p.stop()));
    await platform?.stop();
    await target?.stop();
  });

  it(`ends each of ${RUNS} runs exactly once across ${KILLS} SIGKILLs of an orchestrator replica`, async () => {
    const workflowId = await createWorkflow(tenant.client, 'fault-orchestrator', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        {
          id: 'flaky',
          type: 'tool',
          config: {
            tool: { kind: 'http', method: 'POST', url: `${target.url}/flaky`, body: { run: '{{ input.run }}' } },
            retry: { maxAttempts: 3, initialIntervalMs: 300, jitter: 0 },
          },
        },
        { id: 'gate', type: 'human_gate', config: { prompt: 'Go on?' } },
        { id: 'wait', type: 'delay', config: { seconds: 1 } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.flaky.output.body }}' } },
        { id: 'rejected', type: 'output', config: { value: 'rejected' } },
      ],
      edges: [
        { from: 'in', to: 'flaky' },
        { from: 'flaky', to: 'gate' },
        { from: 'gate', to: 'wait', when: 'approved' },
        { from: 'gate', to: 'rejected', when: 'rejected' },
        { from: 'wait', to: 'out' },
      ],
    });

    const executions: string[] = [];
    const approved = new Set<string>();
    let starting = true;
    let lastKillAt = 0;

    // A request that reached the replica being killed gets no answer: the client tries again.
    const retrying = async <T>(what: string, call: () => Promise<T | undefined>): Promise<T> => {
      for (let i = 0; ; i++) {
        const value = await call().catch(() => undefined);
        if (value !== undefined) return value;
        if (i >= 20) throw new Error(`${what} kept failing`);
        await delay(250);
      }
    };

    const starter = (async () => {
      for (let n = 0; n < RUNS; n++) {
        // Each attempt has a run key of its own: an attempt the killed replica started but never
        // answered is a run of its own too, and must not take the first (failing) call of the
        // run that is kept (that run would then never retry).
        let attempt = 0;
        const id = await retrying(`start ${n}`, async () => {
          const run = `r${n}.${attempt++}`;
          const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run } });
          return res.status === 202 ? (res.body.executionId as string) : undefined;
        });
        executions.push(id);
        await delay(between(50, 250));
      }
      starting = false;
    })();

    // The approver: decides every gate that waits, over the API, as a headless client would.
    let approving = true;
    const approver = (async () => {
      while (approving) {
        for (const id of executions.filter((x) => !approved.has(x))) {
          const view = await tenant.client.get(`/api/v1/executions/${id}`).catch(() => undefined);
          if (view?.body?.status !== 'awaiting_approval') continue;
          const res = await tenant.client
            .post(`/api/v1/executions/${id}/approvals`, { nodeId: 'gate', decision: 'approved' })
            .catch(() => undefined);
          // 409: an earlier try that got no answer did decide it.
          if (res && (res.status === 200 || res.status === 409)) approved.add(id);
        }
        await delay(200);
      }
    })();

    // The killer: at random moments, SIGKILL one of the two replicas and start a replacement.
    for (let k = 0; k < KILLS; k++) {
      await delay(between(300, 2_000));
      const victim = between(0, 1);
      await orchestrators[victim].kill();
      lastKillAt = Date.now();
      orchestrators[victim] = await platform.start('orchestrator');
    }
    await starter;
    expect(starting).toBe(false);

    const statusOf = async (id: string): Promise<string | undefined> =>
      (await tenant.client.get(`/api/v1/executions/${id}`).catch(() => undefined))?.body?.status;
    try {
      await waitFor(
        async () => (await Promise.all(executions.map(statusOf))).every((s) => s === 'completed' || s === 'failed'),
        'every execution to end',
        Math.max(5_000, lastKillAt + 30_000 - Date.now()),
        250,
      );
    } finally {
      approving = false;
      await approver;
    }

    const problems: string[] = [];
    for (const id of executions) {
      const events = await eventsOf(tenant.client, id);
      problems.push(...endedOnceProblems(id, events));
      // The retry really went through its timer, and the gate and the delay really waited.
      for (const type of ['NodeRetryScheduled', 'ApprovalDecided']) {
        if (events.filter((e) => e.type === type).length !== 1) problems.push(`${id}: ${type} not exactly once`);
      }
      if (!events.some((e) => e.type === 'TimerFired' && e.data.nodeId === 'wait'))
        problems.push(`${id}: delay timer never fired`);
    }
    expect(problems).toEqual([]);
    expect((await Promise.all(executions.map(statusOf))).every((s) => s === 'completed')).toBe(true);
    // The retried node called upstream twice per run: the failure and the success.
    expect([...calls.values()].every((n) => n === 2)).toBe(true);
    expect(executions).toHaveLength(RUNS);
  });
});
