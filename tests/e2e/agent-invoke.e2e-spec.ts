import { randomUUID } from 'node:crypto';
import { FakeLlmServer, fakeReply, startPlatform, type TestPlatform } from '@flowstack/testing';
import { ApiClient, grantCredits, registerTenant, type Tenant } from './api-client';

jest.setTimeout(180_000);

interface SseEvent {
  event: string;
  data: any;
}

/** Reads a whole Server-Sent Events answer into its events. */
async function readSse(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))!.slice('event: '.length);
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice('data: '.length));
      return { event, data };
    });
}

/**
 * `POST /api/v1/agents/{id}/invoke`: one call that is an execution (an implicit one-node
 * workflow) with its events and cost, as JSON or as Server-Sent Events; bad input and another
 * workspace's agent get problem documents.
 */
describe('agent invoke', () => {
  let platform: TestPlatform;
  let alice: Tenant;
  let bob: Tenant;
  let openai: FakeLlmServer;
  let agentId: string;

  beforeAll(async () => {
    openai = await new FakeLlmServer('openai', { tokensPerSecond: 200 }).start();
    platform = await startPlatform({ label: 'agentinvoke' });
    const api = new ApiClient(platform.baseUrl);
    alice = await registerTenant(api, 'invoke-alice');
    // Agent nodes cost credits: the workspace needs some to run them.
    await grantCredits(alice.client, 100_000_000);
    bob = await registerTenant(api, 'invoke-bob');
    const credential = await alice.client.post('/api/v1/credentials', { name: 'llm_key', kind: 'api_key', value: 'sk-invoke' });
    expect(credential.status).toBe(201);
    const agent = await alice.client.post('/api/v1/agents', {
      name: `helper-${randomUUID()}`,
      provider: 'openai',
      model: 'gpt-4o-mini',
      systemPrompt: 'Be brief.',
      baseUrl: openai.baseUrl,
      credentialId: credential.body.id,
      costPerRun: 500,
    });
    expect(agent.status).toBe(201);
    agentId = agent.body.id;
  });

  afterAll(async () => {
    await platform?.stop();
    await openai?.stop();
  });

  const raw = (tenant: Tenant, path: string, body: unknown): Promise<Response> =>
    fetch(`${platform.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers JSON with the final message, usage, cost and the execution, which is audited like any run', async () => {
    openai.enqueue(fakeReply.text('Hello Ada.', { inputTokens: 100, outputTokens: 20 }));
    const res = await alice.client.post(`/api/v1/agents/${agentId}/invoke`, {
      messages: [
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'My name is Ada.' },
        { role: 'assistant', content: 'Nice to meet you.' },
        { role: 'user', content: 'Greet me.' },
      ],
    });
    expect(res.status).toBe(200);
    // 100 x 0.15 + 20 x 0.6 = 27, plus costPerRun 500.
    expect(res.body).toMatchObject({
      status: 'completed',
      message: { role: 'assistant', content: 'Hello Ada.' },
      usage: { inputTokens: 100, outputTokens: 20, model: 'gpt-4o-mini' },
      cost: 527,
      steps: 1,
    });
    expect(openai.requests.at(-1)!.body.messages).toEqual([
      { role: 'system', content: 'Be brief.\n\nAnswer in English.' },
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Nice to meet you.' },
      { role: 'user', content: 'Greet me.' },
    ]);

    const execution = (await alice.client.get(`/api/v1/executions/${res.body.executionId}`)).body;
    expect(execution).toMatchObject({ status: 'completed', workflowId: `agent:${agentId}`, workflowVersion: 0, totalCost: 527 });
    const events = (await alice.client.get(`/api/v1/executions/${res.body.executionId}/events`)).body.items as Array<{
      type: string;
      data: any;
      metadata: any;
    }>;
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'NodeScheduled',
      // An invoke is costed like any agent node: its credit hold before dispatch.
      'NodeCostHeld',
      'AgentTurnCompleted',
      'NodeCompleted',
      'ExecutionCompleted',
    ]);
    expect(events[0].data.input.messages).toHaveLength(4);
    expect(events[0].data.trigger).toMatchObject({ type: 'api' });
    // Bob sees none of it.
    expect((await bob.client.get(`/api/v1/executions/${res.body.executionId}`)).status).toBe(404);
  });

  it('streams Server-Sent Events: execution, tokens, then done with the message and usage', async () => {
    const text = 'Streaming works one token at a time here.';
    openai.enqueue(fakeReply.text(text, { inputTokens: 40, outputTokens: 9 }));
    const res = await raw(alice, `/api/v1/agents/${agentId}/invoke`, {
      messages: [{ role: 'user', content: 'Stream please.' }],
      stream: true,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(res);
    expect(events[0].event).toBe('execution');
    const tokens = events.filter((e) => e.event === 'token');
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.map((e) => e.data.text).join('')).toBe(text);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({
      executionId: events[0].data.executionId,
      status: 'completed',
      message: { role: 'assistant', content: text },
      usage: { inputTokens: 40, outputTokens: 9 },
    });
    expect(events.findIndex((e) => e.event === 'token')).toBeLessThan(events.length - 1);
  });

  it('reports a failed run with its code (JSON) and as an error event (SSE)', async () => {
    openai.enqueue(fakeReply.unauthorized());
    const res = await alice.client.post(`/api/v1/agents/${agentId}/invoke`, { messages: [{ role: 'user', content: 'x' }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed' } });
    expect(res.body).not.toHaveProperty('message');

    openai.enqueue(fakeReply.unauthorized());
    const sse = await readSse(
      await raw(alice, `/api/v1/agents/${agentId}/invoke`, { messages: [{ role: 'user', content: 'x' }], stream: true }),
    );
    expect(sse.at(-1)).toMatchObject({ event: 'error', data: { code: 'provider_auth_failed' } });
  });

  it('answers problem+json with field paths for bad input, and 404 for another workspace agent', async () => {
    const before = openai.requests.length;
    const cases: Array<[unknown, string]> = [
      [{}, 'messages'],
      [{ messages: [] }, 'messages'],
      [
        {
          messages: [
            { role: 'user', content: 'hi' },
            { role: 'assistant', content: 'yo' },
          ],
        },
        'messages[1].role',
      ],
      [{ messages: [{ role: 'robot', content: 'hi' }] }, 'messages[0].role'],
      [{ messages: [{ role: 'user', content: '' }] }, 'messages[0].content'],
      [{ messages: [{ role: 'user', content: 'hi' }], stream: 'yes' }, 'stream'],
      [{ messages: [{ role: 'user', content: 'hi' }], extra: 1 }, '(body)'],
    ];
    for (const [body, path] of cases) {
      const res = await raw(alice, `/api/v1/agents/${agentId}/invoke`, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { errors: Array<{ path: string }> };
      expect(problem.errors.map((e) => e.path)).toContain(path);
    }
    const foreign = await raw(bob, `/api/v1/agents/${agentId}/invoke`, { messages: [{ role: 'user', content: 'hi' }] });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    const problem = await foreign.text();
    expect(JSON.parse(problem)).toMatchObject({ status: 404, code: 'not_found', detail: 'agent not found' });
    // Nothing of Alice's agent but the id Bob sent himself (echoed as the problem's instance).
    expect(problem).not.toContain('helper-');
    expect(openai.requests.length).toBe(before);
  });
});
