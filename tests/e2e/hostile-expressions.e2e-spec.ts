import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant } from './api-client';

jest.setTimeout(180_000);

/** The expression that took the orchestrator down (issue 7 row 4): one `$sort` step on a 100k range. */
const HOSTILE = '$count($sort([1..100000]))';
const STOPPED = ['expression_timeout', 'expression_memory'];

/**
 * Issue 7 rows 4, 5, 8 and 9 through the gateway: expressions and input schemas cannot take the
 * orchestrator's event loop, and schemas of different workspaces never meet. For each hostile
 * request another workspace's execution completes meanwhile, and the orchestrator process is
 * still alive afterwards.
 */
describe('hostile expressions and schemas', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let mallory: ApiClient;
  let victim: ApiClient;
  let victimWorkflow: string;

  const line = (expression: string, input_schema?: object) => ({
    entry_point: 'in',
    ...(input_schema ? { input_schema } : {}),
    nodes: [
      { id: 'in', type: 'input' },
      { id: 't', type: 'transform', config: { expression } },
      { id: 'out', type: 'output', config: { value: '{{ nodes.t.output }}' } },
    ],
    edges: [
      { from: 'in', to: 't' },
      { from: 't', to: 'out' },
    ],
  });

  const finished = (client: ApiClient, executionId: string) =>
    waitFor(
      async () => {
        const res = await client.get(`/api/v1/executions/${executionId}`);
        return res.status === 200 && ['completed', 'failed'].includes(res.body.status) ? res.body : undefined;
      },
      `execution ${executionId} to finish`,
      60_000,
    );

  const orchestratorAlive = () => platform.services.get('orchestrator')!.child.exitCode === null;

  /** The victim's workspace runs a workflow to completion (started while something hostile runs). */
  const victimRuns = async (): Promise<void> => {
    const started = await victim.post(`/api/v1/workflows/${victimWorkflow}/executions`, { input: { name: 'ada' } });
    expect(started.status).toBe(202);
    const view = await finished(victim, started.body.executionId);
    expect(view).toMatchObject({ status: 'completed', output: 'ADA' });
  };

  beforeAll(async () => {
    target = await new HttpTarget().route('GET', '/data', () => ({ json: { n: 3 } })).start();
    platform = await startPlatform({ label: 'hostile-expr' });
    const api = new ApiClient(platform.baseUrl);
    [mallory, victim] = (await Promise.all([registerTenant(api, 'mallory'), registerTenant(api, 'victim')])).map((t) => t.client);
    victimWorkflow = await createWorkflow(victim, 'shout', line('$uppercase(input.name)'));
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
  });

  it('row 4: a transform $count($sort([1..100000])) fails its node; the orchestrator stays up and serves others', async () => {
    const workflowId = await createWorkflow(mallory, 'sort a range', line(HOSTILE));
    const hostile = mallory.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    await victimRuns();
    const started = await hostile;
    expect(started.status).toBe(202);
    const view = await finished(mallory, started.body.executionId);
    expect(view.status).toBe('failed');
    expect(STOPPED).toContain(view.nodes.t.error.code);
    expect(orchestratorAlive()).toBe(true);
    await victimRuns();
  });

  it('row 5: a tool node followed by row 4 fails on the results path; nothing crashes', async () => {
    const workflowId = await createWorkflow(mallory, 'fetch then sort', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'fetch', type: 'tool', config: { tool: { kind: 'http', method: 'GET', url: `${target.url}/data` } } },
        { id: 't', type: 'transform', config: { expression: HOSTILE } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.t.output }}' } },
      ],
      edges: [
        { from: 'in', to: 'fetch' },
        { from: 'fetch', to: 't' },
        { from: 't', to: 'out' },
      ],
    });
    const started = await mallory.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    expect(started.status).toBe(202);
    await victimRuns();
    const view = await finished(mallory, started.body.executionId);
    expect(view.status).toBe('failed');
    expect(view.nodes.fetch.status).toBe('succeeded');
    expect(STOPPED).toContain(view.nodes.t.error.code);
    expect(orchestratorAlive()).toBe(true);
    await victimRuns();
  });

  it('row 8: a ReDoS pattern in input_schema is matched in linear time (400), and a pattern RE2 cannot run is refused at save', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } };
    const workflowId = await createWorkflow(mallory, 'redos', line('input.name', schema));
    const hostile = mallory.post(`/api/v1/workflows/${workflowId}/executions`, { input: { name: `${'a'.repeat(28)}!` } });
    await victimRuns();
    const refused = await hostile;
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'input.name', rule: 'pattern' }] });
    const fine = await mallory.post(`/api/v1/workflows/${workflowId}/executions`, { input: { name: 'aaaa' } });
    expect(fine.status).toBe(202);

    const backreference = await mallory.post('/api/v1/workflows', {
      name: 'backreference',
      graph: line('input', { type: 'object', properties: { name: { type: 'string', pattern: '^(a)\\1$' } } }),
    });
    expect(backreference.status).toBe(400);
    expect(backreference.body.code).toBe('invalid_graph');
    expect(backreference.body.errors).toEqual([
      expect.objectContaining({ path: 'graph.input_schema.properties.name.pattern', rule: 'invalid_input_schema' }),
    ]);
    expect(orchestratorAlive()).toBe(true);
  });

  it("row 9: the same $id in two workspaces (and in a workspace's next version) and 2020-12 schemas all start", async () => {
    const order = (required: string[]) => ({ $id: 'https://example.com/schemas/order', type: 'object', required });
    const mine = await createWorkflow(mallory, 'order', line('input', order(['sku'])));
    const theirs = await createWorkflow(victim, 'order', line('input', order(['qty'])));
    expect((await mallory.post(`/api/v1/workflows/${mine}/executions`, { input: { sku: 'a' } })).status).toBe(202);
    expect((await victim.post(`/api/v1/workflows/${theirs}/executions`, { input: { qty: 1 } })).status).toBe(202);
    const refusedTheirs = await victim.post(`/api/v1/workflows/${theirs}/executions`, { input: { sku: 'a' } });
    expect(refusedTheirs.status).toBe(400);
    expect(refusedTheirs.body.errors).toEqual([expect.objectContaining({ path: 'input.qty', rule: 'required' })]);

    const v2 = await mallory.put(`/api/v1/workflows/${mine}`, { graph: line('input', order(['sku', 'qty'])) });
    expect(v2.status).toBe(200);
    expect(v2.body.version).toBe(2);
    expect((await mallory.post(`/api/v1/workflows/${mine}/executions`, { input: { sku: 'a', qty: 2 } })).status).toBe(202);
    const refusedV2 = await mallory.post(`/api/v1/workflows/${mine}/executions`, { input: { sku: 'a' } });
    expect(refusedV2.status).toBe(400);

    const modern = await createWorkflow(
      victim,
      'pair',
      line('input', {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false } },
      }),
    );
    const ok = await victim.post(`/api/v1/workflows/${modern}/executions`, { input: { pair: ['a', 1] } });
    expect(ok.status).toBe(202);
    expect(await finished(victim, ok.body.executionId)).toMatchObject({ status: 'completed', output: { pair: ['a', 1] } });
    const bad = await victim.post(`/api/v1/workflows/${modern}/executions`, { input: { pair: ['a', 1, 2] } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });
});
