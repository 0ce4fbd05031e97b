import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import {
  FlowstackError,
  executionStreamId,
  resultSubject,
  streamName,
  subject,
  type NodeResult,
  type RequestContext,
  type WorkflowGraph,
} from '@flowstack/contracts';
import type { PostgresEventStore } from '@flowstack/event-store';
import { encodeJson, ensureDurableConsumer } from '@flowstack/messaging';
import { cleanupNamespace, createTestDatabase, randomNamespace, waitFor, type TestDatabase } from '@flowstack/testing';
import { OrchestratorModule } from '../app.module';
import { EVENT_STORE, loadOrchestratorConfig } from '../orchestrator.config';
import { ExecutionHandler } from '../executions/execution.handler';
import { startExecution } from '../testing/start-execution';
import { RESULTS_CONSUMER } from '../results/results.consumer';
import { DeadLettersHandlers } from './dead-letters.handlers';
import { DeadLetterRecorder } from './dead-letter.recorder';
import { DeadLetterRelayParking } from './relay.parking';

jest.setTimeout(90_000);

const graph: WorkflowGraph = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'call', type: 'tool', config: { tool: { kind: 'http', url: 'http://127.0.0.1:9/x' } } },
  ],
  edges: [{ from: 'in', to: 'call' }],
};

const admin = (workspaceId: string): RequestContext => ({
  workspaceId,
  actor: { id: 'u', type: 'user', role: 'admin' },
  correlationId: 'c',
});

/**
 * The crash-loop case of issue 7 row 5, against real Postgres and NATS: a result whose every
 * delivery ends with the orchestrator process gone (simulated by pulling it on the orchestrator's
 * own durable consumer and never acking) must not come back forever. Once its deliveries are
 * spent, JetStream's max-deliveries advisory makes the next orchestrator park it and fail its node.
 */
