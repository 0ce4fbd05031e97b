import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { createWorkflow, registerTenant, watchExecution, ApiClient, type Tenant } from './api-client';

jest.setTimeout(180_000);

interface EventItem {
  seq: number;
  type: string;
  data: Record<string, any>;
}

/**
 * The `sub_workflow` node through the gateway: a parent runs a child workflow (an http tool
 * against a local server) as a child execution linked both ways, takes its output, retries a
 * failed child with a new one, cancels its child when cancelled, refuses other workspaces'
 * workflows, stops a self-call at the depth limit, and survives an orchestrator SIGKILL while
 * the child runs.
 */
describe('sub-workflows', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  let other: Tenant;
  const calls = new Map<string, number>();
  const count = (key: string): number => {
    const n = (calls.get(key) ?? 0) + 1;
    calls.set(key, n);
    return n;
  };

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('POST', '/echo', (req) => {
        const body = JSON.parse(req.body) as { run: string };
        count(`echo:${body.run}`);
        return { json: { echo: body.run } };
      })
      .route('POST', '/fail-once', (req) => {
        const { run } = JSON.parse(req.body) as { run: string };
        return count(`once:${run}`) === 1 ? { status: 503, json: { busy: true } } : { json: { echo: run } };
      })
      .start();
    // Builtin tool nodes cost credits here, so a child made of one needs credit to start.
    platform = await startPlatform({ label: 'subflow', env: { TOOL_PRICES_JSON: JSON.stringify({ kinds: { builtin: 1000 } }) } });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'subflow');
    other = await registerTenant(new ApiClient(platform.baseUrl), 'subflow-other');
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
  });

  /** The child: in -> call (POST `path` with `{ run }`, no retry of its own) -> out (the body). */
  const childGraph = (path: string) => ({
    entry_point: 'in',
    input_schema: { type: 'object', required: ['run'] },
    nodes: [
      { id: 'in', type: 'input' },
      {
        id: 'call',
        type: 'tool',
        config: {
          tool: { kind: 'http', method: 'POST', url: `${target.url}${path}`, body: { run: '{{ input.run }}' } },
          retry: { maxAttempts: 1 },
        },
      },
      { id: 'out', type: 'output', config: { value: '{{ nodes.call.output.body }}' } },
    ],
    edges: [
      { from: 'in', to: 'call' },
      { from: 'call', to: 'out' },
    ],
  });

  /** The parent: in -> sub (the child, input `{ run }`) -> shape (uses the child's output) -> out. */
  const parentGraph = (workflowId: string, sub: Record<string, unknown> = {}) => ({
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'sub', type: 'sub_workflow', config: { workflowId, input: { run: '{{ input.run }}' }, ...sub } },
      { id: 'shape', type: 'transform', config: { expression: '{ "fromChild": nodes.sub.output.echo }' } },
      { id: 'out', type: 'output', config: { value: '{{ nodes.shape.output }}' } },
    ],
    edges: [
      { from: 'in', to: 'sub' },
      { from: 'sub', to: 'shape' },
      { from: 'shape', to: 'out' },
    ],
  });

  const start = async (t: Tenant, workflowId: string, run: string): Promise<string> => {
    const res = await t.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run } });
    expect(res.status).toBe(202);
    return res.body.executionId as string;
  };
  const view = async (executionId: string) => (await tenant.client.get(`/api/v1/executions/${executionId}`)).body;
  const eventsOf = async (executionId: string): Promise<EventItem[]> =>
    (await tenant.client.get(`/api/v1/executions/${executionId}/events`)).body.items as EventItem[];
  const finished = (executionId: string, timeoutMs = 30_000) =>
    waitFor(
      async () => {
        const v = await view(executionId);
        return ['completed', 'failed', 'cancelled'].includes(v.status) ? v : undefined;
      },
      `execution ${executionId} finished`,
      timeoutMs,
      100,
    );

  it("runs the child as a linked execution and passes its output to the parent's next node (view, events, WebSocket)", async () => {
    const childId = await createWorkflow(tenant.client, 'child-echo', childGraph('/echo'));
    const parentId = await createWorkflow(tenant.client, 'parent-echo', parentGraph(childId));
    const executionId = await start(tenant, parentId, 'happy-1');
    const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({
      type: 'execution_complete',
      status: 'completed',
      output: { fromChild: 'happy-1' },
    });
    expect(live.messages.some((m) => m.type === 'step_start' && m.nodeId === 'sub')).toBe(true);
    expect(live.messages.find((m) => m.type === 'step_complete' && m.nodeId === 'sub')).toMatchObject({
      output: { echo: 'happy-1' },
    });

    const parent = await view(executionId);
    expect(parent.nodes.sub).toMatchObject({ status: 'succeeded', attempts: 1, output: { echo: 'happy-1' } });
    expect(parent.children).toEqual([
      expect.objectContaining({ nodeId: 'sub', attempt: 1, workflowId: childId, workflowVersion: 1, status: 'completed' }),
    ]);
    const child = await view(parent.children[0].executionId);
    expect(child).toMatchObject({
      status: 'completed',
      workflowId: childId,
      input: { run: 'happy-1' },
      output: { echo: 'happy-1' },
      parent: { executionId, nodeId: 'sub', attempt: 1, depth: 1 },
    });
    const childStarted = (await eventsOf(child.id)).find((e) => e.type === 'ExecutionStarted')!;
    expect(childStarted.data).toMatchObject({
      parentId: executionId,
      parent: { nodeId: 'sub', attempt: 1, depth: 1 },
      trigger: { type: 'sub_workflow' },
    });
    const linked = (await eventsOf(executionId)).find((e) => e.type === 'ChildExecutionStarted')!;
    expect(linked.data).toMatchObject({ nodeId: 'sub', attempt: 1, childExecutionId: child.id, workflowId: childId });
    expect(calls.get('echo:happy-1')).toBe(1);
    // The parent's socket carries the link as a generic event message.
    expect(live.messages.find((m) => m.type === 'event' && m.eventType === 'ChildExecutionStarted')).toMatchObject({
      data: { nodeId: 'sub', childExecutionId: child.id },
    });
    // The history list has the child as a run of its own, with its parent.
    const listed = await waitFor(
      async () => {
        const items = (await tenant.client.get(`/api/v1/workflows/${childId}/executions`)).body.items as any[];
        return items?.find((i) => i.id === child.id && i.status === 'completed');
      },
      'the child in the history list',
      15_000,
      100,
    );
    expect(listed).toMatchObject({ parentId: executionId, trigger: { type: 'sub_workflow' } });
  });

  it("fails the node when the child fails, and the node's retry policy runs a new child", async () => {
    const childId = await createWorkflow(tenant.client, 'child-flaky', childGraph('/fail-once'));
    const parentId = await createWorkflow(
      tenant.client,
      'parent-flaky',
      parentGraph(childId, { retry: { maxAttempts: 2, initialIntervalMs: 100 } }),
    );
    const executionId = await start(tenant, parentId, 'retry-1');
    const done = await finished(executionId);
    expect(done).toMatchObject({ status: 'completed', output: { fromChild: 'retry-1' }, nodes: { sub: { attempts: 2 } } });
    expect(done.children.map((c: any) => [c.attempt, c.status])).toEqual([
      [1, 'failed'],
      [2, 'completed'],
    ]);
    expect(done.children[0].executionId).not.toBe(done.children[1].executionId);
    const failed = (await eventsOf(executionId)).filter((e) => e.type === 'NodeFailed');
    expect(failed.map((e) => [e.data.nodeId, e.data.attempt, e.data.error.code, e.data.willRetry])).toEqual([
      ['sub', 1, 'child_failed', true],
    ]);
    expect(failed[0].data.error.details).toMatchObject({
      childExecutionId: done.children[0].executionId,
      childError: { code: 'http_status', nodeId: 'call' },
    });
    expect((await view(done.children[0].executionId)).status).toBe('failed');
  });

  it('cancelling the parent cancels its running child; both cancels are idempotent', async () => {
    const waitChildId = await createWorkflow(tenant.client, 'child-wait', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'wait', type: 'delay', config: { seconds: 60 } },
        { id: 'out', type: 'output', config: { value: '{{ input }}' } },
      ],
      edges: [
        { from: 'in', to: 'wait' },
        { from: 'wait', to: 'out' },
      ],
    });
    const parentId = await createWorkflow(tenant.client, 'parent-wait', parentGraph(waitChildId));
    const executionId = await start(tenant, parentId, 'cancel-1');
    const running = await waitFor(async () => (await view(executionId)).children?.[0], 'the child started', 15_000, 50);
    expect(running.status).toBe('running');
    const cancel = await tenant.client.post(`/api/v1/executions/${executionId}/cancel`, { reason: 'enough' });
    expect(cancel.status).toBe(200);
    const child = await waitFor(
      async () => {
        const v = await view(running.executionId);
        return v.status === 'cancelled' ? v : undefined;
      },
      'the child cancelled',
      15_000,
      50,
    );
    expect(child.cancellation).toEqual({ by: 'system', reason: 'parent execution ended' });
    const parent = await view(executionId);
    expect(parent).toMatchObject({ status: 'cancelled', nodes: { sub: { status: 'cancelled' } } });
    expect(parent.children).toEqual([expect.objectContaining({ executionId: running.executionId, status: 'cancelled' })]);
    expect((await tenant.client.post(`/api/v1/executions/${executionId}/cancel`, {})).status).toBe(200);
    expect((await tenant.client.post(`/api/v1/executions/${running.executionId}/cancel`, {})).status).toBe(200);
    // The child's end reported back into a cancelled parent: nothing more was recorded there.
    expect(
      (await eventsOf(executionId))
        .filter((e) => e.type === 'NodeFailed' || e.type === 'NodeCompleted')
        .map((e) => e.data.nodeId),
    ).toEqual(['in']);
  });

  it("refuses another workspace's workflow at save, and fails the node workflow_not_found when the child is gone", async () => {
    const foreign = await createWorkflow(other.client, 'foreign-child', childGraph('/echo'));
    const refused = await tenant.client.post('/api/v1/workflows', { name: 'parent-foreign', graph: parentGraph(foreign) });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ rule: 'unknown_workflow', path: 'graph.nodes[1].config.workflowId', nodeId: 'sub' }),
    ]);
    expect(JSON.stringify(refused.body)).not.toContain('foreign-child');

    const childId = await createWorkflow(tenant.client, 'child-deleted', childGraph('/echo'));
    const parentId = await createWorkflow(tenant.client, 'parent-deleted', parentGraph(childId));
    expect((await tenant.client.delete(`/api/v1/workflows/${childId}`)).status).toBe(204);
    const done = await finished(await start(tenant, parentId, 'gone-1'));
    expect(done).toMatchObject({
      status: 'failed',
      error: { code: 'workflow_not_found', nodeId: 'sub' },
      nodes: { sub: { attempts: 1 } },
    });
    expect(done.children).toBeUndefined();
  });

  it('fails the node insufficient_credits when the workspace has no credit for a costed child (its own price snapshot)', async () => {
    const costedChild = await createWorkflow(tenant.client, 'child-costed', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'op', type: 'tool', config: { tool: { kind: 'builtin', operation: 'noop' }, args: {} } },
        { id: 'out', type: 'output', config: { value: { echo: '{{ input.run }}' } } },
      ],
      edges: [
        { from: 'in', to: 'op' },
        { from: 'op', to: 'out' },
      ],
    });
    const parentId = await createWorkflow(tenant.client, 'parent-costed', parentGraph(costedChild));
    // The parent itself costs nothing: it starts, and its node is refused when it starts the child.
    const done = await finished(await start(tenant, parentId, 'credits-1'));
    expect(done).toMatchObject({
      status: 'failed',
      error: { code: 'insufficient_credits', nodeId: 'sub' },
      nodes: { sub: { status: 'failed', attempts: 1 } },
    });
    expect(done.children).toBeUndefined();
  });

  it('stops a workflow that calls itself at the depth limit (5)', async () => {
    const selfId = await createWorkflow(tenant.client, 'self-call', {
      entry_point: 'in',
      nodes: [{ id: 'in', type: 'input' }],
      edges: [],
    });
    const saved = await tenant.client.put(`/api/v1/workflows/${selfId}`, {
      name: 'self-call',
      graph: parentGraph(selfId, { retry: { maxAttempts: 1 } }),
    });
    expect(saved.status).toBe(200);
    const top = await finished(await start(tenant, selfId, 'deep-1'));
    expect(top).toMatchObject({ status: 'failed', error: { code: 'child_failed', nodeId: 'sub' } });
    // Follow the chain down: depth 1..5, the last one refused to start a sixth.
    let current = top;
    const depths: number[] = [];
    while (current.children?.length) {
      current = await finished(current.children[0].executionId);
      depths.push(current.parent.depth);
    }
    expect(depths).toEqual([1, 2, 3, 4, 5]);
    expect(current.error).toMatchObject({
      code: 'sub_workflow_depth_exceeded',
      nodeId: 'sub',
      details: { depth: 6, maxDepth: 5 },
    });
  });

  it('completes the parent when the orchestrator is SIGKILLed while the child runs', async () => {
    const slowChildId = await createWorkflow(tenant.client, 'child-slow', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'wait', type: 'delay', config: { seconds: 2 } },
        { id: 'out', type: 'output', config: { value: { echo: '{{ input.run }}' } } },
      ],
      edges: [
        { from: 'in', to: 'wait' },
        { from: 'wait', to: 'out' },
      ],
    });
    const parentId = await createWorkflow(tenant.client, 'parent-slow', parentGraph(slowChildId));
    const executionId = await start(tenant, parentId, 'crash-1');
    await waitFor(async () => (await view(executionId)).children?.[0], 'the child started', 15_000, 50);
    await platform.services.get('orchestrator')!.kill();
    await platform.start('orchestrator');
    const done = await finished(executionId, 60_000);
    expect(done).toMatchObject({ status: 'completed', output: { fromChild: 'crash-1' } });
    expect(done.children).toHaveLength(1);
    const events = await eventsOf(executionId);
    expect(events.filter((e) => e.type === 'NodeCompleted' && e.data.nodeId === 'sub')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'ChildExecutionStarted')).toHaveLength(1);
  });
});
