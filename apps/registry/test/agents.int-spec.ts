import { randomUUID } from 'node:crypto';
import { Rpc, type AgentToolView, type AgentView, type CredentialView, type Page, type ToolView } from '@flowstack/contracts';
import { inWorkspace, startRegistry, type RegistryHarness } from './registry.harness';

let h: RegistryHarness;
const workspace = randomUUID();
const editor = () => inWorkspace(workspace, 'editor');
let credential: CredentialView;

beforeAll(async () => {
  h = await startRegistry();
  credential = await h.call<CredentialView>(
    Rpc.registry.credentialCreate,
    { name: 'llm_key', kind: 'api_key', value: 'sk-x' },
    inWorkspace(workspace, 'admin'),
  );
  // python and shell tools are refused until an admin enables them (workspace-settings.int-spec.ts).
  await h.call(
    Rpc.registry.workspaceSettingsUpdate,
    { sandboxedTools: { python: true, shell: true } },
    inWorkspace(workspace, 'admin'),
  );
});
afterAll(async () => {
  await h?.close();
});

const createAgent = (body: object, ctx = editor()) => h.call<AgentView>(Rpc.registry.agentCreate, body, ctx);
const createTool = (body: object, ctx = editor()) => h.call<ToolView>(Rpc.registry.toolCreate, body, ctx);
const httpTool = (name: string) => ({
  name,
  kind: 'http',
  config: { url: 'https://api.example.com/{{ args.city }}', method: 'GET' },
});
const invalidAt = (path: string) => ({
  code: 'validation_failed',
  errors: expect.arrayContaining([expect.objectContaining({ path })]),
});

