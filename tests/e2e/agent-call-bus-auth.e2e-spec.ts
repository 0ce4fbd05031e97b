import { randomUUID } from 'node:crypto';
import { namespaceOf } from '@flowstack/contracts';
import {
  FakeLlmServer,
  fakeReply,
  startAuthNatsServer,
  startPlatform,
  type AuthNatsServer,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, createWorkflow, grantCredits, registerTenant, watchExecution } from './api-client';

jest.setTimeout(120_000);

/**
 * An agent_call node under the per-service NATS permissions (`busPermissions`): the tool-runner
 * reads the agent, its tools and its sealed credential from the registry and publishes token
 * chunks, records its turns through the orchestrator; the gateway subscribes to the chunks and
 * starts an agent invoke; nothing is refused on the way.
 */
describe('agent_call under the bus permissions', () => {
  const ns = namespaceOf(`agentauth_${randomUUID().slice(0, 8)}`);
  let nats: AuthNatsServer;
  let platform: TestPlatform;
  let fake: FakeLlmServer;

  beforeAll(async () => {
    fake = await new FakeLlmServer('openai', { tokensPerSecond: 100 }).start();
    nats = await startAuthNatsServer(ns);
    try {
      platform = await startPlatform({
        label: 'agentauth',
        env: { NATS_URL: nats.url, FLOWSTACK_NS: ns.prefix },
        serviceEnv: nats.serviceEnv,
      });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nnats-server:\n${nats.output()}`);
    }
  });

  afterAll(async () => {
    await platform?.stop();
    await nats?.stop();
    await fake?.stop();
  });

  it('runs an agent with a credential and a linked tool, streaming to a socket, with no violation', async () => {
    const tenant = await registerTenant(new ApiClient(platform.baseUrl), 'agentauth');
    // A priced model: the start checks the balance and the node holds credits (billing under the permissions too).
    await grantCredits(tenant.client, 1_000_000);
    const credential = await tenant.client.post('/api/v1/credentials', { name: 'key', kind: 'api_key', value: 'sk-auth' });
    expect(credential.status).toBe(201);
    const agent = await tenant.client.post('/api/v1/agents', {
      name: 'streamer',
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: fake.baseUrl,
      credentialId: credential.body.id,
    });
    expect(agent.status).toBe(201);
    const tool = await tenant.client.post('/api/v1/tools', {
      name: 'noop',
      kind: 'builtin',
      config: { operation: 'noop' },
      inputSchema: { type: 'object' },
    });
    expect(tool.status).toBe(201);
    expect((await tenant.client.post(`/api/v1/agents/${agent.body.id}/tools`, { toolId: tool.body.id })).status).toBe(201);
    fake.enqueue(
      fakeReply.toolCalls([{ name: tool.body.modelName, arguments: { ping: 1 } }]),
      fakeReply.text('one two three four five six seven eight'),
    );
    const workflowId = await createWorkflow(tenant.client, 'agent', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'ask', type: 'agent_call', config: { agentId: agent.body.id, prompt: 'Say {{ input.n }} words' } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.ask.output.text }}' } },
      ],
      edges: [
        { from: 'in', to: 'ask' },
        { from: 'ask', to: 'out' },
      ],
    });
    const started = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { n: 8 } });
    expect(started.status).toBe(202);
    const live = await watchExecution(platform.wsUrl, started.body.executionId, tenant.token);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({
      type: 'execution_complete',
      status: 'completed',
      output: 'one two three four five six seven eight',
    });
    expect(live.messages.some((m) => m.type === 'agent_streaming' && m.nodeId === 'ask')).toBe(true);
    // The durable loop's records went through the orchestrator (orchestrator.agent.*).
    const events = (await tenant.client.get(`/api/v1/executions/${started.body.executionId}/events`)).body.items as Array<{
      type: string;
    }>;
    expect(events.filter((e) => e.type === 'AgentTurnCompleted')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'AgentToolCalled')).toHaveLength(1);

    // An invoke: gateway -> orchestrator.agent.invoke, and the same runner path.
    fake.enqueue(fakeReply.text('invoked'));
    const invoked = await tenant.client.post(`/api/v1/agents/${agent.body.id}/invoke`, {
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(invoked.status).toBe(200);
    expect(invoked.body).toMatchObject({ status: 'completed', message: { content: 'invoked' } });
    expect(nats.output()).not.toMatch(/Violation/);
    for (const service of platform.services.values()) expect(service.output()).not.toMatch(/Permissions Violation/);
  });
  it('runs a python tool node with a secret, its settings read and its log lines streamed, with no violation', async () => {
    const tenant = await registerTenant(new ApiClient(platform.baseUrl), 'sandboxauth');
    expect(
      (await tenant.client.post('/api/v1/credentials', { name: 'token', kind: 'api_key', value: 'sk-sandbox-auth' })).status,
    ).toBe(201);
    const enabled = await tenant.client.put(`/api/v1/workspaces/${tenant.workspaceId}/settings`, {
      sandboxedTools: { python: true },
    });
    expect(enabled.status).toBe(200);
    const workflowId = await createWorkflow(tenant.client, 'python', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        {
          id: 'py',
          type: 'tool',
          config: {
            tool: {
              kind: 'python',
              code: 'import os\nprint("hello", args["n"])\nresult = len(os.environ["TOKEN"])',
              env: { TOKEN: '{{ secrets.token }}' },
            },
            args: { n: '{{ input.n }}' },
          },
        },
      ],
      edges: [{ from: 'in', to: 'py' }],
    });
    const started = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { n: 3 } });
    const live = await watchExecution(platform.wsUrl, started.body.executionId, tenant.token);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed' });
    const view = (await tenant.client.get(`/api/v1/executions/${started.body.executionId}`)).body;
    expect(view.nodes.py.output.result).toBe('sk-sandbox-auth'.length);
    expect(live.messages).toContainEqual({ type: 'log', nodeId: 'py', stream: 'stdout', line: 'hello 3' });
    expect(nats.output()).not.toMatch(/Violation/);
    for (const service of platform.services.values()) expect(service.output()).not.toMatch(/Permissions Violation/);
  });
});
