import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { namespaceOf, subject } from '@flowstack/contracts';
import { startPlatform, TEST_NATS_URL, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, registerTenant, type Tenant } from './api-client';

jest.setTimeout(120_000);

/**
 * Credentials, agents, tools and agent-tool links end to end through the gateway: CRUD as a
 * client calls it, problem+json with field paths for every bad input, another workspace's ids as
 * 404 on every route, and a credential's value nowhere but sealed in its row: not in any answer,
 * audit row, published event or service log.
 */
describe('agents, tools and credentials through the gateway', () => {
  const MARKER = `sk-e2e-marker-${randomUUID()}`;
  const ROTATED = `sk-e2e-rotated-${randomUUID()}`;
  let platform: TestPlatform;
  let api: ApiClient;
  let alice: Tenant;
  let bob: Tenant;
  let nc: NatsConnection;
  let events: Subscription;
  const published: string[] = [];
  const answers: string[] = [];

  /** Every answer is kept, so the last test can look for the secret in all of them. */
  const call = async (client: ApiClient, method: string, path: string, body?: unknown) => {
    const res = await client.call(method, path, body);
    answers.push(JSON.stringify(res.body ?? null));
    return res;
  };

  beforeAll(async () => {
    platform = await startPlatform({ label: 'agents', env: { LOG_LEVEL: 'verbose' } });
    api = new ApiClient(platform.baseUrl);
    nc = await connect({ servers: TEST_NATS_URL });
    events = nc.subscribe(subject(namespaceOf(platform.env.FLOWSTACK_NS), 'events.>'));
    void (async () => {
      for await (const m of events) published.push(`${m.subject} ${m.string()}`);
    })();
    alice = await registerTenant(api, 'alice');
    bob = await registerTenant(api, 'bob');
  });

  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
  });

  let credentialId: string;
  let agentId: string;
  let toolId: string;

  it('creates a credential and never answers its value; rotates it with PATCH', async () => {
    const created = await call(alice.client, 'POST', '/api/v1/credentials', {
      name: 'openai_prod',
      kind: 'api_key',
      value: MARKER,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'openai_prod', kind: 'api_key', keyVersion: 1 });
    expect(created.body).not.toHaveProperty('value');
    credentialId = created.body.id;
    const list = await call(alice.client, 'GET', '/api/v1/credentials?limit=10');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: any) => c.id)).toEqual([credentialId]);
    const rotated = await call(alice.client, 'PATCH', `/api/v1/credentials/${credentialId}`, { value: ROTATED });
    expect(rotated.status).toBe(200);
    expect((await call(alice.client, 'GET', `/api/v1/credentials/${credentialId}`)).body).toEqual(rotated.body);
  });

  it('creates, patches and reads an agent using the credential', async () => {
    const created = await call(alice.client, 'POST', '/api/v1/agents', {
      name: 'Grant Optimist',
      provider: 'openai',
      model: 'gpt-4o-mini',
      systemPrompt: 'Find reasons to apply.',
      parameters: { temperature: 0.7 },
      credentialId,
      costPerRun: 2000,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'grant-optimist', maxSteps: 10, credentialId, costPerRun: 2000 });
    agentId = created.body.id;
    const patched = await call(alice.client, 'PATCH', `/api/v1/agents/${agentId}`, {
      maxSteps: 3,
      baseUrl: 'https://proxy.example.com/v1',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      maxSteps: 3,
      baseUrl: 'https://proxy.example.com/v1',
      systemPrompt: 'Find reasons to apply.',
    });
    const dup = await call(alice.client, 'POST', '/api/v1/agents', { name: 'grant optimist', provider: 'glm', model: 'glm-4.6' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([expect.objectContaining({ path: 'slug' })]);
  });

  it('creates a tool, links it to the agent (409 on the second link), lists and unlinks', async () => {
    const created = await call(alice.client, 'POST', '/api/v1/tools', {
      name: 'Search Grants',
      kind: 'http',
      config: { url: 'https://grants.example.com/search?q={{ args.query }}', method: 'GET', timeoutMs: 5000 },
      inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.modelName).toBe('search_grants');
    toolId = created.body.id;
    const linked = await call(alice.client, 'POST', `/api/v1/agents/${agentId}/tools`, { toolId });
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({ id: toolId, linkedAt: expect.any(String) });
    expect((await call(alice.client, 'POST', `/api/v1/agents/${agentId}/tools`, { toolId })).status).toBe(409);
    const list = await call(alice.client, 'GET', `/api/v1/agents/${agentId}/tools`);
    expect(list.body).toEqual({ items: [linked.body], nextCursor: null });
    const patched = await call(alice.client, 'PATCH', `/api/v1/tools/${toolId}`, { description: 'Searches the grant database' });
    expect(patched.body.description).toBe('Searches the grant database');
    // Unlink, then link again for the tenancy checks below.
    expect((await call(alice.client, 'DELETE', `/api/v1/agents/${agentId}/tools/${toolId}`)).status).toBe(204);
    expect((await call(alice.client, 'DELETE', `/api/v1/agents/${agentId}/tools/${toolId}`)).status).toBe(404);
    expect((await call(alice.client, 'POST', `/api/v1/agents/${agentId}/tools`, { toolId })).status).toBe(201);
  });

  it.each([
    ['POST', '/api/v1/agents', { name: 'x', provider: 'mistral', model: 'm' }, 'provider'],
    ['POST', '/api/v1/agents', { name: 'x', provider: 'openai_compatible', model: 'm' }, 'baseUrl'],
    ['POST', '/api/v1/agents', { name: 'x', provider: 'openai', model: 'm', baseUrl: 'not a url' }, 'baseUrl'],
    ['POST', '/api/v1/agents', { name: 'x', provider: 'openai', model: 'm', credentialId: randomUUID() }, 'credentialId'],
    ['POST', '/api/v1/tools', { name: 't', kind: 'http', config: { url: 'https://x', method: 'FETCH' } }, 'config.method'],
    ['POST', '/api/v1/tools', { name: 't', kind: 'mcp', config: { transport: 'sse' } }, 'config.serverUrl'],
    ['POST', '/api/v1/tools', { name: 't', kind: 'builtin', config: { operation: 'nope' } }, 'config.operation'],
    [
      'POST',
      '/api/v1/tools',
      { name: 't', kind: 'shell', config: { command: 'ls' }, inputSchema: { type: 'object', required: 'a' } },
      'inputSchema.required',
    ],
    [
      'POST',
      '/api/v1/tools',
      { name: 't', kind: 'python', config: { code: 'x' }, inputSchema: { type: 'array' } },
      'inputSchema.type',
    ],
    ['POST', '/api/v1/credentials', { name: 'c', kind: 'ssh_key', value: 'x' }, 'kind'],
    ['POST', '/api/v1/credentials', { name: 'c', kind: 'basic_auth', value: { username: 'u' } }, 'value.password'],
    ['POST', '/api/v1/agents/{agent}/tools', {}, 'toolId'],
  ])('%s %s %j answers problem+json 400 at %s', async (method, path, body, field) => {
    const res = await alice.client.call(method, path.replace('{agent}', agentId), body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      errors: expect.arrayContaining([expect.objectContaining({ path: field })]),
    });
  });

  it("refuses another workspace's credential on an agent with 400 at credentialId", async () => {
    const res = await call(bob.client, 'POST', '/api/v1/agents', { name: 'thief', provider: 'openai', model: 'm', credentialId });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'credentialId', rule: 'unknown_credential' })]);
  });

  it("answers 404 to another workspace on every route of alice's rows", async () => {
    const bobTool = (
      await call(bob.client, 'POST', '/api/v1/tools', { name: 'bob tool', kind: 'builtin', config: { operation: 'noop' } })
    ).body.id;
    const bobAgent = (await call(bob.client, 'POST', '/api/v1/agents', { name: 'bob agent', provider: 'openai', model: 'm' }))
      .body.id;
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/v1/credentials/${credentialId}`],
      ['PATCH', `/api/v1/credentials/${credentialId}`, { value: 'sk-bob' }],
      ['DELETE', `/api/v1/credentials/${credentialId}`],
      ['GET', `/api/v1/agents/${agentId}`],
      ['PATCH', `/api/v1/agents/${agentId}`, { model: 'evil' }],
      ['DELETE', `/api/v1/agents/${agentId}`],
      ['GET', `/api/v1/agents/${agentId}/tools`],
      ['POST', `/api/v1/agents/${agentId}/tools`, { toolId: bobTool }],
      ['POST', `/api/v1/agents/${bobAgent}/tools`, { toolId }],
      ['DELETE', `/api/v1/agents/${agentId}/tools/${toolId}`],
      ['GET', `/api/v1/tools/${toolId}`],
      ['PATCH', `/api/v1/tools/${toolId}`, { name: 'evil' }],
      ['DELETE', `/api/v1/tools/${toolId}`],
    ];
    for (const [method, path, body] of probes) {
      const res = await call(bob.client, method, path, body);
      expect({ method, path, status: res.status, code: res.body?.code }).toEqual({
        method,
        path,
        status: 404,
        code: 'not_found',
      });
    }
    expect((await call(bob.client, 'GET', '/api/v1/credentials')).body.items).toEqual([]);
    expect((await call(alice.client, 'GET', `/api/v1/agents/${agentId}/tools`)).body.items.map((t: any) => t.id)).toEqual([
      toolId,
    ]);
  });

  it('deletes in order: a credential in use answers 409 until its agent is gone', async () => {
    expect((await call(alice.client, 'DELETE', `/api/v1/credentials/${credentialId}`)).status).toBe(409);
    expect((await call(alice.client, 'DELETE', `/api/v1/agents/${agentId}`)).status).toBe(204);
    expect((await call(alice.client, 'GET', `/api/v1/agents/${agentId}`)).status).toBe(404);
    expect((await call(alice.client, 'DELETE', `/api/v1/tools/${toolId}`)).status).toBe(204);
    expect((await call(alice.client, 'DELETE', `/api/v1/credentials/${credentialId}`)).status).toBe(204);
  });

  it('keeps the secret out of every answer, audit row, published event and service log', async () => {
    const pool = new Pool({ connectionString: platform.env.DATABASE_URL, max: 1 });
    try {
      const audit = await pool.query<{ types: string[] }>(
        `select array_agg(type order by global_position) as types from event_store.events where stream_id = $1`,
        [`credential-${credentialId}`],
      );
      expect(audit.rows[0].types).toEqual(['CredentialCreated', 'CredentialRotated', 'CredentialDeleted']);
      // Published after commit: wait for the last audit event to reach the bus before looking.
      await waitFor(() => published.some((p) => p.includes('.credential.CredentialDeleted')), 'CredentialDeleted on the bus');
      const rows = await pool.query<{ all: string }>(
        `select string_agg(data::text || metadata::text, '\n') as all from event_store.events`,
      );
      const sealed = await pool.query<{ sealed_value: string }>('select sealed_value from registry.credentials where id = $1', [
        credentialId,
      ]);
      const logs = [...platform.services.values()].map((s) => s.output()).join('\n');
      expect(logs).toContain('registry ready');
      for (const secret of [MARKER, ROTATED]) {
        expect(answers.join('\n')).not.toContain(secret);
        expect(rows.rows[0].all).not.toContain(secret);
        expect(published.join('\n')).not.toContain(secret);
        expect(logs).not.toContain(secret);
        expect(sealed.rows[0].sealed_value).not.toContain(secret);
      }
      expect(published.join('\n')).toContain('.credential.CredentialRotated');
    } finally {
      await pool.end();
    }
  });
});
