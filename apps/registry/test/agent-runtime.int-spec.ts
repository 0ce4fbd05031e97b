import { randomUUID } from 'node:crypto';
import {
  AGENT_RUNTIME_ROOM_BYTES,
  AGENT_RUNTIME_TOOLS_PAGE,
  Limits,
  Rpc,
  type AgentRuntime,
  type AgentToolView,
  type AgentView,
  type CredentialView,
  type Page,
  type ToolView,
} from '@flowstack/contracts';
import { keyringFromEnv, open } from '@flowstack/vault';
import { asToolRunner, inWorkspace, startRegistry, type RegistryHarness } from './registry.harness';

// `registry.agent.runtime`: the tool-runner's one read to run an agent. It answers what the three
// reads it replaces answer, refuses every actor but the tool-runner (it carries a sealed value),
// and shows another workspace's agent as one that does not exist.
let h: RegistryHarness;
const workspace = randomUUID();
const admin = () => inWorkspace(workspace, 'admin');
const toolRunner = (ws = workspace) => asToolRunner(ws);
const SECRET = `sk-runtime-${randomUUID()}`;
let credential: CredentialView;
let agent: AgentView;
let tools: ToolView[];

beforeAll(async () => {
  h = await startRegistry();
  credential = await h.call(Rpc.registry.credentialCreate, { name: 'runtime_key', kind: 'api_key', value: SECRET }, admin());
  agent = await h.call(
    Rpc.registry.agentCreate,
    { name: 'Runtime agent', provider: 'openai', model: 'gpt-4o-mini', credentialId: credential.id },
    admin(),
  );
  tools = [];
  for (const name of ['first', 'second']) {
    const tool = await h.call<ToolView>(
      Rpc.registry.toolCreate,
      { name, kind: 'builtin', config: { operation: 'noop' } },
      admin(),
    );
    await h.call(Rpc.registry.agentToolLink, { agentId: agent.id, toolId: tool.id }, admin());
    tools.push(tool);
  }
});
afterAll(async () => {
  await h?.close();
});

it('answers the agent, its tools as the tool list does, and its credential sealed', async () => {
  const runtime = await h.call<AgentRuntime>(Rpc.registry.agentRuntime, { id: agent.id }, toolRunner());
  expect(runtime.agent).toEqual(await h.call(Rpc.registry.agentGet, { id: agent.id }, admin()));
  expect(runtime.tools).toEqual(
    await h.call<Page<AgentToolView>>(
      Rpc.registry.agentToolList,
      { agentId: agent.id, limit: AGENT_RUNTIME_TOOLS_PAGE },
      admin(),
    ),
  );
  expect(runtime.tools!.items.map((t) => t.id).sort()).toEqual(tools.map((t) => t.id).sort());
  expect(runtime.credential).toEqual(await h.call(Rpc.registry.credentialSealed, { id: credential.id }, toolRunner()));
  expect(JSON.stringify(runtime)).not.toContain(SECRET);
  const sealed = runtime.credential!;
  expect(JSON.parse(open(keyringFromEnv(h.env), { workspaceId: workspace, credentialId: sealed.id }, sealed.sealed))).toBe(
    SECRET,
  );
});

it('answers a null credential for an agent without one, and no tools when none are linked', async () => {
  const bare = await h.call<AgentView>(Rpc.registry.agentCreate, { name: 'Bare', provider: 'openai', model: 'm' }, admin());
  const runtime = await h.call<AgentRuntime>(Rpc.registry.agentRuntime, { id: bare.id }, toolRunner());
  expect(runtime).toMatchObject({ agent: { id: bare.id }, tools: { items: [], nextCursor: null }, credential: null });
});

it('refuses every actor but the tool-runner, even an admin of the workspace', async () => {
  await expect(h.call(Rpc.registry.agentRuntime, { id: agent.id }, admin())).rejects.toMatchObject({ code: 'forbidden' });
  await expect(
    h.call(Rpc.registry.agentRuntime, { id: agent.id }, { ...toolRunner(), actor: { id: 'gateway', type: 'system' } }),
  ).rejects.toMatchObject({ code: 'forbidden' });
});

