import { randomUUID } from 'node:crypto';
import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { namespaceOf, Rpc, subject, type AgentRuntime, type SealedCredential } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { startAuthNatsServer, startPlatform, type AuthNatsServer, type TestPlatform } from '@flowstack/testing';
import { keyringFromEnv, open } from '@flowstack/vault';
import { ApiClient, registerTenant, type Tenant } from './api-client';

jest.setTimeout(180_000);

/**
 * `registry.credential.sealed` under the real per-service NATS permissions: the tool-runner's
 * credentials get the sealed value (and open it with the platform's master key); the gateway's,
 * which call every other registry subject, are refused by the server, as is any stranger. The
 * same holds for `registry.agent.runtime`, which answers the agent's credential sealed.
 */
describe('the sealed credential subject is for the tool-runner only', () => {
  const ns = namespaceOf(`sealed_${randomUUID().slice(0, 8)}`);
  let nats: AuthNatsServer;
  let platform: TestPlatform;
  let alice: Tenant;
  let credentialId: string;
  let agentId: string;
  const opened: NatsConnection[] = [];
  const SECRET = `sk-bus-${randomUUID()}`;

  beforeAll(async () => {
    nats = await startAuthNatsServer(ns);
    platform = await startPlatform({
      label: 'sealed',
      env: { NATS_URL: nats.url, FLOWSTACK_NS: ns.prefix },
      serviceEnv: nats.serviceEnv,
    });
    alice = await registerTenant(new ApiClient(platform.baseUrl), 'sealed');
    const res = await alice.client.post('/api/v1/credentials', { name: 'runner_key', kind: 'api_key', value: SECRET });
    expect(res.status).toBe(201);
    credentialId = res.body.id;
    const agent = await alice.client.post('/api/v1/agents', {
      name: 'Runner',
      provider: 'openai',
      model: 'gpt-4o-mini',
      credentialId,
    });
    expect(agent.status).toBe(201);
    agentId = agent.body.id;
  });

  afterAll(async () => {
    await Promise.all(opened.map((nc) => nc.close().catch(() => undefined)));
    await platform?.stop();
    await nats?.stop();
  });

  const connectAs = async (service: 'tool-runner' | 'gateway'): Promise<NatsConnection> => {
    const seed = nats.serviceEnv[service].NATS_NKEY_SEED;
    const nc = await connect({
      servers: nats.url,
      authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
      maxReconnectAttempts: 0,
    });
    opened.push(nc);
    return nc;
  };
  const asToolRunner = () => ({
    workspaceId: alice.workspaceId,
    actor: { id: 'tool-runner', type: 'system' as const },
    correlationId: randomUUID(),
  });

  it("answers the tool-runner's credentials with the sealed value, which opens with the master key", async () => {
    const sealed = await new RpcClient(await connectAs('tool-runner'), ns, 10_000).request<SealedCredential>(
      Rpc.registry.credentialSealed,
      { id: credentialId },
      asToolRunner(),
    );
    expect(sealed.sealed).not.toContain(SECRET);
    const keyring = keyringFromEnv(platform.env);
    expect(JSON.parse(open(keyring, { workspaceId: alice.workspaceId, credentialId }, sealed.sealed))).toBe(SECRET);
  });

  it("refuses the gateway's credentials at the NATS server, even with the tool-runner's actor forged", async () => {
    const gateway = await connectAs('gateway');
    await expect(
      new RpcClient(gateway, ns, 3_000).request(Rpc.registry.credentialSealed, { id: credentialId }, asToolRunner()),
    ).rejects.toMatchObject({ message: expect.stringContaining('no permission') });
    // The control: the same connection may call the credential metadata subject.
    const meta = await gateway.request(subject(ns, Rpc.registry.credentialList), '{}', { timeout: 10_000 });
    expect(meta.string()).not.toContain('no permission');
  });

  it('gives the agent runtime (it carries the sealed value) to the tool-runner alone', async () => {
    const runtime = await new RpcClient(await connectAs('tool-runner'), ns, 10_000).request<AgentRuntime>(
      Rpc.registry.agentRuntime,
      { id: agentId },
      asToolRunner(),
    );
    expect(runtime.agent.id).toBe(agentId);
    const keyring = keyringFromEnv(platform.env);
    expect(JSON.parse(open(keyring, { workspaceId: alice.workspaceId, credentialId }, runtime.credential!.sealed))).toBe(SECRET);
    await expect(
      new RpcClient(await connectAs('gateway'), ns, 3_000).request(Rpc.registry.agentRuntime, { id: agentId }, asToolRunner()),
    ).rejects.toMatchObject({ message: expect.stringContaining('no permission') });
  });
});
