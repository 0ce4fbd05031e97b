import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { createWorkflow, registerTenant, watchExecution, ApiClient, type Tenant } from './api-client';

jest.setTimeout(120_000);

interface EventItem {
  seq: number;
  type: string;
  data: Record<string, any>;
}

/**
 * Retries, durable timers, delay nodes and attempt timeouts through the gateway, as a client sees
 * them: the REST event log and the WebSocket. The tool calls a real local HTTP server; the
 * orchestrator and tool-runner are real processes, killed with SIGKILL while a retry timer waits.
 */
describe('retry policies and durable timers', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  const counters = new Map<string, number>();
  const count = (key: string): number => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return n;
  };

  beforeAll(async () => {
    target = await new HttpTarget()
      // Fails twice (503: retryable), then answers.
      .route('POST', '/flaky', (req) =>
        count(`flaky:${JSON.parse(req.body).run}`) <= 2 ? { status: 503, json: { busy: true } } : { json: { ok: true } },
      )
      .route('POST', '/fail-once', (req) =>
        count(`once:${JSON.parse(req.body).run}`) === 1 ? { status: 503, json: { busy: true } } : { json: { ok: true } },
      )
      .route('POST', '/bad', () => ({ status: 400, json: { error: 'bad input' } }))
      // The first call of a run hangs past the attempt timeout; later ones answer at once.
      .route('POST', '/slow-once', async (req) => {
        if (count(`slow:${JSON.parse(req.body).run}`) === 1) await new Promise((r) => setTimeout(r, 2_000));
        return { json: { ok: 'second' } };
      })
      // Slower than the tool-runner's ack wait, within the attempt timeout: heartbeats keep it.
      .route('POST', '/slow', async () => {
        await new Promise((r) => setTimeout(r, 1_500));
        return { json: { ok: 'slow' } };
      })
      .start();
    platform = await startPlatform({ label: 'retry', serviceEnv: { 'tool-runner': { WORK_ACK_WAIT_MS: '500' } } });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'retry');
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
  });

  /** in -> call (http POST `path` with `{ run }`) -> out, with the call node's extra config. */
  const callGraph = (path: string, extra: Record<string, unknown>, defaults?: Record<string, unknown>) => ({
    entry_point: 'in',
    ...(defaults ? { defaults } : {}),
    nodes: [
      { id: 'in', type: 'input' },
      {
        id: 'call',
        type: 'tool',
        label: 'Call',
        config: {
          tool: { kind: 'http', method: 'POST', url: `${target.url}${path}`, body: { run: '{{ input.run }}' } },
          ...extra,
        },
      },
      { id: 'out', type: 'output', config: { value: '{{ nodes.call.output.body }}' } },
    ],
    edges: [
      { from: 'in', to: 'call' },
      { from: 'call', to: 'out' },
    ],
  });

  const start = async (graph: object, run: string): Promise<string> => {
    const workflowId = await createWorkflow(tenant.client, `wf-${run}`, graph);
    const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run } });
    expect(res.status).toBe(202);
    return res.body.executionId as string;
  };
  const eventsOf = async (executionId: string): Promise<EventItem[]> =>
    (await tenant.client.get(`/api/v1/executions/${executionId}/events`)).body.items as EventItem[];
  const ofType = (events: EventItem[], type: string, nodeId?: string): EventItem[] =>
    events.filter((e) => e.type === type && (nodeId === undefined || e.data.nodeId === nodeId));

  it('retries a failing node on its policy and completes on attempt 3 (events and WebSocket)', async () => {
    const retry = { maxAttempts: 3, initialIntervalMs: 100, backoffCoefficient: 2 };
    const executionId = await start(callGraph('/flaky', { retry }), 'flaky-1');
    const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed', output: { ok: true } });
    expect(counters.get('flaky:flaky-1')).toBe(3);

    const events = await eventsOf(executionId);
    const failed = ofType(events, 'NodeFailed', 'call');
    const retries = ofType(events, 'NodeRetryScheduled', 'call');
    expect(failed.map((e) => [e.data.attempt, e.data.willRetry, e.data.error.code])).toEqual([
      [1, true, 'http_status'],
      [2, true, 'http_status'],
    ]);
    expect(retries.map((e) => [e.data.attempt, e.data.delayMs])).toEqual([
      [2, 100],
      [3, 200],
    ]);
    for (const [i, retryEvent] of retries.entries()) {
      expect(failed[i].data.nextAttempt).toEqual({ attempt: retryEvent.data.attempt, dueAt: retryEvent.data.dueAt });
      expect(Date.parse(retryEvent.data.dueAt) - Date.parse(failed[i].data.failedAt)).toBeGreaterThanOrEqual(
        retryEvent.data.delayMs,
      );
      // The timer fired no earlier than it was due, and started the attempt it named.
      const fired = ofType(events, 'TimerFired', 'call').find((e) => e.data.timerId === retryEvent.data.timerId)!;
      expect(Date.parse(fired.data.firedAt)).toBeGreaterThanOrEqual(Date.parse(retryEvent.data.dueAt));
      const next = events[events.indexOf(fired) + 1];
      expect(next).toMatchObject({ type: 'NodeScheduled', data: { nodeId: 'call', attempt: retryEvent.data.attempt } });
    }
    expect(ofType(events, 'NodeCompleted', 'call').map((e) => e.data.attempt)).toEqual([3]);

    const wsFailed = live.messages.filter((m) => m.type === 'step_failed');
    expect(wsFailed).toEqual([
      expect.objectContaining({
        nodeId: 'call',
        attempt: 1,
        willRetry: true,
        nextAttempt: { attempt: 2, dueAt: retries[0].data.dueAt },
      }),
      expect.objectContaining({
        nodeId: 'call',
        attempt: 2,
        willRetry: true,
        nextAttempt: { attempt: 3, dueAt: retries[1].data.dueAt },
      }),
    ]);
    expect(live.messages.filter((m) => m.type === 'step_start' && m.nodeId === 'call').map((m) => m.attempt)).toEqual([1, 2, 3]);
    const view = (await tenant.client.get(`/api/v1/executions/${executionId}`)).body;
    expect(view).toMatchObject({ status: 'completed', nodes: { call: { status: 'succeeded', attempts: 3 } } });
  });

  it('fails at once on an error the tool marks non-retryable, and on a code the policy lists', async () => {
    const badRun = await start(callGraph('/bad', { retry: { initialIntervalMs: 50 } }), 'bad-1');
    const listed = await start(
      callGraph('/flaky', {}, { retry: { initialIntervalMs: 50, nonRetryableErrorCodes: ['http_status'] } }),
      'flaky-2',
    );
    for (const executionId of [badRun, listed]) {
      const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
      await live.closed;
      expect(live.messages.at(-1)).toMatchObject({
        type: 'execution_complete',
        status: 'failed',
        error: { code: 'http_status' },
      });
      expect(live.messages.filter((m) => m.type === 'step_failed')).toEqual([
        expect.not.objectContaining({ nextAttempt: expect.anything() }),
      ]);
      expect(live.messages.find((m) => m.type === 'step_failed')).toMatchObject({ willRetry: false, attempt: 1 });
      const events = await eventsOf(executionId);
      expect(ofType(events, 'NodeRetryScheduled')).toEqual([]);
    }
    expect(target.calls('/bad')).toBe(1);
    expect(counters.get('flaky:flaky-2')).toBe(1);
  });

  it('refuses an invalid retry policy or defaults with the field path', async () => {
    const badNode = await tenant.client.post('/api/v1/workflows', {
      name: 'bad retry',
      graph: callGraph('/flaky', { retry: { maxAttempts: 0 }, timeoutMs: -1 }),
    });
    expect(badNode.status).toBe(400);
    expect(badNode.headers.get('content-type')).toContain('application/problem+json');
    expect(badNode.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['graph.nodes[1].config.retry.maxAttempts', 'graph.nodes[1].config.timeoutMs'].sort(),
    );
    const badDefaults = await tenant.client.post('/api/v1/workflows', {
      name: 'bad defaults',
      graph: callGraph('/flaky', {}, { retry: { jitter: 2 } }),
    });
    expect(badDefaults.status).toBe(400);
    expect(badDefaults.body.errors).toEqual([expect.objectContaining({ path: 'graph.defaults.retry.jitter' })]);
  });

  it('times an attempt out after timeoutMs (code timeout, retried) and keeps a live slow node past the ack wait', async () => {
    const timedOut = await start(callGraph('/slow-once', { timeoutMs: 400, retry: { initialIntervalMs: 50 } }), 'slow-1');
    const live = await watchExecution(platform.wsUrl, timedOut, tenant.token);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed', output: { ok: 'second' } });
    expect(live.messages.find((m) => m.type === 'step_failed')).toMatchObject({
      attempt: 1,
      willRetry: true,
      error: { code: 'timeout', retryable: true },
      nextAttempt: { attempt: 2 },
    });

    // 1.5 s of work against a 500 ms ack wait: heartbeats keep it, the server sees one call.
    const slow = await start(callGraph('/slow', { timeoutMs: 10_000 }), 'slow-2');
    const watched = await watchExecution(platform.wsUrl, slow, tenant.token);
    await watched.closed;
    expect(watched.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed', output: { ok: 'slow' } });
    expect(target.calls('/slow')).toBe(1);
    expect(watched.messages.filter((m) => m.type === 'step_failed')).toEqual([]);
  });

  it('runs a delay node on a durable timer, passing its input through', async () => {
    const workflowId = await createWorkflow(tenant.client, 'delay', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'wait', type: 'delay', config: { seconds: 0.3 } },
        { id: 'out', type: 'output', config: { value: { waited: '{{ nodes.wait.output }}' } } },
      ],
      edges: [
        { from: 'in', to: 'wait' },
        { from: 'wait', to: 'out' },
      ],
    });
    const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run: 'delay-1' } });
    const live = await watchExecution(platform.wsUrl, res.body.executionId, tenant.token);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({
      type: 'execution_complete',
      status: 'completed',
      output: { waited: { run: 'delay-1' } },
    });
    const events = await eventsOf(res.body.executionId);
    const [scheduled] = ofType(events, 'TimerScheduled', 'wait');
    const [fired] = ofType(events, 'TimerFired', 'wait');
    const [done] = ofType(events, 'NodeCompleted', 'wait');
    expect(scheduled.data).toMatchObject({ kind: 'delay', timerId: 'delay:wait:1' });
    expect(Date.parse(scheduled.data.dueAt) - Date.parse(ofType(events, 'NodeScheduled', 'wait')[0].data.scheduledAt)).toBe(300);
    expect(Date.parse(fired.data.firedAt)).toBeGreaterThanOrEqual(Date.parse(scheduled.data.dueAt));
    expect(done.data).toMatchObject({ output: { run: 'delay-1' }, durationMs: expect.any(Number) });
    expect(done.data.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('fires a pending retry after the orchestrator and the tool-runner are SIGKILLed and restarted', async () => {
    const retry = { maxAttempts: 2, initialIntervalMs: 3_000 };
    const executionId = await start(callGraph('/fail-once', { retry }), 'crash-1');
    const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
    const retryEvent = await waitFor(
      async () => ofType(await eventsOf(executionId), 'NodeRetryScheduled', 'call')[0],
      'the retry scheduled',
    );
    expect(Date.now()).toBeLessThan(Date.parse(retryEvent.data.dueAt));
    const waiting = (await tenant.client.get(`/api/v1/executions/${executionId}`)).body;
    expect(waiting).toMatchObject({
      status: 'running',
      nodes: { call: { status: 'retry_scheduled', attempts: 1, nextAttempt: { attempt: 2, dueAt: retryEvent.data.dueAt } } },
    });

    await Promise.all([platform.services.get('orchestrator')!.kill(), platform.services.get('tool-runner')!.kill()]);
    await Promise.all([platform.start('orchestrator'), platform.start('tool-runner', { WORK_ACK_WAIT_MS: '500' })]);
    const restartedAt = Date.now();

    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed', output: { ok: true } });
    const events = await eventsOf(executionId);
    const fired = ofType(events, 'TimerFired', 'call');
    expect(fired).toHaveLength(1);
    expect(ofType(events, 'NodeCompleted', 'call')).toHaveLength(1);
    expect(ofType(events, 'ExecutionCompleted')).toHaveLength(1);
    expect(counters.get('once:crash-1')).toBe(2);
    // On time: at its due time, or (if the restart took longer) right after the restart.
    const firedAt = Date.parse(fired[0].data.firedAt);
    expect(firedAt).toBeGreaterThanOrEqual(Date.parse(retryEvent.data.dueAt));
    expect(firedAt - Math.max(Date.parse(retryEvent.data.dueAt), restartedAt)).toBeLessThan(1_000);
  });
});
