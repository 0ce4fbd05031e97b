import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Limits, isValueRef, valueRefOf, type ExecutionView, type ValueRef } from '@flowstack/contracts';
import { ValueStore } from '@flowstack/messaging';
import { cleanupNamespace, randomNamespace, TEST_NATS_URL } from '@flowstack/testing';
import { ExecutionValuesResolver } from './execution-values.resolver';

/** The gateway's resolution of claim checks in `GET /executions/{id}`, on the real object store. */
describe('ExecutionValuesResolver', () => {
  const ns = randomNamespace('gwvalues');
  let nc: NatsConnection;
  let store: ValueStore;
  let resolver: ExecutionValuesResolver;
  const workspaceId = randomUUID();
  const valueOf = (c: string) => ({ text: c.repeat(Limits.inlineValueBytes + 100) });

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    store = await ValueStore.open(nc, ns);
    resolver = new ExecutionValuesResolver(await ValueStore.open(nc, ns));
  });

  afterAll(async () => {
    await nc?.close();
    await cleanupNamespace(ns);
  });

  const refOf = async (value: unknown): Promise<ValueRef> => ((await store.offload(workspaceId, value)) as { ref: ValueRef }).ref;
  const viewWith = (input: unknown, output: unknown, nodes: Record<string, unknown>): ExecutionView => ({
    id: randomUUID(),
    workflowId: randomUUID(),
    workflowVersion: 1,
    status: 'completed',
    input,
    output,
    nodes: Object.fromEntries(Object.entries(nodes).map(([id, o]) => [id, { status: 'succeeded', attempts: 1, output: o }])),
    totalCost: 0,
    startedAt: new Date().toISOString(),
  });

  it('returns a view without references as it is', async () => {
    const view = viewWith({ a: 1 }, 2, { n: 3 });
    expect(await resolver.resolveView(view, workspaceId)).toBe(view);
  });

  it('resolves input, output and node outputs', async () => {
    const [a, b] = [valueOf('a'), valueOf('b')];
    const view = viewWith(await refOf(a), await refOf(b), { first: await refOf(a), second: 'small' });
    const resolved = await resolver.resolveView(view, workspaceId);
    expect(resolved.input).toEqual(a);
    expect(resolved.output).toEqual(b);
    expect(resolved.nodes.first.output).toEqual(a);
    expect(resolved.nodes.second.output).toBe('small');
    expect(isValueRef(view.input)).toBe(true); // the view it was given is untouched
  });

  it('leaves references past the response budget as they are, the output first in line', async () => {
    const [a, b, c] = [valueOf('a'), valueOf('b'), valueOf('c')];
    const view = viewWith(await refOf(a), await refOf(b), { n: await refOf(c) });
    const budget = 2 * (Limits.inlineValueBytes + 200);
    const resolved = await resolver.resolveView(view, workspaceId, budget);
    expect(resolved.output).toEqual(b);
    expect(resolved.input).toEqual(a);
    expect(isValueRef(resolved.nodes.n.output)).toBe(true);
  });

  it("keeps another workspace's reference (or a missing value) a reference", async () => {
    const foreign = ((await store.offload(randomUUID(), valueOf('f'))) as { ref: ValueRef }).ref;
    const missing = valueRefOf('0'.repeat(64), 10);
    const resolved = await resolver.resolveView(viewWith(foreign, missing, {}), workspaceId);
    expect(resolved.input).toEqual(foreign);
    expect(resolved.output).toEqual(missing);
  });
});
