import { startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from './api-client';

jest.setTimeout(120_000);

/** input -> validation (of the input, or of a template's value) -> output, through the gateway. */
const graphOf = (config: Record<string, unknown>) => ({
  entry_point: 'start',
  input_schema: { type: 'object' },
  nodes: [
    { id: 'start', type: 'input', config: {} },
    { id: 'validate_input', type: 'validation', config },
    { id: 'end', type: 'output', config: { value: '{{ nodes.validate_input.output }}' } },
  ],
  edges: [
    { from: 'start', to: 'validate_input' },
    { from: 'validate_input', to: 'end' },
  ],
});

const schema = {
  type: 'object',
  required: ['title', 'budget'],
  properties: { title: { type: 'string', minLength: 3 }, budget: { type: 'integer', minimum: 0 } },
};

describe('the validation node', () => {
  let platform: TestPlatform;
  let alice: Tenant;

  beforeAll(async () => {
    platform = await startPlatform({ label: 'validation-node' });
    alice = await registerTenant(new ApiClient(platform.baseUrl), 'validation');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const run = async (graph: object, input: unknown) => {
    const workflowId = await createWorkflow(alice.client, 'grant intake', graph);
    const started = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input });
    expect(started.status).toBe(202);
    return waitFor(
      async () => {
        const view = (await alice.client.get(`/api/v1/executions/${started.body.executionId}`)).body;
        return view.status === 'completed' || view.status === 'failed' ? view : undefined;
      },
      'the execution to finish',
      30_000,
    );
  };

  it('passes valid input on as its output', async () => {
    const view = await run(graphOf({ schema }), { title: 'Grant', budget: 10 });
    expect(view).toMatchObject({ status: 'completed', output: { title: 'Grant', budget: 10 } });
  });

  it('fails the run with every violation and its path, without retrying', async () => {
    const view = await run(graphOf({ schema }), { title: 'G' });
    expect(view.status).toBe('failed');
    expect(view.nodes.validate_input).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'validation_failed' } });
    const paths = view.nodes.validate_input.error.details.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['data.title', 'data.budget']));
  });

  it('checks config.data (a template) instead of the input when given', async () => {
    const view = await run(graphOf({ schema, data: '{{ input.application }}' }), { application: { title: 'Grant', budget: 3 } });
    expect(view).toMatchObject({ status: 'completed', output: { title: 'Grant', budget: 3 } });
  });

  it('refuses a schema that is not a JSON Schema at save, naming the node', async () => {
    const res = await alice.client.post('/api/v1/workflows', { name: 'bad', graph: graphOf({ schema: { type: 'nope' } }) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'validate_input' })]));
  });
});
