import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { createWorkflow, registerTenant, watchExecution, ApiClient, type Tenant } from './api-client';

jest.setTimeout(120_000);

interface EventItem {
  seq: number;
  type: string;
  data: Record<string, any>;
}

/**
 * Retry from failure and fork through the gateway, as a client sees them: REST answers, the event
 * log, the history list and the WebSocket. The http nodes call a real local server, which counts
 * what ran: a retry or a fork must not call again for the nodes whose results it kept.
 */
describe('retry from failure and fork', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  let other: Tenant;
  /** Runs whose `/a` calls fail (400: not retryable) until the test repairs them. */
  const broken = new Set<string>();
  const calls = (path: string, run: string): number =>
    target.received.filter((r) => r.path === path && JSON.parse(r.body).run === run).length;

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('POST', '/a', (req) => {
        const { run } = JSON.parse(req.body);
        return broken.has(run) ? { status: 400, json: { error: 'broken' } } : { json: { a: run } };
      })
      .route('POST', '/b', (req) => ({ json: { b: JSON.parse(req.body).run } }))
      .route('POST', '/side', (req) => ({ json: { side: JSON.parse(req.body).run } }))
      .route('POST', '/busy', () => ({ status: 503, json: { busy: true } }))
      .start();
    platform = await startPlatform({ label: 'rerun' });
    const api = new ApiClient(platform.baseUrl);
    [tenant, other] = await Promise.all([registerTenant(api, 'rerun'), registerTenant(api, 'rerun-other')]);
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
  });

  const http = (path: string) => ({
    tool: { kind: 'http', method: 'POST', url: `${target.url}${path}`, body: { run: '{{ input.run }}' } },
  });
  /** in -> a -> b -> out and in -> side -> out; `a` fails for good while its run is broken. */
  const graph = (label = 'v1') => ({
    entry_point: 'in',
    input_schema: { type: 'object', properties: { run: { type: 'string' } }, required: ['run'] },
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'a', type: 'tool', label: 'A', config: { ...http('/a'), retry: { maxAttempts: 1 } } },
      { id: 'b', type: 'tool', label: 'B', config: http('/b') },
      { id: 'side', type: 'tool', label: 'Side', config: http('/side') },
      {
        id: 'out',
        type: 'output',
        config: { value: { b: '{{ nodes.b.output.body.b }}', side: '{{ nodes.side.output.body.side }}', label } },
      },
    ],
    edges: [
      { from: 'in', to: 'a' },
      { from: 'a', to: 'b' },
      { from: 'b', to: 'out' },
      { from: 'in', to: 'side' },
      { from: 'side', to: 'out' },
    ],
  });
  const eventsOf = async (executionId: string): Promise<EventItem[]> =>
    (await tenant.client.get(`/api/v1/executions/${executionId}/events`)).body.items as EventItem[];
  const viewOf = async (executionId: string) => (await tenant.client.get(`/api/v1/executions/${executionId}`)).body;
  const statusIs = (executionId: string, status: string) =>
    waitFor(async () => (await viewOf(executionId)).status === status, `execution ${executionId} to be ${status}`, 20_000);
  const historyStatus = async (workflowId: string, executionId: string): Promise<string | undefined> => {
    const list = await tenant.client.get(`/api/v1/workflows/${workflowId}/executions`);
    return (list.body.items as Array<{ id: string; status: string }>).find((i) => i.id === executionId)?.status;
  };

  /** A run that failed at `a` (after `side` succeeded), its workflow id and execution id. */
  async function failedRun(run: string): Promise<{ workflowId: string; executionId: string }> {
    broken.add(run);
    const workflowId = await createWorkflow(tenant.client, `wf-${run}`, graph());
    const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run } });
    expect(res.status).toBe(202);
    const executionId = res.body.executionId as string;
    await statusIs(executionId, 'failed');
    // `side` may still be in flight when `a` fails: its late success is recorded all the same.
    await waitFor(async () => (await viewOf(executionId)).nodes.side.status === 'succeeded', 'the side branch to succeed');
    return { workflowId, executionId };
  }

  it('retries a failed run from its failed node: succeeded nodes are not run again, it ends once more, the socket and the history see it', async () => {
    const { workflowId, executionId } = await failedRun('r1');
    await waitFor(async () => (await historyStatus(workflowId, executionId)) === 'failed', 'the history to show failed');
    const before = await eventsOf(executionId);
    const failedSeq = before.find((e) => e.type === 'ExecutionFailed')!.seq;

    // Still broken: the node's failure is not something a retry can fix, but a retry is allowed.
    broken.delete('r1');
    const res = await tenant.client.post(`/api/v1/executions/${executionId}/retry`, { reason: 'upstream fixed' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: executionId, status: 'running', retries: 1, nodes: { in: { status: 'succeeded' } } });
    expect(res.body).not.toHaveProperty('error');

    // A client that resumes after the failure sees the new steps through the new end.
    const resumed = await watchExecution(platform.wsUrl, executionId, tenant.token, `?fromSeq=${failedSeq}`);
    expect(await resumed.closed).toBe(1000);
    // (A late `side` success may come first: it finished after `a` failed the run.)
    expect(resumed.messages.find((m) => m.type === 'execution_retried')).toMatchObject({
      type: 'execution_retried',
      cycle: 1,
      nodes: ['a'],
      reason: 'upstream fixed',
    });
    expect(resumed.messages.filter((m) => m.type === 'step_start').map((m) => [m.nodeId, m.attempt])).toEqual([
      ['a', 2],
      ['b', 1],
      ['out', 1],
    ]);
    expect(resumed.messages.at(-1)).toMatchObject({
      type: 'execution_complete',
      status: 'completed',
      output: { b: 'r1', side: 'r1', label: 'v1' },
    });

    // A client that connects now replays both ends and closes only after the last one.
    const fresh = await watchExecution(platform.wsUrl, executionId, tenant.token);
    expect(await fresh.closed).toBe(1000);
    expect(fresh.messages.filter((m) => m.type === 'execution_complete').map((m) => m.status)).toEqual(['failed', 'completed']);

    const events = await eventsOf(executionId);
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect([count('ExecutionFailed'), count('ExecutionRetried'), count('ExecutionCompleted')]).toEqual([1, 1, 1]);
    expect(events.find((e) => e.type === 'ExecutionRetried')!.data).toMatchObject({
      reason: 'upstream fixed',
      previousStatus: 'failed',
      cycle: 1,
      nodes: ['a'],
      resetNodes: ['b', 'out'],
    });
    const scheduled = (nodeId: string) => events.filter((e) => e.type === 'NodeScheduled' && e.data.nodeId === nodeId);
    expect(scheduled('in')).toHaveLength(1);
    expect(scheduled('side')).toHaveLength(1);
    expect(scheduled('a').map((e) => e.data.attempt)).toEqual([1, 2]);
    // The upstream saw side once (kept), a twice (failed, then retried), b once.
    expect([calls('/side', 'r1'), calls('/a', 'r1'), calls('/b', 'r1')]).toEqual([1, 2, 1]);

    await waitFor(async () => (await historyStatus(workflowId, executionId)) === 'completed', 'the history to show completed');
    const view = await viewOf(executionId);
    expect(view).toMatchObject({ status: 'completed', retries: 1, nodes: { a: { status: 'succeeded', attempts: 2 } } });

    // Only a failed run can be retried: a completed one is a conflict, and nothing is appended.
    const again = await tenant.client.post(`/api/v1/executions/${executionId}/retry`, {});
    expect(again.status).toBe(409);
    expect((await eventsOf(executionId)).length).toBe(events.length);
  });

  it('refuses a retry of a running or cancelled run (409), of an unknown or foreign run (404), and a bad body (400)', async () => {
    const workflowId = await createWorkflow(tenant.client, 'wf-waits', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'wait', type: 'delay', config: { seconds: 300 } },
      ],
      edges: [{ from: 'in', to: 'wait' }],
    });
    const executionId = (await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} })).body
      .executionId as string;
    await statusIs(executionId, 'running');
    const running = await tenant.client.post(`/api/v1/executions/${executionId}/retry`, {});
    expect(running.status).toBe(409);
    expect(running.body.detail).toContain('is running');

    const bad = await tenant.client.post(`/api/v1/executions/${executionId}/retry`, { reason: 'x', extra: 1 });
    expect(bad.status).toBe(400);

    expect((await other.client.post(`/api/v1/executions/${executionId}/retry`, {})).status).toBe(404);
    expect((await tenant.client.post(`/api/v1/executions/00000000-0000-4000-8000-000000000000/retry`, {})).status).toBe(404);

    expect((await tenant.client.post(`/api/v1/executions/${executionId}/cancel`, {})).status).toBe(200);
    const cancelled = await tenant.client.post(`/api/v1/executions/${executionId}/retry`, {});
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.detail).toContain('is cancelled');
  });

  it('forks a run from a node: a new execution of the pinned version, the results before it copied, only it and what follows run', async () => {
    const { workflowId, executionId: failedId } = await failedRun('f1');
    broken.delete('f1');
    // A new version of the workflow must not change a fork of a run of the old one.
    const put = await tenant.client.put(`/api/v1/workflows/${workflowId}`, { graph: graph('v2') });
    expect(put.status).toBe(200);

    // From the failed node itself, with a new input: `in` and `side` are copied, `a` runs again.
    const res = await tenant.client.post(`/api/v1/executions/${failedId}/fork`, { fromNodeId: 'a', input: { run: 'f1' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'running', forkedFrom: { executionId: failedId, fromNodeId: 'a' } });
    expect(res.body.copiedNodes).toEqual(['in', 'side']);
    const forkId = res.body.executionId as string;
    expect(forkId).not.toBe(failedId);

    const live = await watchExecution(platform.wsUrl, forkId, tenant.token);
    expect(await live.closed).toBe(1000);
    expect(live.messages.at(-1)).toMatchObject({ status: 'completed', output: { b: 'f1', side: 'f1', label: 'v1' } });
    const copiedMessage = live.messages.find((m) => m.type === 'step_complete' && m.nodeId === 'side');
    expect(copiedMessage).toMatchObject({ attempt: 0, copiedFrom: { executionId: failedId } });

    const source = await eventsOf(failedId);
    const sideSeq = source.find((e) => e.type === 'NodeCompleted' && e.data.nodeId === 'side')!.seq;
    const events = await eventsOf(forkId);
    expect(events[0]).toMatchObject({
      type: 'ExecutionStarted',
      data: { forkedFrom: { executionId: failedId, fromNodeId: 'a' } },
    });
    expect(events.find((e) => e.type === 'NodeCompleted' && e.data.nodeId === 'side')!.data).toMatchObject({
      attempt: 0,
      cost: 0,
      output: { body: { side: 'f1' } },
      copiedFrom: { executionId: failedId, seq: sideSeq },
    });
    expect(events.filter((e) => e.type === 'NodeScheduled').map((e) => e.data.nodeId)).toEqual(['a', 'b', 'out']);
    // The source's side call was not repeated; a ran once more (in the fork), b once.
    expect([calls('/side', 'f1'), calls('/a', 'f1'), calls('/b', 'f1')]).toEqual([1, 2, 1]);

    const view = await viewOf(forkId);
    expect(view).toMatchObject({
      workflowId,
      workflowVersion: 1,
      status: 'completed',
      forkedFrom: { executionId: failedId, fromNodeId: 'a' },
      nodes: { side: { status: 'succeeded', attempts: 0, copiedFrom: { executionId: failedId, seq: sideSeq } } },
    });
    // The source is untouched.
    expect((await viewOf(failedId)).status).toBe('failed');

    // A fork of the fork from `b` with a new input: `b` sees it, the copies keep theirs.
    const second = await tenant.client.post(`/api/v1/executions/${forkId}/fork`, { fromNodeId: 'b', input: { run: 'f2' } });
    expect(second.status).toBe(202);
    expect(second.body.copiedNodes).toEqual(['in', 'a', 'side']);
    await statusIs(second.body.executionId, 'completed');
    expect((await viewOf(second.body.executionId)).output).toEqual({ b: 'f2', side: 'f1', label: 'v1' });
    expect(calls('/a', 'f2')).toBe(0);
  });

  it('refuses a fork from an unknown node or with a bad input (400 with the field path), of a foreign run (404)', async () => {
    const { executionId } = await failedRun('f3');
    const unknown = await tenant.client.post(`/api/v1/executions/${executionId}/fork`, { fromNodeId: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'fromNodeId', rule: 'unknown_node' }] });

    const notReached = await tenant.client.post(`/api/v1/executions/${executionId}/fork`, { fromNodeId: 'b' });
    expect(notReached.status).toBe(400);
    expect(notReached.body.errors).toEqual([expect.objectContaining({ path: 'fromNodeId', rule: 'fork_node_not_reached' })]);

    const missing = await tenant.client.post(`/api/v1/executions/${executionId}/fork`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('fromNodeId');

    const badInput = await tenant.client.post(`/api/v1/executions/${executionId}/fork`, { fromNodeId: 'a', input: { run: 5 } });
    expect(badInput.status).toBe(400);
    expect(badInput.body.errors).toEqual([expect.objectContaining({ path: 'input.run' })]);

    const foreign = await other.client.post(`/api/v1/executions/${executionId}/fork`, { fromNodeId: 'a' });
    expect(foreign.status).toBe(404);
    // The run's input (`f3`) never leaks; the problem's `instance` path (the requested id) and its
    // `correlationId` are random hex that may contain those two characters: left out of the search.
    const { instance: _instance, correlationId: _correlation, ...problem } = foreign.body as Record<string, unknown>;
    expect(JSON.stringify(problem)).not.toContain('f3');
    // Nothing was started by the refused forks.
    const list = await tenant.client.get(`/api/v1/executions?limit=100`);
    expect((list.body.items as Array<{ id: string }>).length).toBeGreaterThan(0);
    expect(calls('/a', 'f3')).toBe(1);
  });

  it('fails a node with timeout once its schedule-to-close timeout passes, across its retries', async () => {
    const timed = {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        {
          id: 'call',
          type: 'tool',
          config: {
            ...http('/busy'),
            retry: { maxAttempts: 100, initialIntervalMs: 200, backoffCoefficient: 1 },
            scheduleToCloseTimeoutMs: 1000,
          },
        },
      ],
      edges: [{ from: 'in', to: 'call' }],
    };
    const workflowId = await createWorkflow(tenant.client, 'wf-deadline', timed);
    const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run: 't1' } });
    expect(res.status).toBe(202);
    const executionId = res.body.executionId as string;
    const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({
      type: 'execution_complete',
      status: 'failed',
      error: { code: 'timeout', nodeId: 'call' },
    });

    const events = await eventsOf(executionId);
    const armed = events.filter((e) => e.type === 'TimerScheduled' && e.data.kind === 'schedule_to_close');
    expect(armed).toHaveLength(1);
    const failures = events.filter((e) => e.type === 'NodeFailed');
    // Retried attempts (503: at least one, more on an idle machine), then the timeout, not retried.
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.slice(0, -1).every((e) => e.data.willRetry === true && e.data.error.code === 'http_status')).toBe(true);
    expect(failures.at(-1)!.data).toMatchObject({
      willRetry: false,
      error: { code: 'timeout', retryable: false, details: { timeout: 'schedule_to_close', timeoutMs: 1000 } },
    });
    const fired = events.find((e) => e.type === 'TimerFired' && e.data.kind === 'schedule_to_close')!;
    expect(Date.parse(fired.data.firedAt)).toBeGreaterThanOrEqual(Date.parse(armed[0].data.dueAt));
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionFailed', data: { error: { code: 'timeout' } } });
    await waitFor(async () => {
      const list = await tenant.client.get(`/api/v1/executions?workflowId=${workflowId}`);
      return list.body.items?.[0]?.errorCode === 'timeout';
    }, 'the history to show the timeout');

    // Out of range: a 400 naming the field.
    const bad = await tenant.client.post('/api/v1/workflows', {
      name: 'wf-bad-deadline',
      graph: {
        ...timed,
        nodes: [timed.nodes[0], { ...timed.nodes[1], config: { ...timed.nodes[1].config, scheduleToCloseTimeoutMs: 0 } }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'graph.nodes[1].config.scheduleToCloseTimeoutMs' })]);
  });
});
