import { randomUUID } from 'node:crypto';
import { Rpc, type ToolDiscoverResult, type ToolView } from '@flowstack/contracts';
import { inWorkspace, startRegistry, type RegistryHarness } from './registry.harness';

let h: RegistryHarness;
const workspace = randomUUID();
const editor = () => inWorkspace(workspace, 'editor');

beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h?.close();
});

const hash = (c: string) => c.repeat(64);
const discovery = (c: string) => ({
  hash: hash(c),
  discoveredAt: new Date().toISOString(),
  tools: [{ name: 'lookup', description: 'Looks up', inputSchema: { type: 'object' }, hash: hash(c) }],
});
const mcpTool = () =>
  h.call<ToolView>(
    Rpc.registry.toolCreate,
    {
      name: `mcp-${randomUUID()}`,
      kind: 'mcp',
      config: { transport: 'streamable_http', serverUrl: 'https://mcp.example.com/mcp' },
    },
    editor(),
  );
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: 'none' }),
    (e: unknown) => e,
  );

/** What `/discover`, `/test` and the stdio switch leave in the registry. */
describe('tool runs', () => {
  it('records a discovery on an mcp tool, says whether it changed, and a new config drops it', async () => {
    const tool = await mcpTool();
    const first = await h.call<ToolDiscoverResult>(
      Rpc.registry.toolDiscovered,
      { id: tool.id, discovery: discovery('a') },
      editor(),
    );
    expect(first).toMatchObject({ toolId: tool.id, hash: hash('a'), changed: true });
    expect(first.previousHash).toBeUndefined();
    const same = await h.call<ToolDiscoverResult>(
      Rpc.registry.toolDiscovered,
      { id: tool.id, discovery: discovery('a') },
      editor(),
    );
    expect(same).toMatchObject({ changed: false, previousHash: hash('a') });
    const next = await h.call<ToolDiscoverResult>(
      Rpc.registry.toolDiscovered,
      { id: tool.id, discovery: discovery('b') },
      editor(),
    );
    expect(next).toMatchObject({ changed: true, previousHash: hash('a') });
    expect((await h.call<ToolView>(Rpc.registry.toolGet, { id: tool.id }, editor())).mcp).toMatchObject({ hash: hash('b') });

    const renamed = await h.call<ToolView>(Rpc.registry.toolUpdate, { id: tool.id, name: `renamed-${randomUUID()}` }, editor());
    expect(renamed.mcp?.hash).toBe(hash('b'));
    const moved = await h.call<ToolView>(
      Rpc.registry.toolUpdate,
      { id: tool.id, config: { transport: 'sse', serverUrl: 'https://other.example.com/sse' } },
      editor(),
    );
    expect(moved.mcp).toBeUndefined();
  });

  it('refuses a discovery for another kind, a viewer, a malformed one and another workspace', async () => {
    const http = await h.call<ToolView>(
      Rpc.registry.toolCreate,
      { name: `http-${randomUUID()}`, kind: 'http', config: { url: 'https://x.example.com', method: 'GET' } },
      editor(),
    );
    expect(
      await rejection(h.call(Rpc.registry.toolDiscovered, { id: http.id, discovery: discovery('a') }, editor())),
    ).toMatchObject({
      code: 'conflict',
    });
    const tool = await mcpTool();
    const viewer = inWorkspace(workspace, 'viewer');
    expect(
      await rejection(h.call(Rpc.registry.toolDiscovered, { id: tool.id, discovery: discovery('a') }, viewer)),
    ).toMatchObject({
      code: 'forbidden',
    });
    expect(
      await rejection(h.call(Rpc.registry.toolDiscovered, { id: tool.id, discovery: { hash: 'short', tools: [] } }, editor())),
    ).toMatchObject({ code: 'validation_failed' });
    const stranger = inWorkspace(randomUUID(), 'admin');
    expect(
      await rejection(h.call(Rpc.registry.toolDiscovered, { id: tool.id, discovery: discovery('a') }, stranger)),
    ).toMatchObject({
      code: 'not_found',
    });
    expect(await rejection(h.call(Rpc.registry.toolTested, { id: tool.id, ok: true, durationMs: 1 }, stranger))).toMatchObject({
      code: 'not_found',
    });
  });
});
