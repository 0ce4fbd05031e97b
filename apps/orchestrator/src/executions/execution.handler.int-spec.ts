import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { executionStreamId, type WorkflowGraph } from '@flowstack/contracts';
import { PostgresEventStore, migrateEventStore, type StoredEvent } from '@flowstack/event-store';
import { ValueStore, systemContext } from '@flowstack/messaging';
import { cleanupNamespace, createTestDatabase, randomNamespace, TEST_NATS_URL, type TestDatabase } from '@flowstack/testing';
import type { ExecutionCommand } from '../domain';
import { TaskDispatcher } from '../dispatch/task.dispatcher';
import { ExecutionHandler } from './execution.handler';
import { ExecutionStateCache } from './execution-state.cache';
import { ExecutionValues } from './execution-values';
import { startExecution } from '../testing/start-execution';

const tool = (id: string) => ({
  id,
  type: 'tool' as const,
  config: { tool: { kind: 'http' as const, url: 'http://127.0.0.1:9/x' } },
});
const graph: WorkflowGraph = {
  entry_point: 'in',
  nodes: [{ id: 'in', type: 'input' }, tool('first'), tool('second'), { id: 'out', type: 'output' }],
  edges: [
    { from: 'in', to: 'first' },
    { from: 'first', to: 'second' },
    { from: 'second', to: 'out' },
  ],
};

/**
 * Two orchestrator replicas (two handlers, each with its own state cache) on one real event store:
 * a replica decides on its cached state without reading, so these prove a stale cache never makes
 * a stale decision stick.
 */
describe('ExecutionHandler with a stale cache (two replicas)', () => {
  const ns = randomNamespace('handler');
  let db: TestDatabase;
  let pool: Pool;
  let nc: NatsConnection;
  let store: PostgresEventStore;
  let replicaA: ExecutionHandler;
  let replicaB: ExecutionHandler;

  beforeAll(async () => {
    db = await createTestDatabase('handler');
    pool = new Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined); // a session the final forced drop ends is not a failure
    await migrateEventStore(pool);
    nc = await connect({ servers: TEST_NATS_URL });
    // No publisher: these tests look at what is appended; nothing is published.
    store = new PostgresEventStore(pool);
    const values = await ValueStore.open(nc, ns);
    const dispatcher = new TaskDispatcher(jetstream(nc), ns, values);
    replicaA = new ExecutionHandler(store, new ExecutionStateCache(100), dispatcher, new ExecutionValues(values));
    replicaB = new ExecutionHandler(store, new ExecutionStateCache(100), dispatcher, new ExecutionValues(values));
  });

  afterAll(async () => {
    await nc?.close();
    await pool?.end();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  const ids = () => ({ executionId: randomUUID(), workspaceId: randomUUID() });
  const events = (executionId: string): Promise<StoredEvent[]> => store.readStream(executionStreamId(executionId));
  const completed = (executionId: string, nodeId: string): ExecutionCommand => {
    const now = new Date().toISOString();
    const taskId = `${executionId}:${nodeId}:1`;
    return {
      type: 'CompleteNode',
      data: { nodeId, attempt: 1, taskId, output: { nodeId }, startedAt: now, completedAt: now, durationMs: 0, cost: 0, now },
    };
  };
  const start = (handler: ExecutionHandler, executionId: string, workspaceId: string) =>
    startExecution(handler, graph, { executionId, workspaceId });

  it('records a result that only a fresh state accepts (a node the cached state has not scheduled yet)', async () => {
    const { executionId, workspaceId } = ids();
    await start(replicaA, executionId, workspaceId); // A caches: `first` scheduled
    await replicaB.handle(executionId, workspaceId, () => completed(executionId, 'first'), systemContext(workspaceId));
    // A's cache still has `second` unscheduled; the result must be recorded all the same.
    const outcome = await replicaA.handle(
      executionId,
      workspaceId,
      () => completed(executionId, 'second'),
      systemContext(workspaceId),
    );

    expect(outcome.appended.map((e) => e.type)).toContain('NodeCompleted');
    expect(outcome.state.status).toBe('completed');
    const stored = await events(executionId);
    expect(stored.filter((e) => e.type === 'ExecutionCompleted')).toHaveLength(1);
    expect(stored.map((e) => e.streamPosition)).toEqual(stored.map((_, i) => i + 1));
  });

  it('records a duplicate result once when the cached state has not seen the first one', async () => {
    const { executionId, workspaceId } = ids();
    await start(replicaA, executionId, workspaceId);
    await replicaB.handle(executionId, workspaceId, () => completed(executionId, 'first'), systemContext(workspaceId));
    // A's cache says `first` is still running: its decision conflicts, and the fresh state says no-op.
    const outcome = await replicaA.handle(
      executionId,
      workspaceId,
      () => completed(executionId, 'first'),
      systemContext(workspaceId),
    );

    expect(outcome.appended).toEqual([]);
    const firsts = (await events(executionId)).filter(
      (e) => e.type === 'NodeCompleted' && (e.data as { nodeId: string }).nodeId === 'first',
    );
    expect(firsts).toHaveLength(1);
  });

  it('decides on its cache without reading the store when nothing moved', async () => {
    const { executionId, workspaceId } = ids();
    await start(replicaA, executionId, workspaceId);
    const reads = jest.spyOn(store, 'readStream');
    try {
      await replicaA.handle(executionId, workspaceId, () => completed(executionId, 'first'), systemContext(workspaceId));
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });
});
