import { HttpTarget, startPlatform, waitFor, type ServiceProcess, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, watchExecution, watchWithAuthMessage, type Tenant } from './api-client';

jest.setTimeout(180_000);

const LIMIT = 2;
const TASKS = 2;
const FAN_OUT = 6;

/** A run that waits at a human gate until the test approves it: it holds its slot until then. */
const gateGraph = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'gate', type: 'human_gate', config: { prompt: 'go?' } },
    { id: 'out', type: 'output', config: { value: '{{ input.n }}' } },
  ],
  edges: [
    { from: 'in', to: 'gate' },
    { from: 'gate', to: 'out', when: 'approved' },
  ],
};

/**
 * Per-workspace running limit (ORCHESTRATOR_WORKSPACE_MAX_RUNNING) through the gateway: a
 * workspace at its limit queues runs (`pending` with their place) that start oldest first as its
 * runs end; another workspace starts at once; a queued run can be cancelled; two orchestrator
 * replicas never run more than the limit; a restarted orchestrator keeps the queue.
 */
describe('per-workspace running limit', () => {
  let platform: TestPlatform;
  let a: Tenant;
  let b: Tenant;
  let c: Tenant;
  let d: Tenant;
  let e: Tenant;
  let second: ServiceProcess | undefined;
  let target: HttpTarget;
  // The http nodes' upstream holds each call until the test lets it go; it counts calls in flight per tenant.
  const held = new Map<string, Array<() => void>>();
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('POST', '/hold', async (req) => {
        const { who } = JSON.parse(req.body) as { who: string };
        inFlight.set(who, (inFlight.get(who) ?? 0) + 1);
        maxInFlight.set(who, Math.max(maxInFlight.get(who) ?? 0, inFlight.get(who)!));
        await new Promise<void>((resolve) => held.set(who, [...(held.get(who) ?? []), resolve]));
        inFlight.set(who, inFlight.get(who)! - 1);
        return { json: { ok: true } };
      })
      .start();
    platform = await startPlatform({
      label: 'wslimit',
      serviceEnv: {
        orchestrator: {
          ORCHESTRATOR_WORKSPACE_MAX_RUNNING: String(LIMIT),
          ORCHESTRATOR_WORKSPACE_MAX_TASKS: String(TASKS),
          ORCHESTRATOR_ADMISSION_SWEEP_MS: '500',
        },
      },
    });
    const api = new ApiClient(platform.baseUrl);
    [a, b, c, d, e] = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => registerTenant(api, `wslimit-${x}`)));
  });

  afterAll(async () => {
    for (const list of held.values()) for (const release of list) release();
    await second?.stop();
    await platform?.stop();
    await target?.stop();
  });

  const releaseOne = (who: string): void => {
    const list = held.get(who) ?? [];
    list.shift()?.();
  };

  const start = async (t: Tenant, workflowId: string, n: number) => {
    const res = await t.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { n } });
    expect(res.status).toBe(202);
    return res.body as { executionId: string; status: string; queue?: { position: number } };
  };
  const view = async (t: Tenant, id: string) => (await t.client.get(`/api/v1/executions/${id}`)).body;
  const statuses = async (t: Tenant, ids: string[]) => Promise.all(ids.map(async (id) => (await view(t, id)).status as string));
  const approve = async (t: Tenant, id: string) => {
    const res = await t.client.post(`/api/v1/executions/${id}/approvals`, { nodeId: 'gate', decision: 'approved' });
    expect(res.status).toBe(200);
  };
  const waitStatuses = (t: Tenant, ids: string[], expected: string[], what: string) =>
    waitFor(async () => JSON.stringify(await statuses(t, ids)) === JSON.stringify(expected), what, 30_000);

  it('queues runs over the limit with their place, starts them in order, and leaves other workspaces alone', async () => {
    const wfA = await createWorkflow(a.client, 'limit-a', gateGraph);
    const wfB = await createWorkflow(b.client, 'limit-b', gateGraph);
    const runs = [];
    for (let n = 0; n < 5; n++) runs.push(await start(a, wfA, n));
    const ids = runs.map((r) => r.executionId);
    expect(runs.map((r) => (r.status === 'pending' ? 'pending' : 'started'))).toEqual([
      'started',
      'started',
      'pending',
      'pending',
      'pending',
    ]);
    expect(runs.slice(2).map((r) => r.queue?.position)).toEqual([1, 2, 3]);
    await waitStatuses(
      a,
      ids,
      ['awaiting_approval', 'awaiting_approval', 'pending', 'pending', 'pending'],
      'two runs at the gate',
    );
    expect(await view(a, ids[3])).toMatchObject({ id: ids[3], status: 'pending', queue: { position: 2 }, nodes: {} });
    // Queued runs are in the history as `pending`.
    const pending = (await a.client.get(`/api/v1/workflows/${wfA}/executions?status=pending`)).body.items as Array<{
      id: string;
    }>;
    expect(pending.map((i) => i.id).sort()).toEqual(ids.slice(2).sort());

    // Another workspace is not held back.
    const other = await start(b, wfB, 0);
    expect(other.status).not.toBe('pending');
    expect(other.queue).toBeUndefined();
    // Nor can it see A's queued run.
    expect((await b.client.get(`/api/v1/executions/${ids[2]}`)).status).toBe(404);

    // A queued run cancelled leaves the queue; the runs behind it move up; cancelling again is 409.
    const cancelled = await a.client.post(`/api/v1/executions/${ids[3]}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: ids[3], status: 'cancelled' });
    expect((await a.client.post(`/api/v1/executions/${ids[3]}/cancel`, {})).status).toBe(409);
    expect((await view(a, ids[4])).queue).toEqual(expect.objectContaining({ position: 2 }));

    // Finishing one run starts the oldest queued one; the cancelled one never starts.
    await approve(a, ids[0]);
    await waitStatuses(a, ids, ['completed', 'awaiting_approval', 'awaiting_approval', 'cancelled', 'pending'], 'run 3 to start');
    expect((await view(a, ids[4])).queue).toEqual(expect.objectContaining({ position: 1 }));

    // A restarted orchestrator keeps the queue (it is in Postgres) and starts from it.
    await platform.services.get('orchestrator')!.stop();
    await platform.start('orchestrator');
    expect((await view(a, ids[4])).status).toBe('pending');
    await approve(a, ids[1]);
    await waitStatuses(
      a,
      ids,
      ['completed', 'completed', 'awaiting_approval', 'cancelled', 'awaiting_approval'],
      'run 5 to start',
    );
    await approve(a, ids[2]);
    await approve(a, ids[4]);
    await waitStatuses(a, ids, ['completed', 'completed', 'completed', 'cancelled', 'completed'], 'every run to end');
    const events = (await a.client.get(`/api/v1/executions/${ids[3]}/events`)).status;
    expect(events).toBe(404);
    const history = async () =>
      ((await a.client.get(`/api/v1/workflows/${wfA}/executions`)).body.items as Array<{ id: string; status: string }>)
        .map((i) => `${i.id}:${i.status}`)
        .sort();
    const expected = ids.map((id, i) => `${id}:${i === 3 ? 'cancelled' : 'completed'}`).sort();
    await waitFor(
      async () => JSON.stringify(await history()) === JSON.stringify(expected),
      'the history to show every run',
      30_000,
    );
  });

  it('never runs more than the limit with two orchestrator replicas starting at once', async () => {
    if (!second) {
      const first = platform.services.get('orchestrator')!;
      second = await platform.start('orchestrator');
      platform.services.set('orchestrator', first);
    }
    const wf = await createWorkflow(a.client, 'limit-replicas', gateGraph);
    const RUNS = 12;
    const runs = await Promise.all(Array.from({ length: RUNS }, (_, n) => start(a, wf, n)));
    const ids = runs.map((r) => r.executionId);
    expect(runs.filter((r) => r.status !== 'pending')).toHaveLength(LIMIT);
    expect(
      runs
        .filter((r) => r.status === 'pending')
        .map((r) => r.queue!.position)
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: RUNS - LIMIT }, (_, i) => i + 1));

    // Approve whatever waits at the gate, one at a time, checking the count every time.
    const done = new Set<string>();
    while (done.size < RUNS) {
      let current: string[] = [];
      await waitFor(
        async () => {
          current = await statuses(a, ids);
          const active = current.filter((s) => s === 'awaiting_approval' || s === 'running').length;
          expect(active).toBeLessThanOrEqual(LIMIT);
          const waiting = current.filter((s) => s === 'pending').length;
          return active === Math.min(LIMIT, RUNS - done.size) || (waiting === 0 && active > 0);
        },
        'the next runs to reach the gate',
        30_000,
      );
      const next = ids.find((id, i) => current[i] === 'awaiting_approval' && !done.has(id))!;
      await approve(a, next);
      done.add(next);
      await waitFor(async () => (await view(a, next)).status === 'completed', 'the approved run to complete', 30_000);
    }
    expect(await statuses(a, ids)).toEqual(ids.map(() => 'completed'));
  });

  it('holds node tasks of a workspace past its in-flight limit until results come back; another workspace is not held', async () => {
    const fanOut = (who: string) => ({
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        ...Array.from({ length: FAN_OUT }, (_, i) => ({
          id: `call${i}`,
          type: 'tool',
          config: { tool: { kind: 'http', method: 'POST', url: `${target.url}/hold`, body: { who } } },
        })),
        { id: 'out', type: 'output', config: { value: 'done' } },
      ],
      edges: [
        ...Array.from({ length: FAN_OUT }, (_, i) => ({ from: 'in', to: `call${i}` })),
        ...Array.from({ length: FAN_OUT }, (_, i) => ({ from: `call${i}`, to: 'out' })),
      ],
    });
    const run = await start(c, await createWorkflow(c.client, 'fan-out', fanOut('c')), 0);
    await waitFor(() => (inFlight.get('c') ?? 0) === TASKS, 'two of the fan-out calls to reach the upstream', 30_000);

    // Another workspace's task goes out at once, while C's others wait.
    const other = await start(d, await createWorkflow(d.client, 'one-call', fanOut('d')), 0);
    await waitFor(() => (inFlight.get('d') ?? 0) === TASKS, "D's calls to reach the upstream", 30_000);
    expect(inFlight.get('c')).toBe(TASKS);
    const nodes = (await view(c, run.executionId)).nodes as Record<string, { status: string }>;
    expect(Object.values(nodes).filter((n) => n.status === 'scheduled').length).toBe(FAN_OUT);

    // Each answer lets one more out; never more than the limit at once.
    for (let done = 0; done < FAN_OUT; done++) {
      await waitFor(() => (held.get('c') ?? []).length > 0, 'a held call of C', 30_000);
      releaseOne('c');
    }
    for (let done = 0; done < FAN_OUT; done++) {
      await waitFor(() => (held.get('d') ?? []).length > 0, 'a held call of D', 30_000);
      releaseOne('d');
    }
    await waitFor(async () => (await view(c, run.executionId)).status === 'completed', "C's run to complete", 30_000);
    await waitFor(async () => (await view(d, other.executionId)).status === 'completed', "D's run to complete", 30_000);
    expect(maxInFlight.get('c')).toBe(TASKS);
    expect(maxInFlight.get('d')).toBe(TASKS);
    expect(target.calls('/hold')).toBe(2 * FAN_OUT);
  });
  it('a socket on a queued run hears its place, then every step once it runs; one cancelled in the queue hears the end', async () => {
    const wf = await createWorkflow(e.client, 'limit-socket', gateGraph);
    const runs = [];
    for (let n = 0; n < LIMIT + 2; n++) runs.push(await start(e, wf, n));
    const [first, , queued, last] = runs.map((r) => r.executionId);
    expect(runs[LIMIT].status).toBe('pending');
    await waitStatuses(e, [first], ['awaiting_approval'], 'the first run at the gate');

    // Header auth and first-message auth both accept a run that has no events yet.
    const waiting = await watchExecution(platform.wsUrl, queued, e.token);
    const cancelledWatch = await watchWithAuthMessage(platform.wsUrl, last, e.token);
    await waitFor(() => waiting.messages.some((m) => m.type === 'execution_queued'), 'the queued message', 10_000);
    expect(waiting.messages[0]).toMatchObject({ type: 'execution_queued', executionId: queued, position: 1 });
    await waitFor(() => cancelledWatch.messages.length > 0, 'the second queued message', 10_000);
    expect(cancelledWatch.messages[0]).toMatchObject({ type: 'execution_queued', executionId: last, position: 2 });

    // Cancelled while queued: the socket hears the end and closes normally.
    expect((await e.client.post(`/api/v1/executions/${last}/cancel`, {})).status).toBe(200);
    expect(await cancelledWatch.closed).toBe(1000);
    expect(cancelledWatch.messages.at(-1)).toMatchObject({ type: 'execution_complete', executionId: last, status: 'cancelled' });

    // Its turn comes: the same socket gets every event from the first, in order, to the gate.
    await approve(e, first);
    await waitFor(
      () => waiting.messages.some((m) => m.type === 'approval_requested'),
      'the queued run to reach its gate',
      30_000,
    );
    const seqs = waiting.messages.filter((m) => typeof m.seq === 'number').map((m) => m.seq as number);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    await approve(e, queued);
    expect(await waiting.closed).toBe(1000);
    expect(waiting.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed' });
    await approve(e, runs[1].executionId);

    // Another workspace's token is refused at the upgrade (404), queued or not.
    const refused = await watchExecution(platform.wsUrl, queued, b.token).then(
      (w) => w.closed,
      (err: { status?: number }) => err.status,
    );
    expect(refused).toBe(404);
  });
});