describe('agents', () => {
  it('creates an agent with defaults (slug from the name, maxSteps 10, costPerRun 0) and reads it back', async () => {
    const agent = await createAgent({
      name: 'Grant Critic',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      credentialId: credential.id,
    });
    expect(agent).toEqual({
      id: expect.any(String),
      name: 'Grant Critic',
      slug: 'grant-critic',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      parameters: {},
      credentialId: credential.id,
      costPerRun: 0,
      maxSteps: 10,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await h.call(Rpc.registry.agentGet, { id: agent.id }, inWorkspace(workspace, 'viewer'))).toEqual(agent);
  });

  it('keeps every field given, and a PATCH changes only the given ones (null clears)', async () => {
    const agent = await createAgent({
      name: 'Local',
      slug: 'local-llm',
      description: 'vLLM on the LAN',
      provider: 'openai_compatible',
      model: 'llama-3.1-8b',
      systemPrompt: 'Be brief.',
      parameters: { temperature: 0.2, maxTokens: 512, topP: 0.9, stop: ['END'] },
      baseUrl: 'http://127.0.0.1:8000/v1',
      costPerRun: 1500,
      maxSteps: 4,
    });
    expect(agent).toMatchObject({
      slug: 'local-llm',
      baseUrl: 'http://127.0.0.1:8000/v1',
      costPerRun: 1500,
      maxSteps: 4,
      parameters: { stop: ['END'] },
    });
    const patched = await h.call<AgentView>(
      Rpc.registry.agentUpdate,
      { id: agent.id, description: null, model: 'qwen2.5', maxSteps: 6 },
      editor(),
    );
    expect(patched).toMatchObject({
      model: 'qwen2.5',
      maxSteps: 6,
      systemPrompt: 'Be brief.',
      baseUrl: 'http://127.0.0.1:8000/v1',
    });
    expect(patched.description).toBeUndefined();
    await expect(h.call(Rpc.registry.agentUpdate, { id: agent.id, baseUrl: null }, editor())).rejects.toMatchObject(
      invalidAt('baseUrl'),
    );
    const { rows } = await h.sql.query(
      'select type, data from event_store.events where stream_id = $1 order by stream_position',
      [`agent-${agent.id}`],
    );
    expect(rows.map((r) => r.type)).toEqual(['AgentCreated', 'AgentUpdated']);
    expect(rows[1].data.changed).toEqual(['description', 'model', 'maxSteps']);
  });

  it.each([
    ['a provider not in the list', { name: 'a', provider: 'mistral', model: 'm' }, 'provider'],
    ['openai_compatible without a baseUrl', { name: 'a', provider: 'openai_compatible', model: 'm' }, 'baseUrl'],
    ['a baseUrl that is not http(s)', { name: 'a', provider: 'openai', model: 'm', baseUrl: 'ftp://x' }, 'baseUrl'],
    ['a baseUrl with user:password', { name: 'a', provider: 'openai', model: 'm', baseUrl: 'https://u:p@x.example' }, 'baseUrl'],
    ['a credentialId that is not a uuid', { name: 'a', provider: 'openai', model: 'm', credentialId: 'k' }, 'credentialId'],
    ['an unknown credential', { name: 'a', provider: 'openai', model: 'm', credentialId: randomUUID() }, 'credentialId'],
    [
      'a temperature above 2',
      { name: 'a', provider: 'openai', model: 'm', parameters: { temperature: 3 } },
      'parameters.temperature',
    ],
    ['an unknown parameter', { name: 'a', provider: 'openai', model: 'm', parameters: { temprature: 1 } }, 'parameters'],
    ['maxSteps 0', { name: 'a', provider: 'openai', model: 'm', maxSteps: 0 }, 'maxSteps'],
    ['a fractional costPerRun', { name: 'a', provider: 'openai', model: 'm', costPerRun: 1.5 }, 'costPerRun'],
    ['a bad slug', { name: 'a', slug: 'Not A Slug', provider: 'openai', model: 'm' }, 'slug'],
    ['no model', { name: 'a', provider: 'openai' }, 'model'],
  ])('refuses %s with validation_failed at its path', async (_what, body, path) => {
    await expect(createAgent(body)).rejects.toMatchObject(invalidAt(path));
  });

  it("refuses another workspace's credential as if it did not exist (400 at credentialId)", async () => {
    const foreign = await h.call<CredentialView>(
      Rpc.registry.credentialCreate,
      { name: 'theirs', kind: 'api_key', value: 'sk-theirs' },
      inWorkspace(randomUUID(), 'admin'),
    );
    await expect(createAgent({ name: 'thief', provider: 'openai', model: 'm', credentialId: foreign.id })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'credentialId', rule: 'unknown_credential', message: 'no credential with this id in this workspace' }],
    });
    const mine = await createAgent({ name: 'honest', provider: 'openai', model: 'm' });
    await expect(h.call(Rpc.registry.agentUpdate, { id: mine.id, credentialId: foreign.id }, editor())).rejects.toMatchObject(
      invalidAt('credentialId'),
    );
  });

  it('answers conflict at slug for a duplicate among live agents; deleting frees the slug', async () => {
    const first = await createAgent({ name: 'Twin', provider: 'openai', model: 'm' });
    await expect(createAgent({ name: 'twin', provider: 'glm', model: 'glm-4.6' })).rejects.toMatchObject({
      code: 'conflict',
      errors: [expect.objectContaining({ path: 'slug' })],
    });
    const other = await createAgent({ name: 'Other', provider: 'openai', model: 'm' });
    await expect(h.call(Rpc.registry.agentUpdate, { id: other.id, slug: 'twin' }, editor())).rejects.toMatchObject({
      code: 'conflict',
    });
    await h.call(Rpc.registry.agentDelete, { id: first.id }, editor());
    await expect(h.call(Rpc.registry.agentGet, { id: first.id }, editor())).rejects.toMatchObject({
      code: 'not_found',
      message: 'agent not found',
    });
    await createAgent({ name: 'twin', provider: 'glm', model: 'glm-4.6' });
  });

  it('pages the list by cursor without repeats', async () => {
    const ws = randomUUID();
    for (let i = 0; i < 5; i++)
      await createAgent({ name: `paged ${i}`, provider: 'openai', model: 'm' }, inWorkspace(ws, 'editor'));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: Page<AgentView> = await h.call(
        Rpc.registry.agentList,
        { limit: 2, ...(cursor ? { cursor } : {}) },
        inWorkspace(ws, 'viewer'),
      );
      seen.push(...page.items.map((a) => a.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Every agent once (two created in the same millisecond are ordered by id, so only the set is fixed).
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual(['paged 0', 'paged 1', 'paged 2', 'paged 3', 'paged 4']);
    await expect(h.call(Rpc.registry.agentList, { cursor: 'garbage' }, inWorkspace(ws, 'viewer'))).rejects.toMatchObject(
      invalidAt('cursor'),
    );
  });

  it('lets viewers read only', async () => {
    await expect(
      createAgent({ name: 'v', provider: 'openai', model: 'm' }, inWorkspace(workspace, 'viewer')),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('tools', () => {
  it('creates each kind with its config and derives the name the model sees', async () => {
    const http = await createTool({
      ...httpTool('Weather Lookup'),
      description: 'Current weather',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    });
    expect(http).toMatchObject({
      name: 'Weather Lookup',
      modelName: 'weather_lookup',
      kind: 'http',
      inputSchema: { required: ['city'] },
    });
    const mcp = await createTool({
      name: 'crawl',
      kind: 'mcp',
      config: {
        transport: 'streamable_http',
        serverUrl: 'http://127.0.0.1:3001/mcp',
        credentialId: credential.id,
        allowedTools: ['fetch'],
      },
    });
    expect(mcp.inputSchema).toEqual({ type: 'object', properties: {} });
    await createTool({
      name: 'stdio mcp',
      kind: 'mcp',
      config: { transport: 'stdio', command: 'npx', args: ['server-everything'] },
    });
    await createTool({ name: 'py', kind: 'python', config: { code: 'print({{1}})' } });
    await createTool({ name: 'sh', kind: 'shell', config: { command: 'echo hi' } });
    const builtin = await createTool({ name: 'parse json', kind: 'builtin', config: { operation: 'json_parse' } });
    expect(builtin.modelName).toBe('parse_json');
    expect(await h.call(Rpc.registry.toolGet, { id: http.id }, inWorkspace(workspace, 'viewer'))).toEqual(http);
  });

  it.each([
    ['an unknown kind', { name: 't', kind: 'ftp', config: {} }, 'kind'],
    ['an http tool without a method', { name: 't', kind: 'http', config: { url: 'https://x' } }, 'config.method'],
    [
      'an http tool with a file: url',
      { name: 't', kind: 'http', config: { url: 'file:///etc/passwd', method: 'GET' } },
      'config.url',
    ],
    [
      'an http tool with a timeout of 0',
      { name: 't', kind: 'http', config: { url: 'https://x', method: 'GET', timeoutMs: 0 } },
      'config.timeoutMs',
    ],
    [
      'an http template that does not compile',
      { name: 't', kind: 'http', config: { url: 'https://x/{{ args. }}', method: 'GET' } },
      'config.url',
    ],
    [
      'an mcp tool with an unknown transport',
      { name: 't', kind: 'mcp', config: { transport: 'ws', serverUrl: 'http://x' } },
      'config.transport',
    ],
    ['an http mcp tool without a serverUrl', { name: 't', kind: 'mcp', config: { transport: 'sse' } }, 'config.serverUrl'],
    ['a stdio mcp tool without a command', { name: 't', kind: 'mcp', config: { transport: 'stdio' } }, 'config.command'],
    [
      'an mcp tool with an unknown credential',
      { name: 't', kind: 'mcp', config: { transport: 'sse', serverUrl: 'http://x', credentialId: randomUUID() } },
      'config.credentialId',
    ],
    ['python without code', { name: 't', kind: 'python', config: {} }, 'config.code'],
    ['shell with an extra field', { name: 't', kind: 'shell', config: { command: 'ls', netwrok: true } }, 'config'],
    [
      'python with a memory limit too large',
      { name: 't', kind: 'python', config: { code: 'x', memoryMb: 1_000_000 } },
      'config.memoryMb',
    ],
    [
      'a shell env template that does not compile',
      { name: 't', kind: 'shell', config: { command: 'ls', env: { A: '{{ 1 + }}' } } },
      'config.env.A',
    ],
    [
      'a builtin operation that does not exist',
      { name: 't', kind: 'builtin', config: { operation: 'rm_rf' } },
      'config.operation',
    ],
    ['an inputSchema that is not a JSON Schema', { ...httpTool('t'), inputSchema: { type: 'objekt' } }, 'inputSchema.type'],
    ['an inputSchema that is not an object schema', { ...httpTool('t'), inputSchema: { type: 'string' } }, 'inputSchema.type'],
    [
      'an inputSchema pattern RE2 cannot run',
      { ...httpTool('t'), inputSchema: { type: 'object', properties: { a: { type: 'string', pattern: '(a)\\1' } } } },
      'inputSchema.properties.a.pattern',
    ],
    ['a name without a letter or digit', { ...httpTool('***') }, 'name'],
  ])('refuses %s with validation_failed at its path', async (_what, body, path) => {
    await expect(createTool(body)).rejects.toMatchObject(invalidAt(path));
  });

  it('answers conflict at name when two tools would look the same to the model', async () => {
    await createTool(httpTool('Same Name'));
    await expect(createTool(httpTool('same-name'.replace('-', ' ')))).rejects.toMatchObject({
      code: 'conflict',
      errors: [expect.objectContaining({ path: 'name' })],
    });
  });

  it('PATCH checks a new config against the kind, or against a new kind given with it', async () => {
    const tool = await createTool(httpTool('patchable'));
    await expect(h.call(Rpc.registry.toolUpdate, { id: tool.id, config: { url: 'https://x' } }, editor())).rejects.toMatchObject(
      invalidAt('config.method'),
    );
    await expect(h.call(Rpc.registry.toolUpdate, { id: tool.id, kind: 'shell' }, editor())).rejects.toMatchObject(
      invalidAt('config'),
    );
    const changed = await h.call<ToolView>(
      Rpc.registry.toolUpdate,
      { id: tool.id, kind: 'shell', config: { command: 'date' }, name: 'Clock' },
      editor(),
    );
    expect(changed).toMatchObject({ kind: 'shell', config: { command: 'date' }, name: 'Clock', modelName: 'clock' });
    await expect(h.call(Rpc.registry.toolUpdate, { id: tool.id, inputSchema: { type: 1 } }, editor())).rejects.toMatchObject(
      invalidAt('inputSchema.type'),
    );
  });
});

describe('agent-tool links', () => {
  it('links, lists (cursor pages, newest first), refuses a duplicate with 409 and unlinks', async () => {
    const agent = await createAgent({ name: 'Linker', provider: 'openai', model: 'm' });
    const tools: ToolView[] = [];
    for (let i = 0; i < 5; i++) tools.push(await createTool(httpTool(`link tool ${i}`)));
    for (const t of tools) {
      const linked = await h.call<AgentToolView>(Rpc.registry.agentToolLink, { agentId: agent.id, toolId: t.id }, editor());
      expect(linked).toMatchObject({ id: t.id, modelName: t.modelName, linkedAt: expect.any(String) });
    }
    await expect(h.call(Rpc.registry.agentToolLink, { agentId: agent.id, toolId: tools[0].id }, editor())).rejects.toMatchObject({
      code: 'conflict',
      errors: [expect.objectContaining({ path: 'toolId' })],
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: Page<AgentToolView> = await h.call(
        Rpc.registry.agentToolList,
        { agentId: agent.id, limit: 2, ...(cursor ? { cursor } : {}) },
        editor(),
      );
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual(tools.map((t) => t.id).sort());
    await h.call(Rpc.registry.agentToolUnlink, { agentId: agent.id, toolId: tools[1].id }, editor());
    await expect(
      h.call(Rpc.registry.agentToolUnlink, { agentId: agent.id, toolId: tools[1].id }, editor()),
    ).rejects.toMatchObject({ code: 'not_found' });
    // A deleted tool drops out of the agent's list.
    await h.call(Rpc.registry.toolDelete, { id: tools[2].id }, editor());
    const after = await h.call<Page<AgentToolView>>(Rpc.registry.agentToolList, { agentId: agent.id }, editor());
    expect(after.items.map((t) => t.id).sort()).toEqual([tools[0].id, tools[3].id, tools[4].id].sort());
    const { rows } = await h.sql.query(`select type from event_store.events where stream_id = $1 and type like 'AgentTool%'`, [
      `agent-${agent.id}`,
    ]);
    expect(rows.map((r) => r.type)).toEqual([...Array(5).fill('AgentToolLinked'), 'AgentToolUnlinked']);
  });

  it('answers not_found for an unknown tool, an unknown agent and a tool of another workspace', async () => {
    const agent = await createAgent({ name: 'Lonely', provider: 'openai', model: 'm' });
    const foreignTool = await createTool(httpTool('foreign tool'), inWorkspace(randomUUID(), 'editor'));
    await expect(h.call(Rpc.registry.agentToolLink, { agentId: agent.id, toolId: randomUUID() }, editor())).rejects.toMatchObject(
      { code: 'not_found', message: 'tool not found' },
    );
    await expect(
      h.call(Rpc.registry.agentToolLink, { agentId: agent.id, toolId: foreignTool.id }, editor()),
    ).rejects.toMatchObject({ code: 'not_found', message: 'tool not found' });
    await expect(
      h.call(Rpc.registry.agentToolLink, { agentId: randomUUID(), toolId: foreignTool.id }, editor()),
    ).rejects.toMatchObject({ code: 'not_found', message: 'agent not found' });
    await expect(h.call(Rpc.registry.agentToolLink, { agentId: agent.id }, editor())).rejects.toMatchObject(invalidAt('toolId'));
  });
});

describe('workflows naming registered tools', () => {
  const graphWithTool = (toolId: string) => ({
    entry_point: 'start',
    nodes: [
      { id: 'start', type: 'input', config: {} },
      { id: 'call', type: 'tool', config: { toolId, args: { q: '{{ input.q }}' } } },
      { id: 'end', type: 'output', config: { value: 'done' } },
    ],
    edges: [
      { from: 'start', to: 'call' },
      { from: 'call', to: 'end' },
    ],
  });

  it('saves a graph whose tool node names a live tool of the workspace', async () => {
    const tool = await createTool(httpTool('graph tool'));
    const wf = await h.call<{ id: string }>(
      Rpc.registry.workflowCreate,
      { name: 'uses a tool', graph: graphWithTool(tool.id) },
      editor(),
    );
    expect(wf.id).toEqual(expect.any(String));
  });

  it.each([
    ['an unknown tool', () => Promise.resolve(randomUUID())],
    [
      'a tool of another workspace',
      async () => (await createTool(httpTool('their graph tool'), inWorkspace(randomUUID(), 'editor'))).id,
    ],
    [
      'a deleted tool',
      async () => {
        const t = await createTool(httpTool(`deleted graph tool ${randomUUID()}`));
        await h.call(Rpc.registry.toolDelete, { id: t.id }, editor());
        return t.id;
      },
    ],
  ])('refuses a graph naming %s with invalid_graph at the node', async (_what, toolIdOf) => {
    const toolId = await toolIdOf();
    await expect(
      h.call(Rpc.registry.workflowCreate, { name: 'dangling', graph: graphWithTool(toolId) }, editor()),
    ).rejects.toMatchObject({
      code: 'invalid_graph',
      errors: [
        {
          path: 'graph.nodes[1].config.toolId',
          nodeId: 'call',
          rule: 'unknown_tool',
          message: `no tool with id "${toolId}" in this workspace`,
        },
      ],
    });
  });

  it('checks a new version too', async () => {
    const tool = await createTool(httpTool('versioned graph tool'));
    const wf = await h.call<{ id: string }>(
      Rpc.registry.workflowCreate,
      { name: 'v1 ok', graph: graphWithTool(tool.id) },
      editor(),
    );
    await expect(
      h.call(Rpc.registry.workflowUpdate, { id: wf.id, graph: graphWithTool(randomUUID()) }, editor()),
    ).rejects.toMatchObject({
      code: 'invalid_graph',
    });
  });
});
