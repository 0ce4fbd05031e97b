import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { namespaceOf, subject } from '@flowstack/contracts';
import {
  EVERYTHING_SERVER_ENTRY,
  FakeLlmServer,
  HttpTarget,
  McpTestServer,
  fakeReply,
  startPlatform,
  TEST_NATS_URL,
  waitFor,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, createWorkflow, grantCredits, registerTenant, type Tenant } from './api-client';

jest.setTimeout(180_000);

/**
 * MCP tools end to end through the gateway: real processes, a real MCP server (the SDK's server
 * classes) reached over streamable HTTP with a bearer credential opened in the tool-runner,
 * `@modelcontextprotocol/server-everything` over stdio behind the workspace switch and the
 * allowlist, `/discover` pinning definitions, `/test` runs, a `tool` node and an OpenAI agent
 * (fake vendor server) calling MCP tools, a changed definition refused, and a server that is down.
 */
describe('MCP tools', () => {
  const MARKER = `mcp-bearer-${randomUUID()}`;
  let platform: TestPlatform;
  let alice: Tenant;
  let bob: Tenant;
  let openai: FakeLlmServer;
  const server = new McpTestServer();
  let credentialId: string;
  let toolId: string;
  let nc: NatsConnection;
  const published: { subject: string; data: string }[] = [];

  beforeAll(async () => {
    openai = await new FakeLlmServer('openai').start();
    await server.start();
    platform = await startPlatform({
      label: 'mcptools',
      serviceEnv: { 'tool-runner': { MCP_STDIO_ALLOWLIST: process.execPath, MCP_TOOL_LIST_TTL_MS: '0' } },
    });
    nc = await connect({ servers: TEST_NATS_URL });
    const events = nc.subscribe(subject(namespaceOf(platform.env.FLOWSTACK_NS), 'events.>'));
    void (async () => {
      for await (const m of events) published.push({ subject: m.subject, data: m.string() });
    })();
    const api = new ApiClient(platform.baseUrl);
    alice = await registerTenant(api, 'mcp-alice');
    // Agent nodes cost credits: the workspace needs some to run them.
    await grantCredits(alice.client, 100_000_000);
    bob = await registerTenant(api, 'mcp-bob');
    const cred = await alice.client.post('/api/v1/credentials', { name: 'mcp_token', kind: 'bearer_token', value: MARKER });
    expect(cred.status).toBe(201);
    credentialId = cred.body.id;
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Grants',
      description: 'Grant announcements',
      kind: 'mcp',
      config: { transport: 'streamable_http', serverUrl: server.url, credentialId },
    });
    expect(tool.status).toBe(201);
    toolId = tool.body.id;
  });

  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
    await Promise.all([openai?.stop(), server.stop()]);
  });

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
  const run = async (graph: object, input: unknown) => {
    const workflowId = await createWorkflow(alice.client, `wf-${randomUUID()}`, graph);
    const res = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input });
    expect(res.status).toBe(202);
    return finished(res.body.executionId as string);
  };
  const crawlGraph = {
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'crawl', type: 'tool', config: { toolId: '', mcpTool: 'lookup', args: { query: '{{ input.topic }}' } } },
      { id: 'out', type: 'output', config: { value: '{{ nodes.crawl.output.structuredContent }}' } },
    ],
    edges: [
      { from: 'in', to: 'crawl' },
      { from: 'crawl', to: 'out' },
    ],
  };
  const withTool = (graph: typeof crawlGraph, id: string) => ({
    ...graph,
    nodes: graph.nodes.map((n) => (n.id === 'crawl' ? { ...n, config: { ...n.config, toolId: id } } : n)),
  });

  it('refuses to run before discovery, then discovers with the credential and runs /test', async () => {
    const before = await alice.client.post(`/api/v1/tools/${toolId}/test`, { mcpTool: 'lookup', args: { query: 'x' } });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ ok: false, toolId, kind: 'mcp', error: { code: 'mcp_not_discovered' } });

    const discovered = await alice.client.post(`/api/v1/tools/${toolId}/discover`);
    expect(discovered.status).toBe(200);
    expect(discovered.body).toMatchObject({ toolId, changed: true, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(discovered.body.tools.map((t: { name: string }) => t.name)).toEqual(['big', 'fail', 'lookup', 'slow']);
    expect(server.headers.at(-1)!.authorization).toBe(`Bearer ${MARKER}`);
    expect((await alice.client.get(`/api/v1/tools/${toolId}`)).body.mcp.hash).toBe(discovered.body.hash);

    const tested = await alice.client.post(`/api/v1/tools/${toolId}/test`, { mcpTool: 'lookup', args: { query: 'water' } });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({
      ok: true,
      mcpTool: 'lookup',
      output: { text: 'found 2 grants for water', structuredContent: { query: 'water', grants: ['Horizon', 'Seed'] } },
    });
    const failing = await alice.client.post(`/api/v1/tools/${toolId}/test`, { mcpTool: 'fail' });
    expect(failing.body).toMatchObject({ ok: false, error: { code: 'mcp_tool_error', retryable: false } });
    expect(JSON.stringify([tested.body, discovered.body])).not.toContain(MARKER);

    // Both runs are audited on the tool's stream: who ran it, how it ended; never args or output.
    const audit = await waitFor(() => {
      const mine = published.filter((p) => p.data.includes(toolId));
      const tested = mine.filter((p) => p.subject.endsWith('.tool.ToolTested'));
      const discoveredEvents = mine.filter((p) => p.subject.endsWith('.tool.ToolDiscovered'));
      return tested.length >= 3 && discoveredEvents.length >= 1 ? { tested, discoveredEvents } : undefined;
    }, 'ToolTested and ToolDiscovered events');
    const testedData = audit.tested.map((p) => JSON.parse(p.data) as { data: Record<string, unknown> });
    expect(testedData.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ toolId, ok: false, errorCode: 'mcp_not_discovered' }),
        expect.objectContaining({ toolId, ok: true, mcpTool: 'lookup' }),
        expect.objectContaining({ toolId, ok: false, errorCode: 'mcp_tool_error', mcpTool: 'fail' }),
      ]),
    );
    expect(audit.tested.map((p) => p.data).join('')).not.toContain('water');
  });

  it('keeps other workspaces out and refuses discover for other kinds', async () => {
    expect((await bob.client.post(`/api/v1/tools/${toolId}/test`, { args: {} })).status).toBe(404);
    expect((await bob.client.post(`/api/v1/tools/${toolId}/discover`)).status).toBe(404);
    const http = await alice.client.post('/api/v1/tools', {
      name: `http-${randomUUID()}`,
      kind: 'http',
      config: { url: 'http://127.0.0.1:9/x', method: 'GET' },
    });
    expect((await alice.client.post(`/api/v1/tools/${http.body.id}/discover`)).status).toBe(409);
    expect((await alice.client.post(`/api/v1/tools/${toolId}/test`, { args: [] })).status).toBe(400);
  });

  it('runs a tool node that calls one MCP tool with rendered args', async () => {
    const view = await run(withTool(crawlGraph, toolId), { topic: 'solar' });
    expect(view).toMatchObject({ status: 'completed', output: { query: 'solar', grants: ['Horizon', 'Seed'] } });
    expect(server.calls.at(-1)).toEqual({ tool: 'lookup', args: { query: 'solar' } });
  });

  it('offers the allowed MCP tools to an agent, which calls one', async () => {
    const key = await alice.client.post('/api/v1/credentials', { name: 'llm_key', kind: 'api_key', value: 'sk-test' });
    const agent = await alice.client.post('/api/v1/agents', {
      name: `agent-${randomUUID()}`,
      credentialId: key.body.id,
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: openai.baseUrl,
    });
    expect(agent.status).toBe(201);
    const restricted = await alice.client.post('/api/v1/tools', {
      name: 'Grant Search',
      kind: 'mcp',
      config: { transport: 'streamable_http', serverUrl: server.url, credentialId, allowedTools: ['lookup'] },
    });
    expect((await alice.client.post(`/api/v1/tools/${restricted.body.id}/discover`)).status).toBe(200);
    expect((await alice.client.post(`/api/v1/agents/${agent.body.id}/tools`, { toolId: restricted.body.id })).status).toBe(201);
    openai.enqueue(
      fakeReply.toolCalls([{ id: 'call_1', name: 'grant_search__lookup', arguments: { query: 'wind' } }]),
      fakeReply.text('Two grants: Horizon and Seed.'),
    );
    const view = await run(
      {
        entry_point: 'in',
        nodes: [
          { id: 'in', type: 'input' },
          { id: 'ask', type: 'agent_call', config: { agentId: agent.body.id, prompt: 'Find grants about {{ input.topic }}' } },
          { id: 'out', type: 'output', config: { value: '{{ nodes.ask.output.text }}' } },
        ],
        edges: [
          { from: 'in', to: 'ask' },
          { from: 'ask', to: 'out' },
        ],
      },
      { topic: 'wind' },
    );
    expect({ view: view.status, error: view.nodes.ask.error }).toEqual({ view: 'completed', error: undefined });
    expect(view.output).toBe('Two grants: Horizon and Seed.');
    expect(server.calls.at(-1)).toEqual({ tool: 'lookup', args: { query: 'wind' } });
    const first = openai.requests.at(-2)!;
    expect(first.body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['grant_search__lookup']);
    const toolMessage = openai.requests.at(-1)!.body.messages.at(-1);
    expect(toolMessage).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(JSON.stringify(toolMessage.content)).toContain('Horizon');
  });

  it('refuses a changed definition until the tool is discovered again', async () => {
    server.lookupDescription = 'Now also wires money';
    try {
      const refused = await alice.client.post(`/api/v1/tools/${toolId}/test`, { mcpTool: 'lookup', args: { query: 'x' } });
      expect(refused.body).toMatchObject({ ok: false, error: { code: 'mcp_tool_changed', retryable: false } });
      const view = await run(withTool(crawlGraph, toolId), { topic: 'tidal' });
      expect(view.status).toBe('failed');
      expect(view.nodes.crawl.error).toMatchObject({ code: 'mcp_tool_changed' });
      expect(server.calls.some((c) => c.args.query === 'tidal')).toBe(false);

      const again = await alice.client.post(`/api/v1/tools/${toolId}/discover`);
      expect(again.body).toMatchObject({ changed: true, previousHash: expect.any(String) });
      const ok = await alice.client.post(`/api/v1/tools/${toolId}/test`, { mcpTool: 'lookup', args: { query: 'tidal' } });
      expect(ok.body).toMatchObject({ ok: true, output: { text: 'found 2 grants for tidal' } });
    } finally {
      server.lookupDescription = 'Looks up grant announcements for a query';
      expect((await alice.client.post(`/api/v1/tools/${toolId}/discover`)).status).toBe(200);
    }
  });

  it('runs stdio servers only where an admin enabled them and the command is allowlisted', async () => {
    const stdio = await alice.client.post('/api/v1/tools', {
      name: 'Everything',
      kind: 'mcp',
      config: { transport: 'stdio', command: process.execPath, args: [EVERYTHING_SERVER_ENTRY, 'stdio'] },
    });
    expect(stdio.status).toBe(201);
    const settingsOf = (t: Tenant) => `/api/v1/workspaces/${t.workspaceId}/settings`;
    expect((await alice.client.get(settingsOf(alice))).body.mcp).toEqual({ stdio: false });
    const disabled = await alice.client.post(`/api/v1/tools/${stdio.body.id}/discover`);
    expect(disabled.status).toBe(409);
    expect(disabled.body.errors).toEqual([expect.objectContaining({ path: 'config.command', rule: 'mcp_stdio_disabled' })]);

    // The switch is a group of the workspace settings; the old route is gone.
    expect((await alice.client.get('/api/v1/settings/mcp-stdio')).status).toBe(404);
    const enabled = await alice.client.put(settingsOf(alice), { mcp: { stdio: true } });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ mcp: { stdio: true }, sandboxedTools: { python: false } });
    expect((await bob.client.get(settingsOf(bob))).body.mcp).toEqual({ stdio: false });
    const bad = await alice.client.put(settingsOf(alice), { mcp: { stdio: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'mcp.stdio' })]);

    const discovered = await alice.client.post(`/api/v1/tools/${stdio.body.id}/discover`);
    expect(discovered.status).toBe(200);
    expect(discovered.body.tools.map((t: { name: string }) => t.name)).toContain('echo');
    const echoed = await alice.client.post(`/api/v1/tools/${stdio.body.id}/test`, {
      mcpTool: 'echo',
      args: { message: 'hello' },
    });
    expect(echoed.body).toMatchObject({ ok: true, output: { text: 'Echo: hello' } });
    // A new config (another server, other arguments) drops the pins: discover again before use.
    const patched = await alice.client.patch(`/api/v1/tools/${stdio.body.id}`, {
      config: { transport: 'stdio', command: process.execPath, args: [EVERYTHING_SERVER_ENTRY, 'stdio', '--other'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.mcp).toBeUndefined();
    const undiscovered = await alice.client.post(`/api/v1/tools/${stdio.body.id}/test`, {
      mcpTool: 'echo',
      args: { message: 'x' },
    });
    expect(undiscovered.body).toMatchObject({ ok: false, error: { code: 'mcp_not_discovered' } });

    const other = await alice.client.post('/api/v1/tools', {
      name: 'Shell Server',
      kind: 'mcp',
      config: { transport: 'stdio', command: '/bin/sh', args: ['-c', 'cat'] },
    });
    const notAllowed = await alice.client.post(`/api/v1/tools/${other.body.id}/discover`);
    expect(notAllowed.status).toBe(409);
    expect(notAllowed.body.errors).toEqual([expect.objectContaining({ rule: 'mcp_stdio_not_allowed' })]);
  });

  it('answers mcp_unavailable while a server is down, and the runner keeps serving', async () => {
    const flaky = await new McpTestServer().start();
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Flaky',
      kind: 'mcp',
      config: { transport: 'streamable_http', serverUrl: flaky.url, allowedTools: ['lookup'], timeoutMs: 3_000 },
    });
    expect((await alice.client.post(`/api/v1/tools/${tool.body.id}/discover`)).status).toBe(200);
    await flaky.stop();
    const down = await alice.client.post(`/api/v1/tools/${tool.body.id}/test`, { args: { query: 'x' } });
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ ok: false, error: { code: 'mcp_unavailable', retryable: true } });
    const discoverDown = await alice.client.post(`/api/v1/tools/${tool.body.id}/discover`);
    expect(discoverDown.status).toBe(409);
    expect(discoverDown.body.errors).toEqual([expect.objectContaining({ rule: 'mcp_unavailable' })]);
    // The other server still answers through the same runner.
    const ok = await alice.client.post(`/api/v1/tools/${toolId}/test`, { mcpTool: 'lookup', args: { query: 'still' } });
    expect(ok.body).toMatchObject({ ok: true });
  });

  it('runs a registered http tool from /test and from a tool node, with args in its templates', async () => {
    const target = await new HttpTarget()
      .route('POST', '/grants', (req) => ({ json: { got: JSON.parse(req.body), auth: req.headers.authorization } }))
      .start();
    try {
      const tool = await alice.client.post('/api/v1/tools', {
        name: `http-${randomUUID()}`,
        kind: 'http',
        config: { url: `${target.url}/grants`, method: 'POST', body: { q: '{{ args.query }}' } },
      });
      expect(tool.status).toBe(201);
      const tested = await alice.client.post(`/api/v1/tools/${tool.body.id}/test`, { args: { query: 'kelp' } });
      expect(tested.body).toMatchObject({ ok: true, kind: 'http', output: { status: 200, body: { got: { q: 'kelp' } } } });
      const view = await run(
        {
          entry_point: 'in',
          nodes: [
            { id: 'in', type: 'input' },
            { id: 'crawl', type: 'tool', config: { toolId: tool.body.id, args: { query: '{{ input.topic }}' } } },
            { id: 'out', type: 'output', config: { value: '{{ nodes.crawl.output.body.got }}' } },
          ],
          edges: [
            { from: 'in', to: 'crawl' },
            { from: 'crawl', to: 'out' },
          ],
        },
        { topic: 'reef' },
      );
      expect(view).toMatchObject({ status: 'completed', output: { q: 'reef' } });
    } finally {
      await target.stop();
    }
  });

  it('never writes the credential to an event', () => {
    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((p) => p.data.includes(MARKER))).toEqual([]);
  });
});
