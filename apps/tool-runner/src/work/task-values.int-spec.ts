import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Limits, isValueRef, type NodeResult, type NodeTask, type ValueRef } from '@flowstack/contracts';
import { ValueStore, encodeValue } from '@flowstack/messaging';
import { cleanupNamespace, randomNamespace, TEST_NATS_URL } from '@flowstack/testing';
import { NodeFailure } from './node-failure';
import { TaskValues } from './task-values';

/** The tool-runner's claim checks against the real object store (issue 7, row 7 and task sizes). */
describe('TaskValues', () => {
  const ns = randomNamespace('taskvalues');
  let nc: NatsConnection;
  let store: ValueStore;
  let values: TaskValues;
  const workspaceId = randomUUID();
  const execution = { id: 'e', workflowId: 'w', workflowVersion: 1, startedAt: new Date().toISOString() };
  const big = { body: 'b'.repeat(Limits.inlineValueBytes * 2) };

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    store = await ValueStore.open(nc, ns);
    values = new TaskValues(store);
  });

  afterAll(async () => {
    await nc?.close();
    await cleanupNamespace(ns);
  });

  const taskWith = (scope: NodeTask['scope'], scopeRef?: ValueRef): NodeTask => ({
    taskId: `${randomUUID()}:call:1`,
    executionId: randomUUID(),
    workspaceId,
    attempt: 1,
    node: { id: 'call', type: 'tool' },
    scope,
    ...(scopeRef ? { scopeRef } : {}),
  });
  const succeeded = (output: unknown): NodeResult => ({
    taskId: 't',
    executionId: 'e',
    workspaceId,
    nodeId: 'call',
    attempt: 1,
    status: 'succeeded',
    output,
    startedAt: execution.startedAt,
    finishedAt: execution.startedAt,
  });

  it('passes a task without references through untouched', async () => {
    const task = taskWith({ input: { a: 1 }, nodes: { x: { output: 2 } }, execution });
    expect(await values.resolve(task)).toBe(task);
  });

  it('resolves referenced outputs and a whole scope stored out of band', async () => {
    const { ref } = (await store.offload(workspaceId, big)) as { ref: ValueRef };
    const resolved = await values.resolve(taskWith({ input: {}, nodes: { fetch: { output: ref } }, execution }));
    expect(resolved.scope.nodes.fetch.output).toEqual(big);

    const scope = { input: ref, nodes: { fetch: { output: 'small' } }, execution };
    const encoded = encodeValue(scope);
    const scopeRef = await store.put(workspaceId, encoded, scope);
    const fromRef = await values.resolve(taskWith({ input: null, nodes: {}, execution }, scopeRef));
    expect(fromRef.scope).toEqual({ input: big, nodes: { fetch: { output: 'small' } }, execution });
  });

  it('fails the node with value_unavailable for a reference to nothing (or another workspace)', async () => {
    const { ref } = (await store.offload(randomUUID(), { other: 'o'.repeat(Limits.inlineValueBytes) })) as { ref: ValueRef };
    const failure = await values.resolve(taskWith({ input: ref, nodes: {}, execution })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NodeFailure);
    expect((failure as NodeFailure).code).toBe('value_unavailable');
  });

  it('publishes a large output as a reference that resolves to it', async () => {
    const settled = await values.settle(workspaceId, succeeded(big));
    expect(settled.status).toBe('succeeded');
    const output = (settled as { output: unknown }).output;
    expect(isValueRef(output)).toBe(true);
    expect(await (await ValueStore.open(nc, ns)).resolve(workspaceId, output as ValueRef)).toEqual(big);
    expect(await values.settle(workspaceId, succeeded({ small: 1 }))).toEqual(succeeded({ small: 1 }));
  });

  it('turns an output above maxValueBytes into an output_too_large failure', async () => {
    const settled = await values.settle(workspaceId, succeeded('x'.repeat(Limits.maxValueBytes)));
    expect(settled).toMatchObject({ status: 'failed', error: { code: 'output_too_large', retryable: false } });
  });

  it("references a failure's large details (an error body)", async () => {
    const failed: NodeResult = {
      ...succeeded(null),
      status: 'failed',
      error: { code: 'http_status', message: '500', details: { status: 500, body: big.body } },
    };
    const settled = await values.settle(workspaceId, failed);
    expect(settled.status).toBe('failed');
    expect(isValueRef((settled as { error: { details: unknown } }).error.details)).toBe(true);
  });
});
