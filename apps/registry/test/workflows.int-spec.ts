import { randomUUID } from 'node:crypto';
import { Rpc, type Page, type WorkflowVersionView, type WorkflowView } from '@flowstack/contracts';
import { inWorkspace, startRegistry, validGraph, type RegistryHarness } from './registry.harness';

let h: RegistryHarness;

beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h?.close();
});

const workspace = randomUUID();
const editor = () => inWorkspace(workspace);
const create = (body: unknown, ctx = editor()) => h.call<WorkflowView>(Rpc.registry.workflowCreate, body, ctx);

describe('create and get', () => {
  it('creates version 1 and reads it back', async () => {
    const created = await create({ name: '  Onboarding ', description: 'greets people', graph: validGraph() });
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Onboarding',
      description: 'greets people',
      version: 1,
      graph: validGraph(),
      createdAt: expect.any(String),
      updatedAt: created.createdAt,
    });
    expect(await h.call(Rpc.registry.workflowGet, { id: created.id }, editor())).toEqual(created);
  });

  it('answers invalid_graph with the offending node path, rooted at the body', async () => {
    const graph = validGraph();
    graph.nodes.push({ id: 'shape', type: 'output', config: { value: 'again' } });
    await expect(create({ name: 'dup', graph })).rejects.toMatchObject({
      code: 'invalid_graph',
      message: 'workflow graph is invalid',
      errors: expect.arrayContaining([
        expect.objectContaining({ path: 'graph.nodes[3].id', rule: 'duplicate_node_id', nodeId: 'shape' }),
      ]),
    });
    const unknownType = validGraph();
    unknownType.nodes[1] = { ...unknownType.nodes[1], type: 'teleport' as never };
    await expect(create({ name: 'bad type', graph: unknownType })).rejects.toMatchObject({
      code: 'invalid_graph',
      errors: expect.arrayContaining([expect.objectContaining({ path: 'graph.nodes[1].type', nodeId: 'shape' })]),
    });
  });

  it('answers validation_failed for a malformed body, with bracketed array paths', async () => {
    const graph = validGraph();
    graph.nodes[0] = { ...graph.nodes[0], id: '' };
    await expect(create({ graph })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: expect.arrayContaining([
        expect.objectContaining({ path: 'name' }),
        expect.objectContaining({ path: 'graph.nodes[0].id' }),
      ]),
    });
    await expect(create('not an object')).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('refuses a request without a workspace header, and changes by a viewer', async () => {
    await expect(create({ name: 'x', graph: validGraph() }, { ...editor(), workspaceId: '' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(create({ name: 'x', graph: validGraph() }, inWorkspace(workspace, 'viewer'))).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('answers not_found for ids that are not uuids or do not exist', async () => {
    for (const id of ['not-a-uuid', randomUUID(), "1' or '1'='1"]) {
      await expect(h.call(Rpc.registry.workflowGet, { id }, editor())).rejects.toMatchObject({
        code: 'not_found',
        message: 'workflow not found',
      });
      await expect(h.call(Rpc.registry.workflowUpdate, { id, name: 'n' }, editor())).rejects.toMatchObject({ code: 'not_found' });
      await expect(h.call(Rpc.registry.workflowDelete, { id }, editor())).rejects.toMatchObject({ code: 'not_found' });
      await expect(h.call(Rpc.registry.workflowVersionGet, { workflowId: id }, editor())).rejects.toMatchObject({
        code: 'not_found',
      });
    }
  });
});

describe('update and versions', () => {
  it('saves every change as a new immutable version and keeps the old ones readable', async () => {
    const v1 = await create({ name: 'Pipeline', description: 'first', graph: validGraph('v1') });
    const v2 = await h.call<WorkflowView>(Rpc.registry.workflowUpdate, { id: v1.id, name: 'Pipeline renamed' }, editor());
    expect(v2).toMatchObject({
      id: v1.id,
      version: 2,
      name: 'Pipeline renamed',
      description: 'first',
      graph: validGraph('v1'),
      createdAt: v1.createdAt,
    });
    expect(Date.parse(v2.updatedAt)).toBeGreaterThanOrEqual(Date.parse(v1.updatedAt));

    const v3 = await h.call<WorkflowView>(Rpc.registry.workflowUpdate, { id: v1.id, graph: validGraph('v3') }, editor());
    expect(v3).toMatchObject({ version: 3, name: 'Pipeline renamed', graph: validGraph('v3') });
    expect(await h.call(Rpc.registry.workflowGet, { id: v1.id }, editor())).toEqual(v3);

    const pinned = await h.call<WorkflowVersionView>(
      Rpc.registry.workflowVersionGet,
      { workflowId: v1.id, version: 1 },
      editor(),
    );
    expect(pinned).toMatchObject({
      workflowId: v1.id,
      version: 1,
      name: 'Pipeline',
      description: 'first',
      graph: validGraph('v1'),
    });
    const current = await h.call<WorkflowVersionView>(Rpc.registry.workflowVersionGet, { workflowId: v1.id }, editor());
    expect(current).toMatchObject({ version: 3, graph: validGraph('v3') });
    await expect(h.call(Rpc.registry.workflowVersionGet, { workflowId: v1.id, version: 4 }, editor())).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('validates an updated graph the same way and leaves the workflow untouched when it is refused', async () => {
    const created = await create({ name: 'Guarded', graph: validGraph() });
    const cyclic = validGraph();
    cyclic.edges.push({ from: 'end', to: 'shape' });
    await expect(h.call(Rpc.registry.workflowUpdate, { id: created.id, graph: cyclic }, editor())).rejects.toMatchObject({
      code: 'invalid_graph',
    });
    await expect(h.call(Rpc.registry.workflowUpdate, { id: created.id }, editor())).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(await h.call(Rpc.registry.workflowGet, { id: created.id }, editor())).toEqual(created);
  });

  it('refuses any UPDATE of a stored version in the database itself', async () => {
    const created = await create({ name: 'Frozen', graph: validGraph() });
    await expect(
      h.sql.query(`update registry.workflow_versions set name = 'tampered' where workflow_id = $1`, [created.id]),
    ).rejects.toThrow(/immutable/);
  });
});

describe('delete', () => {
  it('soft-deletes: every handler then answers not_found and the list leaves it out', async () => {
    const ws = randomUUID();
    const ctx = () => inWorkspace(ws);
    const kept = await create({ name: 'Kept', graph: validGraph() }, ctx());
    const doomed = await create({ name: 'Doomed', graph: validGraph() }, ctx());

    expect(await h.call(Rpc.registry.workflowDelete, { id: doomed.id }, ctx())).toEqual({ id: doomed.id, deleted: true });

    await expect(h.call(Rpc.registry.workflowGet, { id: doomed.id }, ctx())).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.call(Rpc.registry.workflowUpdate, { id: doomed.id, name: 'back' }, ctx())).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(h.call(Rpc.registry.workflowDelete, { id: doomed.id }, ctx())).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.call(Rpc.registry.workflowVersionGet, { workflowId: doomed.id, version: 1 }, ctx())).rejects.toMatchObject({
      code: 'not_found',
    });
    const page = await h.call<Page<WorkflowView>>(Rpc.registry.workflowList, {}, ctx());
    expect(page.items.map((w) => w.id)).toEqual([kept.id]);

    const { rows } = await h.sql.query('select deleted_at from registry.workflows where id = $1', [doomed.id]);
    expect(rows[0].deleted_at).toBeInstanceOf(Date);
  });
});

describe('list', () => {
  it('pages newest first with an opaque cursor until nextCursor is null', async () => {
    const ws = randomUUID();
    const created: WorkflowView[] = [];
    for (let i = 0; i < 5; i++) created.push(await create({ name: `wf ${i}`, graph: validGraph() }, inWorkspace(ws)));

    const seen: WorkflowView[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page: Page<WorkflowView> = await h.call(
        Rpc.registry.workflowList,
        { limit: 2, ...(cursor ? { cursor } : {}) },
        inWorkspace(ws, 'viewer'),
      );
      pageSizes.push(page.items.length);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(pageSizes).toEqual([2, 2, 1]);
    const desc = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);
    const expectedOrder = [...created].sort((a, b) => desc(a.createdAt, b.createdAt) || desc(a.id, b.id));
    expect(seen).toEqual(expectedOrder);
    expect(new Set(seen.map((w) => w.id)).size).toBe(5);
  });

  it('answers validation_failed for a cursor it did not issue and a bad limit', async () => {
    await expect(h.call(Rpc.registry.workflowList, { cursor: 'bm9wZQ' }, editor())).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'cursor' })],
    });
    await expect(h.call(Rpc.registry.workflowList, { limit: 0 }, editor())).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'limit' })],
    });
  });
});

