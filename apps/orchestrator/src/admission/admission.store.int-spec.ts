import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@flowstack/testing';
import { migrateHistorySchema } from '../history/history.migration';
import { AdmissionStore, type QueuedStart } from './admission.store';
import { TaskGateStore } from './task-gate.store';
import { AdmissionService } from './admission.service';
import type { ExecutionHandler } from '../executions/execution.handler';
import type { OrchestratorConfig } from '../orchestrator.config';

const startOf = (executionId: string, workspaceId: string): QueuedStart => ({
  command: {
    executionId,
    workspaceId,
    workflowId: 'wf',
    workflowVersion: 1,
    graph: { nodes: [], edges: [], entry_point: 'in' },
    input: {},
    trigger: { type: 'api', by: 'u' },
  },
  ctx: { workspaceId, actor: { id: 'u', type: 'user', role: 'editor' }, correlationId: 'c' },
});

/**
 * The admission table as two replicas see it: two stores on two pools (as two processes would
 * have) admitting and promoting one workspace at once never hand out more slots than the limit,
 * and the queue is FIFO. Also the task gate's in-flight count under concurrent decisions.
 */
describe('AdmissionStore and TaskGateStore (Postgres)', () => {
  let db: TestDatabase;
  let pools: Pool[];
  let stores: AdmissionStore[];

  beforeAll(async () => {
    db = await createTestDatabase('admission');
    pools = [new Pool({ connectionString: db.url, max: 8 }), new Pool({ connectionString: db.url, max: 8 })];
    // An idle session the server ends (the forced drop at teardown) is no failure of these tests.
    for (const pool of pools) pool.on('error', () => undefined);
    await migrateHistorySchema(pools[0]);
    stores = pools.map((p) => new AdmissionStore(p));
    await Promise.all(stores.map((s) => s.migrate()));
    await new TaskGateStore(pools[0], 0).migrate();
  });

  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  const runningOf = async (workspaceId: string): Promise<number> =>
    Number(
      (
        await pools[0].query<{ n: string }>(
          `SELECT count(*) AS n FROM orchestrator.workspace_admissions WHERE workspace_id = $1 AND state = 'running'`,
          [workspaceId],
        )
      ).rows[0].n,
    );

  it('admits at most the limit across two replicas starting at once, and queues the rest in order', async () => {
    const ws = randomUUID();
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const answers = await Promise.all(ids.map((id, i) => stores[i % 2].admit(id, ws, 3, startOf(id, ws))));
    expect(answers.filter((a) => a.admitted)).toHaveLength(3);
    const positions = answers.flatMap((a) => (a.admitted ? [] : [a.position])).sort((x, y) => x - y);
    expect(positions).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
    expect(await runningOf(ws)).toBe(3);

    // Asked again, a start gets its first answer (idempotent per execution id).
    const queued = ids[answers.findIndex((a) => !a.admitted && a.position === 1)];
    expect(await stores[1].admit(queued, ws, 3, startOf(queued, ws))).toMatchObject({ admitted: false, position: 1 });

    // Releases on both replicas, then promotions racing: still never more than the limit, oldest first.
    const admitted = ids.filter((_, i) => answers[i].admitted);
    await Promise.all(admitted.map((id, i) => stores[i % 2].release(id)));
    const promoted = (await Promise.all([stores[0].promote(ws, 3), stores[1].promote(ws, 3)])).flat();
    expect(promoted).toHaveLength(3);
    expect(await runningOf(ws)).toBe(3);
    const byPosition = ids
      .map((id, i) => ({ id, answer: answers[i] }))
      .filter((x) => !x.answer.admitted)
      .sort((x, y) => (x.answer.admitted || y.answer.admitted ? 0 : x.answer.position - y.answer.position))
      .map((x) => x.id);
    expect(promoted.map((p) => p.executionId).sort()).toEqual(byPosition.slice(0, 3).sort());
    expect(await stores[0].entry(byPosition[3], ws)).toMatchObject({ state: 'queued', position: 1 });
  });

  it('keeps other workspaces out of the count and out of sight', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      await stores[0].admit(id, a, 1, startOf(id, a));
    }
    const other = randomUUID();
    expect(await stores[1].admit(other, b, 1, startOf(other, b))).toEqual({ admitted: true });
    const queuedOfA = (
      await pools[0].query<{ execution_id: string }>(
        `SELECT execution_id FROM orchestrator.workspace_admissions WHERE workspace_id = $1 AND state = 'queued' LIMIT 1`,
        [a],
      )
    ).rows[0].execution_id;
    expect(await stores[0].entry(queuedOfA, b)).toBeUndefined();
    expect(await stores[0].cancelQueued(queuedOfA, b, 'x')).toBe(false);
  });

  it('cancels a queued run: it leaves the queue, the ones behind move up, and it is listed as cancelled', async () => {
    const ws = randomUUID();
    const ids = Array.from({ length: 4 }, () => randomUUID());
    for (const id of ids) await stores[0].admit(id, ws, 1, startOf(id, ws));
    expect(await stores[0].entry(ids[3], ws)).toMatchObject({ state: 'queued', position: 3 });
    expect(await stores[0].cancelQueued(ids[1], ws, 'user-1')).toBe(true);
    expect(await stores[0].cancelQueued(ids[1], ws, 'user-1')).toBe(false);
    expect(await stores[0].entry(ids[3], ws)).toMatchObject({ state: 'queued', position: 2 });
    expect(await stores[0].entry(ids[1], ws)).toMatchObject({ state: 'cancelled', by: 'user-1' });
    const history = await pools[0].query<{ id: string; status: string }>(
      `SELECT id, status FROM orchestrator.execution_history WHERE workspace_id = $1 ORDER BY started_at`,
      [ws],
    );
    expect(history.rows).toEqual([
      { id: ids[1], status: 'cancelled' },
      { id: ids[2], status: 'pending' },
      { id: ids[3], status: 'pending' },
    ]);
    await stores[0].release(ids[0]);
    expect((await stores[1].promote(ws, 1)).map((p) => p.executionId)).toEqual([ids[2]]);
  });

  it('sends node tasks up to the in-flight limit across two replicas, the rest wait in order', async () => {
    const gates = pools.map((p) => new TaskGateStore(p, 4));
    const ws = randomUUID();
    const message = (taskId: string) => ({ subject: 'work.tool', msgId: taskId, data: { taskId } });
    const batches = Array.from({ length: 6 }, (_, b) => Array.from({ length: 3 }, (_, i) => message(`e${b}:n${i}:1`)));
    const sent = (
      await Promise.all(
        batches.map((batch, b) => gates[b % 2].transaction((client) => gates[b % 2].gate(client, ws, `e${b}`, batch))),
      )
    ).flat();
    expect(sent).toHaveLength(4);
    expect(await gates[0].inFlight(ws)).toBe(4);

    // Two answers free two places: the two oldest waiting tasks go out, once, whichever replica asks.
    expect(await gates[0].release(ws, [sent[0].msgId, sent[1].msgId], [])).toBe(true);
    const next = (await Promise.all([gates[0].takeWaiting(ws), gates[1].takeWaiting(ws)])).flat();
    expect(next).toHaveLength(2);
    expect(await gates[0].inFlight(ws)).toBe(4);
    // Another workspace is not held by this one's queue.
    const other = randomUUID();
    const theirs = await gates[1].transaction((client) => gates[1].gate(client, other, 'x', [message('x:a:1')]));
    expect(theirs).toHaveLength(1);
    // An ended execution's tasks (sent or waiting) are forgotten.
    await gates[0].release(
      ws,
      [],
      batches.map((_, b) => `e${b}`),
    );
    expect(await gates[0].inFlight(ws)).toBe(0);
    expect(await gates[0].takeWaiting(ws)).toEqual([]);
  });

  it('starts, from the sweeper, the runs queued under a limit that has since been lifted', async () => {
    const ws = randomUUID();
    const [first, waiting] = [randomUUID(), randomUUID()];
    await stores[0].admit(first, ws, 1, startOf(first, ws));
    expect(await stores[0].admit(waiting, ws, 1, startOf(waiting, ws))).toMatchObject({ admitted: false });
    const started: string[] = [];
    const executions = {
      handle: (executionId: string) => {
        started.push(executionId);
        return Promise.resolve({ state: {}, appended: [] });
      },
    };
    // This replica runs without a limit now: no run of its ends frees a slot, so only the sweeper can start the waiting one.
    const service = new AdmissionService(
      new AdmissionStore(pools[1], undefined, false),
      new TaskGateStore(pools[1], 0),
      executions as unknown as ExecutionHandler,
      { workspaceMaxRunning: 0, admissionSweepIntervalMs: 60_000 } as OrchestratorConfig,
    );
    await service.sweep();
    // Every queued run of the database starts (earlier tests left some in other workspaces); the running one is not started again.
    expect(started).toContain(waiting);
    expect(started).not.toContain(first);
    expect((await stores[0].entry(waiting, ws))?.state).toBe('running');
  });
});
