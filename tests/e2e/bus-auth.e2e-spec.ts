import { randomUUID } from 'node:crypto';
import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { eventSubject, namespaceOf, Rpc, subject } from '@flowstack/contracts';
import { contextToHeaders, RpcClient } from '@flowstack/messaging';
import {
  HttpTarget,
  startAuthNatsServer,
  startPlatform,
  waitFor,
  type AuthNatsServer,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, watchExecution } from './api-client';

jest.setTimeout(180_000);

/** Headers anyone could write: an admin of some workspace. */
const forgedHeaders = () =>
  contextToHeaders({
    workspaceId: randomUUID(),
    actor: { id: 'mallory', type: 'user', role: 'admin' },
    correlationId: randomUUID(),
  });

/**
 * Issue 7, lesser finding: "any client on the NATS bus can call a service with forged workspace
 * headers". The platform runs here against a nats-server of its own that requires authentication,
 * every service with its own credentials (passwords and nkeys from the environment) and exactly
 * the permissions of `busPermissions` (the set deploy/nats/nats-server.conf is rendered from).
 * A workflow runs end to end through the gateway; a client without credentials cannot connect, and
 * one with wrong or insufficient credentials cannot call a service subject.
 */
describe('NATS authentication and per-service permissions', () => {
  const ns = namespaceOf(`busauth_${randomUUID().slice(0, 8)}`);
  let nats: AuthNatsServer;
  let platform: TestPlatform;
  let target: HttpTarget;
  const opened: NatsConnection[] = [];

  beforeAll(async () => {
    target = await new HttpTarget().route('POST', '/score', (req) => ({ json: { score: JSON.parse(req.body).n * 2 } })).start();
    nats = await startAuthNatsServer(ns);
    try {
      platform = await startPlatform({
        label: 'busauth',
        env: { NATS_URL: nats.url, FLOWSTACK_NS: ns.prefix },
        serviceEnv: nats.serviceEnv,
      });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nnats-server:\n${nats.output()}`);
    }
  });

  afterAll(async () => {
    await Promise.all(opened.map((nc) => nc.close().catch(() => undefined)));
    await platform?.stop();
    await nats?.stop();
    await target?.stop();
  });

  const tryConnect = async (options: Record<string, unknown>): Promise<NatsConnection> => {
    const nc = await connect({ servers: nats.url, timeout: 3_000, maxReconnectAttempts: 0, ...options });
    opened.push(nc);
    return nc;
  };

  it('runs a workflow end to end with every service on its own credentials', async () => {
    const api = new ApiClient(platform.baseUrl);
    const reg = await api.post('/api/v1/auth/register', {
      email: `auth-${randomUUID()}@example.com`,
      password: 'correct horse battery',
    });
    expect(reg.status).toBe(201);
    const client = api.as(reg.body.token);
    const wf = await client.post('/api/v1/workflows', {
      name: 'score',
      graph: {
        entry_point: 'in',
        nodes: [
          { id: 'in', type: 'input' },
          {
            id: 'score',
            type: 'tool',
            config: { tool: { kind: 'http', method: 'POST', url: `${target.url}/score`, body: { n: '{{ input.n }}' } } },
          },
          { id: 'out', type: 'output', config: { value: '{{ nodes.score.output.body }}' } },
        ],
        edges: [
          { from: 'in', to: 'score' },
          { from: 'score', to: 'out' },
        ],
      },
    });
    expect(wf.status).toBe(201);
    expect((await client.get('/api/v1/workflows')).body.items).toEqual([expect.objectContaining({ id: wf.body.id })]);
    // The version history: the gateway calls registry.workflow.versions.list and .version.get itself.
    expect((await client.get(`/api/v1/workflows/${wf.body.id}/versions`)).body.items).toEqual([
      expect.objectContaining({ version: 1 }),
    ]);
    expect((await client.get(`/api/v1/workflows/${wf.body.id}/versions/1`)).body).toMatchObject({ version: 1 });

    // The padding puts the input above the inline limit: it travels out of band (the object store),
    // written by the orchestrator and read back by the tool-runner and the gateway.
    const pad = 'x'.repeat(100_000);
    const started = await client.post(`/api/v1/workflows/${wf.body.id}/executions`, { input: { n: 21, pad } });
    expect(started.status).toBe(202);
    const live = await watchExecution(platform.wsUrl, started.body.executionId, reg.body.token);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed', output: { score: 42 } });
    expect((await client.get(`/api/v1/executions/${started.body.executionId}`)).body).toMatchObject({
      status: 'completed',
      input: { n: 21, pad },
      output: { score: 42 },
    });
    // Nothing was refused on the way: no service lacks a permission it needs (the server logs each refusal).
    expect(nats.output()).not.toMatch(/Violation/);
    for (const service of platform.services.values()) expect(service.output()).not.toMatch(/Permissions Violation/);
  });

  it('refuses a client without credentials, and one with a wrong password', async () => {
    await expect(tryConnect({})).rejects.toThrow(/Authorization Violation/i);
    await expect(tryConnect({ user: 'registry', pass: 'not-the-password' })).rejects.toThrow(/Authorization Violation/i);
    await expect(tryConnect({ user: nats.stranger.user, pass: 'guess' })).rejects.toThrow(/Authorization Violation/i);
  });

  it('does not let a connected client without permissions call a service or listen on its subject', async () => {
    const stranger = await tryConnect({ user: nats.stranger.user, pass: nats.stranger.pass });
    const list = subject(ns, Rpc.registry.workflowList);
    await expect(stranger.request(list, '{}', { timeout: 3_000, headers: forgedHeaders() })).rejects.toThrow(/permission/i);
    await expect(stranger.request(subject(ns, Rpc.identity.login), '{}', { timeout: 3_000 })).rejects.toThrow(/permission/i);

    // Subscribing to a service's subject to steal its requests is refused the same way.
    const stolen = stranger.subscribe(list);
    await expect(stolen.closed).resolves.toEqual(expect.objectContaining({ message: expect.stringMatching(/permission/i) }));
    // The server logs each refusal: what makes the clean log of the first test mean something.
    await waitFor(
      () => /Publish Violation - User "stranger", Subject "[^"]*registry\.workflow\.list"/.test(nats.output()),
      'the logged refusal',
    );
  });

  it('does not let one service call another service it does not need, with forged headers', async () => {
    const seed = nats.serviceEnv['tool-runner'].NATS_NKEY_SEED;
    const toolRunner = await tryConnect({ authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)) });
    await expect(
      toolRunner.request(subject(ns, Rpc.registry.workflowList), '{}', { timeout: 3_000, headers: forgedHeaders() }),
    ).rejects.toThrow(/permission/i);
    // Through the platform's own client the refusal is a typed error, not a raw NATS one.
    const forged = {
      workspaceId: randomUUID(),
      actor: { id: 'mallory', type: 'user' as const, role: 'admin' as const },
      correlationId: randomUUID(),
    };
    await expect(new RpcClient(toolRunner, ns, 3_000).request(Rpc.registry.workflowList, {}, forged)).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('no permission'),
    });

    // Nor can the registry, which writes workflow events, put an execution event on the bus (here
    // one billing would settle credits from).
    const registry = await tryConnect({ user: 'registry', pass: nats.serviceEnv.registry.NATS_PASSWORD });
    const forgedEvent = eventSubject(ns, randomUUID(), 'execution', 'ExecutionCompleted', true);
    await expect(registry.request(forgedEvent, '{}', { timeout: 3_000 })).rejects.toThrow(/permission/i);

    // The control: the gateway's credentials, which are meant to call the registry, get an answer.
    const gateway = await tryConnect({
      authenticator: nkeyAuthenticator(new TextEncoder().encode(nats.serviceEnv.gateway.NATS_NKEY_SEED)),
    });
    const reply = await gateway.request(subject(ns, Rpc.registry.workflowList), '{}', {
      timeout: 10_000,
      headers: forgedHeaders(),
    });
    expect(reply.json()).toEqual({ data: { items: [], nextCursor: null } });
    expect(platform.services.get('registry')!.child.exitCode).toBeNull();
  });
});
