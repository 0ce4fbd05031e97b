import { randomUUID } from 'node:crypto';
import { Rpc, type AgentView, type CredentialView, type Page, type ToolView } from '@flowstack/contracts';
import { inWorkspace, startRegistry, type RegistryHarness } from './registry.harness';

// Another workspace's credential, agent or tool looks exactly like one that does not exist, on
// every subject, even to that workspace's admin; and nothing of A changes through B's attempts.
let h: RegistryHarness;
const workspaceA = randomUUID();
const workspaceB = randomUUID();
const asA = () => inWorkspace(workspaceA, 'admin');
const asB = () => inWorkspace(workspaceB, 'admin');
let credentialOfA: CredentialView;
let agentOfA: AgentView;
let toolOfA: ToolView;
let agentOfB: AgentView;
let toolOfB: ToolView;

beforeAll(async () => {
  h = await startRegistry();
  credentialOfA = await h.call(Rpc.registry.credentialCreate, { name: 'a_key', kind: 'api_key', value: 'sk-a' }, asA());
  agentOfA = await h.call(
    Rpc.registry.agentCreate,
    { name: 'A agent', provider: 'openai', model: 'm', credentialId: credentialOfA.id },
    asA(),
  );
  toolOfA = await h.call(Rpc.registry.toolCreate, { name: 'a tool', kind: 'builtin', config: { operation: 'noop' } }, asA());
  await h.call(Rpc.registry.agentToolLink, { agentId: agentOfA.id, toolId: toolOfA.id }, asA());
  agentOfB = await h.call(Rpc.registry.agentCreate, { name: 'B agent', provider: 'openai', model: 'm' }, asB());
  toolOfB = await h.call(Rpc.registry.toolCreate, { name: 'b tool', kind: 'builtin', config: { operation: 'noop' } }, asB());
});
afterAll(async () => {
  await h?.close();
});

it.each([
  ['credential get', Rpc.registry.credentialGet, () => ({ id: credentialOfA.id }), 'credential'],
  ['credential update', Rpc.registry.credentialUpdate, () => ({ id: credentialOfA.id, value: 'sk-hijack' }), 'credential'],
  ['credential delete', Rpc.registry.credentialDelete, () => ({ id: credentialOfA.id }), 'credential'],
  ['agent get', Rpc.registry.agentGet, () => ({ id: agentOfA.id }), 'agent'],
  ['agent update', Rpc.registry.agentUpdate, () => ({ id: agentOfA.id, model: 'evil' }), 'agent'],
  ['agent delete', Rpc.registry.agentDelete, () => ({ id: agentOfA.id }), 'agent'],
  ['tool get', Rpc.registry.toolGet, () => ({ id: toolOfA.id }), 'tool'],
  ['tool update', Rpc.registry.toolUpdate, () => ({ id: toolOfA.id, name: 'evil' }), 'tool'],
  ['tool delete', Rpc.registry.toolDelete, () => ({ id: toolOfA.id }), 'tool'],
  ["link to A's agent", Rpc.registry.agentToolLink, () => ({ agentId: agentOfA.id, toolId: toolOfB.id }), 'agent'],
  ["link of A's tool", Rpc.registry.agentToolLink, () => ({ agentId: agentOfB.id, toolId: toolOfA.id }), 'tool'],
  ["unlink on A's agent", Rpc.registry.agentToolUnlink, () => ({ agentId: agentOfA.id, toolId: toolOfA.id }), 'agent'],
  ["list of A's agent's tools", Rpc.registry.agentToolList, () => ({ agentId: agentOfA.id }), 'agent'],
])('workspace B gets not_found from %s', async (_name, subject, body, what) => {
  await expect(h.call(subject, body(), asB())).rejects.toMatchObject({ code: 'not_found', message: `${what} not found` });
});

it("does not list A's rows to B, and a body field cannot switch the workspace", async () => {
  for (const [subject, own] of [
    [Rpc.registry.credentialList, []],
    [Rpc.registry.agentList, [agentOfB.id]],
    [Rpc.registry.toolList, [toolOfB.id]],
  ] as const) {
    const page = await h.call<Page<{ id: string }>>(subject, { workspaceId: workspaceA }, asB());
    expect(page.items.map((i) => i.id)).toEqual(own);
  }
});

it("leaves A's rows untouched by B's attempts", async () => {
  expect(await h.call(Rpc.registry.agentGet, { id: agentOfA.id }, asA())).toEqual(agentOfA);
  expect(await h.call(Rpc.registry.toolGet, { id: toolOfA.id }, asA())).toEqual(toolOfA);
  expect(await h.call(Rpc.registry.credentialGet, { id: credentialOfA.id }, asA())).toEqual(credentialOfA);
  const links = await h.call<Page<ToolView>>(Rpc.registry.agentToolList, { agentId: agentOfA.id }, asA());
  expect(links.items.map((t) => t.id)).toEqual([toolOfA.id]);
});
