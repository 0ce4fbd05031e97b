import { randomUUID } from 'node:crypto';
import { FakeLlmServer, fakeReply, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, grantCredits, createWorkflow, registerTenant, type Tenant } from './api-client';

jest.setTimeout(180_000);

interface EventItem {
  seq: number;
  type: string;
  data: Record<string, any>;
}

// gpt-4o-mini: 0.15 micro-credits per input token, 0.6 per output token.
const priceOf = (inputTokens: number, outputTokens: number): number => Math.round(inputTokens * 0.15 + outputTokens * 0.6);

/**
 * The durable agent loop end to end: each LLM turn and tool call lands in the execution's log as
 * `AgentTurnCompleted` / `AgentToolCalled` (through the orchestrator), a tool-runner SIGKILLed in
 * the middle of a loop resumes on redelivery without sending (or paying for) the recorded turns
 * again, a retried attempt resumes the conversation of the failed one, and failed attempts carry
 * what they spent.
 */
describe('durable agent loop', () => {
  const RUNNER_ENV = { WORK_ACK_WAIT_MS: '1500' };
  let platform: TestPlatform;
  let alice: Tenant;
  let openai: FakeLlmServer;
  let credentialId: string;
  let toolName: string;
  let toolId: string;

  beforeAll(async () => {
    openai = await new FakeLlmServer('openai').start();
    platform = await startPlatform({ label: 'agentdurable', serviceEnv: { 'tool-runner': RUNNER_ENV } });
    const api = new ApiClient(platform.baseUrl);
    alice = await registerTenant(api, 'durable-alice');
    // Agent nodes cost credits: the workspace needs some to run them.
    await grantCredits(alice.client, 100_000_000);
    const credential = await alice.client.post('/api/v1/credentials', { name: 'llm_key', kind: 'api_key', value: 'sk-durable' });
    expect(credential.status).toBe(201);
    credentialId = credential.body.id;
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Echo',
      description: 'Answers its arguments',
      kind: 'builtin',
      config: { operation: 'noop' },
      inputSchema: { type: 'object', properties: { n: { type: 'number' } } },
    });
    expect(tool.status).toBe(201);
    toolName = tool.body.modelName;
    toolId = tool.body.id;
  });

  afterAll(async () => {
    await platform?.stop();
    await openai?.stop();
  });

  const createAgent = async (fields: Record<string, unknown> = {}): Promise<string> => {
    const res = await alice.client.post('/api/v1/agents', {
      name: `agent-${randomUUID()}`,
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: openai.baseUrl,
      credentialId,
      ...fields,
    });
    if (res.status !== 201) throw new Error(`agent create answered ${res.status}: ${JSON.stringify(res.body)}`);
    expect((await alice.client.post(`/api/v1/agents/${res.body.id}/tools`, { toolId })).status).toBe(201);
    return res.body.id;
  };
  const start = async (agentId: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const workflowId = await createWorkflow(alice.client, `wf-${randomUUID()}`, {
      entry_point: 'ask',
      nodes: [{ id: 'ask', type: 'agent_call', config: { agentId, prompt: 'Count with the tool.', ...extra } }],
      edges: [],
    });
    const res = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    expect(res.status).toBe(202);
    return res.body.executionId as string;
  };
  const eventsOf = async (executionId: string): Promise<EventItem[]> =>
    (await alice.client.get(`/api/v1/executions/${executionId}/events?limit=500`)).body.items as EventItem[];
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
  const call = (n: number) => ({ id: `call_${n}`, name: toolName, arguments: { n } });

  it('records every turn and tool call, and resumes after a SIGKILL without repeating or re-paying turns', async () => {
    const agentId = await createAgent({ costPerRun: 1000 });
    const before = openai.requests.length;
    openai.holdWhenEmpty(true);
    openai.enqueue(
      fakeReply.toolCalls([call(1)], { inputTokens: 100, outputTokens: 10 }),
      fakeReply.toolCalls([call(2)], { inputTokens: 200, outputTokens: 10 }),
    );
    const executionId = await start(agentId);

    // Two turns and their tool calls recorded, the third turn held in flight at the provider.
    await waitFor(() => openai.requests.length - before === 3 && openai.heldRequests === 1, 'the third turn to be held', 30_000);
    const recorded = await waitFor(
      async () => {
        const events = await eventsOf(executionId);
        const turns = events.filter((e) => e.type === 'AgentTurnCompleted');
        const calls = events.filter((e) => e.type === 'AgentToolCalled');
        return turns.length === 2 && calls.length === 2 ? { turns, calls } : undefined;
      },
      'two recorded turns and tool calls',
      30_000,
    );
    expect(recorded.turns.map((e) => [e.data.step, e.data.attempt, e.data.cost, e.data.usage.inputTokens])).toEqual([
      [1, 1, priceOf(100, 10), 100],
      [2, 1, priceOf(200, 10), 200],
    ]);
    expect(recorded.turns[0].data.message).toEqual({
      role: 'assistant',
      text: '',
      toolCalls: [{ id: 'call_1', name: toolName, arguments: { n: 1 } }],
    });
    expect(recorded.calls.map((e) => [e.data.step, e.data.toolCallId, e.data.tool, e.data.arguments, e.data.result])).toEqual([
      [1, 'call_1', toolName, { n: 1 }, { n: 1 }],
      [2, 'call_2', toolName, { n: 2 }, { n: 2 }],
    ]);
    expect(typeof recorded.calls[0].data.durationMs).toBe('number');

    await platform.services.get('tool-runner')!.kill();
    await waitFor(() => openai.heldRequests === 0, 'the killed runner to drop its held call', 10_000);
    openai.holdWhenEmpty(false);
    openai.enqueue(fakeReply.text('Counted to two.', { inputTokens: 300, outputTokens: 20 }));
    const afterKill = openai.requests.length;
    await platform.start('tool-runner', RUNNER_ENV);

    const view = await finished(executionId);
    expect(view.status).toBe('completed');
    // After the restart the provider saw exactly one call: the third turn, with turns 1 and 2 as history.
    const resumed = openai.requests.slice(afterKill);
    expect(resumed).toHaveLength(1);
    const messages = resumed[0].body.messages as Array<{ role: string; tool_calls?: Array<{ id: string }> }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(messages.filter((m) => m.role === 'assistant').map((m) => m.tool_calls?.[0]?.id)).toEqual(['call_1', 'call_2']);

    const events = await eventsOf(executionId);
    const turns = events.filter((e) => e.type === 'AgentTurnCompleted');
    expect(turns.map((e) => e.data.step)).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === 'AgentToolCalled')).toHaveLength(2);
    const completed = events.filter((e) => e.type === 'NodeCompleted');
    expect(completed).toHaveLength(1);
    // Every turn counted once: the two recorded before the kill and the one after, plus costPerRun.
    const tokens = priceOf(100, 10) + priceOf(200, 10) + priceOf(300, 20);
    expect(turns.reduce((sum, e) => sum + e.data.cost, 0)).toBe(tokens);
    expect(completed[0].data).toMatchObject({
      cost: tokens + 1000,
      usage: { inputTokens: 600, outputTokens: 40, model: 'gpt-4o-mini' },
    });
    expect(view.totalCost).toBe(tokens + 1000);
    expect(view.nodes.ask.output).toMatchObject({ text: 'Counted to two.', steps: 3, cost: tokens + 1000 });
  });

  it('resumes a retried attempt from the turns the failed one recorded; each attempt pays its own', async () => {
    const agentId = await createAgent();
    const before = openai.requests.length;
    openai.enqueue(
      fakeReply.toolCalls([call(1)], { inputTokens: 100, outputTokens: 10 }),
      fakeReply.serverError(500),
      fakeReply.text('done', { inputTokens: 150, outputTokens: 5 }),
    );
    const executionId = await start(agentId, { retry: { maxAttempts: 2, initialIntervalMs: 50 } });
    const view = await finished(executionId);
    expect(view.status).toBe('completed');
    expect(view.nodes.ask.output).toMatchObject({ text: 'done', steps: 2 });
    expect(view.nodes.ask.attempts).toBe(2);
    const calls = openai.requests.slice(before);
    expect(calls).toHaveLength(3);
    // The second attempt's only call carries turn 1 as history: it was not sent again.
    expect(calls[2].body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'tool']);

    const events = await eventsOf(executionId);
    expect(events.filter((e) => e.type === 'AgentTurnCompleted').map((e) => [e.data.step, e.data.attempt])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const failed = events.find((e) => e.type === 'NodeFailed')!;
    expect(failed.data).toMatchObject({ attempt: 1, willRetry: true, cost: priceOf(100, 10), usage: { inputTokens: 100 } });
    const completed = events.find((e) => e.type === 'NodeCompleted')!;
    expect(completed.data).toMatchObject({ attempt: 2, cost: priceOf(150, 5), usage: { inputTokens: 150, outputTokens: 5 } });
    expect(view.totalCost).toBe(priceOf(100, 10) + priceOf(150, 5));
  });

  it('fails max_steps_exceeded at the step limit, with the cost of the turns on NodeFailed', async () => {
    const agentId = await createAgent();
    openai.enqueue(fakeReply.toolCalls([call(1)], { inputTokens: 100, outputTokens: 10 }));
    const executionId = await start(agentId, { maxSteps: 1, retry: { maxAttempts: 1 } });
    const view = await finished(executionId);
    expect(view.status).toBe('failed');
    expect(view.nodes.ask.error).toMatchObject({ code: 'max_steps_exceeded', retryable: false });
    const events = await eventsOf(executionId);
    expect(events.filter((e) => e.type === 'AgentTurnCompleted')).toHaveLength(1);
    // The limit is reached before the tools of the last turn run.
    expect(events.filter((e) => e.type === 'AgentToolCalled')).toHaveLength(0);
    expect(events.find((e) => e.type === 'NodeFailed')!.data).toMatchObject({
      cost: priceOf(100, 10),
      usage: { inputTokens: 100, outputTokens: 10, model: 'gpt-4o-mini' },
    });
    expect(events.find((e) => e.type === 'ExecutionFailed')!.data.totalCost).toBe(priceOf(100, 10));
    expect(view.totalCost).toBe(priceOf(100, 10));
  });
});
