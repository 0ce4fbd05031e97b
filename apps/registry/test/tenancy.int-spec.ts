import { randomUUID } from 'node:crypto';
import { Rpc, type Page, type WorkflowView } from '@flowstack/contracts';
import { inWorkspace, startRegistry, validGraph, type RegistryHarness } from './registry.harness';

// Another workspace's workflow must look exactly like one that does not exist (404, never 403 and
// never its data), on every handler, even for that workspace's admin.
let h: RegistryHarness;
const workspaceA = randomUUID();
const workspaceB = randomUUID();
const asA = () => inWorkspace(workspaceA, 'editor');
const asB = () => inWorkspace(workspaceB, 'admin');
let workflowOfA: WorkflowView;

beforeAll(async () => {
  h = await startRegistry();
  workflowOfA = await h.call<WorkflowView>(Rpc.registry.workflowCreate, { name: 'A only', graph: validGraph() }, asA());
  await h.call(Rpc.registry.workflowCreate, { name: 'B own', graph: validGraph() }, asB());
});
afterAll(async () => {
  await h?.close();
});

it.each([
  ['get', Rpc.registry.workflowGet, () => ({ id: workflowOfA.id })],
  ['update', Rpc.registry.workflowUpdate, () => ({ id: workflowOfA.id, name: 'hijacked', graph: validGraph('evil') })],
  ['delete', Rpc.registry.workflowDelete, () => ({ id: workflowOfA.id })],
  ['version get (current)', Rpc.registry.workflowVersionGet, () => ({ workflowId: workflowOfA.id })],
  ['version get (pinned)', Rpc.registry.workflowVersionGet, () => ({ workflowId: workflowOfA.id, version: 1 })],
])('workspace B gets not_found from %s on a workflow of A', async (_name, subject, body) => {
  await expect(h.call(subject, body(), asB())).rejects.toMatchObject({ code: 'not_found', message: 'workflow not found' });
});

it("does not list A's workflow to B, and a body field cannot switch the workspace", async () => {
  const page = await h.call<Page<WorkflowView>>(Rpc.registry.workflowList, { workspaceId: workspaceA }, asB());
  expect(page.items.map((w) => w.name)).toEqual(['B own']);
  const created = await h.call<WorkflowView>(
    Rpc.registry.workflowCreate,
    { name: 'smuggled', workspaceId: workspaceA, graph: validGraph() },
    asB(),
  );
  await expect(h.call(Rpc.registry.workflowGet, { id: created.id }, asA())).rejects.toMatchObject({ code: 'not_found' });
});

it("leaves A's workflow untouched by B's attempts", async () => {
  expect(await h.call(Rpc.registry.workflowGet, { id: workflowOfA.id }, asA())).toEqual(workflowOfA);
  const page = await h.call<Page<WorkflowView>>(Rpc.registry.workflowList, {}, asA());
  expect(page.items.map((w) => w.id)).toEqual([workflowOfA.id]);
});
