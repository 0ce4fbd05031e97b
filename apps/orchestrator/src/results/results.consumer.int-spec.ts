import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import {
  executionStreamId,
  resultSubject,
  streamName,
  subject,
  type NodeError,
  type NodeResult,
  type NodeTask,
  type WorkflowGraph,
} from '@flowstack/contracts';
import { type PostgresEventStore } from '@flowstack/event-store';
import { decodeJson, encodeJson } from '@flowstack/messaging';
import { cleanupNamespace, createTestDatabase, randomNamespace, waitFor, type TestDatabase } from '@flowstack/testing';
import { OrchestratorModule } from '../app.module';
import { EVENT_STORE, loadOrchestratorConfig } from '../orchestrator.config';
import { ExecutionHandler } from '../executions/execution.handler';
import { startExecution } from '../testing/start-execution';
import { RESULTS_CONSUMER } from './results.consumer';

jest.setTimeout(60_000);

const graph: WorkflowGraph = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'call', type: 'tool', config: { tool: { kind: 'http', url: 'http://127.0.0.1:9/x' } } },
    { id: 'out', type: 'output', config: { value: '{{ nodes.call.output.answer }}' } },
  ],
  edges: [
    { from: 'in', to: 'call' },
    { from: 'call', to: 'out' },
  ],
};

/** The orchestrator against real Postgres and NATS: dispatching tasks and consuming results. */
describe('orchestrator results (NATS + Postgres)', () => {
  const ns = randomNamespace('orch');
  let db: TestDatabase;
  let app: INestApplicationContext;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('orch');
    app = await NestFactory.createApplicationContext(
      OrchestratorModule.forRoot({
        ...loadOrchestratorConfig({ DATABASE_URL: db.url, FLOWSTACK_NS: ns.prefix }),
        logLevel: 'warn',
      }),
      { logger: ['error'] },
    );
    await app.init();
    store = app.get(EVENT_STORE);
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  const startRun = async (): Promise<string> =>
    (await startExecution(app.get(ExecutionHandler), graph, { input: { q: 1 } })).executionId;

  const eventsOf = async (executionId: string) => store.readStream(executionStreamId(executionId));

  /** The `call` node's first attempt ending with `outcome`, as a runner publishes it. */
  const resultOf = (
    executionId: string,
    workspaceId: string,
    outcome: ({ status: 'succeeded'; output: unknown } | { status: 'failed'; error: NodeError }) & { startedAt?: string },
  ): NodeResult => ({
    taskId: `${executionId}:call:1`,
    executionId,
    workspaceId,
    nodeId: 'call',
    attempt: 1,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    ...outcome,
  });
  /** Publishes a result under its own message id (the runner's), answering JetStream's ack. */
  const publishResult = (result: NodeResult, msgID = `${result.taskId}:result`) =>
    js.publish(resultSubject(ns, result.executionId), encodeJson(result), { msgID });

  it('dispatches the remote node as a task on WORK with the scope it needs', async () => {
    const executionId = await startRun();
    await jsm.consumers.add(streamName(ns, 'WORK'), {
      durable_name: 'peek',
      ack_policy: AckPolicy.Explicit,
      filter_subject: subject(ns, 'work.tool'),
    });
    const consumer = await js.consumers.get(streamName(ns, 'WORK'), 'peek');
    const msg = await consumer.next({ expires: 5_000 });
    const task = decodeJson<NodeTask>(msg!.data);
    msg!.ack();
    expect(task).toMatchObject({ taskId: `${executionId}:call:1`, executionId, node: { id: 'call', type: 'tool' }, attempt: 1 });
    expect(task.scope.input).toEqual({ q: 1 });
    expect(task.scope.nodes.in).toEqual({ output: { q: 1 } });
    expect(msg!.headers?.get('Nats-Msg-Id')).toBe(task.taskId);
    await jsm.consumers.delete(streamName(ns, 'WORK'), 'peek');
  });

  it('records a result once, even when the same result is delivered again', async () => {
    const executionId = await startRun();
    const [workspaceId] = (await eventsOf(executionId)).map((e) => e.workspaceId);
    const result = resultOf(executionId, workspaceId, {
      status: 'succeeded',
      output: { answer: 42 },
      startedAt: new Date(Date.now() - 5).toISOString(),
    });

    await publishResult(result);
    await waitFor(
      async () => (await eventsOf(executionId)).some((e) => e.type === 'ExecutionCompleted'),
      'the execution to complete',
    );

    // The same message id again is dropped by JetStream's duplicate window...
    const dup = await publishResult(result);
    expect(dup.duplicate).toBe(true);
    // ...and a redelivery that gets past it (another id) is consumed and acked without effect.
    const redelivered = await publishResult(result, `${result.taskId}:result:redelivered`);
    await waitFor(async () => {
      const info = await jsm.consumers.info(streamName(ns, 'RESULTS'), RESULTS_CONSUMER);
      return info.ack_floor.stream_seq >= redelivered.seq && info.num_ack_pending === 0;
    }, 'the redelivered result to be acked');

    const events = await eventsOf(executionId);
    expect(events.filter((e) => e.type === 'NodeCompleted' && (e.data as { nodeId: string }).nodeId === 'call')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'ExecutionCompleted')).toHaveLength(1);
    expect(events.at(-1)!.data).toMatchObject({ output: 42 });
    expect(events.map((e) => e.streamPosition)).toEqual(events.map((_, i) => i + 1));
  });

  it('records a failed node and fails the execution with its error', async () => {
    const executionId = await startRun();
    const [workspaceId] = (await eventsOf(executionId)).map((e) => e.workspaceId);
    await publishResult(
      resultOf(executionId, workspaceId, {
        status: 'failed',
        // Not retryable, so the failure is final (retries: timers/timer.service.int-spec.ts, tests/e2e/retry-timers).
        error: { code: 'http_status', message: 'answered 400', retryable: false },
      }),
    );
    await waitFor(async () => (await eventsOf(executionId)).some((e) => e.type === 'ExecutionFailed'), 'the execution to fail');
    const failed = (await eventsOf(executionId)).find((e) => e.type === 'ExecutionFailed')!;
    expect(failed.data).toMatchObject({ error: { code: 'http_status', nodeId: 'call' } });
  });

  it('acks a result once its events are committed, without waiting for their publish', async () => {
    const executionId = await startRun();
    const [workspaceId] = (await eventsOf(executionId)).map((e) => e.workspaceId);
    // The publish after this result's commit hangs until the end of the test.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const publish = store.publish.bind(store);
    const held = jest.spyOn(store, 'publish').mockImplementationOnce(async (...args) => {
      await released;
      return publish(...args);
    });
    try {
      const { seq } = await publishResult(resultOf(executionId, workspaceId, { status: 'succeeded', output: { answer: 7 } }));
      await waitFor(async () => {
        const info = await jsm.consumers.info(streamName(ns, 'RESULTS'), RESULTS_CONSUMER);
        return info.ack_floor.stream_seq >= seq && info.num_ack_pending === 0;
      }, 'the result to be acked while its publish is held');
      expect(held).toHaveBeenCalledTimes(1);
      expect((await eventsOf(executionId)).some((e) => e.type === 'ExecutionCompleted')).toBe(true);
    } finally {
      release();
      held.mockRestore();
    }
  });
});
