import { randomUUID } from 'node:crypto';
import { Rpc, type WorkflowVersionView, type WorkflowView } from '@flowstack/contracts';
import { inWorkspace, startRegistry, validGraph, type RegistryHarness } from './registry.harness';

// `registry.workflow.version.get` keeps the immutable version rows it has read in memory, while the
// workflow's liveness and workspace are checked in the database on every call.
let h: RegistryHarness;

beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h?.close();
});

const workspaceA = randomUUID();
const workspaceB = randomUUID();
const asA = () => inWorkspace(workspaceA, 'editor');
const asB = () => inWorkspace(workspaceB, 'admin');
const create = (name: string) => h.call<WorkflowView>(Rpc.registry.workflowCreate, { name, graph: validGraph() }, asA());
const versionGet = (body: { workflowId: string; version?: number }, ctx = asA()) =>
  h.call<WorkflowVersionView>(Rpc.registry.workflowVersionGet, body, ctx);

it('answers a version it has read once without reading its row again', async () => {
  const wf = await create('cached');
  const pinned = await versionGet({ workflowId: wf.id, version: 1 });
  expect(pinned).toMatchObject({ workflowId: wf.id, version: 1, graph: validGraph() });
  // Versions never change, so the only way to see that the row is not read again is to remove it.
  await h.sql.query('delete from registry.workflow_versions where workflow_id = $1', [wf.id]);
  expect(await versionGet({ workflowId: wf.id, version: 1 })).toEqual(pinned);
  expect(await versionGet({ workflowId: wf.id })).toEqual(pinned);
  expect(await versionGet({ workflowId: wf.id.toUpperCase(), version: 1 })).toEqual(pinned);
});

it('answers another workspace not_found for a version that workspace A has cached', async () => {
  const wf = await create('A only, cached');
  const first = await versionGet({ workflowId: wf.id });
  expect(await versionGet({ workflowId: wf.id, version: 1 })).toEqual(first);
  for (const body of [{ workflowId: wf.id }, { workflowId: wf.id, version: 1 }]) {
    await expect(versionGet(body, asB())).rejects.toMatchObject({ code: 'not_found', message: 'workflow not found' });
  }
  expect(await versionGet({ workflowId: wf.id })).toEqual(first);
});

it('answers not_found for every version of a deleted workflow, cached or not', async () => {
  const wf = await create('doomed');
  await versionGet({ workflowId: wf.id, version: 1 });
  await h.call(Rpc.registry.workflowDelete, { id: wf.id }, asA());
  for (const body of [{ workflowId: wf.id }, { workflowId: wf.id, version: 1 }]) {
    await expect(versionGet(body)).rejects.toMatchObject({ code: 'not_found', message: 'workflow not found' });
  }
});

it('follows the current version to a new save and keeps the old one pinned', async () => {
  const wf = await create('moving');
  const v1 = await versionGet({ workflowId: wf.id });
  expect(v1.version).toBe(1);
  await h.call(Rpc.registry.workflowUpdate, { id: wf.id, graph: validGraph('v2') }, asA());
  expect(await versionGet({ workflowId: wf.id })).toMatchObject({ version: 2, graph: validGraph('v2') });
  expect(await versionGet({ workflowId: wf.id, version: 1 })).toEqual(v1);
  await expect(versionGet({ workflowId: wf.id, version: 3 })).rejects.toMatchObject({
    code: 'not_found',
    message: 'workflow version 3 not found',
  });
});
