import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { executionStreamId, USAGE_GROUP_BY, type UsageGroupBy } from '@flowstack/contracts';
import { PostgresEventStore, migrateEventStore, type NewEvent, type StoredEvent } from '@flowstack/event-store';
import { createTestDatabase, type TestDatabase } from '@flowstack/testing';
import { rowOf, usageFromEvents } from './usage-report';
import { migrateUsageSchema } from './usage.migration';
import { UsageProjection } from './usage.projection';
import { UsageStore } from './usage.store';

jest.setTimeout(120_000);

/**
 * The usage projection against the real Postgres: the report it answers equals the report
 * recomputed in memory from the events themselves, for every grouping and several periods; a
 * rebuild answers the same; a restarted instance applies nothing twice; workspaces never mix.
 */
describe('UsageProjection', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let usage: UsageStore;
  const ws = randomUUID();
  const other = randomUUID();
  const workflows = [randomUUID(), randomUUID(), randomUUID()];
  const agents = ['agent-a', 'agent-b'];
  const models = ['claude-sonnet-4', 'gpt-4o-mini', 'glm-4.6'];
  // A deterministic pseudo-random sequence: the same runs every time the test runs.
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.floor(seed / 65_536) % n;
  };
  const day0 = Date.parse('2026-11-01T00:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase('usage');
    pool = new Pool({ connectionString: db.url, max: 6 });
    pool.on('error', () => undefined);
    await migrateEventStore(pool);
    await migrateUsageSchema(pool);
    store = new PostgresEventStore(pool);
    usage = new UsageStore(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const graph = {
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input', config: {} },
      { id: 'ask', type: 'agent_call', config: { agentId: agents[0], prompt: 'p' } },
      { id: 'check', type: 'agent_call', config: { agentId: agents[1], prompt: 'q' } },
      { id: 'fetch', type: 'tool', config: { toolId: 't' } },
    ],
    edges: [],
  };

  /** The `ExecutionStarted` of a run of `graph` started by the API. */
  const started = (executionId: string, workspaceId: string, workflowId: string, startedAt: string): NewEvent => ({
    type: 'ExecutionStarted',
    data: { executionId, workspaceId, workflowId, workflowVersion: 1, graph, input: {}, startedAt, trigger: { type: 'api' } },
  });

  /** One run: started at a random time of 10 days, 0-3 costed nodes, and maybe an end. */
  async function randomRun(workspaceId: string): Promise<void> {
    const id = randomUUID();
    const startedAt = new Date(day0 + (rand(240) * 3600 + rand(3600)) * 1000).toISOString();
    const events: NewEvent[] = [started(id, workspaceId, workflows[rand(3)], startedAt)];
    const completed = (nodeId: string, attempt: number, extra: Record<string, unknown>): NewEvent => ({
      type: 'NodeCompleted',
      data: {
        nodeId,
        attempt,
        taskId: `${id}:${nodeId}:${attempt}`,
        output: 'x',
        startedAt,
        completedAt: startedAt,
        durationMs: 5,
        ...extra,
      },
    });
    events.push(completed('in', 1, { cost: 0 }));
    for (const nodeId of ['ask', 'check']) {
      const attempts = rand(3);
      for (let a = 1; a <= attempts; a++) {
        const usage = { inputTokens: rand(5000), outputTokens: rand(2000), model: models[rand(3)] };
        events.push(completed(nodeId, a, { cost: rand(100_000), usage }));
      }
    }
    if (rand(2)) events.push(completed('fetch', 1, { cost: 1000 }));
    const end = rand(4);
    const durationMs = 100 + rand(60_000);
    const at = new Date(Date.parse(startedAt) + durationMs).toISOString();
    if (end === 1) events.push({ type: 'ExecutionCompleted', data: { output: 1, completedAt: at, durationMs, totalCost: 0 } });
    if (end === 2)
      events.push({
        type: 'ExecutionFailed',
        data: { error: { code: 'x', message: 'y' }, failedAt: at, durationMs, totalCost: 0 },
      });
    if (end === 3)
      events.push({
        type: 'ExecutionCancelled',
        data: { by: 'u', reason: null, cancelledAt: at, durationMs, totalCost: 0, cancelledNodes: [] },
      });
    // Two appends, as a run is recorded: the start first, the rest later.
    await store.append(executionStreamId(id), workspaceId, events.slice(0, 1), { expectedPosition: 0 });
    await store.append(executionStreamId(id), workspaceId, events.slice(1), { expectedPosition: 1 });
  }

  const allEvents = async (): Promise<StoredEvent[]> => {
    const { rows } = await pool.query<{ event_id: string; stream_id: string; workspace_id: string; type: string; data: unknown }>(
      'SELECT event_id::text, stream_id, workspace_id, type, data FROM event_store.events ORDER BY global_position',
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      streamId: r.stream_id,
      workspaceId: r.workspace_id,
      type: r.type,
      data: r.data,
    })) as never;
  };

  /** Runs the projection until it has read `n` events (the log hides transactions still open cluster-wide). */
  const readUntil = async (projection: UsageProjection, n: number): Promise<number> => {
    const deadline = Date.now() + 20_000;
    let read = 0;
    while (read < n && Date.now() < deadline) {
      read += await projection.runOnce();
      if (read < n) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return read;
  };

  const periods = [
    { from: '2026-10-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
    { from: '2026-11-03T06:00:00.000Z', to: '2026-11-07T18:30:00.000Z' },
    { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' },
  ];

  const expectEqualToRecomputed = async (): Promise<void> => {
    const events = await allEvents();
    for (const period of periods) {
      for (const groupBy of USAGE_GROUP_BY as readonly UsageGroupBy[]) {
        const projected = await usage.report(ws, period, groupBy);
        const recomputed = usageFromEvents(events, ws, period, groupBy);
        expect({ period, groupBy, ...projected }).toEqual({ period, groupBy, ...recomputed });
      }
    }
  };

  it('answers what the events recompute to, for every grouping and period', async () => {
    for (let i = 0; i < 120; i++) await randomRun(ws);
    for (let i = 0; i < 20; i++) await randomRun(other);
    const total = (await allEvents()).length;
    const projection = new UsageProjection({ pool, batchSize: 64 });
    expect(await readUntil(projection, total)).toBe(total);
    await expectEqualToRecomputed();

    // The figures are not all zero, and the groups are what the runs used.
    const byModel = await usage.report(ws, periods[0], 'model');
    expect(byModel.items.map((i) => i.key)).toEqual([...models].sort());
    const byAgent = await usage.report(ws, periods[0], 'agent');
    expect(byAgent.items.map((i) => i.key)).toEqual(agents);
    expect(byAgent.totals.runs).toBe(120);
    expect(byAgent.totals.inputTokens).toBeGreaterThan(0);
    expect(byAgent.totals.succeeded + byAgent.totals.failed + byAgent.totals.cancelled).toBeGreaterThan(0);
    const byDay = await usage.report(ws, periods[0], 'day');
    expect(byDay.items.length).toBe(10);
    expect(byDay.items.reduce((n, i) => n + i.runs, 0)).toBe(120);
    // The other workspace's runs never appear.
    expect((await usage.report(other, periods[0], 'day')).totals.runs).toBe(20);
  });

  it('counts a known run exactly', async () => {
    const mine = randomUUID();
    const id = randomUUID();
    const startedAt = '2026-11-25T10:00:00.000Z';
    const base = { taskId: 't', output: null, startedAt, completedAt: startedAt, durationMs: 1 };
    await store.append(
      executionStreamId(id),
      mine,
      [
        started(id, mine, 'wf-1', startedAt),
        {
          type: 'NodeCompleted',
          data: { ...base, nodeId: 'ask', attempt: 1, cost: 300, usage: { inputTokens: 10, outputTokens: 5, model: 'm1' } },
        },
        {
          type: 'NodeCompleted',
          data: { ...base, nodeId: 'check', attempt: 1, cost: 200, usage: { inputTokens: 1, outputTokens: 2, model: 'm1' } },
        },
        { type: 'NodeCompleted', data: { ...base, nodeId: 'fetch', attempt: 1, cost: 7 } },
        {
          type: 'ExecutionCompleted',
          data: { output: 1, completedAt: '2026-11-25T10:00:02.000Z', durationMs: 2000, totalCost: 507 },
        },
      ],
      { expectedPosition: 0 },
    );
    await readUntil(new UsageProjection({ pool }), 5);
    const period = { from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' };
    const run = { runs: 1, succeeded: 1, failed: 0, cancelled: 0, successRate: 1, avgDurationMs: 2000 };
    expect((await usage.report(mine, period, 'workflow')).items.map(rowOf)).toEqual([
      { key: 'wf-1', ...run, calls: 3, inputTokens: 11, outputTokens: 7, cost: 507 },
    ]);
    expect((await usage.report(mine, period, 'agent')).items.map(rowOf)).toEqual([
      { key: 'agent-a', ...run, calls: 1, inputTokens: 10, outputTokens: 5, cost: 300 },
      { key: 'agent-b', ...run, calls: 1, inputTokens: 1, outputTokens: 2, cost: 200 },
    ]);
    expect((await usage.report(mine, period, 'model')).items.map(rowOf)).toEqual([
      { key: 'm1', ...run, calls: 2, inputTokens: 11, outputTokens: 7, cost: 500 },
    ]);
    expect((await usage.report(mine, { from: period.to, to: '2026-11-27T00:00:00.000Z' }, 'day')).items).toEqual([]);
  });

  it('of a run that failed, was retried and completed in one batch, the last end counts', async () => {
    const mine = randomUUID();
    const id = randomUUID();
    const startedAt = '2026-11-25T10:00:00.000Z';
    await store.append(
      executionStreamId(id),
      mine,
      [
        started(id, mine, 'wf-r', startedAt),
        {
          type: 'ExecutionFailed',
          data: { error: { code: 'x', message: 'x' }, failedAt: '2026-11-25T10:00:01.000Z', durationMs: 1000 },
        },
        { type: 'ExecutionRetried', data: { retriedAt: '2026-11-25T10:00:05.000Z', nodeIds: [] } },
        {
          type: 'ExecutionCompleted',
          data: { output: 1, completedAt: '2026-11-25T10:00:09.000Z', durationMs: 9000, totalCost: 0 },
        },
      ],
      { expectedPosition: 0 },
    );
    await readUntil(new UsageProjection({ pool }), 4);
    const period = { from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' };
    expect((await usage.report(mine, period, 'workflow')).items.map(rowOf)).toEqual([
      {
        key: 'wf-r',
        runs: 1,
        succeeded: 1,
        failed: 0,
        cancelled: 0,
        successRate: 1,
        avgDurationMs: 9000,
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        cost: 0,
      },
    ]);
  });

  it('a restarted instance applies nothing twice; a rebuild answers what the events recompute to', async () => {
    const before = await usage.report(ws, periods[0], 'workflow');
    expect(await new UsageProjection({ pool }).runOnce()).toBe(0);
    expect(await usage.report(ws, periods[0], 'workflow')).toEqual(before);
    // Rebuild with replicas polling at the same time: each batch is applied once.
    const replicas = [new UsageProjection({ pool, batchSize: 50 }), new UsageProjection({ pool, batchSize: 50 })];
    const racing = Promise.all(replicas.map((r) => r.runOnce()));
    await new UsageProjection({ pool, batchSize: 50 }).rebuild();
    await racing;
    expect(await usage.report(ws, periods[0], 'workflow')).toEqual(before);
    await expectEqualToRecomputed();
  });
});
