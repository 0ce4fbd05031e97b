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
import { ApiClient, grantCredits, createWorkflow, registerTenant, watchExecution, type Tenant } from './api-client';

jest.setTimeout(180_000);

/**
 * python, shell and builtin tools end to end through the gateway: the admin switch (refusals while
 * off, the audit event), tool nodes of each kind (registered and inline), their output lines as
 * `log` WebSocket messages, a secret that reaches the sandbox only where referenced and no event,
 * escapes that fail the node with their code while the runner keeps serving, and an agent (fake
 * OpenAI server) that calls a python tool.
 */
describe('sandboxed and builtin tools', () => {
  const SECRET = `sk-sandbox-marker-${randomUUID()}`;
  let platform: TestPlatform;
  let alice: Tenant;
  let bob: Tenant;
  let openai: FakeLlmServer;
  let hook: HttpTarget;
  let nc: NatsConnection;
  const published: string[] = [];

  beforeAll(async () => {
    openai = await new FakeLlmServer('openai').start();
    hook = await new HttpTarget().route('POST', '/notify', () => ({ json: { ok: true } })).start();
    platform = await startPlatform({ label: 'sandbox' });
    nc = await connect({ servers: TEST_NATS_URL });
    const events = nc.subscribe(subject(namespaceOf(platform.env.FLOWSTACK_NS), 'events.>'));
    void (async () => {
      for await (const m of events) published.push(m.string());
    })();
    const api = new ApiClient(platform.baseUrl);
    alice = await registerTenant(api, 'sandbox-alice');
    // Agent nodes cost credits: the workspace needs some to run them.
    await grantCredits(alice.client, 100_000_000);
    bob = await registerTenant(api, 'sandbox-bob');
    expect((await alice.client.post('/api/v1/credentials', { name: 'gh_token', kind: 'api_key', value: SECRET })).status).toBe(
      201,
    );
  });

  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
    await Promise.all([openai?.stop(), hook?.stop()]);
  });

  const settingsPath = (t: Tenant) => `/api/v1/workspaces/${t.workspaceId}/settings`;
  const line = (nodes: Array<Record<string, unknown>>) => ({
    entry_point: 'in',
    nodes: [{ id: 'in', type: 'input' }, ...nodes],
    edges: ['in', ...nodes.map((n) => n.id as string)].slice(0, -1).map((from, i) => ({ from, to: nodes[i].id as string })),
  });
  const run = async (tenant: Tenant, graph: object, input: unknown = {}) => {
    const workflowId = await createWorkflow(tenant.client, `wf-${randomUUID()}`, graph);
    const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input });
    expect(res.status).toBe(202);
    return res.body.executionId as string;
  };
  const finished = (tenant: Tenant, executionId: string) =>
    waitFor(
      async () => {
        const view = (await tenant.client.get(`/api/v1/executions/${executionId}`)).body;
        return ['completed', 'failed', 'cancelled'].includes(view.status) ? view : undefined;
      },
      `execution ${executionId} to finish`,
      60_000,
      50,
    );

  it('python and shell are off until an admin enables them: tool creation answers 403 sandboxed_tool_disabled', async () => {
    const settings = await alice.client.get(settingsPath(alice));
    expect(settings.status).toBe(200);
    expect(settings.body).toEqual({
      sandboxedTools: { python: false, shell: false, network: false },
      mcp: { stdio: false },
      updatedAt: null,
    });
    const refused = await alice.client.post('/api/v1/tools', { name: 'Py', kind: 'python', config: { code: 'result = 1' } });
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'kind', rule: 'sandboxed_tool_disabled' })]);
    // An inline python node is refused when it runs.
    const executionId = await run(
      alice,
      line([{ id: 'py', type: 'tool', config: { tool: { kind: 'python', code: 'result = 1' } } }]),
    );
    const view = await finished(alice, executionId);
    expect(view.nodes.py.error).toMatchObject({ code: 'sandbox_kind_disabled' });
    // Bad bodies: an unknown switch, a non-boolean.
    const bad = await alice.client.put(settingsPath(alice), { sandboxedTools: { python: 'yes', perl: true } });
    expect(bad.status).toBe(400);
  });

  it('only an admin switches them on; the change is audited; another workspace is 404', async () => {
    const put = await alice.client.put(settingsPath(alice), { sandboxedTools: { python: true, shell: true } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ sandboxedTools: { python: true, shell: true, network: false } });
    expect(typeof put.body.updatedAt).toBe('string');
    expect((await alice.client.put(settingsPath(bob), { sandboxedTools: { python: true } })).status).toBe(404);
    expect((await bob.client.get(settingsPath(bob))).body.sandboxedTools.python).toBe(false);
    await waitFor(
      () => published.find((p) => p.includes('WorkspaceSettingsChanged') && p.includes(alice.workspaceId)),
      'the audit event',
    );
  });

  it('runs a registered python tool node with args and a referenced secret, streaming its lines as log messages', async () => {
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Count Words',
      kind: 'python',
      config: {
        code: [
          'import os, sys',
          'words = args["text"].split()',
          'for w in words:',
          '    print("word:", w)',
          'print("token ok" if os.environ["GH"].startswith("sk-sandbox-marker-") else "no token", file=sys.stderr)',
          'print("leak?", os.environ["GH"])',
          'result = {"count": len(words), "env": sorted(os.environ)}',
        ].join('\n'),
        env: { GH: '{{ secrets.gh_token }}' },
      },
    });
    expect(tool.status).toBe(201);
    const workflowId = await createWorkflow(
      alice.client,
      `wf-${randomUUID()}`,
      line([
        { id: 'count', type: 'tool', config: { toolId: tool.body.id, args: { text: '{{ input.text }}' } } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.count.output.result }}' } },
      ]),
    );
    const started = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { text: 'one two three' } });
    const executionId = started.body.executionId as string;
    const live = await watchExecution(platform.wsUrl, executionId, alice.token);
    await live.closed;
    const view = (await alice.client.get(`/api/v1/executions/${executionId}`)).body;
    expect(view.status).toBe('completed');
    expect(view.output).toEqual({ count: 3, env: ['ARGS', 'GH', 'HOME', 'LANG', 'PATH', 'PWD', 'TMPDIR'] });
    expect(view.nodes.count.output.stdout).toContain('leak? ***');
    const logs = live.messages.filter((m) => m.type === 'log');
    expect(logs).toEqual(
      expect.arrayContaining([
        { type: 'log', nodeId: 'count', stream: 'stdout', line: 'word: one' },
        { type: 'log', nodeId: 'count', stream: 'stdout', line: 'word: three' },
        { type: 'log', nodeId: 'count', stream: 'stderr', line: 'token ok' },
        { type: 'log', nodeId: 'count', stream: 'stdout', line: 'leak? ***' },
      ]),
    );
    expect(JSON.stringify(live.messages)).not.toContain(SECRET);
    const events = (await alice.client.get(`/api/v1/executions/${executionId}/events?limit=500`)).body.items;
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(published.join('\n')).not.toContain(SECRET);
  });

  it('runs inline shell and builtin tool nodes', async () => {
    const executionId = await run(
      alice,
      line([
        {
          id: 'sh',
          type: 'tool',
          config: { tool: { kind: 'shell', command: 'echo "{\\"n\\": $(echo "$ARGS" | wc -c)}"' }, args: { a: 1 } },
        },
        {
          id: 'parse',
          type: 'tool',
          config: { tool: { kind: 'builtin', operation: 'json_parse' }, args: { text: '{"x":[1,2]}' } },
        },
        {
          id: 'tpl',
          type: 'tool',
          config: {
            tool: {
              kind: 'builtin',
              operation: 'text_template',
              options: { template: 'Hi {{ args.who }}, x={{ nodes.parse.output.x }}' },
            },
            args: { who: '{{ input.who }}' },
          },
        },
        { id: 'nap', type: 'tool', config: { tool: { kind: 'builtin', operation: 'sleep' }, args: { seconds: 0.05 } } },
        {
          id: 'notify',
          type: 'tool',
          config: {
            tool: { kind: 'builtin', operation: 'webhook_notify', options: { url: `${hook.url}/notify` } },
            args: { done: true },
          },
        },
        {
          id: 'noop',
          type: 'tool',
          config: { tool: { kind: 'builtin', operation: 'noop' }, args: { keep: '{{ nodes.tpl.output.text }}' } },
        },
      ]),
      { who: 'Ada' },
    );
    const view = await finished(alice, executionId);
    expect(view.status).toBe('completed');
    expect(view.nodes.sh.output).toMatchObject({ result: { n: 8 }, exitCode: 0 });
    expect(view.nodes.parse.output).toEqual({ x: [1, 2] });
    expect(view.nodes.tpl.output).toEqual({ text: 'Hi Ada, x=[1,2]' });
    expect(view.nodes.nap.output.sleptMs).toBeGreaterThanOrEqual(45);
    expect(view.nodes.notify.output).toMatchObject({ status: 200, body: { ok: true } });
    expect(view.nodes.noop.output).toEqual({ keep: 'Hi Ada, x=[1,2]' });
    expect(hook.received.filter((r) => r.path === '/notify').map((r) => JSON.parse(r.body))).toEqual([{ done: true }]);
  });

  it('escapes fail their node with a specific code, and the runner keeps serving', async () => {
    const escapes: Array<[string, Record<string, unknown>, string]> = [
      ['mem', { kind: 'python', code: 'x = bytearray(10 * 1024 ** 3)' }, 'sandbox_memory_limit'],
      ['fork', { kind: 'python', code: 'import os\nwhile True:\n    os.fork()', timeoutMs: 10_000 }, 'sandbox_process_limit'],
      ['loop', { kind: 'python', code: 'while True:\n    pass', cpuSeconds: 1, timeoutMs: 10_000 }, 'sandbox_cpu_limit'],
      ['write', { kind: 'python', code: 'open("/etc/escape", "w").write("x")' }, 'sandbox_write_denied'],
      [
        'pg',
        { kind: 'python', code: 'import socket\nsocket.create_connection(("127.0.0.1", 5432), timeout=2)' },
        'sandbox_network_denied',
      ],
      [
        'nats',
        { kind: 'shell', command: 'python3 -c "import socket; socket.create_connection((\'127.0.0.1\', 4222))"' },
        'sandbox_network_denied',
      ],
    ];
    const ids = await Promise.all(escapes.map(([id, tool]) => run(alice, line([{ id, type: 'tool', config: { tool } }]))));
    const views = await Promise.all(ids.map((id) => finished(alice, id)));
    escapes.forEach(([id, , code], i) => {
      expect({ id, status: views[i].status, code: views[i].nodes[id].error?.code }).toEqual({ id, status: 'failed', code });
    });
    // /proc/self/environ: only the scrubbed environment (no platform variable, no unreferenced secret).
    const environ = await run(
      alice,
      line([
        { id: 'env', type: 'tool', config: { tool: { kind: 'python', code: 'result = open("/proc/self/environ").read()' } } },
      ]),
    );
    const envView = await finished(alice, environ);
    const seen = String(envView.nodes.env.output.result);
    expect(seen).not.toMatch(/DATABASE_URL|NATS|FLOWSTACK|MASTER_KEY/);
    expect(seen).not.toContain(SECRET);
    const after = await run(
      alice,
      line([{ id: 'ok', type: 'tool', config: { tool: { kind: 'python', code: 'result = 41 + 1' } } }]),
    );
    expect((await finished(alice, after)).nodes.ok.output.result).toBe(42);
  });

  it('an agent calls a registered python tool', async () => {
    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Square',
      description: 'Squares a number',
      kind: 'python',
      config: { code: 'result = {"square": args["n"] ** 2}' },
      inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    });
    expect(tool.status).toBe(201);
    const credential = await alice.client.post('/api/v1/credentials', { name: 'llm', kind: 'api_key', value: 'sk-llm' });
    const agent = await alice.client.post('/api/v1/agents', {
      name: `squarer-${randomUUID()}`,
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseUrl: openai.baseUrl,
      credentialId: credential.body.id,
    });
    expect(agent.status).toBe(201);
    expect((await alice.client.post(`/api/v1/agents/${agent.body.id}/tools`, { toolId: tool.body.id })).status).toBe(201);
    openai.enqueue(
      fakeReply.toolCalls([{ id: 'call_1', name: tool.body.modelName, arguments: { n: 12 } }]),
      fakeReply.text('12 squared is 144.'),
    );
    const executionId = await run(
      alice,
      line([{ id: 'ask', type: 'agent_call', config: { agentId: agent.body.id, prompt: 'Square 12.' } }]),
    );
    const view = await finished(alice, executionId);
    expect(view.status).toBe('completed');
    expect(view.nodes.ask.output.text).toBe('12 squared is 144.');
    const toolMessage = openai.requests.at(-1)!.body.messages.at(-1);
    expect(toolMessage).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(String(toolMessage.content)).toContain('"square":144');
  });
});
