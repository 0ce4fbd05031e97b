import { randomUUID } from 'node:crypto';
import { Limits, Rpc, type Page, type WorkflowGraph, type WorkflowView } from '@flowstack/contracts';
import { inWorkspace, startRegistry, validGraph, type RegistryHarness } from './registry.harness';

let h: RegistryHarness;

beforeAll(async () => {
  h = await startRegistry();
});
afterAll(async () => {
  await h?.close();
});

/** A valid graph whose JSON is about `bytes` long (a large constant in its output node). */
const largeGraph = (bytes: number, label: string): WorkflowGraph => {
  const graph = validGraph(label);
  graph.nodes[2] = { ...graph.nodes[2], config: { value: `${label}:${'x'.repeat(bytes)}` } };
  return graph;
};

const list = (workspaceId: string, query: { limit?: number; cursor?: string }) =>
  h.call<Page<WorkflowView>>(Rpc.registry.workflowList, query, inWorkspace(workspaceId));

describe('registry.workflow.list pages by bytes as well as by count', () => {
  it('answers three workflows of 400 KB in pages that each fit the bus, the cursor getting the rest', async () => {
    const workspace = randomUUID();
    const names = ['big-1', 'big-2', 'big-3'];
    for (const name of names) {
      await h.call(Rpc.registry.workflowCreate, { name, graph: largeGraph(400_000, name) }, inWorkspace(workspace));
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list(workspace, { limit: 200, ...(cursor ? { cursor } : {}) });
      pages++;
      expect(page.items.length).toBeGreaterThan(0);
      expect(Buffer.byteLength(JSON.stringify({ data: page }))).toBeLessThan(Limits.busMessageBytes);
      seen.push(...page.items.map((w) => w.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages < 10);

    expect(seen).toEqual([...names].reverse());
    expect(pages).toBeGreaterThan(1);
  });

  it('keeps limit as the upper bound of items and ends with a null cursor', async () => {
    const workspace = randomUUID();
    for (const name of ['a', 'b', 'c']) {
      await h.call(Rpc.registry.workflowCreate, { name, graph: validGraph(name) }, inWorkspace(workspace));
    }
    const first = await list(workspace, { limit: 2 });
    expect(first.items.map((w) => w.name)).toEqual(['c', 'b']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(workspace, { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'a' })], nextCursor: null });
    expect(await list(workspace, { limit: 200 })).toMatchObject({ nextCursor: null, items: { length: 3 } });
  });

  it('gives a workflow larger than a page budget a page of its own', async () => {
    const workspace = randomUUID();
    await h.call(Rpc.registry.workflowCreate, { name: 'small', graph: validGraph('small') }, inWorkspace(workspace));
    await h.call(Rpc.registry.workflowCreate, { name: 'huge', graph: largeGraph(800_000, 'huge') }, inWorkspace(workspace));
    const first = await list(workspace, {});
    expect(first.items.map((w) => w.name)).toEqual(['huge']);
    const second = await list(workspace, { cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'small' })], nextCursor: null });
  });
});
