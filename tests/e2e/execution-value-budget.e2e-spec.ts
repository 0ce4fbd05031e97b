import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant } from './api-client';

jest.setTimeout(180_000);

/** The execution value budget of this platform: two 100 KB outputs fit, a third does not. */
const BUDGET = 250_000;
/** A transform that produces 100,002 bytes of JSON (a string of 100,000 `x` and its quotes). */
const PAD = '$pad("", 100000, "x")';
const CODE = 'execution_memory_budget_exceeded';

/**
 * The per-execution memory budget (issue 7, "a CPU-time and a memory budget per expression and per
 * execution"): the outputs an execution's nodes produce count toward `EXECUTION_VALUE_BUDGET_BYTES`,
 * whether the orchestrator evaluated the node inline or a tool-runner sent the result. The node
 * whose output would pass the budget fails with `execution_memory_budget_exceeded`, the nodes
 * before it keep their outputs, and another workspace's execution completes meanwhile.
 */
describe('execution value budget', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let mallory: ApiClient;
  let victim: ApiClient;
  let victimWorkflow: string;

  /** in -> n1 -> ... -> nk -> out, each node given by `config(i)` of type `type`. */
  const line = (type: string, count: number, config: (i: number) => object) => {
    const ids = Array.from({ length: count }, (_, i) => `n${i + 1}`);
    const chain = ['in', ...ids, 'out'];
    return {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        ...ids.map((id, i) => ({ id, type, config: config(i) })),
        { id: 'out', type: 'output', config: { value: '{{ $length(nodes.n1.output) }}' } },
      ],
      edges: chain.slice(1).map((to, i) => ({ from: chain[i], to })),
    };
  };

  const finished = (client: ApiClient, executionId: string) =>
    waitFor(
      async () => {
        const res = await client.get(`/api/v1/executions/${executionId}`);
        return res.status === 200 && ['completed', 'failed'].includes(res.body.status) ? res.body : undefined;
      },
      `execution ${executionId} to finish`,
      60_000,
    );

  const start = async (client: ApiClient, workflowId: string, input: unknown = {}): Promise<string> => {
    const started = await client.post(`/api/v1/workflows/${workflowId}/executions`, { input });
    expect(started.status).toBe(202);
    return started.body.executionId as string;
  };

  /** The recorded `NodeCompleted` sizes of an execution, by node. */
  const recordedSizes = async (client: ApiClient, executionId: string): Promise<Record<string, unknown>> => {
    const res = await client.get(`/api/v1/executions/${executionId}/events`);
    expect(res.status).toBe(200);
    const completed = (res.body.items as Array<{ type: string; data: { nodeId: string; outputBytes?: number } }>).filter(
      (e) => e.type === 'NodeCompleted',
    );
    return Object.fromEntries(completed.map((e) => [e.data.nodeId, e.data.outputBytes]));
  };

  const expectRefusedOn = (view: any, nodeId: string) => {
    expect(view.status).toBe('failed');
    expect(view.nodes[nodeId].status).toBe('failed');
    expect(view.nodes[nodeId].error).toMatchObject({ code: CODE, retryable: false });
    expect(view.nodes[nodeId].error.message).toContain(`node '${nodeId}'`);
    expect(view.nodes[nodeId].error.message).toContain(`value budget of ${BUDGET} bytes (EXECUTION_VALUE_BUDGET_BYTES)`);
    expect(view.error).toMatchObject({ code: CODE, nodeId });
    expect(platform.services.get('orchestrator')!.child.exitCode).toBeNull();
  };

  /** The victim's workspace runs a small workflow to completion. */
  const victimRuns = async (): Promise<void> => {
    const view = await finished(victim, await start(victim, victimWorkflow, { name: 'ada' }));
    expect(view).toMatchObject({ status: 'completed', output: 'ADA' });
  };

  beforeAll(async () => {
    target = await new HttpTarget().route('GET', '/hundred-kb', () => ({ json: { data: 'y'.repeat(100_000) } })).start();
    platform = await startPlatform({
      label: 'value-budget',
      serviceEnv: { orchestrator: { EXECUTION_VALUE_BUDGET_BYTES: String(BUDGET) } },
    });
    const api = new ApiClient(platform.baseUrl);
    [mallory, victim] = (await Promise.all([registerTenant(api, 'mallory'), registerTenant(api, 'victim')])).map((t) => t.client);
    victimWorkflow = await createWorkflow(victim, 'shout', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 't', type: 'transform', config: { expression: '$uppercase(input.name)' } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.t.output }}' } },
      ],
      edges: [
        { from: 'in', to: 't' },
        { from: 't', to: 'out' },
      ],
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
  });

  it('fails the inline transform whose output would pass the budget; the ones before it succeeded', async () => {
    const workflowId = await createWorkflow(
      mallory,
      'pad four times',
      line('transform', 4, () => ({ expression: PAD })),
    );
    const executionId = await start(mallory, workflowId);
    await victimRuns();
    const view = await finished(mallory, executionId);
    // input {} is 2 bytes; n1 and n2 take the execution to 200,006; n3 would take it to 300,008.
    expect(view.nodes.n1.status).toBe('succeeded');
    expect(view.nodes.n2.status).toBe('succeeded');
    expectRefusedOn(view, 'n3');
    expect(view.nodes.n3.error.details).toEqual({ budgetBytes: BUDGET, usedBytes: 200_006, outputBytes: 100_002 });
    expect(view.nodes.n4.status).toBe('pending');
    expect(await recordedSizes(mallory, executionId)).toEqual({ in: 2, n1: 100_002, n2: 100_002 });
    await victimRuns();
    // The budget is per execution: the same workspace's next run, within it, completes.
    const within = await createWorkflow(
      mallory,
      'pad twice',
      line('transform', 2, () => ({ expression: PAD })),
    );
    expect(await finished(mallory, await start(mallory, within))).toMatchObject({ status: 'completed', output: 100_000 });
  });

  it('fails the tool node whose result would pass the budget (results from the tool-runner count too)', async () => {
    const workflowId = await createWorkflow(
      mallory,
      'fetch three times',
      line('tool', 3, () => ({ tool: { kind: 'http', method: 'GET', url: `${target.url}/hundred-kb` } })),
    );
    const executionId = await start(mallory, workflowId);
    const view = await finished(mallory, executionId);
    expect(view.nodes.n1.status).toBe('succeeded');
    expect(view.nodes.n2.status).toBe('succeeded');
    expectRefusedOn(view, 'n3');
    const sizes = await recordedSizes(mallory, executionId);
    expect(Object.keys(sizes)).toEqual(['in', 'n1', 'n2']);
    expect(sizes.n1).toBeGreaterThan(100_000);
    await victimRuns();
  });
});
