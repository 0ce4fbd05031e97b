import { Rpc, type WorkflowVersionView, type WorkflowView } from '@flowstack/contracts';
import { randomUUID } from 'node:crypto';
import { inWorkspace, startRegistry, validGraph, type RegistryHarness } from './registry.harness';

let h: RegistryHarness;
const ctx = () => inWorkspace(workspace);
const workspace = randomUUID();

beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h?.close();
});

it('gives concurrent saves distinct, consecutive version numbers and loses none', async () => {
  const created = await h.call<WorkflowView>(Rpc.registry.workflowCreate, { name: 'Contended', graph: validGraph('v1') }, ctx());
  const saves = 12;
  const results = await Promise.all(
    Array.from({ length: saves }, (_, i) =>
      h.call<WorkflowView>(Rpc.registry.workflowUpdate, { id: created.id, graph: validGraph(`save ${i}`) }, ctx()),
    ),
  );

  const versions = results.map((r) => r.version).sort((a, b) => a - b);
  expect(versions).toEqual(Array.from({ length: saves }, (_, i) => i + 2));
  const latest = await h.call<WorkflowView>(Rpc.registry.workflowGet, { id: created.id }, ctx());
  expect(latest.version).toBe(saves + 1);

  // Each version holds the graph of the save that produced it.
  for (const result of results) {
    const stored = await h.call<WorkflowVersionView>(
      Rpc.registry.workflowVersionGet,
      { workflowId: created.id, version: result.version },
      ctx(),
    );
    expect(stored.graph).toEqual(result.graph);
  }
  const events = await h.sql.query('select count(*)::int as n from event_store.events where stream_id = $1', [
    `workflow-${created.id}`,
  ]);
  expect(events.rows[0].n).toBe(saves + 1);
});

it('lets a delete racing with saves win cleanly: every save either lands before it or answers not_found', async () => {
  const created = await h.call<WorkflowView>(Rpc.registry.workflowCreate, { name: 'Doomed', graph: validGraph() }, ctx());
  const outcomes = await Promise.allSettled([
    ...Array.from({ length: 5 }, (_, i) => h.call(Rpc.registry.workflowUpdate, { id: created.id, name: `n${i}` }, ctx())),
    h.call(Rpc.registry.workflowDelete, { id: created.id }, ctx()),
    ...Array.from({ length: 5 }, (_, i) => h.call(Rpc.registry.workflowUpdate, { id: created.id, name: `m${i}` }, ctx())),
  ]);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'not_found' });
  }
  await expect(h.call(Rpc.registry.workflowGet, { id: created.id }, ctx())).rejects.toMatchObject({ code: 'not_found' });
});
