import { randomUUID } from 'node:crypto';
import { Limits, Rpc, type Page, type WorkflowVersionSummary, type WorkflowView } from '@flowstack/contracts';
import { inWorkspace, startRegistry, validGraph, type RegistryHarness } from './registry.harness';

let h: RegistryHarness;

beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h?.close();
});

const listVersions = (workspaceId: string, body: Record<string, unknown>) =>
  h.call<Page<WorkflowVersionSummary>>(Rpc.registry.workflowVersionsList, body, inWorkspace(workspaceId));

/** A workflow of `workspaceId` saved `versions` times (version 1 is the create). */
async function workflowWithVersions(workspaceId: string, versions: number, description?: (n: number) => string) {
  const ctx = inWorkspace(workspaceId);
  const created = await h.call<WorkflowView>(Rpc.registry.workflowCreate, { name: 'v1', graph: validGraph('v1') }, ctx);
  for (let n = 2; n <= versions; n++) {
    await h.call(
      Rpc.registry.workflowUpdate,
      { id: created.id, name: `v${n}`, ...(description ? { description: description(n) } : {}) },
      ctx,
    );
  }
  return created.id;
}

describe('registry.workflow.versions.list', () => {
  it('pages the versions newest first, without graphs, and ends with a null cursor', async () => {
    const workspace = randomUUID();
    const workflowId = await workflowWithVersions(workspace, 5);

    const first = await listVersions(workspace, { workflowId, limit: 2 });
    expect(first.items.map((v) => v.version)).toEqual([5, 4]);
    expect(first.items[0]).toEqual({
      version: 5,
      name: 'v5',
      createdAt: expect.any(String),
      createdBy: expect.any(String),
    });
    expect(first.nextCursor).toBe('4');
    const second = await listVersions(workspace, { workflowId, limit: 2, cursor: Number(first.nextCursor) });
    expect(second.items.map((v) => v.version)).toEqual([3, 2]);
    const third = await listVersions(workspace, { workflowId, limit: 2, cursor: Number(second.nextCursor) });
    expect(third).toEqual({ items: [expect.objectContaining({ version: 1, name: 'v1' })], nextCursor: null });
    expect(await listVersions(workspace, { workflowId, limit: 5 })).toMatchObject({ nextCursor: null, items: { length: 5 } });
  });

  it('does not shift a page when a version is saved between two pages', async () => {
    const workspace = randomUUID();
    const workflowId = await workflowWithVersions(workspace, 3);
    const first = await listVersions(workspace, { workflowId, limit: 2 });
    await h.call(Rpc.registry.workflowUpdate, { id: workflowId, name: 'v4' }, inWorkspace(workspace));
    const second = await listVersions(workspace, { workflowId, limit: 2, cursor: Number(first.nextCursor) });
    expect(second).toEqual({ items: [expect.objectContaining({ version: 1 })], nextCursor: null });
  });

  it('keeps a page of long descriptions within one bus reply, the cursor getting the rest', async () => {
    const workspace = randomUUID();
    // 2000 characters that each take 6 bytes as JSON (`\u0001`): 12 KB a version.
    const workflowId = await workflowWithVersions(workspace, 120, (n) => `${n}`.padEnd(2000, '\u0001'));
    const seen: number[] = [];
    let cursor: number | undefined;
    let pages = 0;
    do {
      const page = await listVersions(workspace, { workflowId, limit: 200, ...(cursor ? { cursor } : {}) });
      pages++;
      expect(page.items.length).toBeGreaterThan(0);
      expect(Buffer.byteLength(JSON.stringify({ data: page }))).toBeLessThan(Limits.busMessageBytes);
      seen.push(...page.items.map((v) => v.version));
      cursor = page.nextCursor === null ? undefined : Number(page.nextCursor);
    } while (cursor !== undefined && pages < 20);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 120 - i));
    expect(pages).toBeGreaterThan(1);
  });

  it("answers not_found for another workspace's workflow, a deleted one and a non-uuid id", async () => {
    const owner = randomUUID();
    const workflowId = await workflowWithVersions(owner, 2);
    await expect(listVersions(randomUUID(), { workflowId, limit: 10 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(listVersions(owner, { workflowId: 'not-a-uuid', limit: 10 })).rejects.toMatchObject({ code: 'not_found' });
    await h.call(Rpc.registry.workflowDelete, { id: workflowId }, inWorkspace(owner));
    await expect(listVersions(owner, { workflowId, limit: 10 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a limit or cursor out of bounds with their field paths', async () => {
    const workspace = randomUUID();
    const workflowId = await workflowWithVersions(workspace, 1);
    for (const [body, path] of [
      [{ workflowId, limit: 0 }, 'limit'],
      [{ workflowId, limit: 201 }, 'limit'],
      [{ workflowId, limit: 10, cursor: 0 }, 'cursor'],
      [{ workflowId, limit: 10, cursor: 99_999_999_999 }, 'cursor'],
    ] as const) {
      await expect(listVersions(workspace, body)).rejects.toMatchObject({
        code: 'validation_failed',
        errors: [expect.objectContaining({ path })],
      });
    }
  });
});