it("answers not_found for another workspace's agent, a deleted one and an id that is no UUID", async () => {
  await expect(h.call(Rpc.registry.agentRuntime, { id: agent.id }, toolRunner(randomUUID()))).rejects.toMatchObject({
    code: 'not_found',
    message: 'agent not found',
  });
  const gone = await h.call<AgentView>(Rpc.registry.agentCreate, { name: 'Gone', provider: 'openai', model: 'm' }, admin());
  await h.call(Rpc.registry.agentDelete, { id: gone.id }, admin());
  await expect(h.call(Rpc.registry.agentRuntime, { id: gone.id }, toolRunner())).rejects.toMatchObject({ code: 'not_found' });
  await expect(h.call(Rpc.registry.agentRuntime, { id: 'not-a-uuid' }, toolRunner())).rejects.toMatchObject({
    code: 'not_found',
  });
  await expect(h.call(Rpc.registry.agentRuntime, {}, toolRunner())).rejects.toMatchObject({ code: 'validation_failed' });
});

it('pages past the first page of tools with a cursor the tool list continues from', async () => {
  const many = await h.call<AgentView>(Rpc.registry.agentCreate, { name: 'Many tools', provider: 'openai', model: 'm' }, admin());
  const linked: string[] = [];
  for (let i = 0; i <= AGENT_RUNTIME_TOOLS_PAGE; i++) {
    const tool = await h.call<ToolView>(
      Rpc.registry.toolCreate,
      { name: `t${i}`, kind: 'builtin', config: { operation: 'noop' } },
      admin(),
    );
    await h.call(Rpc.registry.agentToolLink, { agentId: many.id, toolId: tool.id }, admin());
    linked.push(tool.id);
  }
  const runtime = await h.call<AgentRuntime>(Rpc.registry.agentRuntime, { id: many.id }, toolRunner());
  expect(runtime.tools!.items).toHaveLength(AGENT_RUNTIME_TOOLS_PAGE);
  expect(runtime.tools!.nextCursor).toEqual(expect.any(String));
  const rest = await h.call<Page<AgentToolView>>(
    Rpc.registry.agentToolList,
    { agentId: many.id, limit: AGENT_RUNTIME_TOOLS_PAGE, cursor: runtime.tools!.nextCursor },
    toolRunner(),
  );
  expect([...runtime.tools!.items, ...rest.items].map((t) => t.id).sort()).toEqual([...linked].sort());
  expect(rest.nextCursor).toBeNull();
});

it('answers an agent too large to share a message with its tools without them, within the bus limit', async () => {
  // The longest system prompt an agent may have, in 3-byte characters: 600 KB of UTF-8.
  const big = await h.call<AgentView>(
    Rpc.registry.agentCreate,
    { name: 'Big prompt', provider: 'openai', model: 'm', credentialId: credential.id, systemPrompt: '界'.repeat(200_000) },
    admin(),
  );
  // Three tools of 190 KB each: with the agent, more than one bus message.
  await h.call(Rpc.registry.workspaceSettingsUpdate, { sandboxedTools: { python: true } }, admin());
  const bulky: string[] = [];
  for (let i = 0; i < 3; i++) {
    const tool = await h.call<ToolView>(
      Rpc.registry.toolCreate,
      { name: `bulky_${i}`, kind: 'python', config: { code: `# ${'x'.repeat(190_000)}` } },
      admin(),
    );
    await h.call(Rpc.registry.agentToolLink, { agentId: big.id, toolId: tool.id }, admin());
    bulky.push(tool.id);
  }
  const runtime = await h.call<AgentRuntime>(Rpc.registry.agentRuntime, { id: big.id }, toolRunner());
  expect(Buffer.byteLength(JSON.stringify(runtime.agent))).toBeGreaterThan(AGENT_RUNTIME_ROOM_BYTES);
  expect(runtime.tools).toBeNull();
  expect(runtime.credential?.id).toBe(credential.id);
  expect(Buffer.byteLength(JSON.stringify(runtime))).toBeLessThan(Limits.busMessageBytes);
  // The tools are there for the tool list, from the start.
  const page = await h.call<Page<AgentToolView>>(Rpc.registry.agentToolList, { agentId: big.id }, toolRunner());
  expect(page.items.map((t) => t.id).sort()).toEqual([...bulky].sort());
});
