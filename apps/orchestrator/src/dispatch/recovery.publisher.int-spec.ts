import { Pool } from 'pg';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { executionStreamId, streamName, type NodeTask, type WorkflowGraph } from '@flowstack/contracts';
import {
  JetStreamEventPublisher,
  OutboxRelay,
  PostgresEventStore,
  PublishedLedger,
  decodeStoredEvent,
  migrateEventStore,
} from '@flowstack/event-store';
import { ValueStore, decodeJson, ensureStreams, systemContext } from '@flowstack/messaging';
import {
  cleanupNamespace,
  createTestDatabase,
  randomNamespace,
  TEST_NATS_URL,
  waitFor,
  type TestDatabase,
} from '@flowstack/testing';
import { ExecutionHandler } from '../executions/execution.handler';
import { ExecutionStateCache } from '../executions/execution-state.cache';
import { ExecutionValues } from '../executions/execution-values';
import { RecoveryPublisher } from './recovery.publisher';
import { startExecution } from '../testing/start-execution';
import { TaskDispatcher } from './task.dispatcher';

const graph: WorkflowGraph = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'call', type: 'tool', config: { tool: { kind: 'http', url: 'http://127.0.0.1:9/x' } } },
    { id: 'out', type: 'output' },
  ],
  edges: [
    { from: 'in', to: 'call' },
    { from: 'call', to: 'out' },
  ],
};

/**
 * The relay's recovery with real Postgres and JetStream: what a crash between the commit and the
 * fast-path publish leaves behind (events and node tasks) goes out once, and only what is missing.
 */
describe('RecoveryPublisher behind the outbox relay', () => {
  const ns = randomNamespace('recovery');
  let db: TestDatabase;
  let pool: Pool;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let dispatcher: TaskDispatcher;
  let values: ValueStore;

  beforeAll(async () => {
    db = await createTestDatabase('recovery');
    pool = new Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined); // a session the final forced drop ends is not a failure
    await migrateEventStore(pool);
    nc = await connect({ servers: TEST_NATS_URL });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    await ensureStreams(jsm, ns, ['EVENTS', 'WORK']);
    values = await ValueStore.open(nc, ns);
    dispatcher = new TaskDispatcher(js, ns, values);
  });

  afterAll(async () => {
    await nc?.close();
    await pool?.end();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  /** An orchestrator write path whose store publishes through `publisher` (none: it "crashed"). */
  const handlerWith = (store: PostgresEventStore) =>
    new ExecutionHandler(store, new ExecutionStateCache(100), dispatcher, new ExecutionValues(values));

  const start = async (handler: ExecutionHandler): Promise<string> => (await startExecution(handler, graph)).executionId;

  const messagesIn = async (stream: 'EVENTS' | 'WORK'): Promise<Uint8Array[]> => {
    const name = streamName(ns, stream);
    const { state } = await jsm.streams.info(name);
    const out: Uint8Array[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const msg = await jsm.streams.getMessage(name, { seq }).catch(() => null);
      if (msg) out.push(msg.data);
    }
    return out;
  };
  const tasksFor = async (executionId: string) =>
    (await messagesIn('WORK')).map((d) => decodeJson<NodeTask>(d)).filter((t) => t.executionId === executionId);
  const eventsFor = async (executionId: string) =>
    (await messagesIn('EVENTS')).map((d) => decodeStoredEvent(d)).filter((e) => e.streamId === executionStreamId(executionId));

  it("publishes a crashed write's events and still-scheduled tasks once; skips what the fast path got acked", async () => {
    const ledger = new PublishedLedger();
    const crashed = await start(handlerWith(new PostgresEventStore(pool)));
    const published = await start(
      handlerWith(new PostgresEventStore(pool, { publisher: new JetStreamEventPublisher(js, ns), ledger })),
    );
    expect(await tasksFor(crashed)).toHaveLength(0);
    expect(await tasksFor(published)).toHaveLength(1);
    const stored = await new PostgresEventStore(pool).readStream(executionStreamId(crashed));

    const handler = handlerWith(new PostgresEventStore(pool));
    const relayed: string[] = [];
    const events = new JetStreamEventPublisher(js, ns);
    const relay = new OutboxRelay({
      pool,
      name: 'events',
      ledger,
      publisher: new RecoveryPublisher(
        {
          publish: async (evs, alongside) => (
            await events.publish(evs, alongside),
            void relayed.push(...evs.map((e) => e.eventId))
          ),
        },
        handler,
        dispatcher,
      ),
    });
    await waitFor(async () => (await relay.runOnce(), relayed.length >= stored.length), 'the crashed events relayed', 5_000);
    await relay.runOnce();

    expect(relayed.sort()).toEqual(stored.map((e) => e.eventId).sort());
    expect((await eventsFor(crashed)).map((e) => e.eventId)).toEqual(stored.map((e) => e.eventId));
    const [task] = await tasksFor(crashed);
    expect(await tasksFor(crashed)).toHaveLength(1);
    expect(task).toMatchObject({ taskId: `${crashed}:call:1`, node: { id: 'call' }, attempt: 1 });
    expect(await tasksFor(published)).toHaveLength(1);
  });

  it('builds no task for a node that finished before the relay got to it', async () => {
    const handler = handlerWith(new PostgresEventStore(pool));
    const executionId = await start(handler);
    const [{ workspaceId }] = await new PostgresEventStore(pool).readStream(executionStreamId(executionId));
    const now = new Date().toISOString();
    await handler.handle(
      executionId,
      workspaceId,
      () => ({
        type: 'CompleteNode',
        data: {
          nodeId: 'call',
          attempt: 1,
          taskId: `${executionId}:call:1`,
          output: {},
          startedAt: now,
          completedAt: now,
          durationMs: 0,
          cost: 0,
          now,
        },
      }),
      systemContext(workspaceId),
    );
    const relay = new OutboxRelay({
      pool,
      name: 'events',
      publisher: new RecoveryPublisher(new JetStreamEventPublisher(js, ns), handler, dispatcher),
    });
    // Relay until the execution's last event is out. Not "until runOnce() relays nothing": the log
    // reader also returns nothing while any older transaction in the Postgres cluster (another test
    // file's, another run's) is still open, which is not caught up. A runOnce() that publishes the
    // last event has finished its RecoveryPublisher work (events first, then tasks) when it resolves.
    await waitFor(
      async () => (await relay.runOnce(), (await eventsFor(executionId)).some((e) => e.type === 'ExecutionCompleted')),
      'the execution relayed up to ExecutionCompleted',
      5_000,
    );

    expect(await tasksFor(executionId)).toHaveLength(0);
  });
});