describe('audit log', () => {
  it('appends WorkflowCreated, WorkflowVersionSaved and WorkflowDeleted to the workflow stream, with the actor', async () => {
    const actorId = randomUUID();
    const ctx = () => inWorkspace(workspace, 'admin', actorId);
    const wf = await create({ name: 'Audited', graph: validGraph() }, ctx());
    await h.call(Rpc.registry.workflowUpdate, { id: wf.id, description: 'now described' }, ctx());
    await h.call(Rpc.registry.workflowDelete, { id: wf.id }, ctx());

    const { rows } = await h.sql.query(
      'select stream_position, type, workspace_id, data, metadata from event_store.events where stream_id = $1 order by stream_position',
      [`workflow-${wf.id}`],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        stream_position: 1,
        type: 'WorkflowCreated',
        data: { workflowId: wf.id, version: 1, name: 'Audited' },
      }),
      expect.objectContaining({
        stream_position: 2,
        type: 'WorkflowVersionSaved',
        data: { workflowId: wf.id, version: 2, changed: ['description'] },
      }),
      expect.objectContaining({ stream_position: 3, type: 'WorkflowDeleted', data: { workflowId: wf.id } }),
    ]);
    for (const row of rows) {
      expect(row.workspace_id).toBe(workspace);
      expect(row.metadata).toMatchObject({
        actor: { id: actorId, type: 'user', role: 'admin' },
        correlationId: expect.any(String),
      });
    }
  });

  it('appends nothing when the change is refused', async () => {
    const before = await h.sql.query('select count(*)::int as n from event_store.events');
    await expect(create({ name: 'nope', graph: { ...validGraph(), entry_point: 'missing' } })).rejects.toMatchObject({
      code: 'invalid_graph',
    });
    const after = await h.sql.query('select count(*)::int as n from event_store.events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
