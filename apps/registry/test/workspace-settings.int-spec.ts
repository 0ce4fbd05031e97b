import { randomUUID } from 'node:crypto';
import { Rpc, type WorkspaceSettings } from '@flowstack/contracts';
import { inWorkspace, startRegistry, type RegistryHarness } from './registry.harness';

let h: RegistryHarness;
beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h?.close();
});

const get = (ws: string, role: 'admin' | 'editor' | 'viewer' = 'viewer') =>
  h.call<WorkspaceSettings>(Rpc.registry.workspaceSettingsGet, {}, inWorkspace(ws, role));
const put = (ws: string, body: unknown, role: 'admin' | 'editor' | 'viewer' = 'admin') =>
  h.call<WorkspaceSettings>(Rpc.registry.workspaceSettingsUpdate, body, inWorkspace(ws, role));
const pythonTool = { name: 'py', kind: 'python', config: { code: 'result = 1' } };

describe('workspace settings', () => {
  it('start with everything off; admins change the fields they give; each change is an audit event', async () => {
    const ws = randomUUID();
    expect(await get(ws)).toEqual({
      sandboxedTools: { python: false, shell: false, network: false },
      mcp: { stdio: false },
      updatedAt: null,
    });
    const first = await put(ws, { sandboxedTools: { python: true } });
    expect(first.sandboxedTools).toEqual({ python: true, shell: false, network: false });
    const second = await put(ws, { sandboxedTools: { network: true } });
    expect(second.sandboxedTools).toEqual({ python: true, shell: false, network: true });
    expect(await get(ws)).toEqual(second);
    // Another workspace is untouched.
    expect((await get(randomUUID())).sandboxedTools.python).toBe(false);
    const events = await h.sql.query('select type, data from event_store.events where stream_id = $1 order by stream_position', [
      `settings-${ws}`,
    ]);
    expect(events.rows).toEqual([
      { type: 'WorkspaceSettingsChanged', data: { changes: { sandboxedTools: { python: true } } } },
      { type: 'WorkspaceSettingsChanged', data: { changes: { sandboxedTools: { network: true } } } },
    ]);
  });

  it('keep the mcp group (stdio servers) next to the sandbox one, each changed alone', async () => {
    const ws = randomUUID();
    await put(ws, { sandboxedTools: { python: true } });
    const on = await put(ws, { mcp: { stdio: true } });
    expect(on).toMatchObject({ sandboxedTools: { python: true }, mcp: { stdio: true } });
    expect((await put(ws, { sandboxedTools: { shell: true } })).mcp).toEqual({ stdio: true });
    expect((await put(ws, { mcp: { stdio: false } })).sandboxedTools).toEqual({ python: true, shell: true, network: false });
    await expect(put(ws, { mcp: { stdio: 'yes' } })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'mcp.stdio' })],
    });
    await expect(put(ws, { mcp: { sse: true } })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('refuses editors (forbidden) and malformed bodies (validation_failed at the path)', async () => {
    const ws = randomUUID();
    await expect(put(ws, { sandboxedTools: { python: true } }, 'editor')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(put(ws, { sandboxedTools: { python: 'yes' } })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'sandboxedTools.python' })],
    });
    await expect(put(ws, { sandboxedTools: { perl: true } })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(put(ws, {})).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await get(ws)).updatedAt).toBeNull();
  });

  it('python and shell tools are refused (forbidden, rule sandboxed_tool_disabled at kind) until their kind is on', async () => {
    const ws = randomUUID();
    const create = (body: object) => h.call(Rpc.registry.toolCreate, body, inWorkspace(ws, 'editor'));
    await expect(create(pythonTool)).rejects.toMatchObject({
      code: 'forbidden',
      errors: [{ path: 'kind', rule: 'sandboxed_tool_disabled', message: expect.any(String) }],
    });
    await put(ws, { sandboxedTools: { python: true } });
    await expect(create(pythonTool)).resolves.toMatchObject({ kind: 'python' });
    await expect(create({ name: 'sh', kind: 'shell', config: { command: 'ls' } })).rejects.toMatchObject({ code: 'forbidden' });
    // Changing an http tool into a shell tool is refused the same way.
    const http = (await create({ name: 'web', kind: 'http', config: { url: 'https://x', method: 'GET' } })) as { id: string };
    await expect(
      h.call(Rpc.registry.toolUpdate, { id: http.id, kind: 'shell', config: { command: 'ls' } }, inWorkspace(ws, 'editor')),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});
