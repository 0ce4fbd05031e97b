import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  executionStreamId,
  type ExecutionEvent,
  type ExecutionHistoryQuery,
  type ExecutionListItem,
  type ExecutionStarted,
} from '@flowstack/contracts';
import { PostgresEventStore, migrateEventStore, type NewEvent } from '@flowstack/event-store';
import { createTestDatabase, type TestDatabase } from '@flowstack/testing';
import { foldEvents } from '../domain';
import { toExecutionEvent } from '../executions/execution-events.codec';
import { migrateHistorySchema } from './history.migration';
import { HistoryProjection } from './history.projection';
import { HistoryStore } from './history.store';

type Trigger = 'manual' | 'api' | 'schedule';

/**
 * The history projection against the real Postgres: it catches up with the log, a new instance
 * (a restart) resumes from the checkpoint without applying anything twice, replicas running at
 * once apply each event once, a rebuild from position 0 lists exactly what was listed before, and
 * the keyset cursor neither repeats nor skips rows inserted between pages.
 */
describe('HistoryProjection', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let history: HistoryStore;
  const ws = `ws_${randomUUID().slice(0, 8)}`;
  const other = `ws_${randomUUID().slice(0, 8)}`;
  const wf = randomUUID();
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const at = (ms = 1000): string => new Date((clock += ms)).toISOString();

  beforeAll(async () => {
    db = await createTestDatabase('history');
    pool = new Pool({ connectionString: db.url, max: 8 });
    pool.on('error', () => undefined);
    await migrateEventStore(pool);
    await migrateHistorySchema(pool);
    store = new PostgresEventStore(pool);
    history = new HistoryStore(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const append = (id: string, workspace: string, events: Array<ExecutionEvent | NewEvent>) =>
    store.append(executionStreamId(id), workspace, events, { expectedPosition: 'any' });

  const started = (id: string, trigger: Trigger, startedAt: string, workspace = ws): ExecutionStarted => ({
    type: 'ExecutionStarted',
    data: {
      executionId: id,
      workspaceId: workspace,
      workflowId: wf,
      workflowVersion: 2,
      graph: { entry_point: 'in', nodes: [{ id: 'in', type: 'input' }], edges: [] },
      input: {},
      startedAt,
      trigger: { type: trigger, by: 'user-1' },
    },
  });
  const nodeCompleted = (cost: number): ExecutionEvent => ({
    type: 'NodeCompleted',
    data: { nodeId: 'in', attempt: 1, taskId: 't', output: null, startedAt: at(0), completedAt: at(0), durationMs: 1, cost },
  });

  const all = async (q: Partial<ExecutionHistoryQuery> = {}, limit = 2): Promise<ExecutionListItem[]> => {
    const items: ExecutionListItem[] = [];
    let cursor: string | undefined;
    do {
      const page = await history.list(ws, { limit, ...q, ...(cursor ? { cursor } : {}) });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  };

  /**
   * Runs the projection until it has read `events` events: the log hides a transaction until every
   * older one in the cluster has ended (other test files' too), so one run may see less.
   */
  const readUntil = async (projection: HistoryProjection, events: number): Promise<number> => {
    const deadline = Date.now() + 10_000;
    let read = 0;
    while (read < events && Date.now() < deadline) {
      read += await projection.runOnce();
      if (read < events) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return read;
  };

  const ids = { done: randomUUID(), failed: randomUUID(), cancelled: randomUUID(), running: randomUUID(), old: randomUUID() };

  it('catches up with the log: one row per execution with status, trigger, times, cost and error code', async () => {
    const t0 = at();
    await append(ids.done, ws, [started(ids.done, 'manual', t0), nodeCompleted(300)]);
    await append(ids.done, ws, [
      { type: 'ExecutionCompleted', data: { output: 1, completedAt: at(), durationMs: 1000, totalCost: 300 } },
    ]);
    await append(ids.failed, ws, [
      started(ids.failed, 'api', at()),
      {
        type: 'ExecutionFailed',
        data: { error: { code: 'http_status', message: '500', nodeId: 'in' }, failedAt: at(), durationMs: 1000, totalCost: 0 },
      },
    ]);
    await append(ids.cancelled, ws, [
      started(ids.cancelled, 'schedule', at()),
      {
        type: 'ApprovalRequested',
        data: { nodeId: 'in', attempt: 1, prompt: 'ok?', approverRole: 'editor', requestedAt: at(0) },
      },
      {
        type: 'ExecutionCancelled',
        data: { by: 'user-2', reason: null, cancelledAt: at(), durationMs: 1000, totalCost: 0, cancelledNodes: ['in'] },
      },
    ]);
    await append(ids.running, ws, [
      started(ids.running, 'api', at()),
      {
        type: 'ApprovalRequested',
        data: { nodeId: 'in', attempt: 1, prompt: 'ok?', approverRole: 'editor', requestedAt: at(0) },
      },
    ]);
    // Another workspace's run is never listed in this one.
    const foreign = randomUUID();
    await append(foreign, other, [started(foreign, 'api', at(), other)]);

    const projection = new HistoryProjection({ pool, batchSize: 3 });
    expect(await readUntil(projection, 11)).toBe(11);
    expect(await projection.runOnce()).toBe(0);

    const items = await all();
    expect(items.map((i) => [i.id, i.status])).toEqual([
      [ids.running, 'awaiting_approval'],
      [ids.cancelled, 'cancelled'],
      [ids.failed, 'failed'],
      [ids.done, 'completed'],
    ]);
    expect(items[3]).toEqual({
      id: ids.done,
      workflowId: wf,
      workflowVersion: 2,
      status: 'completed',
      trigger: { type: 'manual', by: 'user-1' },
      startedAt: t0,
      finishedAt: expect.any(String),
      durationMs: 1000,
      totalCost: 300,
      errorCode: null,
      parentId: null,
    });
    expect(items[2]).toMatchObject({ errorCode: 'http_status', trigger: { type: 'api' }, finishedAt: expect.any(String) });
    expect(items[0]).toMatchObject({ finishedAt: null, durationMs: null });
    expect((await history.list(other, { limit: 10 })).items.map((i) => i.id)).toEqual([foreign]);
  });

  it('filters by status, trigger, workflow and startedAt range', async () => {
    const statuses = async (q: Partial<ExecutionHistoryQuery>) => (await all(q, 10)).map((i) => i.status);
    expect(await statuses({ status: ['failed', 'cancelled'] })).toEqual(['cancelled', 'failed']);
    expect(await statuses({ trigger: ['manual'] })).toEqual(['completed']);
    expect(await statuses({ workflowId: randomUUID() })).toEqual([]);
    const [, , failed] = await all({}, 10);
    expect(await statuses({ from: failed.startedAt, to: new Date(Date.parse(failed.startedAt) + 1).toISOString() })).toEqual([
      'failed',
    ]);
  });

  it("reads a v1 ExecutionStarted of an older shape (no trigger) as today's: trigger api", async () => {
    const { trigger: _none, ...oldShape } = started(ids.old, 'api', at()).data;
    await append(ids.old, ws, [{ type: 'ExecutionStarted', schemaVersion: 1, data: oldShape }]);
    await readUntil(new HistoryProjection({ pool }), 1);
    expect((await all({}, 10))[0]).toMatchObject({ id: ids.old, trigger: { type: 'api', by: null }, status: 'running' });
    // The decider's read path folds the same stored event with today's shape.
    const state = foldEvents((await store.readStream(executionStreamId(ids.old))).map(toExecutionEvent));
    expect(state).toMatchObject({ status: 'running', trigger: { type: 'api' } });
  });

  it('resumes from its checkpoint after a restart and applies nothing twice, even with replicas racing', async () => {
    const before = await all({}, 10);
    // A new instance is a restarted process: it reads nothing again.
    expect(await new HistoryProjection({ pool }).runOnce()).toBe(0);
    expect(await all({}, 10)).toEqual(before);

    const id = randomUUID();
    await append(id, ws, [started(id, 'api', at())]);
    for (let i = 0; i < 20; i++) await append(id, ws, [nodeCompleted(5)]);
    // Four replicas polling at once: each batch is applied by exactly one of them.
    const replicas = Array.from({ length: 4 }, () => new HistoryProjection({ pool, batchSize: 2 }));
    const deadline = Date.now() + 10_000;
    let read = 0;
    while (read < 21 && Date.now() < deadline) {
      read += (await Promise.all(replicas.map((r) => r.runOnce()))).reduce((a, b) => a + b, 0);
    }
    expect(read).toBe(21);
    expect((await all({}, 10)).find((i) => i.id === id)?.totalCost).toBe(100);
  });

  it('rebuilds from position 0 to exactly the same list', async () => {
    const deleted = randomUUID();
    await append(deleted, ws, [
      started(deleted, 'api', at()),
      { type: 'ExecutionCompleted', data: { output: null, completedAt: at(), durationMs: 1000, totalCost: 0 } },
      { type: 'ExecutionDeleted', data: { by: 'user-1', deletedAt: at(0) } },
    ]);
    const projection = new HistoryProjection({ pool, batchSize: 4 });
    await readUntil(projection, 3);
    const before = await all();
    expect(before.map((i) => i.id)).not.toContain(deleted);
    expect(before.length).toBeGreaterThanOrEqual(6);

    // Everything before was committed and read already, so the replay sees all of it at once.
    const read = await projection.rebuild();
    expect(read).toBeGreaterThan(20);
    expect(await all()).toEqual(before);
    expect((await history.list(other, { limit: 10 })).items).toHaveLength(1);
  });

  it('pages by keyset: rows inserted between pages are neither repeated nor skipped', async () => {
    const first = await history.list(ws, { limit: 3 });
    // Newer runs, and one that sorts into a later page (an older startedAt).
    const newer = randomUUID();
    const older = randomUUID();
    await append(newer, ws, [started(newer, 'api', at())]);
    await append(older, ws, [started(older, 'api', '2025-06-01T00:00:00.000Z')]);
    await readUntil(new HistoryProjection({ pool }), 2);
    const rest: ExecutionListItem[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await history.list(ws, { limit: 3, cursor });
      rest.push(...page.items);
      cursor = page.nextCursor;
    }
    const seen = [...first.items, ...rest].map((i) => i.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(newer);
    expect(seen[seen.length - 1]).toBe(older);
  });

  it('skips an event whose data no row can take, logs it, and applies the rest of its batch', async () => {
    const good = randomUUID();
    const poison = randomUUID();
    const errors: string[] = [];
    await append(poison, ws, [
      { type: 'ExecutionStarted', data: { ...started(poison, 'api', at()).data, workflowVersion: 'two' } },
    ]);
    await append(good, ws, [started(good, 'api', at())]);
    await readUntil(new HistoryProjection({ pool, logger: { error: (m) => errors.push(m) } }), 2);
    const listed = (await all({}, 50)).map((i) => i.id);
    expect(listed).toContain(good);
    expect(listed).not.toContain(poison);
    expect(errors).toEqual([expect.stringContaining(`skipped ExecutionStarted`)]);
    expect(await new HistoryProjection({ pool }).runOnce()).toBe(0);
  });

  it('refuses a cursor it did not issue, at query.cursor', async () => {
    await expect(history.list(ws, { limit: 3, cursor: 'bm9wZQ' })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'query.cursor' }],
    });
  });
});
