import { Pool } from 'pg';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { executionStreamId, type WorkflowGraph } from '@flowstack/contracts';
import { PostgresEventStore, migrateEventStore, type StoredEvent } from '@flowstack/event-store';
import { ValueStore } from '@flowstack/messaging';
import {
  cleanupNamespace,
  createTestDatabase,
  randomNamespace,
  TEST_NATS_URL,
  waitFor,
  type TestDatabase,
} from '@flowstack/testing';
import { TaskDispatcher } from '../dispatch/task.dispatcher';
import { ExecutionHandler } from '../executions/execution.handler';
import { ExecutionStateCache } from '../executions/execution-state.cache';
import { ExecutionValues } from '../executions/execution-values';
import { startExecution } from '../testing/start-execution';
import { TimerService, type TimerSettings } from './timer.service';
import { TimerStore } from './timer.store';

const delayGraph = (seconds: number): WorkflowGraph => ({
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'wait', type: 'delay', config: { seconds } },
    { id: 'out', type: 'output', config: { value: 'done' } },
  ],
  edges: [
    { from: 'in', to: 'wait' },
    { from: 'wait', to: 'out' },
  ],
});

/**
 * The timer service against the real Postgres: replicas share the firing (each timer once), a
 * replica that starts after the timer was recorded (a restart) fires it on time, and a timer a
 * dead replica claimed is fired by another once the claim's lease ends.
 */
describe('TimerService (durable timers)', () => {
  const ns = randomNamespace('timers');
  let db: TestDatabase;
  let pool: Pool;
  let nc: NatsConnection;
  let store: PostgresEventStore;
  let values: ValueStore;
  const services: TimerService[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('timers');
    pool = new Pool({ connectionString: db.url, max: 8 });
    pool.on('error', () => undefined); // a session the final forced drop ends is not a failure
    await migrateEventStore(pool);
    await new TimerStore(pool).migrate();
    nc = await connect({ servers: TEST_NATS_URL });
    store = new PostgresEventStore(pool);
    values = await ValueStore.open(nc, ns);
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.onApplicationShutdown()));
  });

  afterAll(async () => {
    await nc?.close();
    await pool?.end();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  /** One orchestrator replica: its own timer store listeners, state cache and write path. */
  const replica = (settings: Partial<TimerSettings> = {}) => {
    const timers = new TimerStore(pool);
    const dispatcher = new TaskDispatcher(jetstream(nc), ns, values);
    const handler = new ExecutionHandler(
      store,
      new ExecutionStateCache(100),
      dispatcher,
      new ExecutionValues(values),
      undefined,
      timers,
    );
    const service = new TimerService(timers, handler, {
      timerPollIntervalMs: 200,
      timerLeaseMs: 5_000,
      timerBatchSize: 4,
      ...settings,
    });
    return { timers, handler, service };
  };
  const run = (service: TimerService): TimerService => {
    service.onApplicationBootstrap();
    services.push(service);
    return service;
  };
  const eventsOf = (executionId: string): Promise<StoredEvent[]> => store.readStream(executionStreamId(executionId));
  const completed = async (executionId: string): Promise<boolean> =>
    (await eventsOf(executionId)).some((e) => e.type === 'ExecutionCompleted');
  const latenessMs = (events: StoredEvent[]): number => {
    const fired = events.find((e) => e.type === 'TimerFired')!.data as { dueAt: string; firedAt: string };
    return Date.parse(fired.firedAt) - Date.parse(fired.dueAt);
  };
  const rowsOf = async (executionIds: string[]) =>
    (
      await pool.query<{ execution_id: string; claims: number; fired_at: Date | null }>(
        'SELECT execution_id, claims, fired_at FROM orchestrator.timers WHERE execution_id = ANY($1)',
        [executionIds],
      )
    ).rows;

  it('records the timer with the events, and two replicas fire each timer exactly once', async () => {
    const a = replica();
    const b = replica();
    run(a.service);
    run(b.service);
    // Twelve delays due together, recorded half by each replica: both claim at the same moments.
    const ids = await Promise.all(
      Array.from(
        { length: 12 },
        async (_, i) => (await startExecution(i % 2 ? a.handler : b.handler, delayGraph(0.3))).executionId,
      ),
    );
    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(12);

    await waitFor(
      async () => (await Promise.all(ids.map(completed))).every(Boolean),
      'every delayed execution completed',
      10_000,
    );
    for (const id of ids) {
      const events = await eventsOf(id);
      expect(events.filter((e) => e.type === 'TimerFired')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'NodeCompleted' && (e.data as { nodeId: string }).nodeId === 'wait')).toHaveLength(
        1,
      );
    }
    expect(a.service.fired + b.service.fired).toBe(12);
    expect((await rowsOf(ids)).every((r) => r.claims === 1 && r.fired_at !== null)).toBe(true);
  });

  it('fires on time a timer recorded before the service (re)started', async () => {
    const before = replica();
    const { executionId } = await startExecution(before.handler, delayGraph(0.6));
    // No timer service ran when it was recorded (the process that wrote it is gone); a new one starts.
    run(replica().service);
    await waitFor(() => completed(executionId), 'the delayed execution completed after the restart', 10_000);
    const lateness = latenessMs(await eventsOf(executionId));
    expect(lateness).toBeGreaterThanOrEqual(0);
    // One poll interval at most: the new process learns of the timer from the table alone.
    expect(lateness).toBeLessThan(400);
  });

  it('fires at once a timer that came due while no service ran', async () => {
    const before = replica();
    const { executionId } = await startExecution(before.handler, delayGraph(0.05));
    await waitFor(
      async () =>
        (await pool.query('SELECT now() > due_at AS due FROM orchestrator.timers WHERE execution_id = $1', [executionId])).rows[0]
          ?.due === true,
      'the timer is due',
      2_000,
    );
    expect(await completed(executionId)).toBe(false);
    const started = Date.now();
    run(replica().service);
    await waitFor(() => completed(executionId), 'the overdue timer fired', 5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('fires a timer that a dead replica claimed once its lease ends, and only then', async () => {
    const dead = replica();
    const { executionId } = await startExecution(dead.handler, delayGraph(0));
    // The dead replica claimed it (a 700 ms lease) and died before firing it.
    const claimed = await dead.timers.claimDue(new Date(Date.now() + 50), 700, 10);
    expect(claimed.map((t) => t.executionId)).toContain(executionId);
    const claimedAt = Date.now();
    run(replica().service);
    await waitFor(() => completed(executionId), 'the abandoned timer fired', 5_000);
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(600);
    expect((await eventsOf(executionId)).filter((e) => e.type === 'TimerFired')).toHaveLength(1);
    expect((await rowsOf([executionId]))[0].claims).toBe(2);
  });

  it('makes a second firing of a timer a no-op (the decider), even past the table', async () => {
    const r = replica();
    const { executionId, workspaceId } = await startExecution(r.handler, delayGraph(0));
    const [timer] = (await r.timers.claimDue(new Date(Date.now() + 50), 5_000, 100)).filter((t) => t.executionId === executionId);
    await r.service.fire(timer);
    await r.service.fire({ ...timer, workspaceId });
    const events = await eventsOf(executionId);
    expect(events.filter((e) => e.type === 'TimerFired')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'ExecutionCompleted')).toHaveLength(1);
  });
});
