import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { namespaceOf, subject } from '@flowstack/contracts';
import {
  FakeLlmServer,
  HttpTarget,
  TEST_NATS_URL,
  fakeReply,
  startPlatform,
  waitFor,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, createWorkflow, grantCredits, registerTenant, watchExecution, type Tenant } from './api-client';

jest.setTimeout(180_000);

interface EventItem {
  seq: number;
  type: string;
  data: Record<string, any>;
}

/**
 * `agent_call` nodes end to end through the gateway: real processes, the real Anthropic and OpenAI
 * SDKs in the tool-runner pointed at local fake vendor servers (an agent's `baseUrl`), a sealed
 * credential opened by the tool-runner, a linked http tool on a local server, token chunks over
 * the WebSocket, provider errors under the retry policy, cancel, tenancy and the secret's absence
 * from every event.
 */
describe('agent_call nodes', () => {
  const MARKER = `sk-agentcall-marker-${randomUUID()}`;
  let platform: TestPlatform;
  let alice: Tenant;
  let bob: Tenant;
  let openai: FakeLlmServer;
  let anthropic: FakeLlmServer;
  let slow: FakeLlmServer;
  let target: HttpTarget;
  let nc: NatsConnection;
  const published: string[] = [];
  const executions: string[] = [];
  let credentialId: string;

  beforeAll(async () => {
    openai = await new FakeLlmServer('openai').start();
    anthropic = await new FakeLlmServer('anthropic').start();
    slow = await new FakeLlmServer('openai', { tokensPerSecond: 20 }).start();
    target = await new HttpTarget()
      .route('POST', '/weather', (req) => ({ json: { city: JSON.parse(req.body).city, sky: 'sunny', celsius: 21 } }))
      .start();
    platform = await startPlatform({ label: 'agentcall' });
    nc = await connect({ servers: TEST_NATS_URL });
    const events = nc.subscribe(subject(namespaceOf(platform.env.FLOWSTACK_NS), 'events.>'));
    void (async () => {
      for await (const m of events) published.push(m.string());
    })();
    const api = new ApiClient(platform.baseUrl);
    alice = await registerTenant(api, 'agent-alice');
    bob = await registerTenant(api, 'agent-bob');
    // Agents cost credits: runs need a balance to start and to hold each attempt's maximum.
    await grantCredits(alice.client, 100_000_000);
    const created = await alice.client.post('/api/v1/credentials', { name: 'llm_key', kind: 'api_key', value: MARKER });
    expect(created.status).toBe(201);
    credentialId = created.body.id;
  });

  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
    await Promise.all([openai?.stop(), anthropic?.stop(), slow?.stop(), target?.stop()]);
  });

  const createAgent = async (fields: Record<string, unknown>): Promise<string> => {
    const res = await alice.client.post('/api/v1/agents', { name: `agent-${randomUUID()}`, credentialId, ...fields });
    if (res.status !== 201) throw new Error(`agent create answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id;
  };

  /** in -> ask (agent_call) -> out (the agent's output). */
  const agentGraph = (agentId: string, extra: Record<string, unknown> = {}, defaults?: Record<string, unknown>) => ({
    entry_point: 'in',
    ...(defaults ? { defaults } : {}),
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'ask', type: 'agent_call', label: 'Ask', config: { agentId, prompt: 'Tell me about {{ input.topic }}.', ...extra } },
      { id: 'out', type: 'output', config: { value: '{{ nodes.ask.output }}' } },
    ],
    edges: [
      { from: 'in', to: 'ask' },
      { from: 'ask', to: 'out' },
    ],
  });

  const start = async (graph: object, topic: string): Promise<string> => {
    const workflowId = await createWorkflow(alice.client, `wf-${randomUUID()}`, graph);
    const res = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { topic } });
    expect(res.status).toBe(202);
    executions.push(res.body.executionId);
    return res.body.executionId as string;
  };
  const finished = (executionId: string) =>
    waitFor(
      async () => {
        const view = (await alice.client.get(`/api/v1/executions/${executionId}`)).body;
        return ['completed', 'failed', 'cancelled'].includes(view.status) ? view : undefined;
      },
      `execution ${executionId} to finish`,
      60_000,
      50,
    );
  const eventsOf = async (executionId: string): Promise<EventItem[]> =>
    (await alice.client.get(`/api/v1/executions/${executionId}/events?limit=500`)).body.items as EventItem[];

  it('runs an OpenAI agent: the rendered prompt goes out with the key, the text, usage and cost come back', async () => {
    const agentId = await createAgent({
      provider: 'openai',
      model: 'gpt-4o-mini',
      systemPrompt: 'Be brief.',
      baseUrl: openai.baseUrl,
      costPerRun: 1000,
    });
    openai.enqueue(fakeReply.text('Grants fund research.', { inputTokens: 100, outputTokens: 20 }));
    const executionId = await start(agentGraph(agentId), 'grants');
    const view = await finished(executionId);
    // gpt-4o-mini: 100 x 0.15 + 20 x 0.6 micro-credits per token = 27, plus costPerRun 1000.
    const expectedOutput = {
      text: 'Grants fund research.',
      usage: { inputTokens: 100, outputTokens: 20, model: 'gpt-4o-mini' },
      cost: 1027,
      steps: 1,
    };
    expect(view).toMatchObject({ status: 'completed', output: expectedOutput, totalCost: 1027 });
    expect(view.nodes.ask).toMatchObject({ status: 'succeeded', attempts: 1, output: expectedOutput });

    const request = openai.requests.at(-1)!;
    expect(request.headers.authorization).toBe(`Bearer ${MARKER}`);
    expect(request.body.model).toBe('gpt-4o-mini');
    expect(request.body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Tell me about grants.' },
    ]);
    const completed = (await eventsOf(executionId)).find((e) => e.type === 'NodeCompleted' && e.data.nodeId === 'ask')!;
    expect(completed.data).toMatchObject({ cost: 1027, usage: { inputTokens: 100, outputTokens: 20, model: 'gpt-4o-mini' } });
  });

  it('runs an Anthropic agent that calls a linked http tool, streaming chunks before step_complete', async () => {
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Get Weather',
      description: 'The weather in a city',
      kind: 'http',
      config: { url: `${target.url}/weather`, method: 'POST', body: { city: '{{ args.city }}' } },
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    });
    expect(tool.status).toBe(201);
    const agentId = await createAgent({ provider: 'anthropic', model: 'claude-haiku-4-5', baseUrl: anthropic.baseUrl });
    expect((await alice.client.post(`/api/v1/agents/${agentId}/tools`, { toolId: tool.body.id })).status).toBe(201);
    anthropic.enqueue(
      fakeReply.toolCalls([{ id: 'toolu_1', name: tool.body.modelName, arguments: { city: 'Oslo' } }], {
        inputTokens: 50,
        outputTokens: 10,
      }),
      fakeReply.text('It is sunny in Oslo, 21 degrees, a fine day for a walk by the fjord.', {
        inputTokens: 80,
        outputTokens: 30,
      }),
    );
    anthropic.setTokensPerSecond(50);
    const executionId = await start(agentGraph(agentId), 'the weather in Oslo');
    const live = await watchExecution(platform.wsUrl, executionId, alice.token);
    await live.closed;
    anthropic.setTokensPerSecond(undefined);

    const view = (await alice.client.get(`/api/v1/executions/${executionId}`)).body;
    expect(view.status).toBe('completed');
    // claude-haiku-4-5: 1 and 5 micro-credits per token: (50 + 80) x 1 + (10 + 30) x 5.
    expect(view.output).toMatchObject({
      text: 'It is sunny in Oslo, 21 degrees, a fine day for a walk by the fjord.',
      usage: { inputTokens: 130, outputTokens: 40, model: 'claude-haiku-4-5' },
      cost: 330,
      steps: 2,
    });
    expect(target.received.filter((r) => r.path === '/weather').map((r) => JSON.parse(r.body))).toEqual([{ city: 'Oslo' }]);
    const second = anthropic.requests.at(-1)!;
    // This SDK version sends the key as a bearer token; older ones sent `x-api-key`.
    expect(anthropic.requests.map((r) => r.headers['x-api-key'] ?? r.headers.authorization)).toEqual([
      expect.stringContaining(MARKER),
      expect.stringContaining(MARKER),
    ]);
    expect(second.body.tools).toEqual([expect.objectContaining({ name: tool.body.modelName })]);
    const toolResult = second.body.messages.at(-1).content[0];
    expect(toolResult).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_1' });
    expect(JSON.stringify(toolResult.content)).toContain('sunny');

    const chunks = live.messages.filter((m) => m.type === 'agent_streaming');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((m) => m.nodeId === 'ask' && typeof m.chunk === 'string' && m.seq === undefined)).toBe(true);
    expect(chunks.map((m) => m.chunk).join('')).toBe('It is sunny in Oslo, 21 degrees, a fine day for a walk by the fjord.');
    const stepComplete = live.messages.findIndex((m) => m.type === 'step_complete' && m.nodeId === 'ask');
    expect(stepComplete).toBeGreaterThan(live.messages.lastIndexOf(chunks.at(-1)));
  });

  it('runs an agent with the longest system prompt: its linked tools still reach the provider', async () => {
    // 200,000 three-byte characters: too large to share the runtime's one message with its tools.
    const agentId = await createAgent({
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: openai.baseUrl,
      systemPrompt: '界'.repeat(200_000),
    });
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Echo',
      kind: 'builtin',
      config: { operation: 'noop' },
    });
    expect(tool.status).toBe(201);
    expect((await alice.client.post(`/api/v1/agents/${agentId}/tools`, { toolId: tool.body.id })).status).toBe(201);
    openai.enqueue(fakeReply.text('Done.', { inputTokens: 10, outputTokens: 2 }));
    const view = await finished(await start(agentGraph(agentId), 'size'));
    expect(view).toMatchObject({ status: 'completed', output: { text: 'Done.' } });
    const request = openai.requests.at(-1)!;
    expect(request.body.messages[0].content).toHaveLength(200_000);
    expect(request.body.tools).toEqual([
      expect.objectContaining({ function: expect.objectContaining({ name: tool.body.modelName }) }),
    ]);
  });

  it('parses the answer as JSON against outputSchema (output.json), and fails invalid_output otherwise', async () => {
    const agentId = await createAgent({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: openai.baseUrl });
    const outputSchema = { type: 'object', properties: { eligible: { type: 'boolean' } }, required: ['eligible'] };
    openai.enqueue(fakeReply.text('```json\n{"eligible": true}\n```'), fakeReply.text('{"eligible": "maybe"}'));
    const good = await finished(await start(agentGraph(agentId, { outputSchema }), 'json'));
    expect(good.output).toMatchObject({ json: { eligible: true }, usage: { model: 'gpt-4o-mini' } });
    expect(good.output).not.toHaveProperty('text');
    const bad = await finished(await start(agentGraph(agentId, { outputSchema, retry: { maxAttempts: 1 } }), 'json'));
    expect(bad.nodes.ask.error).toMatchObject({ code: 'invalid_output' });
  });

  it('fails the node with provider_auth_failed on a 401, without retrying', async () => {
    const agentId = await createAgent({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: openai.baseUrl });
    const before = openai.requests.length;
    openai.enqueue(fakeReply.unauthorized());
    const executionId = await start(agentGraph(agentId, { retry: { maxAttempts: 3, initialIntervalMs: 50 } }), 'x');
    const view = await finished(executionId);
    expect(view.status).toBe('failed');
    expect(view.nodes.ask).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'provider_auth_failed' } });
    expect(openai.requests.length - before).toBe(1);
    const failed = (await eventsOf(executionId)).find((e) => e.type === 'NodeFailed')!;
    expect(failed.data).toMatchObject({ willRetry: false, error: { code: 'provider_auth_failed', retryable: false } });
  });

  it('retries a 500 on the node policy and completes on the next attempt', async () => {
    const agentId = await createAgent({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: openai.baseUrl });
    openai.enqueue(fakeReply.serverError(500), fakeReply.text('second time lucky', { inputTokens: 10, outputTokens: 3 }));
    const executionId = await start(agentGraph(agentId, { retry: { maxAttempts: 3, initialIntervalMs: 50 } }), 'y');
    const view = await finished(executionId);
    expect(view).toMatchObject({ status: 'completed', output: { text: 'second time lucky' } });
    expect(view.nodes.ask.attempts).toBe(2);
    const failed = (await eventsOf(executionId)).filter((e) => e.type === 'NodeFailed');
    expect(failed.map((e) => [e.data.attempt, e.data.willRetry, e.data.error.code, e.data.error.retryable])).toEqual([
      [1, true, 'provider_unavailable', true],
    ]);
  });

  it('carries retryAfter of a 429 in the failure, and the retry waits for it', async () => {
    const agentId = await createAgent({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: openai.baseUrl });
    openai.enqueue(fakeReply.rateLimited(7));
    const once = await finished(await start(agentGraph(agentId, { retry: { maxAttempts: 1 } }), 'z'));
    expect(once.nodes.ask.error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      details: { retryAfter: 7, status: 429 },
    });

    openai.enqueue(fakeReply.rateLimited(1), fakeReply.text('after the wait'));
    const executionId = await start(agentGraph(agentId, { retry: { maxAttempts: 2, initialIntervalMs: 10 } }), 'z2');
    expect(await finished(executionId)).toMatchObject({ status: 'completed', output: { text: 'after the wait' } });
    const retry = (await eventsOf(executionId)).find((e) => e.type === 'NodeRetryScheduled')!;
    expect(retry.data).toMatchObject({ attempt: 2, delayMs: 1_000 });
  });

  it('cancel during a slow stream closes the connection to the provider', async () => {
    const agentId = await createAgent({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: slow.baseUrl });
    slow.enqueue(fakeReply.text(Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ')));
    const before = slow.requests.length;
    const executionId = await start(agentGraph(agentId), 'slowly');
    const request = await waitFor(() => slow.requests[before], 'the provider call', 30_000);
    expect((await alice.client.post(`/api/v1/executions/${executionId}/cancel`, {})).status).toBeLessThan(300);
    await waitFor(() => request.closedEarly, 'the provider connection to close', 10_000);
    expect(request.completed).toBe(false);
    expect((await finished(executionId)).status).toBe('cancelled');
  });

  it("refuses another workspace's credential, and keeps a credential an agent uses", async () => {
    const bobs = await bob.client.post('/api/v1/credentials', { name: 'bob_key', kind: 'api_key', value: 'sk-bob' });
    expect(bobs.status).toBe(201);
    const refused = await alice.client.post('/api/v1/agents', {
      name: 'thief',
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: openai.baseUrl,
      credentialId: bobs.body.id,
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('credentialId');

    // A credential an agent uses cannot be deleted, so an agent never points at a missing one.
    const temp = await alice.client.post('/api/v1/credentials', {
      name: `temp_${Date.now()}`,
      kind: 'api_key',
      value: 'sk-temp',
    });
    await createAgent({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: openai.baseUrl, credentialId: temp.body.id });
    expect((await alice.client.call('DELETE', `/api/v1/credentials/${temp.body.id}`)).status).toBe(409);
  });

  it('fails an openai agent without a credential with credential_missing, before any call', async () => {
    const res = await alice.client.post('/api/v1/agents', {
      name: 'keyless',
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: openai.baseUrl,
    });
    expect(res.status).toBe(201);
    const before = openai.requests.length;
    const view = await finished(await start(agentGraph(res.body.id), 'nothing'));
    expect(view.nodes.ask).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'credential_missing' } });
    expect(openai.requests.length).toBe(before);
  });

  it('refuses an agent_call whose agent is in another workspace when the workflow is saved', async () => {
    const res = await bob.client.post('/api/v1/agents', {
      name: 'bobs',
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: openai.baseUrl,
    });
    expect(res.status).toBe(201);
    const saved = await alice.client.post('/api/v1/workflows', { name: `wf-${randomUUID()}`, graph: agentGraph(res.body.id) });
    expect(saved.status).toBe(400);
    expect(JSON.stringify(saved.body)).toContain('agentId');
  });

  it('refuses a provider on a private address unless TOOL_HTTP_ALLOW_PRIVATE is set', async () => {
    const agentId = await createAgent({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: openai.baseUrl });
    await platform.services.get('tool-runner')!.stop();
    await platform.start('tool-runner', { TOOL_HTTP_ALLOW_PRIVATE: 'false' });
    const before = openai.requests.length;
    const view = await finished(await start(agentGraph(agentId), 'private'));
    expect(view.nodes.ask).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'address_not_allowed', message: expect.stringContaining('TOOL_HTTP_ALLOW_PRIVATE') },
    });
    expect(openai.requests.length).toBe(before);
  });

  it('never writes the secret into an event', async () => {
    expect(executions.length).toBeGreaterThan(3);
    for (const executionId of executions) expect(JSON.stringify(await eventsOf(executionId))).not.toContain(MARKER);
    expect(published.length).toBeGreaterThan(0);
    expect(published.join('\n')).not.toContain(MARKER);
  });
});
