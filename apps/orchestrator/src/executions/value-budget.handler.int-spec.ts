import { createHash } from 'node:crypto';
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

const BUDGET = 250_000;
const CODE = 'execution_memory_budget_exceeded';
const sha256 = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const tool = (id: string) => ({
  id,
  type: 'tool' as const,
  config: { tool: { kind: 'http' as const, url: 'http://127.0.0.1:9/x' } },
});
// in -> first -> second -> out, both tools: their results come through `handle`, as from RESULTS.
const tools: WorkflowGraph = {
  entry_point: 'in',
  nodes: [{ id: 'in', type: 'input' }, tool('first'), tool('second'), { id: 'out', type: 'output' }],
  edges: [
    { from: 'in', to: 'first' },
    { from: 'first', to: 'second' },
    { from: 'second', to: 'out' },
  ],
};
// in -> t1 -> t2 -> out, evaluated inline in the start's own decision.
const transforms: WorkflowGraph = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 't1', type: 'transform', config: { expression: 'input.a & "1"' } },
    { id: 't2', type: 'transform', config: { expression: 'input.b & "2"' } },
    { id: 'out', type: 'output', config: { value: '{{ $length(nodes.t1.output) }}' } },
  ],
  edges: [
    { from: 'in', to: 't1' },
    { from: 't1', to: 't2' },
    { from: 't2', to: 'out' },
  ],
};

/**
 * The execution value budget on the orchestrator's real write path (Postgres event store, NATS
 * object store): two replicas decide the same from the recorded sizes, even when one decides on a
 * stale cache, and an inline output the budget refuses is never stored out of band.
 */
describe('ExecutionHandler: the execution value budget', () => {
  const ns = randomNamespace('valbudget');
  let db: TestDatabase;
  let pool: Pool;
  let nc: NatsConnection;
  let store: PostgresEventStore;
  let values: ValueStore;
  let replicaA: ExecutionHandler;
  let replicaB: ExecutionHandler;

  beforeAll(async () => {
    db = await createTestDatabase('valbudget');
    pool = new Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined); // a session the final forced drop ends is not a failure
    await migrateEventStore(pool);
    nc = await connect({ servers: TEST_NATS_URL });
    store = new PostgresEventStore(pool);
    values = await ValueStore.open(nc, ns);
    const dispatcher = new TaskDispatcher(jetstream(nc), ns, values);
    const config = { executionValueBudgetBytes: BUDGET };
    replicaA = new ExecutionHandler(store, new ExecutionStateCache(100), dispatcher, new ExecutionValues(values, config));
    replicaB = new ExecutionHandler(store, new ExecutionStateCache(100), dispatcher, new ExecutionValues(values, config));
  });

  afterAll(async () => {
    await nc?.close();
    await pool?.end();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  const events = (executionId: string): Promise<StoredEvent[]> => store.readStream(executionStreamId(executionId));
  const completed = (executionId: string, nodeId: string, output: unknown) => (): ExecutionCommand => {
    const now = new Date().toISOString();
    const taskId = `${executionId}:${nodeId}:1`;
    return {
      type: 'CompleteNode',
      data: { nodeId, attempt: 1, taskId, output, startedAt: now, completedAt: now, durationMs: 0, cost: 0, now },
    };
  };

  it('refuses the result that passes the budget on a replica whose cache has not seen the one before it', async () => {
    const { executionId, workspaceId } = await startExecution(replicaA, tools); // A caches: `first` scheduled
    const first = { text: 'f'.repeat(150_000) };
    await replicaB.handle(executionId, workspaceId, completed(executionId, 'first', first), systemContext(workspaceId));
    // A's cached state has 2 bytes of outputs; only the stored stream knows about `first`'s 150,011.
    const outcome = await replicaA.handle(
      executionId,
      workspaceId,
      completed(executionId, 'second', { text: 's'.repeat(150_000) }),
      systemContext(workspaceId),
    );

    expect(outcome.state.status).toBe('failed');
    const stored = await events(executionId);
    const byType = (type: string) => stored.filter((e) => e.type === type).map((e) => e.data as any);
    expect(byType('NodeCompleted').map((d) => [d.nodeId, d.outputBytes])).toEqual([
      ['in', 2],
      ['first', Buffer.byteLength(JSON.stringify(first))],
    ]);
    expect(byType('NodeFailed')).toEqual([
      expect.objectContaining({
        nodeId: 'second',
        error: expect.objectContaining({
          code: CODE,
          details: { budgetBytes: BUDGET, usedBytes: 150_013, outputBytes: 150_011 },
        }),
      }),
    ]);
    expect(byType('ExecutionFailed')).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: CODE }) })]);
  });

  it('fails the inline node that passes the budget and does not store its output', async () => {
    const input = { a: 'a'.repeat(70_000), b: 'b'.repeat(100_000) };
    const { executionId, workspaceId, outcome } = await startExecution(replicaA, transforms, { input });

    expect(outcome.state.status).toBe('failed');
    const stored = await events(executionId);
    const failed = stored.find((e) => e.type === 'NodeFailed')?.data as any;
    // in: 170,015 bytes; t1: 70,003 (240,018 in all); t2 would take it to 340,021.
    expect(failed).toMatchObject({ nodeId: 't2', error: { code: CODE, details: { usedBytes: 240_018, outputBytes: 100_003 } } });
    expect(await values.bytesOf(workspaceId, sha256(`${input.a}1`))).toBeDefined();
    expect(await values.bytesOf(workspaceId, sha256(`${input.b}2`))).toBeUndefined();
  });
});