describe('dead letters (NATS + Postgres)', () => {
  const ns = randomNamespace('dead');
  let db: TestDatabase;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const apps: INestApplicationContext[] = [];

  const startOrchestrator = async (): Promise<INestApplicationContext> => {
    const app = await NestFactory.createApplicationContext(
      OrchestratorModule.forRoot({
        ...loadOrchestratorConfig({
          DATABASE_URL: db.url,
          FLOWSTACK_NS: ns.prefix,
          RESULTS_MAX_DELIVER: '2',
          // A short ack wait, so each delivery to a dead process comes back quickly.
          RESULTS_ACK_WAIT_MS: '300',
        }),
        logLevel: 'warn',
      }),
      { logger: ['error'] },
    );
    await app.init();
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    db = await createTestDatabase('dead');
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await nc?.close();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  it('parks a result every orchestrator died on, fails its execution, and lists it for its workspace admin only', async () => {
    const first = await startOrchestrator();
    const { executionId, workspaceId } = await startExecution(first.get(ExecutionHandler), graph);
    // The orchestrators "die": none is running while the result is delivered.
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const stream = streamName(ns, 'RESULTS');
    // A closed process's pull request lingers on NATS 2.9 until it expires: start from a fresh
    // consumer (the orchestrator's settings) so no delivery goes to the closed one unseen.
    await jsm.consumers.delete(stream, RESULTS_CONSUMER);
    await ensureDurableConsumer(jsm, {
      stream,
      name: RESULTS_CONSUMER,
      filterSubject: subject(ns, 'results.>'),
      ackWaitMs: 300,
      maxDeliver: 2,
    });
    const result: NodeResult = {
      taskId: `${executionId}:call:1`,
      executionId,
      workspaceId,
      nodeId: 'call',
      attempt: 1,
      status: 'succeeded',
      output: { answer: 42 },
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
    };
    await js.publish(resultSubject(ns, executionId), encodeJson(result), { msgID: `${result.taskId}:result` });
    const consumer = await js.consumers.get(stream, RESULTS_CONSUMER);
    // Delivered twice (the maximum), each time to a process that dies with it: no ack, no nak.
    await waitFor(
      async () => ((await consumer.next({ expires: 1_000 }))?.info.deliveryCount ?? 0) >= 2,
      'the result to be delivered twice and never acked',
      20_000,
    );

    const second = await startOrchestrator();
    const store = second.get<PostgresEventStore>(EVENT_STORE);
    const failed = await waitFor(
      async () => (await store.readStream(executionStreamId(executionId))).find((e) => e.type === 'ExecutionFailed'),
      'the execution to fail',
      30_000,
    );
    expect(failed.data).toMatchObject({ error: { code: 'result_unprocessable', nodeId: 'call' } });
    expect((failed.data as { error: { message: string } }).error.message).toMatch(/never acknowledged/);
    // Parked means gone from RESULTS.
    await waitFor(async () => (await jsm.streams.info(stream)).state.messages === 0, 'the message to leave RESULTS');
    expect(second.get(DeadLetterRecorder).recorded.results).toBe(1);

    const handlers = second.get(DeadLettersHandlers);
    const page = await handlers.list({}, admin(workspaceId));
    expect(page).toMatchObject({
      total: 1,
      nextCursor: null,
      items: [{ source: 'results', executionId, taskId: result.taskId, consumer: RESULTS_CONSUMER, deliveries: 2 }],
    });
    expect(await handlers.list({}, admin('another-workspace'))).toEqual({ items: [], nextCursor: null, total: 0 });
    await expect(handlers.list({}, { ...admin(workspaceId), actor: { id: 'u', type: 'user', role: 'editor' } })).rejects.toThrow(
      FlowstackError,
    );
  });

  it('pages a workspace letters newest first by cursor', async () => {
    const app = apps[0] ?? (await startOrchestrator());
    const recorder = app.get(DeadLetterRecorder);
    const workspaceId = `ws-${Date.now()}`;
    for (let i = 1; i <= 3; i++) {
      await recorder.park({
        source: 'relay',
        stream: 'paging',
        consumer: workspaceId,
        sequence: i,
        subject: `s${i}`,
        workspaceId,
        error: 'nul \u0000 in an error',
        deliveries: 1,
        payload: new Uint8Array(10_000).fill(0x61),
      });
    }
    const handlers = app.get(DeadLettersHandlers);
    const one = await handlers.list({ limit: 2 }, admin(workspaceId));
    expect(one.items.map((l) => l.subject)).toEqual(['s3', 's2']);
    expect(one.total).toBe(3);
    expect(one.items[0].payloadBytes).toBe(10_000);
    expect(one.items[0].payloadPrefix.length).toBeLessThanOrEqual(2049);
    expect(one.items[0].error).toBe('nul \uFFFD in an error');
    const two = await handlers.list({ limit: 2, cursor: one.nextCursor! }, admin(workspaceId));
    expect(two.items.map((l) => l.subject)).toEqual(['s1']);
    expect(two.nextCursor).toBeNull();
  });

  it('parks an event the relay gives up on and fails the node whose scheduling it was', async () => {
    const app = apps[0] ?? (await startOrchestrator());
    const { executionId, workspaceId } = await startExecution(app.get(ExecutionHandler), graph);
    const store = app.get<PostgresEventStore>(EVENT_STORE);
    const scheduled = (await store.readStream(executionStreamId(executionId))).find(
      (e) => e.type === 'NodeScheduled' && (e.data as { nodeId: string }).nodeId === 'call',
    )!;

    await new DeadLetterRelayParking(app.get(DeadLetterRecorder), 'events').park(scheduled, 'max_payload size exceeded', 1);

    const failed = await waitFor(
      async () => (await store.readStream(executionStreamId(executionId))).find((e) => e.type === 'ExecutionFailed'),
      'the execution to fail',
    );
    expect(failed.data).toMatchObject({ error: { code: 'event_unpublishable', nodeId: 'call' } });
    const page = await app.get(DeadLettersHandlers).list({}, admin(workspaceId));
    expect(page.items).toMatchObject([
      { source: 'relay', executionId, sequence: scheduled.globalPosition, consumer: 'relay:events', deliveries: 1 },
    ]);
    expect(page.items[0].error).toMatch(/could not be published to EVENTS: max_payload/);
  });
});
