import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { namespaceOf, subject } from '@flowstack/contracts';
import {
  FakeLlmServer,
  HttpTarget,
  McpTestServer,
  TEST_NATS_URL,
  fakeReply,
  startPlatform,
  waitFor,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, createWorkflow, grantCredits, registerTenant, watchExecution, type Tenant } from './api-client';

jest.setTimeout(180_000);

/**
 * `{{ secrets.<name> }}` in http tool templates (url, headers, body) and in mcp `headers`, end to
 * end: the credential's value reaches the upstream (an echoing HTTP server, a real MCP server), and
 * it is in no answer (`/test`, `/discover`), no execution view, event, WebSocket message, NATS
 * event, model request or service log line, even when the upstream echoes it back or fails with it.
 */
describe('secrets in tool templates', () => {
  const MARKER = `sk-tool-secret-${randomUUID()}`;
  let platform: TestPlatform;
  let alice: Tenant;
  let bob: Tenant;
  let target: HttpTarget;
  let openai: FakeLlmServer;
  const mcp = new McpTestServer();
  let nc: NatsConnection;
  const published: string[] = [];
  const answers: unknown[] = [];
  let echoToolId: string;

  const echo = (req: { path: string; headers: Record<string, unknown>; body: string }) => ({
    json: { headers: req.headers, body: req.body ? (JSON.parse(req.body) as unknown) : null },
  });

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('POST', '/echo', echo)
      .route('POST', '/broken', (req) => ({ status: 500, json: { error: `bad key ${String(req.headers['x-api-key'])}` } }))
      .start();
    openai = await new FakeLlmServer('openai').start();
    await mcp.start();
    platform = await startPlatform({ label: 'toolsecrets' });
    nc = await connect({ servers: TEST_NATS_URL });
    // Everything on the bus (events, WORK, RESULTS, chunks, logs, replies) but the one request that
    // carries the value by design: the gateway handing a new credential to the registry.
    const everything = nc.subscribe(subject(namespaceOf(platform.env.FLOWSTACK_NS), '>'));
    void (async () => {
      for await (const m of everything) if (!m.subject.endsWith('registry.credential.create')) published.push(m.string());
    })();
    const api = new ApiClient(platform.baseUrl);
    alice = await registerTenant(api, 'secrets-alice');
    bob = await registerTenant(api, 'secrets-bob');
    await grantCredits(alice.client, 10_000_000);
    const cred = await alice.client.post('/api/v1/credentials', { name: 'upstream_token', kind: 'api_key', value: MARKER });
    expect(cred.status).toBe(201);
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Echo',
      description: 'Echoes what it is sent',
      kind: 'http',
      config: {
        url: `${target.url}/echo?key={{ secrets.upstream_token }}`,
        method: 'POST',
        headers: { 'x-api-key': '{{ secrets.upstream_token }}' },
        body: { token: 'Bearer {{ secrets.upstream_token }}', q: '{{ args.q }}' },
      },
      inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
    });
    expect(tool.status).toBe(201);
    echoToolId = tool.body.id;
  });

  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
    await Promise.all([target?.stop(), openai?.stop(), mcp.stop()]);
  });

  afterEach(() => {
    // Nothing any test saw or the services logged carries the value.
    expect(JSON.stringify(answers)).not.toContain(MARKER);
    expect(published.join('\n')).not.toContain(MARKER);
    for (const [name, proc] of platform.services) {
      if (proc.output().includes(MARKER)) throw new Error(`the ${name} log carries the secret`);
    }
  });

  const lastEcho = () => target.received.filter((r) => r.path === '/echo').at(-1)!;

  it('resolves secrets in the url, headers and body for /test, and redacts the echo in the answer', async () => {
    const res = await alice.client.post(`/api/v1/tools/${echoToolId}/test`, { args: { q: 'hello' } });
    answers.push(res.body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true });
    const sent = lastEcho();
    expect(sent.headers['x-api-key']).toBe(MARKER);
    expect(JSON.parse(sent.body)).toEqual({ token: `Bearer ${MARKER}`, q: 'hello' });
    // The upstream echoed the key: the answer has `***` where it was.
    expect(res.body.output.body).toMatchObject({ headers: { 'x-api-key': '***' }, body: { token: 'Bearer ***', q: 'hello' } });
  });

  it('a tool node sends the secret and records only ***, in the output, the events and on the socket', async () => {
    const workflowId = await createWorkflow(alice.client, `wf-${randomUUID()}`, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'call', type: 'tool', config: { toolId: echoToolId, args: { q: '{{ input.q }}' } } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.call.output.body }}' } },
      ],
      edges: [
        { from: 'in', to: 'call' },
        { from: 'call', to: 'out' },
      ],
    });
    const started = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { q: 'node' } });
    expect(started.status).toBe(202);
    const executionId = started.body.executionId as string;
    const live = await watchExecution(platform.wsUrl, executionId, alice.token);
    await live.closed;
    const view = (await alice.client.get(`/api/v1/executions/${executionId}`)).body;
    const events = (await alice.client.get(`/api/v1/executions/${executionId}/events?limit=500`)).body;
    answers.push(view, events, live.messages);
    expect(view).toMatchObject({ status: 'completed', output: { body: { token: 'Bearer ***', q: 'node' } } });
    expect(JSON.parse(lastEcho().body)).toEqual({ token: `Bearer ${MARKER}`, q: 'node' });
  });

  it('an agent calling the tool sends the secret upstream, and neither the model nor the events see it', async () => {
    const key = await alice.client.post('/api/v1/credentials', { name: 'llm', kind: 'api_key', value: 'sk-llm' });
    const agent = await alice.client.post('/api/v1/agents', {
      name: `agent-${randomUUID()}`,
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: openai.baseUrl,
      credentialId: key.body.id,
    });
    expect(agent.status).toBe(201);
    expect((await alice.client.post(`/api/v1/agents/${agent.body.id}/tools`, { toolId: echoToolId })).status).toBe(201);
    const modelName = (await alice.client.get(`/api/v1/tools/${echoToolId}`)).body.modelName as string;
    openai.enqueue(fakeReply.toolCalls([{ id: 'call_1', name: modelName, arguments: { q: 'agent' } }]), fakeReply.text('done'));
    const workflowId = await createWorkflow(alice.client, `wf-${randomUUID()}`, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'ask', type: 'agent_call', config: { agentId: agent.body.id, prompt: 'Echo something' } },
      ],
      edges: [{ from: 'in', to: 'ask' }],
    });
    const started = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    const view = await waitFor(
      async () => {
        const v = (await alice.client.get(`/api/v1/executions/${started.body.executionId}`)).body;
        return v.status === 'completed' || v.status === 'failed' ? v : undefined;
      },
      'the agent run to finish',
      60_000,
      50,
    );
    const events = (await alice.client.get(`/api/v1/executions/${started.body.executionId}/events?limit=500`)).body;
    answers.push(view, events);
    expect(view.status).toBe('completed');
    expect(JSON.parse(lastEcho().body)).toEqual({ token: `Bearer ${MARKER}`, q: 'agent' });
    const toolCalled = (events.items as { type: string; data: any }[]).find((e) => e.type === 'AgentToolCalled')!;
    expect(JSON.stringify(toolCalled.data)).toContain('Bearer ***');
    // The tool result the model got back is the redacted one.
    const second = openai.requests.at(-1)!;
    expect(JSON.stringify(second.body.messages)).toContain('Bearer ***');
    expect(JSON.stringify(openai.requests.map((r) => r.body))).not.toContain(MARKER);
  });

  it('an upstream failure that quotes the secret is redacted in the error', async () => {
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Broken',
      kind: 'http',
      config: { url: `${target.url}/broken`, method: 'POST', headers: { 'x-api-key': '{{ secrets.upstream_token }}' } },
    });
    const res = await alice.client.post(`/api/v1/tools/${tool.body.id}/test`, { args: {} });
    answers.push(res.body);
    expect(res.body).toMatchObject({
      ok: false,
      error: { code: 'http_status', details: { status: 500, body: { error: 'bad key ***' } } },
    });
    expect(target.received.at(-1)!.headers['x-api-key']).toBe(MARKER);
  });

  it('a secret of another workspace, or none of that name, fails credential_not_found', async () => {
    const tool = await bob.client.post('/api/v1/tools', {
      name: 'Steal',
      kind: 'http',
      config: { url: `${target.url}/echo`, method: 'POST', headers: { 'x-api-key': '{{ secrets.upstream_token }}' } },
    });
    const before = target.received.length;
    const res = await bob.client.post(`/api/v1/tools/${tool.body.id}/test`, { args: {} });
    answers.push(res.body);
    expect(res.body).toMatchObject({ ok: false, error: { code: 'credential_not_found' } });
    expect(target.received.length).toBe(before);
  });

  it('resolves secrets in mcp headers for /discover and calls, never answering them', async () => {
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Team MCP',
      kind: 'mcp',
      config: { transport: 'streamable_http', serverUrl: mcp.url, headers: { 'x-team-key': '{{ secrets.upstream_token }}' } },
    });
    expect(tool.status).toBe(201);
    const discovered = await alice.client.post(`/api/v1/tools/${tool.body.id}/discover`);
    answers.push(discovered.body);
    expect(discovered.status).toBe(200);
    expect(mcp.headers.at(-1)!['x-team-key']).toBe(MARKER);
    const tested = await alice.client.post(`/api/v1/tools/${tool.body.id}/test`, { mcpTool: 'lookup', args: { query: 'q' } });
    answers.push(tested.body, await alice.client.get(`/api/v1/tools/${tool.body.id}`));
    expect(tested.body).toMatchObject({ ok: true, output: { text: 'found 2 grants for q' } });
    expect(mcp.headers.at(-1)!['x-team-key']).toBe(MARKER);
  });
});
