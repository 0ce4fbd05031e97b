import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import {
  FlowstackError,
  isValueRef,
  type AgentProgressView,
  type RecordAgentTurnPayload,
  type RequestContext,
  type WorkflowGraph,
} from '@flowstack/contracts';
import { PostgresEventStore, migrateEventStore } from '@flowstack/event-store';
import { ValueStore, systemContext } from '@flowstack/messaging';
import { cleanupNamespace, createTestDatabase, randomNamespace, TEST_NATS_URL, type TestDatabase } from '@flowstack/testing';
import { TaskDispatcher } from '../dispatch/task.dispatcher';
import { ExecutionHandler } from '../executions/execution.handler';
import { ExecutionStateCache } from '../executions/execution-state.cache';
import { ExecutionValues } from '../executions/execution-values';
import { startExecution } from '../testing/start-execution';
import { AgentProgressHandlers } from './agent-progress.handlers';

const graph: WorkflowGraph = { entry_point: 'ask', nodes: [{ id: 'ask', type: 'agent_call', config: {} }], edges: [] };

/**
 * The orchestrator's side of the durable agent loop against the real event store: records are
 * appended once per key, only the tool-runner may record or read, another workspace's execution
 * is `not_found`, and a record too large for one reply comes back as a reference.
 */
describe('AgentProgressHandlers (Postgres, NATS)', () => {
  const ns = randomNamespace('agentprog');
  let db: TestDatabase;
  let pool: Pool;
  let nc: NatsConnection;
  let values: ValueStore;
  let handlers: AgentProgressHandlers;
  let startedWith: (workspaceId: string) => Promise<{ executionId: string }>;

  beforeAll(async () => {
    db = await createTestDatabase('agentprog');
    pool = new Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined);
    await migrateEventStore(pool);
    nc = await connect({ servers: TEST_NATS_URL });
    const store = new PostgresEventStore(pool);
    values = await ValueStore.open(nc, ns);
    const executions = new ExecutionHandler(
      store,
      new ExecutionStateCache(100),
      new TaskDispatcher(jetstream(nc), ns, values),
      new ExecutionValues(values),
    );
    handlers = new AgentProgressHandlers(executions, store, values);
    // The node's task goes to WORK, which this test does not create: the dispatch is not its subject.
    jest.spyOn(TaskDispatcher.prototype, 'publish').mockResolvedValue(undefined);
    startedWith = (workspaceId) => startExecution(executions, graph, { workspaceId });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await nc?.close();
    await pool?.end();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  const runner = (workspaceId: string): RequestContext => ({
    ...systemContext(workspaceId),
    actor: { id: 'tool-runner', type: 'system' },
  });
  const turn = (executionId: string, step: number, text = `turn ${step}`): RecordAgentTurnPayload => ({
    executionId,
    turn: {
      nodeId: 'ask',
      attempt: 1,
      taskId: `${executionId}:ask:1`,
      step,
      message: { role: 'assistant', text, toolCalls: [] },
      usage: { inputTokens: 10, outputTokens: 2, model: 'gpt-4o-mini' },
      cost: 3,
      priced: true,
      stopReason: 'tool_use',
    },
  });

  it('records a turn once and reads it back for the node', async () => {
    const workspaceId = randomUUID();
    const { executionId } = await startedWith(workspaceId);
    expect(await handlers.recordTurn(turn(executionId, 1), runner(workspaceId))).toEqual({ recorded: true });
    expect(await handlers.recordTurn(turn(executionId, 1), runner(workspaceId))).toEqual({ recorded: false });
    await handlers.recordToolCall(
      {
        executionId,
        call: {
          nodeId: 'ask',
          attempt: 1,
          taskId: `${executionId}:ask:1`,
          step: 1,
          toolCallId: 'c1',
          tool: 'noop',
          arguments: { a: 1 },
          result: { a: 1 },
          durationMs: 1,
        },
      },
      runner(workspaceId),
    );
    const view = (await handlers.progress({ executionId, nodeId: 'ask' }, runner(workspaceId))) as AgentProgressView;
    expect(view.turns.map((t) => [t.step, t.message])).toEqual([[1, { role: 'assistant', text: 'turn 1', toolCalls: [] }]]);
    expect(view.toolCalls.map((c) => [c.step, c.toolCallId, c.result])).toEqual([[1, 'c1', { a: 1 }]]);
    expect(await handlers.progress({ executionId, nodeId: 'other' }, runner(workspaceId))).toEqual({ turns: [], toolCalls: [] });
  });

  it('refuses any caller but the tool-runner, and answers not_found for another workspace', async () => {
    const workspaceId = randomUUID();
    const { executionId } = await startedWith(workspaceId);
    await expect(handlers.recordTurn(turn(executionId, 1), systemContext(workspaceId))).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(handlers.progress({ executionId, nodeId: 'ask' }, runner(randomUUID()))).rejects.toBeInstanceOf(FlowstackError);
    await expect(handlers.progress({ executionId, nodeId: 'ask' }, runner(randomUUID()))).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('answers a record too large for one reply with a reference to it', async () => {
    const workspaceId = randomUUID();
    const { executionId } = await startedWith(workspaceId);
    // 14 turns of 60 KB each (inline, under 64 KiB): over the reply budget together.
    for (let step = 1; step <= 14; step++) {
      await handlers.recordTurn(turn(executionId, step, `${step}:`.padEnd(60_000, 'x')), runner(workspaceId));
    }
    const answer = (await handlers.progress({ executionId, nodeId: 'ask' }, runner(workspaceId))) as { ref: unknown };
    expect(isValueRef(answer.ref)).toBe(true);
    const view = (await values.resolve(workspaceId, answer.ref as never)) as AgentProgressView;
    expect(view.turns.map((t) => t.step)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });
});
